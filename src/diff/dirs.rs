//! Directory diffs: the files of two trees, paired by relative path (sorted), so `obby diff A B`
//! on directories reports files only on one side as added or deleted and diffs the rest.
//! `.git/` and `.obby/` are skipped, as everywhere in obby.

use std::io;
use std::path::Path;

use crate::paths::RelPath;

/// One path of the union of two trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Path relative to both roots.
    pub rel: RelPath,
    /// Present in the old tree.
    pub in_old: bool,
    /// Present in the new tree.
    pub in_new: bool,
}

/// Files (and symlinks) under `root`, relative, sorted.
///
/// # Errors
/// The first unreadable directory.
pub fn list_files(root: &Path) -> io::Result<Vec<RelPath>> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && crate::scope::ALWAYS_EXCLUDED.iter().any(|x| e.file_name() == *x))
        })
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| match e.into_io_error() {
            Some(io) => io,
            None => io::Error::other("cannot walk the directory"),
        })?;
        if entry.file_type().is_some_and(|t| t.is_file() || t.is_symlink())
            && let Ok(rel) = RelPath::from_path(root, entry.path())
        {
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}

/// Merges two sorted path lists into their union.
#[must_use]
pub fn pair(old: &[RelPath], new: &[RelPath]) -> Vec<Pair> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a == b => {
                out.push(Pair { rel: a.clone(), in_old: true, in_new: true });
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                out.push(Pair { rel: a.clone(), in_old: true, in_new: false });
                i += 1;
            }
            (Some(a), None) => {
                out.push(Pair { rel: a.clone(), in_old: true, in_new: false });
                i += 1;
            }
            (_, Some(b)) => {
                out.push(Pair { rel: b.clone(), in_old: false, in_new: true });
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}
