//! Recording the state of the tree as versions: scan -> stat-cache filter -> hash -> diff ->
//! batched write.
//!
//! - **Scan** ([`scan`]): the scope's parallel walker lists the files in scope and stats them;
//!   a file whose stat (size, mtime, ctime, inode, mode) matches the stat cache is unchanged and
//!   never read, as in `git status`. The cache is loaded with one query.
//! - **Racy clean**: a file whose mtime falls within [`RACY_WINDOW_NS`] of the moment it was read
//!   could change again without its stat changing, so its cache entry is *smudged* (git's rule):
//!   the next scan hashes it again and, if the content is the same, stores the settled stat.
//! - **Hash** ([`work`]): changed and new files are hashed (and new content compressed) on a
//!   bounded pool sized to the cores, in windows of files so memory stays bounded.
//! - **Write** ([`write`](mod@write)): results are written in path order in transactions of about
//!   `batch_rows` rows, each file's rows in the same transaction (a crash never leaves a version
//!   without its stat entry or content). A deleted path whose content hash reappears under a new
//!   path in the same run is a rename. Modified text gets line stats against the previous version
//!   and is stored as a delta against it where that pays.
//!
//! Errors on one file (permission denied, vanished or changing while read, a symlink loop under
//! `--follow`) go to the [`TrackSink`] and the run goes on; they are counted in
//! [`TrackSummary::errors`]. A file that could not be read is never taken for deleted. Runs are
//! serialised by an advisory lock on `.obby/track.lock` (waiting up to the store's busy timeout),
//! so two `obby track` at once both succeed and never record the same change twice.

mod dict;
mod lock;
mod preview;
pub mod scan;
pub mod sketch;
pub mod work;
pub mod write;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::paths::RelPath;
use crate::scope::Scope;
use crate::store::{Store, StoreError};

/// A file modified less than this long before it was read is racily clean (see the module docs).
/// Two seconds covers the coarsest common timestamp granularity (FAT, some network filesystems).
pub const RACY_WINDOW_NS: i64 = 2_000_000_000;

/// How a run behaves.
#[derive(Clone, Debug)]
pub struct TrackOptions {
    /// Hashing threads (0: one per core).
    pub threads: usize,
    /// Follow symbolic links instead of recording them as links.
    pub follow_symlinks: bool,
    /// Rows per store transaction (about).
    pub batch_rows: usize,
    /// Content larger than this is hashed and versioned but not kept.
    pub max_blob_size: u64,
}

impl Default for TrackOptions {
    fn default() -> Self {
        Self {
            threads: 0,
            follow_symlinks: false,
            batch_rows: crate::store::writer::DEFAULT_BATCH_ROWS,
            max_blob_size: 256 << 20,
        }
    }
}

impl TrackOptions {
    /// The number of worker threads to use.
    #[must_use]
    pub fn worker_threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        }
    }
}

/// What happened to a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A new path.
    Created,
    /// New content at a known path.
    Modified,
    /// The path is gone.
    Deleted,
    /// The content of a deleted path reappeared under this path.
    Renamed,
}

impl ChangeKind {
    /// The value stored in `versions.change`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Renamed => "renamed",
        }
    }

    /// Parses a stored or exported change name (`moved` is the original Python obby's word for
    /// `renamed`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "created" => Some(Self::Created),
            "modified" => Some(Self::Modified),
            "deleted" => Some(Self::Deleted),
            "renamed" | "moved" => Some(Self::Renamed),
            _ => None,
        }
    }

    /// The one-letter code of the human output (`A`, `M`, `D`, `R`).
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            Self::Created => 'A',
            Self::Modified => 'M',
            Self::Deleted => 'D',
            Self::Renamed => 'R',
        }
    }
}

/// One recorded change (the `change` record of `obby track --json`).
#[derive(Clone, Debug, Serialize)]
pub struct ChangeRecord {
    /// The path (the new path of a rename).
    pub path: RelPath,
    /// What happened.
    pub change: ChangeKind,
    /// The previous path of a rename.
    pub old_path: Option<RelPath>,
    /// The version recorded for `path`.
    pub version_id: i64,
    /// The content hash (`None` for a deletion).
    pub hash: Option<String>,
    /// Content size in bytes (normalised for text; `None` for a deletion).
    pub size: Option<u64>,
    /// Lines added against the previous version.
    pub lines_added: u64,
    /// Lines removed against the previous version.
    pub lines_removed: u64,
}

/// Counters of one run (the `summary` fields of `obby track --json`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TrackSummary {
    /// Files in scope that were looked at (stat).
    pub files: u64,
    /// Files read and hashed (the others were unchanged by their stat).
    pub hashed: u64,
    /// Bytes read while hashing.
    pub bytes_hashed: u64,
    /// Created paths.
    pub created: u64,
    /// Modified paths.
    pub modified: u64,
    /// Deleted paths.
    pub deleted: u64,
    /// Renamed paths.
    pub renamed: u64,
    /// Per-item errors (reported to the sink).
    pub errors: u64,
    /// Wall time of the run (the JSON summary carries `elapsed_ms` already).
    #[serde(skip)]
    pub elapsed: Duration,
}

