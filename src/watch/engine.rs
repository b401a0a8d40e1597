//! The watcher: keeps one inotify watch per directory in scope, turns kernel events into
//! coalescer calls, and falls back to polling where inotify cannot help.
//!
//! - New directories are watched first and read second, so a file written into a directory
//!   before its watch existed is found by the read, and one written after by the watch (the
//!   coalescer merges a file found by both).
//! - Renames are paired by the kernel cookie; a `IN_MOVED_FROM` without its `IN_MOVED_TO` within
//!   [`MOVE_GRACE`] left the tree (a `deleted`), a lone `IN_MOVED_TO` came in (a `created`).
//! - `IN_Q_OVERFLOW` becomes a `rescan` event per root and a re-walk that re-adds any missing
//!   watch: an overflow is never silent.
//! - `ENOSPC` from `inotify_add_watch` (the `fs.inotify.max_user_watches` limit) turns that
//!   directory into a polled root instead of failing or going blind.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::coalesce::Coalescer;
use super::inotify::{DIR_MASK, Inotify, RawEvent};
use super::poll::{self, PollChange, PollKind, PollSet};
use super::{Event, Stats, WatchError, fsinfo};
use crate::scope::{IGNORE_FILE, Scope};

/// How long a `IN_MOVED_FROM` waits for its `IN_MOVED_TO` (with nothing left to read) before
/// it counts as a deletion.
pub const MOVE_GRACE: Duration = Duration::from_millis(20);

/// How the watcher behaves.
#[derive(Clone, Copy, Debug)]
pub struct WatchOptions {
    /// Quiet time before a path's event is released.
    pub debounce: Duration,
    /// Poll everything at this interval instead of using inotify (`--poll`).
    pub force_poll: Option<Duration>,
    /// Interval of automatic polling (blind filesystems, past the watch limit).
    pub poll_interval: Duration,
    /// Pretend the inotify watch limit is this (tests of the fallback).
    pub max_watches: Option<usize>,
}

