//! Phase one of a run: list what is in scope, stat it in parallel, and keep only what the stat
//! cache cannot vouch for; work out which live paths are gone.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use super::{TrackError, TrackOptions, TrackSink, TrackSummary};
use crate::paths::RelPath;
use crate::scope::{Scope, is_always_excluded};
use crate::store::{StatInfo, Store};

/// What to record.
#[derive(Clone, Debug)]
pub enum Request {
    /// Walk these starts (empty: the whole root); live paths under them that are gone are deleted.
    Tree(Vec<RelPath>),
    /// Exactly these paths: files are checked, directories walked, missing paths deleted.
    Paths(Vec<RelPath>),
}

/// One stat cache entry.
#[derive(Debug)]
pub struct CacheEntry {
    /// The stat recorded (smudged entries never match a real stat).
    pub stat: StatInfo,
    /// The content hash of the live version.
    pub hash: String,
    /// The live version's id.
    pub version_id: i64,
    seen: AtomicBool,
}

/// `PRAGMA mmap_size` of a run that loads the whole stat cache.
const CACHE_MMAP_SIZE: i64 = 1 << 30;

/// The stat cache of every live path, loaded with one query.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<RelPath, CacheEntry, FastHash>,
}

/// Paths are hashed once per lookup: a cheap multiplicative hash beats SipHash by far, and the
/// keys come from the user's own tree.
type FastHash = std::hash::BuildHasherDefault<crate::diff::LineHasher>;

impl Cache {
    /// The deleted paths grouped by the hash of their last content, oldest first: a new path
    /// with one of these hashes is a rename of the first of them.
    #[must_use]
    pub fn deleted_by_hash(&self, deleted: &[RelPath]) -> HashMap<&str, VecDeque<RelPath>> {
        let mut gone: HashMap<&str, VecDeque<RelPath>> = HashMap::new();
        for rel in deleted {
            if let Some(e) = self.get(rel) {
                gone.entry(e.hash.as_str()).or_default().push_back(rel.clone());
            }
        }
        gone
    }

    /// Loads the cache.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn load(store: &Store) -> Result<Self, TrackError> {
        let conn = store.conn();
        // Read the store through a memory map while loading: 20,000 rows span some 3,300 pages
        // of 1 KiB, one `pread` each otherwise. An unchanged 20k-file track: 60.4 → 54.9 ms
        // (hyperfine, 40 runs; `git status` 53.1 ms). The map is dropped after the load: left
        // in place, the pages a first track writes and reads back counted as its memory (peak
        // RSS 44 → 84 MB). A store that cannot be mapped is read as before.
        let _ = conn.pragma_update(None, "mmap_size", CACHE_MMAP_SIZE);
        let loaded = Self::load_all(store);
        let _ = conn.pragma_update(None, "mmap_size", 0);
        loaded
    }

    fn load_all(store: &Store) -> Result<Self, TrackError> {
        let conn = store.conn();
        // The largest file id bounds the number of live paths without a pass over the table as
        // `count(*)` needs.
        let max_id: i64 = conn
            .query_row("SELECT coalesce(max(file_id), 0) FROM file_state", [], |r| r.get(0))
            .map_err(|e| store.err(e))?;
        let capacity = usize::try_from(max_id).unwrap_or(0).min(1 << 24);
        let mut cache =
            Self { entries: HashMap::with_capacity_and_hasher(capacity, FastHash::default()) };
        cache.add_rows(store, "", &[])?;
        Ok(cache)
    }

    /// Loads only the entries of these paths and of everything under them (a watcher's small
    /// batches need a few rows, not the whole cache). An empty path loads everything.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn load_under(store: &Store, paths: &[RelPath]) -> Result<Self, TrackError> {
        if paths.iter().any(RelPath::is_empty) {
            return Self::load(store);
        }
        let mut cache = Self::default();
        for p in paths {
            let mut lo = p.as_bytes().to_vec();
            lo.push(b'/');
            let mut hi = p.as_bytes().to_vec();
            hi.push(b'/' + 1);
            let args = [p.clone(), RelPath::from_bytes(lo), RelPath::from_bytes(hi)];
            cache.add_rows(store, "WHERE f.path = ?1 OR (f.path >= ?2 AND f.path < ?3)", &args)?;
        }
        Ok(cache)
    }

    fn add_rows(
        &mut self,
        store: &Store,
        filter: &str,
        args: &[RelPath],
    ) -> Result<(), TrackError> {
        let sql = format!(
            "SELECT f.path, s.size, s.mtime_ns, s.ctime_ns, s.ino, s.mode, s.hash, \
             s.last_version_id FROM file_state s JOIN files f ON f.id = s.file_id {filter}"
        );
        let mut stmt = store.conn().prepare_cached(&sql).map_err(|e| store.err(e))?;
        let mut rows =
            stmt.query(rusqlite::params_from_iter(args.iter())).map_err(|e| store.err(e))?;
        while let Some(r) = rows.next().map_err(|e| store.err(e))? {
            let read = || -> rusqlite::Result<(RelPath, CacheEntry)> {
                let stat = StatInfo {
                    size: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    mtime_ns: r.get(2)?,
                    ctime_ns: r.get(3)?,
                    ino: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                    mode: r.get(5)?,
                };
                let entry = CacheEntry {
                    stat,
                    hash: r.get(6)?,
                    version_id: r.get(7)?,
                    seen: AtomicBool::new(false),
                };
                Ok((r.get(0)?, entry))
            };
            let (path, entry) = read().map_err(|e| store.err(e))?;
            self.entries.insert(path, entry);
        }
        Ok(())
    }

    /// The entry of a live path.
    #[must_use]
    pub fn get(&self, rel: &RelPath) -> Option<&CacheEntry> {
        self.entries.get(rel)
    }

    /// Number of live paths.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is live.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// How a path is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file (or, with `--follow`, what a link points at).
    File,
    /// A symbolic link, recorded as its target.
    Symlink,
}

