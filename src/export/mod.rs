//! Taking the history out of the store: into a git repository ([`git`]) or as JSON Lines
//! ([`jsonl`]) for other tools (and for `obby import jsonl`).
//!
//! Both walk the versions in the order they were recorded (`versions.id`), optionally limited to
//! some paths, and read content through a [`ContentCache`] that decodes each delta chain once.

pub mod git;
pub mod jsonl;
pub mod pack;
pub mod tree;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::paths::RelPath;
use crate::store::blob::{self, Codec};
use crate::store::read::{VERSION_COLUMNS, VersionRow};
use crate::store::{Store, StoreError};

/// Errors of an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// git failed.
    #[error("git repository `{}`: {source}", dir.display())]
    Git {
        /// The repository.
        dir: PathBuf,
        /// The git error.
        #[source]
        source: git2::Error,
    },
    /// The target repository has commits obby did not write (or not from this store).
    #[error("`{}` already holds a history that was not exported from this store", dir.display())]
    Unrelated {
        /// The repository.
        dir: PathBuf,
    },
    /// Writing the output failed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The output.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl ExportError {
    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Unrelated { .. } => Some(
                "export into a new or empty directory, or pass `--force` to add obby's history on top of it",
            ),
            _ => None,
        }
    }
}

/// Decodes stored content, keeping what it decoded so a chain of deltas is decoded once.
#[derive(Default)]
pub struct ContentCache {
    map: HashMap<String, Arc<Vec<u8>>>,
    bytes: usize,
}

/// Content kept in the cache before it is emptied.
const CACHE_BYTES: usize = 256 << 20;

impl ContentCache {
    /// The content of blob `hash`; `None` when the store kept only its hash (content over the
    /// size limit, or a version imported without content).
    ///
    /// # Errors
    /// A missing or undecodable blob.
    pub fn get(&mut self, store: &Store, hash: &str) -> Result<Option<Arc<Vec<u8>>>, StoreError> {
        self.get_depth(store, hash, 0)
    }

    fn get_depth(
        &mut self,
        store: &Store,
        hash: &str,
        depth: i64,
    ) -> Result<Option<Arc<Vec<u8>>>, StoreError> {
        if let Some(c) = self.map.get(hash) {
            return Ok(Some(Arc::clone(c)));
        }
        let bad = |reason: String| StoreError::Blob { hash: hash.to_owned(), reason };
        if depth > blob::MAX_DELTA_DEPTH + 1 {
            return Err(bad("delta chain too long".into()));
        }
        let row = crate::store::read::stored_blob(store.conn(), hash)?;
        let codec = row.codec;
        if codec == Codec::Absent {
            return Ok(None);
        }
        let base = match (&row.base, codec) {
            (Some(b), Codec::Delta) => Some(
                self.get_depth(store, b, depth + 1)?
                    .ok_or_else(|| bad("delta base has no content".into()))?,
            ),
            _ => None,
        };
        let content = blob::decode(codec, &row.data, row.size, base.as_deref().map(|v| &v[..]))
            .map_err(|e| bad(e.to_string()))?;
        if self.bytes + content.len() > CACHE_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += content.len();
        let content = Arc::new(content);
        self.map.insert(hash.to_owned(), Arc::clone(&content));
        Ok(Some(content))
    }
}

/// A version with what an export needs beyond [`VersionRow`].
#[derive(Clone, Debug)]
pub struct ExportVersion {
    /// The version.
    pub row: VersionRow,
    /// Its import origin, if it was imported.
    pub origin: Option<String>,
}

/// Versions after `after_id`, oldest first, limited to `paths` (files, or everything under
/// directories) when any are given; `f` is called for each until it returns `false` or errs.
///
/// # Errors
/// SQLite errors, or the first error `f` returns.
pub fn for_each_version<E: From<StoreError>>(
    store: &Store,
    after_id: i64,
    paths: &[RelPath],
    mut f: impl FnMut(ExportVersion) -> Result<bool, E>,
) -> Result<(), E> {
    let mut sql = format!(
        "SELECT {VERSION_COLUMNS}, v.origin FROM versions v JOIN files f ON f.id = v.file_id WHERE v.id > ?1"
    );
    let mut params: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(after_id)];
    if !paths.is_empty() {
        let mut ors = Vec::new();
        for p in paths.iter().filter(|p| !p.is_empty()) {
            let n = params.len();
            ors.push(format!(
                "f.path = ?{a} OR (f.path >= ?{b} AND f.path < ?{c}) OR v.old_path = ?{a}",
                a = n + 1,
                b = n + 2,
                c = n + 3
            ));
            let mut lo = p.as_bytes().to_vec();
            lo.push(b'/');
            let mut hi = p.as_bytes().to_vec();
            hi.push(b'/' + 1);
            params.push(Box::new(p.clone()));
            params.push(Box::new(RelPath::from_bytes(lo)));
            params.push(Box::new(RelPath::from_bytes(hi)));
        }
        if !ors.is_empty() {
            sql.push_str(&format!(" AND ({})", ors.join(" OR ")));
        }
    }
    sql.push_str(" ORDER BY v.id");
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql).map_err(|e| E::from(store.err(e)))?;
    let mut rows =
        stmt.query(rusqlite::params_from_iter(params.iter())).map_err(|e| E::from(store.err(e)))?;
    while let Some(r) = rows.next().map_err(|e| E::from(store.err(e)))? {
        let row = VersionRow::from_row(r).map_err(|e| E::from(store.err(e)))?;
        let origin: Option<String> = r.get(12).map_err(|e| E::from(store.err(e)))?;
        if !f(ExportVersion { row, origin })? {
            break;
        }
    }
    Ok(())
}

/// What an export did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ExportReport {
    /// Versions exported.
    pub versions: u64,
    /// Commits written (git).
    pub commits: u64,
    /// Notes exported (JSON Lines).
    pub notes: u64,
    /// Versions whose content the store did not keep (exported without content).
    pub without_content: u64,
    /// The id of the last version exported.
    pub last_version: Option<i64>,
    /// True when the run stopped early (Ctrl-C); what was exported is kept.
    pub interrupted: bool,
}
