//! The polling fallback: periodic stat snapshots of the directories inotify cannot watch
//! (`--poll`, filesystems where inotify is blind, directories past the watch limit), compared to
//! the previous snapshot.
//!
//! The snapshot is a tree: one node per directory in scope, holding its entries sorted by name
//! with their stat data (size, mtime and ctime in ns, inode, type). A pass walks it depth first
//! with one open descriptor per level and `lstat`s every entry relative to its directory's
//! descriptor (no path is built, nothing is allocated per entry). It changes what it knows only
//! where the disk changed:
//!
//! - a file whose stat data differ is `Modified` (two writes of the same size within one second
//!   still differ in their ns times or ctime);
//! - a directory is listed again only when its own mtime, ctime or inode changed, since
//!   creating, deleting or renaming an entry changes them; the new listing is merged with the
//!   old one into `Created` and `Deleted` (a deleted directory's whole subtree is `Deleted`,
//!   children first). Content edits leave the directory alone, which is why every entry is still
//!   `lstat`ed on every pass.
//!
//! Timestamps are coarse on some filesystems (jiffies, or 2 s on FAT), so a change right after a
//! listing can leave the directory's stamp as it was. A directory is therefore listed once more
//! on the pass after its stamp changed, and on every pass while that stamp is less than
//! [`SETTLE`] old; every [`FULL_EVERY`]th pass lists everything, for filesystems that do not
//! keep directory times at all.

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crossbeam_channel::Sender;

use super::dirfd::{self, Meta, Names};
use crate::paths::RelPath;
use crate::scope::Scope;

/// How long a directory's stamp counts as recent (listed on every pass): more than the coarsest
/// timestamp granularity in use (FAT's 2 s).
pub const SETTLE: Duration = Duration::from_secs(3);

/// Every this many passes, every directory is listed whatever its stamp says.
pub const FULL_EVERY: u32 = 64;

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

/// `Entry::node` of a file (or a symlink, or anything not a directory).
const FILE: u32 = u32::MAX;
/// `Entry::node` of a directory out of scope: stat'ed, never entered, never reported.
const PRUNED: u32 = u32::MAX - 1;

#[derive(Debug)]
struct Entry {
    name: CString,
    meta: Meta,
    /// The directory's node, or [`FILE`] or [`PRUNED`].
    node: u32,
}

/// What says whether a directory's entries changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    mtime_ns: i64,
    ctime_ns: i64,
    ino: u64,
}

impl Stamp {
    fn of(meta: &Meta) -> Self {
        Self { mtime_ns: meta.mtime_ns, ctime_ns: meta.ctime_ns, ino: meta.ino }
    }
}

#[derive(Debug, Default)]
struct Node {
    /// Sorted by name.
    entries: Vec<Entry>,
    /// The stamp at the last listing (`None`: never listed, or unreadable).
    listed: Option<Stamp>,
    /// List again on the next pass even if the stamp is the same.
    settle: bool,
}

/// One open directory on the walk's stack.
struct Frame {
    node: u32,
    fd: OwnedFd,
    /// The next entry to look at for a subdirectory.
    next: usize,
    /// Length of the directory's path in `PollSet::path`.
    len: usize,
}

/// The polled roots and their last snapshot.
#[derive(Debug, Default)]
pub struct PollSet {
    roots: Vec<(PathBuf, u32)>,
    nodes: Vec<Node>,
    free: Vec<u32>,
    live: usize,
    pass_no: u32,
    // Per-pass state, kept to reuse the buffers.
    names: Names,
    path: Vec<u8>,
    changes: Vec<PollChange>,
    emit: bool,
    full: bool,
    now_ns: i64,
}

impl PollSet {
    /// Adds a root and takes its baseline snapshot at once (no changes reported for it).
    /// Returns the number of directories in it.
    pub fn add_root(&mut self, root: &Path, scope: &Scope) -> usize {
        if self.covers(root) {
            return 0;
        }
        let node = self.alloc();
        self.roots.push((root.to_path_buf(), node));
        let before = self.live;
        self.begin(false, true);
        self.walk(self.roots.len() - 1, scope);
        self.changes.clear();
        self.live - before
    }

    /// True when `path` lies under a polled root.
    #[must_use]
    pub fn covers(&self, path: &Path) -> bool {
        self.roots.iter().any(|(r, _)| path.starts_with(r))
    }

    /// True without roots.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// One pass: the differences since the last one, deletions first (children before
    /// parents), then creations and modifications (parents before children).
    pub fn pass(&mut self, scope: &Scope) -> Vec<PollChange> {
        self.pass_no = self.pass_no.wrapping_add(1);
        self.begin(true, self.pass_no.is_multiple_of(FULL_EVERY));
        for i in 0..self.roots.len() {
            self.walk(i, scope);
        }
        let mut changes = std::mem::take(&mut self.changes);
        changes.sort_by(|a, b| {
            let (da, db) = (a.kind == PollKind::Deleted, b.kind == PollKind::Deleted);
            db.cmp(&da).then_with(|| if da { b.path.cmp(&a.path) } else { a.path.cmp(&b.path) })
        });
        changes
    }