impl EntryKind {
    /// The value stored in `versions.kind`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Symlink => "symlink",
        }
    }
}

/// A path whose content must be read.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Store path.
    pub rel: RelPath,
    /// Absolute path.
    pub path: PathBuf,
    /// File or link.
    pub kind: EntryKind,
    /// Stat at scan time.
    pub stat: StatInfo,
}

/// The outcome of the scan.
#[derive(Debug, Default)]
pub struct Plan {
    /// Paths to read, sorted.
    pub candidates: Vec<Candidate>,
    /// Live paths that are gone, sorted.
    pub deleted: Vec<RelPath>,
    /// Live paths that still exist but left the scope: their cache entry is dropped quietly.
    pub dropped: Vec<RelPath>,
}

struct Shared<'a> {
    scope: &'a Scope,
    /// Set once loaded; the walk starts before that (see [`scan`]).
    cache: &'a OnceLock<Cache>,
    /// What the walk found while the cache was still loading, checked once it is there. A
    /// channel, so walkers never wait on each other to queue.
    pending: (crossbeam_channel::Sender<Pending>, crossbeam_channel::Receiver<Pending>),
    follow: bool,
    files: AtomicU64,
    candidates: Mutex<Vec<Candidate>>,
    errors: Mutex<Vec<(PathBuf, String)>>,
    /// Directories that could not be read: nothing under them is taken for deleted.
    unreadable: Mutex<Vec<RelPath>>,
}

/// A walk result that waits for the cache.
enum Pending {
    /// A file or link and its stat.
    Stat(Candidate),
    /// A path to mark seen (it exists but could not be read).
    Seen(RelPath),
}