/// Something the user should know; the command decides how to say it.
#[derive(Debug)]
pub enum Notice {
    /// A root on a filesystem where inotify cannot see changes is polled.
    BlindFilesystem {
        /// The root.
        path: PathBuf,
        /// The filesystem's name.
        fs: &'static str,
    },
    /// The inotify watch limit was reached; this directory and the rest are polled.
    WatchLimit {
        /// The first directory that could not be watched.
        path: PathBuf,
    },
    /// A directory that cannot be watched or read (the rest is watched).
    Unreadable {
        /// The directory.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
}

enum Input {
    Kernel(Vec<RawEvent>),
    Poll(Vec<PollChange>),
}

struct Root {
    path: PathBuf,
    is_file: bool,
}

/// A running watch over one or more roots.
pub struct Watcher {
    scope: Arc<Scope>,
    roots: Vec<Root>,
    opts: WatchOptions,
    inotify: Inotify,
    wds: HashMap<i32, PathBuf>,
    dirs: HashMap<PathBuf, i32>,
    tx: Sender<Input>,
    rx: Receiver<Input>,
    polls: Arc<Mutex<PollSet>>,
    poller: bool,
    moves: Vec<(u32, PathBuf, bool, Instant)>,
    coalescer: Coalescer,
    notices: Vec<Notice>,
    stats: Stats,
    stop: Arc<AtomicBool>,
    limit_hit: bool,
    root_gone: Option<PathBuf>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("watches", &self.wds.len()).finish_non_exhaustive()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Watcher {
    /// Watches `roots` (absolute, lexically normalised; directories recursively, files alone)
    /// under `scope`'s rules. Every watch is in place when this returns.
    ///
    /// # Errors
    /// A root that does not exist or cannot be read; inotify unavailable.
    pub fn new(
        scope: Arc<Scope>,
        roots: &[PathBuf],
        opts: WatchOptions,
    ) -> Result<Self, WatchError> {
        let mut checked = Vec::new();
        for path in roots {
            let md = std::fs::metadata(path)
                .map_err(|source| WatchError::Path { path: path.clone(), source })?;
            if md.is_dir() {
                std::fs::read_dir(path)
                    .map_err(|source| WatchError::Path { path: path.clone(), source })?;
            }
            checked.push(Root { path: path.clone(), is_file: !md.is_dir() });
        }
        let inotify = Inotify::new().map_err(WatchError::Init)?;
        let (tx, rx) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        inotify
            .spawn_reader(tx.clone(), Input::Kernel, Arc::clone(&stop))
            .map_err(WatchError::Init)?;
        let mut w = Self {
            scope,
            roots: checked,
            opts,
            inotify,
            wds: HashMap::new(),
            dirs: HashMap::new(),
            tx,
            rx,
            polls: Arc::new(Mutex::new(PollSet::default())),
            poller: false,
            moves: Vec::new(),
            coalescer: Coalescer::new(opts.debounce),
            notices: Vec::new(),
            stats: Stats::default(),
            stop,
            limit_hit: false,
            root_gone: None,
        };
        let tops: Vec<(PathBuf, bool)> =
            w.roots.iter().map(|r| (r.path.clone(), r.is_file)).collect();
        for (path, is_file) in tops {
            let dir = if is_file { path.parent().unwrap_or(&path).to_path_buf() } else { path };
            let blind = fsinfo::inotify_blind(&dir);
            if let Some(fs) = blind {
                w.notices.push(Notice::BlindFilesystem { path: dir.clone(), fs });
            }
            if w.opts.force_poll.is_some() || blind.is_some() {
                w.poll_root(&dir);
            } else if is_file {
                w.watch_one(&dir);
                w.scan_dir(&dir, false, false);
            } else {
                w.add_tree(&dir, false);
            }
        }
        Ok(w)
    }

    /// The counters so far.
    #[must_use]
    pub fn stats(&self) -> Stats {
        let mut s = self.stats;
        s.watches = self.wds.len() as u64;
        s.coalesced = self.coalescer.coalesced;
        s
    }

    /// Messages collected since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// True when no change is waiting in the debounce window or the kernel queue.
    #[must_use]
    pub fn is_quiet(&self) -> bool {
        self.coalescer.pending() == 0 && self.rx.is_empty() && self.moves.is_empty()
    }

    /// The root that was deleted or moved away, once that happened.
    #[must_use]
    pub fn root_gone(&self) -> Option<&Path> {
        self.root_gone.as_deref()
    }

    /// Waits up to `timeout` for changes and returns the events whose quiet time has passed.
    pub fn next_events(&mut self, timeout: Duration) -> Vec<Event> {
        let now = Instant::now();
        let mut wait = timeout;
        if let Some(d) = self.coalescer.next_deadline() {
            wait = wait.min(d.saturating_duration_since(now));
        }
        if !self.moves.is_empty() {
            wait = wait.min(MOVE_GRACE);
        }
        match self.rx.recv_timeout(wait) {
            Ok(input) => {
                self.handle(input);
                for _ in 0..256 {
                    match self.rx.try_recv() {
                        Ok(input) => self.handle(input),
                        Err(_) => break,
                    }
                }
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
        self.expire_moves(false);
        if self.poller && self.root_gone.is_none() {
            // Polled roots have no IN_DELETE_SELF: look for them.
            let gone = self.roots.iter().find(|r| {
                !r.is_file
                    && self.polls.lock().is_ok_and(|p| p.covers(&r.path))
                    && std::fs::symlink_metadata(&r.path).is_err()
            });
            if let Some(root) = gone.map(|r| r.path.clone()) {
                self.coalescer.deleted(&root, true);
                self.root_gone = Some(root);
            }
        }
        let out = self.coalescer.pop_ready(Instant::now());
        self.stats.emitted += out.len() as u64;
        out
    }

    /// Releases everything still pending, without waiting (on exit).
    pub fn finish(&mut self) -> Vec<Event> {
        while let Ok(input) = self.rx.try_recv() {
            self.handle(input);
        }
        self.expire_moves(true);
        let out = self.coalescer.drain();
        self.stats.emitted += out.len() as u64;
        out
    }

    fn handle(&mut self, input: Input) {
        match input {
            Input::Kernel(events) => {
                for ev in events {
                    self.kernel_event(&ev);
                }
            }
            Input::Poll(changes) => {
                for c in changes {
                    self.stats.seen += 1;
                    match c.kind {
                        PollKind::Created => self.created(&c.path, c.is_dir),
                        PollKind::Modified => self.modified(&c.path),
                        PollKind::Deleted => self.deleted(&c.path, c.is_dir),
                    }
                }
            }
        }
    }

    fn kernel_event(&mut self, ev: &RawEvent) {
        if ev.mask & libc::IN_Q_OVERFLOW != 0 {
            self.overflow();
            return;
        }
        let Some(dir) = self.wds.get(&ev.wd).cloned() else { return };
        if ev.mask & libc::IN_IGNORED != 0 {
            self.wds.remove(&ev.wd);
            if self.dirs.get(&dir) == Some(&ev.wd) {
                self.dirs.remove(&dir);
            }
            return;
        }
        if ev.name.is_empty() {
            let gone = ev.mask & (libc::IN_DELETE_SELF | libc::IN_MOVE_SELF) != 0;
            if gone && self.roots.iter().any(|r| !r.is_file && r.path == dir) {
                self.coalescer.deleted(&dir, true);
                self.root_gone = Some(dir);
            }
            return;
        }
        self.stats.seen += 1;
        let is_dir = ev.mask & libc::IN_ISDIR != 0;
        let path = dir.join(OsStr::from_bytes(&ev.name));
        if !is_dir && (&*ev.name == b".gitignore" || &*ev.name == IGNORE_FILE.as_bytes()) {
            self.scope.reload_ignores();
        }
        if ev.mask & libc::IN_CREATE != 0 {
            self.created(&path, is_dir);
        }
        if ev.mask & (libc::IN_MODIFY | libc::IN_ATTRIB | libc::IN_CLOSE_WRITE) != 0 && !is_dir {
            self.modified(&path);
        }
        if ev.mask & libc::IN_DELETE != 0 {
            self.deleted(&path, is_dir);
        }
        if ev.mask & libc::IN_MOVED_FROM != 0 {
            self.moves.push((ev.cookie, path.clone(), is_dir, Instant::now()));
        }
        if ev.mask & libc::IN_MOVED_TO != 0 {
            if let Some(i) = self.moves.iter().position(|m| m.0 == ev.cookie) {
                let (_, from, _, _) = self.moves.remove(i);
                self.moved(&from, &path, is_dir);
            } else {
                self.created(&path, is_dir);
            }
        }
    }

    /// Whether a path is one this watch reports: under a directory root or a file root itself,
    /// and in scope.
    fn accept(&self, path: &Path, is_dir: bool) -> bool {
        let under = self
            .roots
            .iter()
            .any(|r| if r.is_file { r.path == path } else { super::is_within(path, &r.path) });
        under
            && super::rel_of(self.scope.root(), path)
                .is_none_or(|rel| self.scope.contains(&rel, is_dir))
    }

    fn under_dir_root(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| !r.is_file && super::is_within(path, &r.path))
    }

    fn created(&mut self, path: &Path, is_dir: bool) {
        if !self.accept(path, is_dir) {
            return;
        }
        self.coalescer.created(path, is_dir);
        if is_dir && self.under_dir_root(path) && !self.is_polled(path) {
            self.add_tree(path, true);
        }
    }

    fn modified(&mut self, path: &Path) {
        if self.accept(path, false) {
            self.coalescer.modified(path, false);
        }
    }

    fn deleted(&mut self, path: &Path, is_dir: bool) {
        if self.accept(path, is_dir) {
            self.coalescer.deleted(path, is_dir);
        }
        if is_dir {
            self.unwatch_tree(path);
        }
    }

    fn moved(&mut self, from: &Path, to: &Path, is_dir: bool) {
        let (a, b) = (self.accept(from, is_dir), self.accept(to, is_dir));
        if is_dir {
            self.retarget(from, to);
        }
        match (a, b) {
            (true, true) => self.coalescer.renamed(from, to, is_dir),
            (false, true) => self.coalescer.created(to, is_dir),
            (true, false) => self.coalescer.deleted(from, is_dir),
            (false, false) => {}
        }
        if is_dir {
            if b && self.under_dir_root(to) {
                if !self.dirs.contains_key(to) && !self.is_polled(to) {
                    self.add_tree(to, true);
                }
            } else {
                self.unwatch_tree(to);
            }
        }
    }

    fn expire_moves(&mut self, all: bool) {
        // The other half of a rename may still be in the kernel queue or the channel (a busy
        // machine can delay the reader): only an empty pipeline proves it is not coming.
        if !all
            && !self.moves.is_empty()
            && (!self.rx.is_empty() || self.inotify.queued_bytes() > 0)
        {
            return;
        }
        let now = Instant::now();
        while let Some(i) = self.moves.iter().position(|m| all || now - m.3 >= MOVE_GRACE) {
            let (_, path, is_dir, _) = self.moves.remove(i);
            self.deleted(&path, is_dir);
        }
    }

    fn overflow(&mut self) {
        self.stats.overflows += 1;
        let tops: Vec<(PathBuf, bool)> =
            self.roots.iter().map(|r| (r.path.clone(), r.is_file)).collect();
        for (path, is_file) in tops {
            self.coalescer.rescan(&path);
            if !is_file {
                self.add_tree(&path, false);
            }
        }
    }

    /// Moves the watch paths under `from` to `to` after a directory rename.
    fn retarget(&mut self, from: &Path, to: &Path) {
        let moved: Vec<(PathBuf, i32)> = self
            .dirs
            .iter()
            .filter(|(p, _)| p.starts_with(from))
            .map(|(p, wd)| (p.clone(), *wd))
            .collect();
        for (old, wd) in moved {
            let new = match old.strip_prefix(from) {
                Ok(rest) if rest.as_os_str().is_empty() => to.to_path_buf(),
                Ok(rest) => to.join(rest),
                Err(_) => continue,
            };
            self.dirs.remove(&old);
            self.dirs.insert(new.clone(), wd);
            self.wds.insert(wd, new);
        }
    }

    fn unwatch_tree(&mut self, dir: &Path) {
        let gone: Vec<(PathBuf, i32)> = self
            .dirs
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, wd)| (p.clone(), *wd))
            .collect();
        for (path, wd) in gone {
            self.inotify.rm_watch(wd);
            self.dirs.remove(&path);
            self.wds.remove(&wd);
        }
    }

