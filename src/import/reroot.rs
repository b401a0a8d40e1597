//! Turning the original's absolute paths into store paths.
//!
//! The original wrote `file_path` as an absolute path of the machine it ran on (`/home/a/notes/x.md`,
//! or `C:\Users\a\notes\x.md` on Windows). The store wants paths relative to the project root, so
//! the old root is cut off: the one `--from-root` gives, or else a guess (the deepest directory
//! all paths share, moved up to the directory named like the one that holds the database's
//! `.db/` when that name appears in it, since the original kept its database at
//! `<project root>/.db/obby.db`). Windows paths are compared without regard to case and written
//! with `/`. Relative paths are taken as already relative to the root.

use std::path::Path;

use crate::paths::RelPath;

/// A path split into components.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Split<'a> {
    windows: bool,
    absolute: bool,
    parts: Vec<&'a str>,
}

fn is_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn split(path: &str) -> Split<'_> {
    let windows =
        is_drive(path) || path.starts_with("\\\\") || (path.contains('\\') && !path.contains('/'));
    let absolute = path.starts_with('/') || windows && (is_drive(path) || path.starts_with('\\'));
    let parts: Vec<&str> = if windows {
        path.split(['\\', '/']).filter(|p| !p.is_empty() && *p != ".").collect()
    } else {
        path.split('/').filter(|p| !p.is_empty() && *p != ".").collect()
    };
    Split { windows, absolute, parts }
}

fn same(a: &str, b: &str, windows: bool) -> bool {
    if windows { a.eq_ignore_ascii_case(b) } else { a == b }
}

/// Cuts the old project root off the original's paths.
#[derive(Clone, Debug)]
pub struct Rerooter {
    root: Vec<String>,
    shown: String,
}

/// A path that is not under the old root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outside {
    /// The root, as shown to the user.
    pub root: String,
}

impl Rerooter {
    /// A rerooter for an explicit old root (`--from-root`).
    #[must_use]
    pub fn new(root: &str) -> Self {
        let s = split(root);
        Self { root: s.parts.iter().map(|p| (*p).to_owned()).collect(), shown: root.to_owned() }
    }

    /// Guesses the old root from every absolute path in the source and where the database lies.
    pub fn guess<'a>(paths: impl IntoIterator<Item = &'a str>, db_path: &Path) -> Self {
        let mut common: Option<(Vec<String>, bool)> = None;
        for p in paths {
            let s = split(p);
            if !s.absolute {
                continue;
            }
            let dir = &s.parts[..s.parts.len().saturating_sub(1)];
            match &mut common {
                None => common = Some((dir.iter().map(|p| (*p).to_owned()).collect(), s.windows)),
                Some((c, w)) => {
                    let n = c.iter().zip(dir).take_while(|(a, b)| same(a, b, *w)).count();
                    c.truncate(n);
                }
            }
        }
        let (mut root, windows) = common.unwrap_or_default();
        // `<root>/.db/obby.db`: prefer the directory named like the database's project root.
        let project = db_path
            .parent()
            .filter(|d| d.file_name().is_some_and(|n| n == ".db"))
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .and_then(|n| n.to_str());
        if let Some(i) = project.and_then(|name| root.iter().rposition(|c| same(c, name, windows)))
        {
            root.truncate(i + 1);
        }
        let sep = if windows { "\\" } else { "/" };
        let shown = if windows { root.join(sep) } else { format!("/{}", root.join(sep)) };
        Self { root, shown }
    }

    /// The old root, as shown to the user.
    #[must_use]
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The store path for one of the original's paths.
    ///
    /// # Errors
    /// [`Outside`] when the path is absolute and not under the root, or climbs out of it.
    pub fn reroot(&self, path: &str) -> Result<RelPath, Outside> {
        let outside = || Outside { root: self.shown.clone() };
        let s = split(path);
        let rest: &[&str] = if s.absolute {
            if s.parts.len() <= self.root.len()
                || !self.root.iter().zip(&s.parts).all(|(a, b)| same(a, b, s.windows))
            {
                return Err(outside());
            }
            &s.parts[self.root.len()..]
        } else {
            &s.parts
        };
        let mut out: Vec<&str> = Vec::with_capacity(rest.len());
        for part in rest {
            if *part == ".." {
                out.pop().ok_or_else(outside)?;
            } else {
                out.push(part);
            }
        }
        if out.is_empty() {
            return Err(outside());
        }
        Ok(RelPath::from_bytes(out.join("/").into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(root: &Rerooter, p: &str) -> String {
        root.reroot(p).map_or_else(|e| format!("outside {}", e.root), |p| p.to_string())
    }

    #[test]
    fn explicit_root() {
        let root = Rerooter::new("/home/a/proj");
        assert_eq!(r(&root, "/home/a/proj/notes/x.md"), "notes/x.md");
        assert_eq!(r(&root, "/home/a/other/x.md"), "outside /home/a/proj");
        assert_eq!(r(&root, "notes/y.md"), "notes/y.md");
        assert_eq!(r(&root, "../y.md"), "outside /home/a/proj");
        let win = Rerooter::new("C:\\Users\\A\\proj");
        assert_eq!(r(&win, "c:\\users\\a\\proj\\notes\\x.md"), "notes/x.md");
        assert_eq!(r(&win, "C:/Users/A/proj/docs/y.md"), "docs/y.md");
    }

    #[test]
    fn guessed_root() {
        let paths = ["/home/a/proj/notes/x.md", "/home/a/proj/notes/sub/y.md"];
        let g = Rerooter::guess(paths, Path::new("/copy/proj/.db/obby.db"));
        assert_eq!(g.shown(), "/home/a/proj");
        assert_eq!(r(&g, paths[0]), "notes/x.md");
        let g = Rerooter::guess(paths, Path::new("/tmp/obby.db"));
        assert_eq!(r(&g, paths[1]), "sub/y.md");
        let win = ["C:\\Users\\A\\proj\\notes\\x.md", "C:\\Users\\A\\proj\\docs\\y.md"];
        let g = Rerooter::guess(win, Path::new("obby.db"));
        assert_eq!(r(&g, win[1]), "docs/y.md");
    }
}