impl Shared<'_> {
    /// The cache with `item` handed back, or `None` with `item` queued for [`Shared::drain`].
    fn cache_or_queue<T>(&self, item: T, queued: impl FnOnce(T) -> Pending) -> Option<(&Cache, T)> {
        if let Some(cache) = self.cache.get() {
            return Some((cache, item));
        }
        // The receiver lives in `self`, so this cannot fail.
        let _ = self.pending.0.send(queued(item));
        None
    }

    /// Checks what was queued while the cache loaded; call once the cache is set, and again
    /// once the walk is over (a walker may queue just as the cache is set).
    fn drain(&self) {
        for item in self.pending.1.try_iter() {
            match item {
                Pending::Stat(c) => self.check(c),
                Pending::Seen(rel) => self.mark_seen(&rel),
            }
        }
    }

    /// Stats one file or link and queues it unless the cache vouches for it.
    fn visit(&self, rel: RelPath, path: PathBuf) {
        let md =
            if self.follow { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
        let md = match md {
            Ok(md) => md,
            // Gone between listing and stat: it is deleted (if it was live).
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => {
                self.error(path, &e);
                self.mark_seen(&rel);
                return;
            }
        };
        let kind = if md.file_type().is_symlink() {
            EntryKind::Symlink
        } else if md.is_file() {
            EntryKind::File
        } else {
            // Sockets, fifos, devices (and directories reached as links) are not content.
            return;
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        let stat = StatInfo::from_metadata(&md);
        self.check(Candidate { rel, path, kind, stat });
    }

    /// Keeps `c` as a candidate unless the cache vouches for its stat.
    fn check(&self, c: Candidate) {
        let Some((cache, c)) = self.cache_or_queue(c, Pending::Stat) else { return };
        if let Some(entry) = cache.get(&c.rel) {
            entry.seen.store(true, Ordering::Relaxed);
            if entry.stat == c.stat {
                return;
            }
        }
        self.candidates.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(c);
    }

    fn mark_seen(&self, rel: &RelPath) {
        let Some((cache, rel)) = self.cache_or_queue(rel, |r| Pending::Seen(r.clone())) else {
            return;
        };
        if let Some(entry) = cache.get(rel) {
            entry.seen.store(true, Ordering::Relaxed);
        }
    }

    fn error(&self, path: PathBuf, err: &dyn std::fmt::Display) {
        self.errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path, err.to_string()));
    }

    fn walk(&self, starts: &[RelPath], threads: usize) {
        let root = self.scope.root();
        self.scope.walk(starts, threads, |res| match res {
            Ok(entry) => self.visit(entry.rel, entry.path),
            Err(err) => {
                let (path, msg) = split_walk_error(&err);
                if let Some(path) = path {
                    if let Ok(rel) = RelPath::from_path(root, &path) {
                        self.mark_seen(&rel);
                        self.unreadable
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(rel);
                    }
                    self.error(path, &msg);
                } else {
                    self.error(root.to_path_buf(), &msg);
                }
            }
        });
    }
}

/// The path and message of a walk error, unwrapping the `ignore` crate's layers.
fn split_walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), split_walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            split_walk_error(err)
        }
        ignore::Error::Loop { child, .. } => {
            (Some(child.clone()), "symbolic link loop (not followed)".to_owned())
        }
        ignore::Error::Io(e) => (None, e.to_string()),
        other => (None, other.to_string()),
    }
}

/// True when `path` is `dir` or lies under it (`dir` empty: everything).
fn under(path: &RelPath, dir: &RelPath) -> bool {
    let (p, d) = (path.as_bytes(), dir.as_bytes());
    d.is_empty() || (p.starts_with(d) && (p.len() == d.len() || p[d.len()] == b'/'))
}