    fn is_polled(&self, path: &Path) -> bool {
        self.polls.lock().is_ok_and(|p| p.covers(path))
    }

    fn dir_in_scope(&self, dir: &Path) -> bool {
        self.roots.iter().any(|r| r.path == dir)
            || super::rel_of(self.scope.root(), dir)
                .is_none_or(|rel| self.scope.contains(&rel, true))
    }

    /// Watches one directory. `Ok(false)`: past the watch limit (now polled).
    fn watch_one(&mut self, dir: &Path) -> bool {
        if self.dirs.contains_key(dir) {
            return true;
        }
        let over = self.opts.max_watches.is_some_and(|max| self.wds.len() >= max);
        let result = if over {
            Err(io::Error::from_raw_os_error(libc::ENOSPC))
        } else {
            // A root given as a symlink to a directory is followed; links below it never are.
            let is_root = self.roots.iter().any(|r| r.path == dir);
            let mask = if is_root { DIR_MASK & !libc::IN_DONT_FOLLOW } else { DIR_MASK };
            self.inotify.add_watch(dir, mask)
        };
        match result {
            Ok(wd) => {
                if let Some(old) = self.wds.insert(wd, dir.to_path_buf()) {
                    self.dirs.remove(&old);
                }
                self.dirs.insert(dir.to_path_buf(), wd);
                self.stats.peak_watches = self.stats.peak_watches.max(self.wds.len() as u64);
                true
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => {
                if !self.limit_hit {
                    self.limit_hit = true;
                    self.notices.push(Notice::WatchLimit { path: dir.to_path_buf() });
                }
                self.poll_root(dir);
                false
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => false,
            Err(error) => {
                self.notices.push(Notice::Unreadable { path: dir.to_path_buf(), error });
                false
            }
        }
    }

    /// Watches `top` and every directory in scope under it, then reads each one: with `emit`,
    /// what is found is reported as created (a new directory), else only remembered.
    fn add_tree(&mut self, top: &Path, emit: bool) {
        let mut stack = vec![top.to_path_buf()];
        while let Some(dir) = stack.pop() {
            if !self.dir_in_scope(&dir) || self.is_polled(&dir) {
                continue;
            }
            if !self.watch_one(&dir) {
                continue;
            }
            stack.extend(self.scan_dir(&dir, emit, true));
        }
    }

    /// Reads one watched directory; returns its subdirectories when `descend`.
    fn scan_dir(&mut self, dir: &Path, emit: bool, descend: bool) -> Vec<PathBuf> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(error) => {
                if error.kind() != io::ErrorKind::NotFound {
                    self.notices.push(Notice::Unreadable { path: dir.to_path_buf(), error });
                }
                return Vec::new();
            }
        };
        let mut subdirs = Vec::new();
        for entry in entries.flatten() {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let path = entry.path();
            if emit {
                self.stats.seen += 1;
                if self.accept(&path, is_dir) {
                    self.coalescer.created(&path, is_dir);
                }
            } else {
                self.coalescer.know(&path);
            }
            if is_dir && descend {
                subdirs.push(path);
            }
        }
        subdirs
    }