impl TrackSummary {
    /// Total number of recorded changes.
    #[must_use]
    pub fn changes(&self) -> u64 {
        self.created + self.modified + self.deleted + self.renamed
    }

    pub(crate) fn count(&mut self, kind: ChangeKind) {
        match kind {
            ChangeKind::Created => self.created += 1,
            ChangeKind::Modified => self.modified += 1,
            ChangeKind::Deleted => self.deleted += 1,
            ChangeKind::Renamed => self.renamed += 1,
        }
    }
}

/// Where a run reports what it does; the command prints, a watcher logs.
pub trait TrackSink {
    /// A change was recorded (called in path order; deletions last).
    fn change(&mut self, c: &ChangeRecord) -> std::io::Result<()>;
    /// One file or directory could not be recorded; the run goes on.
    fn item_error(&mut self, path: &Path, err: &dyn std::fmt::Display) -> std::io::Result<()>;
    /// Hashing progress: `done` of `total` files to read.
    fn progress(&mut self, done: u64, total: u64) {
        let _ = (done, total);
    }
}

/// A sink that drops everything (tests, callers that only want the summary).
#[derive(Debug, Default)]
pub struct NullSink;

impl TrackSink for NullSink {
    fn change(&mut self, _c: &ChangeRecord) -> std::io::Result<()> {
        Ok(())
    }
    fn item_error(&mut self, _path: &Path, _err: &dyn std::fmt::Display) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Ctrl-C or SIGTERM; committed transactions are kept.
    #[error("interrupted")]
    Interrupted,
    /// Another run holds the store for longer than the busy timeout, or the lock file failed.
    #[error("cannot lock `{}` for tracking", path.display())]
    Lock {
        /// The lock file.
        path: std::path::PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The sink could not write (a closed stdout pipe).
    #[error(transparent)]
    Output(#[from] std::io::Error),
}

/// Records the tree (or the given start paths) like `obby track`.
///
/// # Errors
/// Store errors, the lock timing out, the sink failing to write, or [`TrackError::Interrupted`].
pub fn track_tree(
    store: &mut Store,
    scope: &Scope,
    starts: &[RelPath],
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
) -> Result<TrackSummary, TrackError> {
    let request = scan::Request::Tree(starts.to_vec());
    run(store, scope, &request, opts, sink, interrupted)
}

/// Records exactly these paths (from `--stdin` or a watcher): an existing in-scope file is
/// hashed/recorded, a missing one that was live is recorded as deleted, a directory is walked.
///
/// # Errors
/// As [`track_tree`].
pub fn track_paths(
    store: &mut Store,
    scope: &Scope,
    paths: &[RelPath],
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
) -> Result<TrackSummary, TrackError> {
    let request = scan::Request::Paths(paths.to_vec());
    run(store, scope, &request, opts, sink, interrupted)
}

/// Shows what [`track_tree`] would record, writing nothing: files are scanned and hashed, and
/// changes reported with `version_id` 0 and no line stats. Needs no write access and takes no
/// lock.
///
/// # Errors
/// Store errors, the sink failing to write, or [`TrackError::Interrupted`].
pub fn preview_tree(
    store: &Store,
    scope: &Scope,
    starts: &[RelPath],
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
) -> Result<TrackSummary, TrackError> {
    let started = Instant::now();
    let mut summary = TrackSummary::default();
    let request = scan::Request::Tree(starts.to_vec());
    let mut load = || scan::Cache::load(store);
    let (cache, plan) = scan::scan(scope, &mut load, &request, opts, sink, &mut summary)?;
    preview::preview(&cache, plan, opts, sink, interrupted, &mut summary)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn run(
    store: &mut Store,
    scope: &Scope,
    request: &scan::Request,
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
) -> Result<TrackSummary, TrackError> {
    let started = Instant::now();
    let _lock = lock::TrackLock::acquire(store)?;
    let mut load = || match request {
        scan::Request::Tree(starts) if !starts.is_empty() => scan::Cache::load_under(store, starts),
        scan::Request::Paths(paths) => scan::Cache::load_under(store, paths),
        scan::Request::Tree(_) => scan::Cache::load(store),
    };
    let mut summary = TrackSummary::default();
    let (cache, plan) = scan::scan(scope, &mut load, request, opts, sink, &mut summary)?;
    if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(TrackError::Interrupted);
    }
    write::write_plan(store, scope, &cache, plan, opts, sink, interrupted, &mut summary)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

#[cfg(test)]
mod tests;