    fn begin(&mut self, emit: bool, full: bool) {
        self.emit = emit;
        self.full = full;
        self.now_ns = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    }

    /// Walks root `i` depth first, one open descriptor per level.
    fn walk(&mut self, i: usize, scope: &Scope) {
        let node = self.roots[i].1;
        self.path.clear();
        self.path.extend_from_slice(self.roots[i].0.as_os_str().as_bytes());
        let opened = dirfd::open_root(&self.roots[i].0)
            .and_then(|fd| dirfd::stat_fd(fd.as_fd()).map(|meta| (fd, meta)));
        let (fd, meta) = match opened {
            Ok(o) => o,
            Err(e) => {
                if unreadable(&e) {
                    self.clear(node);
                }
                return;
            }
        };
        if !self.sync(node, fd.as_fd(), Stamp::of(&meta), scope) {
            return;
        }
        let mut stack = vec![Frame { node, fd, next: 0, len: self.path.len() }];
        while let Some(top) = stack.last_mut() {
            let entries = &self.nodes[top.node as usize].entries;
            let Some(at) = (top.next..entries.len()).find(|&k| entries[k].node < PRUNED) else {
                stack.pop();
                continue;
            };
            top.next = at + 1;
            let entry = &entries[at];
            let child = entry.node;
            self.path.truncate(top.len);
            push_name(&mut self.path, entry.name.to_bytes());
            // The directory's own stat comes from its open descriptor: one lookup, not two.
            let opened = dirfd::open_dir_at(top.fd.as_fd(), &entry.name)
                .and_then(|fd| dirfd::stat_fd(fd.as_fd()).map(|meta| (fd, meta)));
            match opened {
                Ok((fd, meta)) => {
                    self.nodes[top.node as usize].entries[at].meta = meta;
                    if self.sync(child, fd.as_fd(), Stamp::of(&meta), scope) {
                        stack.push(Frame { node: child, fd, next: 0, len: self.path.len() });
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
                    self.clear(child);
                }
                // Gone or replaced since the parent's stamp was taken (its new stamp says so
                // next pass), or out of descriptors: left as it was.
                Err(_) => {}
            }
        }
    }

    /// Brings one directory's entries up to date: a listing merged with the snapshot when its
    /// stamp says entries may have come or gone, else an `lstat` of each known entry. False
    /// when it could not be listed (then its subdirectories are not entered this pass).
    fn sync(&mut self, node: u32, fd: BorrowedFd<'_>, stamp: Stamp, scope: &Scope) -> bool {
        let n = &self.nodes[node as usize];
        let changed = n.listed != Some(stamp);
        if !(self.full || changed || n.settle) {
            self.restat(node, fd, scope);
            return true;
        }
        let mut names = std::mem::take(&mut self.names);
        let listed = names.list(fd);
        if listed.is_ok() {
            self.merge(node, fd, &names, scope);
            let recent =
                stamp.mtime_ns.max(stamp.ctime_ns) > self.now_ns - SETTLE.as_nanos() as i64;
            let n = &mut self.nodes[node as usize];
            n.settle = changed || recent;
            n.listed = Some(stamp);
        }
        self.names = names;
        listed.is_ok()
    }

    /// `lstat`s each known file of a directory whose entries did not change. Its
    /// subdirectories are the same ones (replacing one would have changed the stamp); the walk
    /// stats each through the descriptor it opens anyway.
    fn restat(&mut self, node: u32, fd: BorrowedFd<'_>, scope: &Scope) {
        let mut entries = std::mem::take(&mut self.nodes[node as usize].entries);
        entries.retain_mut(|e| match e.node {
            PRUNED => {
                if self.in_scope(&e.name, scope) {
                    // Out of scope until now (an ignore rule changed).
                    e.node = self.alloc();
                    self.event(&e.name, PollKind::Created, true);
                }
                true
            }
            FILE => self.restat_file(fd, e, scope),
            _ => true,
        });
        self.nodes[node as usize].entries = entries;
    }

    /// False when the file is gone.
    fn restat_file(&mut self, fd: BorrowedFd<'_>, e: &mut Entry, scope: &Scope) -> bool {
        match dirfd::stat_at(fd, &e.name) {
            Ok(meta) => {
                self.update(e, meta, scope);
                true
            }
            Err(err) if gone(&err) => {
                self.remove(e);
                false
            }
            Err(_) => true,
        }
    }

    /// Merges a fresh listing (sorted) with the entries the snapshot holds (sorted).
    fn merge(&mut self, node: u32, fd: BorrowedFd<'_>, names: &Names, scope: &Scope) {
        let old = std::mem::take(&mut self.nodes[node as usize].entries);
        let mut entries = Vec::with_capacity(names.len());
        let mut old = old.into_iter().peekable();
        let mut j = 0;
        loop {
            let order = match (old.peek(), j < names.len()) {
                (Some(e), true) => e.name.to_bytes().cmp(names.get(j).to_bytes()),
                (Some(_), false) => std::cmp::Ordering::Less,
                (None, true) => std::cmp::Ordering::Greater,
                (None, false) => break,
            };
            match order {
                std::cmp::Ordering::Less => {
                    if let Some(e) = old.next() {
                        self.remove(&e);
                    }
                }
                std::cmp::Ordering::Greater => {
                    let name = names.get(j);
                    j += 1;
                    if let Ok(meta) = dirfd::stat_at(fd, name) {
                        entries.push(self.add(name.to_owned(), meta, scope));
                    }
                }
                std::cmp::Ordering::Equal => {
                    j += 1;
                    let Some(mut e) = old.next() else { break };
                    match dirfd::stat_at(fd, &e.name) {
                        Ok(meta) => {
                            self.update(&mut e, meta, scope);
                            entries.push(e);
                        }
                        Err(err) if gone(&err) => self.remove(&e),
                        Err(_) => entries.push(e),
                    }
                }
            }
        }
        self.nodes[node as usize].entries = entries;
    }

    /// A new entry of the current directory: reported, and given a node when it is a directory
    /// in scope.
    fn add(&mut self, name: CString, meta: Meta, scope: &Scope) -> Entry {
        let mut node = FILE;
        if meta.is_dir {
            if !self.in_scope(&name, scope) {
                return Entry { name, meta, node: PRUNED };
            }
            node = self.alloc();
        }
        self.event(&name, PollKind::Created, meta.is_dir);
        Entry { name, meta, node }
    }

    /// A known entry of the current directory, stat'ed again.
    fn update(&mut self, e: &mut Entry, meta: Meta, scope: &Scope) {
        if e.meta.is_dir != meta.is_dir {
            // Replaced by something of another type: the old one is gone, a new one is here.
            self.remove(e);
            *e = self.add(std::mem::take(&mut e.name), meta, scope);
            return;
        }
        if !meta.is_dir && e.meta != meta {
            self.event(&e.name, PollKind::Modified, false);
        } else if e.node == PRUNED && self.in_scope(&e.name, scope) {
            // Out of scope until now (an ignore rule changed).
            e.node = self.alloc();
            self.event(&e.name, PollKind::Created, true);
        }
        e.meta = meta;
    }

    /// Reports a known entry of the current directory as deleted, its subtree first, and frees
    /// its nodes.
    fn remove(&mut self, e: &Entry) {
        if e.node == PRUNED {
            return;
        }
        if e.node != FILE {
            let len = self.path.len();
            push_name(&mut self.path, e.name.to_bytes());
            self.clear(e.node);
            self.path.truncate(len);
            self.release(e.node);
        }
        self.event(&e.name, PollKind::Deleted, e.meta.is_dir);
    }

    /// Reports everything under directory `node` (whose path is `self.path`) as deleted and
    /// forgets it; the directory itself stays, unlisted.
    fn clear(&mut self, node: u32) {
        let entries = std::mem::take(&mut self.nodes[node as usize].entries);
        self.nodes[node as usize].listed = None;
        for e in &entries {
            self.remove(e);
        }
    }

    fn in_scope(&mut self, name: &CStr, scope: &Scope) -> bool {
        let len = self.path.len();
        push_name(&mut self.path, name.to_bytes());
        let dir = Path::new(OsStr::from_bytes(&self.path));
        let yes =
            RelPath::from_path(scope.root(), dir).map_or(true, |rel| scope.contains(&rel, true));
        self.path.truncate(len);
        yes
    }

    /// Records a change of `name` in the current directory (not during a baseline).
    fn event(&mut self, name: &CStr, kind: PollKind, is_dir: bool) {
        if !self.emit {
            return;
        }
        let mut path = self.path.clone();
        push_name(&mut path, name.to_bytes());
        let path = PathBuf::from(OsStr::from_bytes(&path));
        self.changes.push(PollChange { kind, path, is_dir });
    }

    fn alloc(&mut self) -> u32 {
        self.live += 1;
        if let Some(n) = self.free.pop() {
            return n;
        }
        self.nodes.push(Node::default());
        (self.nodes.len() - 1) as u32
    }

    fn release(&mut self, node: u32) {
        self.nodes[node as usize] = Node::default();
        self.free.push(node);
        self.live -= 1;
    }
}

fn push_name(path: &mut Vec<u8>, name: &[u8]) {
    if !path.ends_with(b"/") {
        path.push(b'/');
    }
    path.extend_from_slice(name);
}

/// The path no longer names what the snapshot holds.
fn gone(err: &std::io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR))
}

/// The directory's contents cannot be seen any more (gone, or permission taken away): what it
/// held counts as deleted, as a listing would say.
fn unreadable(err: &std::io::Error) -> bool {
    gone(err) || matches!(err.raw_os_error(), Some(libc::EACCES | libc::ELOOP))
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
mod tests;