    fn poll_root(&mut self, dir: &Path) {
        let dirs = {
            let mut set = self.polls.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            set.add_root(dir, &self.scope)
        };
        self.stats.polled_dirs += dirs as u64;
        if !self.poller {
            self.poller = true;
            let interval = self.opts.force_poll.unwrap_or(self.opts.poll_interval);
            if let Err(error) = poll::spawn(
                Arc::clone(&self.polls),
                Arc::clone(&self.scope),
                interval,
                self.tx.clone(),
                Input::Poll,
                Arc::clone(&self.stop),
            ) {
                self.notices.push(Notice::Unreadable { path: dir.to_path_buf(), error });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::ScopeOptions;
    use crate::watch::EventKind;

    fn watcher(root: &Path) -> Watcher {
        let scope = Arc::new(Scope::load(root, ScopeOptions::default()).unwrap());
        let opts = WatchOptions {
            debounce: Duration::ZERO,
            force_poll: None,
            poll_interval: Duration::from_secs(1),
            max_watches: None,
        };
        Watcher::new(scope, &[root.to_path_buf()], opts).unwrap()
    }

    fn collect(w: &mut Watcher, want: usize) -> Vec<Event> {
        let mut out = Vec::new();
        let end = Instant::now() + Duration::from_secs(10);
        while out.len() < want && Instant::now() < end {
            out.extend(w.next_events(Duration::from_millis(50)));
        }
        out
    }

    #[test]
    fn an_overflow_becomes_a_rescan_and_watching_goes_on() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let mut w = watcher(&root);
        let overflow = RawEvent { wd: -1, mask: libc::IN_Q_OVERFLOW, cookie: 0, name: [].into() };
        w.kernel_event(&overflow);
        let got = collect(&mut w, 1);
        assert_eq!(got[0].kind, EventKind::Rescan);
        assert_eq!(got[0].path, root);
        assert_eq!(w.stats().overflows, 1);
        std::fs::write(root.join("after"), "x").unwrap();
        let got = collect(&mut w, 1);
        assert_eq!(got[0].kind, EventKind::Created);
    }

    #[test]
    fn a_directory_renamed_inside_the_tree_keeps_its_watches() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/inner")).unwrap();
        let mut w = watcher(&root);
        std::fs::rename(root.join("a"), root.join("b")).unwrap();
        let got = collect(&mut w, 1);
        assert_eq!(got[0].kind, EventKind::Renamed);
        assert_eq!(got[0].old_path.as_deref(), Some(root.join("a").as_path()));
        assert!(got[0].is_dir);
        std::fs::write(root.join("b/inner/f"), "x").unwrap();
        let got = collect(&mut w, 1);
        assert_eq!(got[0].path, root.join("b/inner/f"));
    }

    #[test]
    fn a_directory_moved_out_is_deleted_and_unwatched() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir_in(tmp.path()).unwrap();
        let root = tmp.path().canonicalize().unwrap().join("w");
        std::fs::create_dir_all(root.join("d")).unwrap();
        let mut w = watcher(&root);
        assert_eq!(w.stats().watches, 2);
        std::fs::rename(root.join("d"), outside.path().join("d")).unwrap();
        let got = collect(&mut w, 1);
        assert_eq!((got[0].kind, got[0].path.clone()), (EventKind::Deleted, root.join("d")));
        assert_eq!(w.stats().watches, 1);
    }
}
