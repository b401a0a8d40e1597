//! Watching a tree for changes: the event model, the kernel reader, rename pairing, debounce and
//! coalescing, and the polling fallback.
//!
//! The pipeline, each stage owned by one file:
//!
//! ```text
//! inotify fd --[reader thread: read(), parse]--> unbounded channel --+
//! poller thread (stat snapshots, --poll / unsupported filesystems) --+--> Watcher (engine.rs)
//!     engine.rs: wd -> directory map, new directories watched then scanned, rename pairing by
//!                cookie, overflow -> rescan, the watched root disappearing
//!     coalesce.rs: per-path state over the debounce window -> at most one Event per path
//! ```
//!
//! The reader thread does nothing but drain the kernel queue (so a slow consumer, terminal or
//! store never makes the kernel queue overflow); everything else happens on the caller's thread
//! in [`Watcher::next_events`], which returns finished [`Event`]s. Those are the one broadcast
//! point: `obby watch` hands each to its sinks (stdout, the store, and later a server).
//!
//! inotify is used directly through `libc` rather than through the `notify` crate because the
//! watcher needs control that notify's recursive mode does not give: watching only directories
//! that can hold files in scope, scanning a new directory *after* its watch is in place, falling
//! back to polling per directory when the watch limit is reached, and a reader thread that only
//! drains the kernel queue.

mod coalesce;
mod dirfd;
mod engine;
pub mod fsinfo;
mod inotify;
mod poll;

use std::path::{Path, PathBuf};

pub use coalesce::Coalescer;
pub use engine::{Notice, WatchOptions, Watcher};

/// What happened to a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The path came into existence.
    Created,
    /// The path's content or metadata changed.
    Modified,
    /// The path is gone.
    Deleted,
    /// The path was moved here from `old_path`.
    Renamed,
    /// Events may have been lost (kernel queue overflow, a directory replaced): rescan `path`.
    Rescan,
}

impl EventKind {
    /// Every kind, in order.
    pub const ALL: [Self; 5] =
        [Self::Created, Self::Modified, Self::Deleted, Self::Renamed, Self::Rescan];

    /// The kind's name as written in output.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Renamed => "renamed",
            Self::Rescan => "rescan",
        }
    }

    /// Parses a kind name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finished (debounced, coalesced) change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// Absolute path.
    pub path: PathBuf,
    /// The previous absolute path, for `renamed`.
    pub old_path: Option<PathBuf>,
    /// True when the path is a directory.
    pub is_dir: bool,
    /// When the change was first seen, UTC milliseconds.
    pub time_ms: i64,
}

/// A consumer of finished events: stdout, the store, later a server. `obby watch` hands every
/// event, after filtering and after the event log gave it its sequence number (`seq`, with
/// `--track`), to each sink in turn; this is the one broadcast point of the stream.
pub trait EventSink {
    /// Takes one event.
    ///
    /// # Errors
    /// The sink cannot take it (a closed pipe, a failed write).
    fn event(&mut self, event: &Event, seq: Option<i64>) -> std::io::Result<()>;
}

/// Counters of one watching run.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Stats {
    /// Raw changes seen (kernel events, scan and poll findings).
    pub seen: u64,
    /// Changes merged into another or cancelled out by coalescing.
    pub coalesced: u64,
    /// Events handed out.
    pub emitted: u64,
    /// Kernel queue overflows.
    pub overflows: u64,
    /// inotify watches held now.
    pub watches: u64,
    /// Most inotify watches held at once.
    pub peak_watches: u64,
    /// Directories watched by polling.
    pub polled_dirs: u64,
}

/// A watch that could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A path to watch does not exist or cannot be read.
    #[error("cannot watch `{}`", crate::paths::display_path(path))]
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The inotify instance could not be made.
    #[error("cannot start inotify")]
    Init(#[source] std::io::Error),
    /// A watched root was deleted or moved away.
    #[error("the watched directory `{}` was deleted or moved away", crate::paths::display_path(.0))]
    RootGone(PathBuf),
}

/// Peak resident set size of this process in KiB (`VmHWM`), if the kernel says.
#[must_use]
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// True when `path` is `root` or lies under it (both lexically normalised; compared as bytes,
/// which is much cheaper than `Path::starts_with` per event).
pub(crate) fn is_within(path: &Path, root: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let (p, r) = (path.as_os_str().as_bytes(), root.as_os_str().as_bytes());
    p.starts_with(r) && (p.len() == r.len() || p[r.len()] == b'/' || r.ends_with(b"/"))
}

/// `path` relative to `root` as store bytes, by byte prefix (both lexically normalised).
pub(crate) fn rel_of(root: &Path, path: &Path) -> Option<crate::paths::RelPath> {
    use std::os::unix::ffi::OsStrExt as _;
    if !is_within(path, root) {
        return None;
    }
    let rest = &path.as_os_str().as_bytes()[root.as_os_str().len()..];
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    Some(crate::paths::RelPath::from_bytes(rest.to_vec()))
}