/// Loads the stat cache with `load` and runs the scan, returning both.
///
/// A tree is walked on other threads while this one loads the cache (20,000 live paths: a
/// 17 ms query that used to come before a 62 ms walk); what the walk finds meanwhile waits in
/// a queue and is checked once the cache is there.
///
/// # Errors
/// What `load` returns, or a sink that cannot write.
pub fn scan(
    scope: &Scope,
    load: &mut dyn FnMut() -> Result<Cache, TrackError>,
    request: &Request,
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    summary: &mut TrackSummary,
) -> Result<(Cache, Plan), TrackError> {
    let slot = OnceLock::new();
    let shared = Shared {
        scope,
        cache: &slot,
        pending: crossbeam_channel::unbounded(),
        follow: opts.follow_symlinks,
        files: AtomicU64::new(0),
        candidates: Mutex::new(Vec::new()),
        errors: Mutex::new(Vec::new()),
        unreadable: Mutex::new(Vec::new()),
    };
    let threads = opts.worker_threads();
    // Where a live path that was not seen counts as deleted.
    let mut deletion_scopes: Vec<RelPath> = Vec::new();
    match request {
        Request::Tree(starts) => {
            std::thread::scope(|s| {
                let walker = std::thread::Builder::new()
                    .name("obby-walk".to_owned())
                    .spawn_scoped(s, || shared.walk(starts, threads));
                let cache = load()?;
                let _ = slot.set(cache);
                shared.drain();
                if walker.is_err() {
                    // No thread to spare: walk here, after the load.
                    shared.walk(starts, threads);
                }
                Ok::<_, TrackError>(())
            })?;
            shared.drain();
            if starts.is_empty() {
                deletion_scopes.push(RelPath::default());
            } else {
                deletion_scopes.extend(starts.iter().cloned());
            }
        }
        Request::Paths(paths) => {
            // A few paths (a watcher's batch): the cache first, it is a few rows.
            let _ = slot.set(load()?);
            let mut dirs = Vec::new();
            for rel in paths {
                if is_always_excluded(rel) {
                    continue;
                }
                if rel.is_empty() {
                    dirs.push(rel.clone());
                    continue;
                }
                let path = rel.to_path(scope.root());
                let md = if opts.follow_symlinks {
                    std::fs::metadata(&path)
                } else {
                    std::fs::symlink_metadata(&path)
                };
                match md {
                    Ok(md) if md.is_dir() => {
                        if scope.contains(rel, true) {
                            dirs.push(rel.clone());
                        }
                    }
                    Ok(_) => {
                        if scope.contains(rel, false) {
                            shared.visit(rel.clone(), path);
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        deletion_scopes.push(rel.clone());
                    }
                    Err(e) => {
                        shared.mark_seen(rel);
                        shared.error(path, &e);
                    }
                }
            }
            if !dirs.is_empty() {
                let whole = dirs.iter().any(RelPath::is_empty);
                shared.walk(if whole { &[] } else { &dirs }, threads);
                deletion_scopes.extend(dirs);
            }
        }
    }
    let Shared { files, candidates, errors, unreadable, .. } = shared;
    let cache = slot.into_inner().unwrap_or_default();
    summary.files = files.into_inner();
    for (path, msg) in errors.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        summary.errors += 1;
        sink.item_error(&path, &msg)?;
    }
    let unreadable = unreadable.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut plan = Plan {
        candidates: candidates.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner),
        ..Plan::default()
    };
    if !deletion_scopes.is_empty() {
        find_gone(scope, &cache, &deletion_scopes, &unreadable, opts.follow_symlinks, &mut plan);
    }
    plan.candidates.sort_by(|a, b| a.rel.cmp(&b.rel));
    plan.candidates.dedup_by(|a, b| a.rel == b.rel);
    plan.deleted.sort();
    plan.dropped.sort();
    Ok((cache, plan))
}

/// Live paths under `scopes` that the scan did not see: gone (deleted), out of scope now
/// (dropped), or there after all (created during the scan: read them).
fn find_gone(
    scope: &Scope,
    cache: &Cache,
    scopes: &[RelPath],
    unreadable: &[RelPath],
    follow: bool,
    plan: &mut Plan,
) {
    for (rel, entry) in &cache.entries {
        if entry.seen.load(Ordering::Relaxed)
            || !scopes.iter().any(|s| under(rel, s))
            || unreadable.iter().any(|u| under(rel, u))
        {
            continue;
        }
        let path = rel.to_path(scope.root());
        let md = if follow { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
        match md {
            Err(e) if e.kind() == io::ErrorKind::NotFound => plan.deleted.push(rel.clone()),
            Err(_) => {}
            Ok(md) if md.is_dir() => plan.deleted.push(rel.clone()),
            Ok(md) => {
                if !scope.contains(rel, false) {
                    plan.dropped.push(rel.clone());
                } else if md.is_file() || md.file_type().is_symlink() {
                    let kind = if md.file_type().is_symlink() {
                        EntryKind::Symlink
                    } else {
                        EntryKind::File
                    };
                    let stat = StatInfo::from_metadata(&md);
                    plan.candidates.push(Candidate { rel: rel.clone(), path, kind, stat });
                }
            }
        }
    }
}
