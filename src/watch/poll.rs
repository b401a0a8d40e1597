//! The polling fallback: periodic stat snapshots of the directories inotify cannot watch
//! (`--poll`, filesystems where inotify is blind, directories past the watch limit), compared to
//! the previous snapshot.
//!
//! A pass reads every directory under the polled roots (pruning those out of scope) and
//! `lstat`s each entry; only changed stat data (size, mtime, ctime, inode, type) becomes a
//! change, so a pass over an unchanged tree costs one `getdents` per directory and one `lstat`
//! per file and no reads of content. The snapshot keeps 40-odd bytes plus the path per entry.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::Sender;

use crate::paths::RelPath;
use crate::scope::Scope;

/// What a pass found about one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollKind {
    /// New since the last pass.
    Created,
    /// Stat data changed.
    Modified,
    /// Gone since the last pass.
    Deleted,
}

/// One difference between two passes.
#[derive(Clone, Debug)]
pub struct PollChange {
    /// What changed.
    pub kind: PollKind,
    /// Absolute path.
    pub path: PathBuf,
    /// A directory.
    pub is_dir: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Meta {
    size: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    ino: u64,
    is_dir: bool,
    /// The pass that last saw it.
    pass: u32,
}

impl Meta {
    fn same(&self, other: &Self) -> bool {
        (self.size, self.mtime_ns, self.ctime_ns, self.ino, self.is_dir)
            == (other.size, other.mtime_ns, other.ctime_ns, other.ino, other.is_dir)
    }
}

/// The polled roots and their last snapshot.
#[derive(Debug, Default)]
pub struct PollSet {
    roots: Vec<PathBuf>,
    /// Keyed by the path's bytes with a fast hash: `Path`'s own `Hash` is component-wise and
    /// showed in profiles of passes over 30,000 files.
    snapshot: HashMap<OsString, Meta, super::coalesce::Fast>,
    pass_no: u32,
}

impl PollSet {
    /// Adds a root and takes its baseline snapshot at once (no changes reported for it).
    /// Returns the number of directories in it.
    pub fn add_root(&mut self, root: &Path, scope: &Scope) -> usize {
        if self.roots.iter().any(|r| root.starts_with(r)) {
            return 0;
        }
        self.roots.push(root.to_path_buf());
        let mut dirs = 0;
        let pass_no = self.pass_no;
        snapshot_tree(root, &mut |path, mut meta| {
            if meta.is_dir && !dir_in_scope(scope, &path) {
                return false;
            }
            dirs += usize::from(meta.is_dir);
            meta.pass = pass_no;
            self.snapshot.insert(path.into_os_string(), meta);
            true
        });
        dirs
    }

    /// True when `path` lies under a polled root.
    #[must_use]
    pub fn covers(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| path.starts_with(r))
    }

    /// True without roots.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// One pass: the differences since the last one. The snapshot is updated in place, so an
    /// unchanged tree costs no allocation per entry beyond its path.
    pub fn pass(&mut self, scope: &Scope) -> Vec<PollChange> {
        self.pass_no = self.pass_no.wrapping_add(1);
        let pass_no = self.pass_no;
        let mut changes = Vec::new();
        let snapshot = &mut self.snapshot;
        for root in &self.roots {
            snapshot_tree(root, &mut |path, mut meta| {
                meta.pass = pass_no;
                if let Some(old) = snapshot.get_mut(path.as_os_str()) {
                    // A directory already in the snapshot passed the scope check before.
                    if !old.same(&meta) && !meta.is_dir {
                        changes.push(PollChange { kind: PollKind::Modified, path, is_dir: false });
                    }
                    *old = meta;
                } else {
                    if meta.is_dir && !dir_in_scope(scope, &path) {
                        return false;
                    }
                    changes.push(PollChange {
                        kind: PollKind::Created,
                        path: path.clone(),
                        is_dir: meta.is_dir,
                    });
                    snapshot.insert(path.into_os_string(), meta);
                }
                true
            });
        }
        snapshot.retain(|path, meta| {
            if meta.pass != pass_no {
                changes.push(PollChange {
                    kind: PollKind::Deleted,
                    path: PathBuf::from(path),
                    is_dir: meta.is_dir,
                });
                return false;
            }
            true
        });
        // Parents before children for creations, children before parents for deletions.
        changes.sort_by(|a, b| match (a.kind, b.kind) {
            (PollKind::Deleted, PollKind::Deleted) => b.path.cmp(&a.path),
            _ => a.path.cmp(&b.path),
        });
        changes
    }
}

fn dir_in_scope(scope: &Scope, dir: &Path) -> bool {
    RelPath::from_path(scope.root(), dir).map_or(true, |rel| scope.contains(&rel, true))
}

/// Reads the tree under `root`; `visit` gets each entry and says, for a directory, whether to
/// go into it.
fn snapshot_tree(root: &Path, visit: &mut dyn FnMut(PathBuf, Meta) -> bool) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            // fstatat on the open directory: no path walk per entry.
            let Ok(md) = entry.metadata() else { continue };
            let is_dir = md.is_dir();
            let meta = Meta {
                size: if is_dir { 0 } else { md.size() },
                mtime_ns: md.mtime() * 1_000_000_000 + md.mtime_nsec(),
                ctime_ns: md.ctime() * 1_000_000_000 + md.ctime_nsec(),
                ino: md.ino(),
                is_dir,
                pass: 0,
            };
            if is_dir {
                let sub = path.clone();
                if visit(path, meta) {
                    stack.push(sub);
                }
            } else {
                visit(path, meta);
            }
        }
    }
}

/// Starts the polling thread: a pass every `interval` while the set has roots.
pub fn spawn<T: Send + 'static>(
    set: Arc<Mutex<PollSet>>,
    scope: Arc<Scope>,
    interval: Duration,
    tx: Sender<T>,
    wrap: fn(Vec<PollChange>) -> T,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name("obby-poll".into()).spawn(move || {
        let tick = Duration::from_millis(50).min(interval.max(Duration::from_millis(1)));
        let mut waited = Duration::ZERO;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(tick);
            waited += tick;
            if waited < interval {
                continue;
            }
            waited = Duration::ZERO;
            let changes = {
                let mut set = set.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if set.is_empty() {
                    continue;
                }
                set.pass(&scope)
            };
            if !changes.is_empty() && tx.send(wrap(changes)).is_err() {
                return;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_reports_created_modified_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("keep"), "1").unwrap();
        std::fs::write(root.join("gone"), "1").unwrap();
        let scope = Scope::load(root, crate::scope::ScopeOptions::default()).unwrap();
        let mut set = PollSet::default();
        set.add_root(root, &scope);
        assert!(set.pass(&scope).is_empty());
        std::fs::write(root.join("keep"), "22").unwrap();
        std::fs::remove_file(root.join("gone")).unwrap();
        std::fs::create_dir(root.join("d")).unwrap();
        std::fs::write(root.join("d/new"), "1").unwrap();
        let mut got: Vec<(PollKind, String)> = set
            .pass(&scope)
            .into_iter()
            .map(|c| (c.kind, c.path.strip_prefix(root).unwrap().display().to_string()))
            .collect();
        got.sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(
            got,
            vec![
                (PollKind::Created, "d".into()),
                (PollKind::Created, "d/new".into()),
                (PollKind::Deleted, "gone".into()),
                (PollKind::Modified, "keep".into()),
            ]
        );
    }
}
