//! Store-relative paths, kept as exact bytes.
//!
//! The store keys every file by its path relative to the store root, `/`-separated. Names that
//! are not valid UTF-8 are kept byte for byte: stored in SQLite as a BLOB instead of TEXT (so
//! ordinary UTF-8 paths stay plain, queryable text), written to JSON as `{"bytes": base64}`, and
//! shown to humans with `\xNN` escapes, never dropped or replaced.

use std::ffi::OsStr;
use std::fmt::{self, Write as _};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// A path relative to the store root, `/`-separated, as raw bytes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct RelPath(Vec<u8>);

/// A path that cannot be made relative to the store root.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    /// The path lies outside the store root.
    #[error("`{}` is outside the store root `{}`", path.display(), root.display())]
    Outside {
        /// The offending path.
        path: PathBuf,
        /// The store root.
        root: PathBuf,
    },
}

impl RelPath {
    /// Wraps raw bytes (already relative and `/`-separated).
    #[must_use]
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The path of `path` relative to `root`; both must be absolute and lexically normalised
    /// (see [`normalize`]).
    ///
    /// # Errors
    /// [`PathError::Outside`] when `path` is not under `root`.
    pub fn from_path(root: &Path, path: &Path) -> Result<Self, PathError> {
        let rel = path.strip_prefix(root).map_err(|_| PathError::Outside {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
        })?;
        let mut out = Vec::with_capacity(rel.as_os_str().len());
        for comp in rel.components() {
            if let Component::Normal(part) = comp {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(part.as_bytes());
            }
        }
        Ok(Self(out))
    }

    /// The raw bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// True for the root itself.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path as UTF-8 text, if it is.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The absolute path under `root`.
    #[must_use]
    pub fn to_path(&self, root: &Path) -> PathBuf {
        if self.0.is_empty() { root.to_path_buf() } else { root.join(OsStr::from_bytes(&self.0)) }
    }

    /// The last component.
    #[must_use]
    pub fn file_name(&self) -> &[u8] {
        self.0.rsplit(|&b| b == b'/').next().unwrap_or(&self.0)
    }

    /// The file extension (after the last `.` of the last component), if any.
    #[must_use]
    pub fn extension(&self) -> Option<&[u8]> {
        let name = self.file_name();
        let dot = name.iter().rposition(|&b| b == b'.')?;
        (dot > 0).then(|| &name[dot + 1..])
    }
}

impl fmt::Display for RelPath {
    /// UTF-8 as is; other bytes as `\xNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_bytes(&self.0))
    }
}

/// Shows bytes as text, escaping invalid UTF-8 as `\xNN`.
#[must_use]
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// Shows any filesystem path, escaping invalid UTF-8 as `\xNN`.
#[must_use]
pub fn display_path(path: &Path) -> String {
    escape_bytes(path.as_os_str().as_bytes())
}

impl serde::Serialize for RelPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::output::json::path_value(&self.0).serialize(s)
    }
}

impl ToSql for RelPath {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match std::str::from_utf8(&self.0) {
            Ok(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Err(_) => ToSqlOutput::Borrowed(ValueRef::Blob(&self.0)),
        })
    }
}

impl FromSql for RelPath {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(t) | ValueRef::Blob(t) => Ok(Self(t.to_vec())),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// Makes `path` absolute (against `cwd`) and removes `.` and `..` lexically, without touching the
/// filesystem (so a symlink is never resolved behind the user's back).
#[must_use]
pub fn normalize(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let mut out = PathBuf::new();
    for comp in joined.components() {
        match comp {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated_bytes() {
        let p = RelPath::from_path(Path::new("/r"), Path::new("/r/a/b.md")).unwrap();
        assert_eq!(p.as_bytes(), b"a/b.md");
        assert_eq!(p.extension(), Some(&b"md"[..]));
        assert_eq!(p.file_name(), b"b.md");
        assert!(RelPath::from_path(Path::new("/r"), Path::new("/other/x")).is_err());
    }

    #[test]
    fn invalid_utf8_is_escaped_not_replaced() {
        let p = RelPath::from_bytes(b"caf\xe9.txt".to_vec());
        assert_eq!(p.to_string(), "caf\\xE9.txt");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/b"), Path::new("../c/./d")), PathBuf::from("/a/c/d"));
    }
}
