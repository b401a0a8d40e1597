//! `--track`: the files behind the events are recorded as versions by the tracker, in-process.
//!
//! Paths are gathered and handed to `track::track_paths` per burst (when the watcher goes quiet,
//! every [`MAX_WAIT`] during a long burst, or at [`MAX_PATHS`]), so a burst of thousands of
//! writes costs a few store transactions, not one per file. `rescan` events record the whole
//! tree under their path with `track::track_tree`.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::paths::{RelPath, display_path};
use crate::scope::Scope;
use crate::store::Store;
use crate::track::{ChangeRecord, TrackError, TrackOptions, TrackSink};
use crate::watch::{Event, EventKind};
use crate::{Context, ExitStatus};

/// Paths gathered before they are recorded, at most.
const MAX_PATHS: usize = 20_000;
/// How long paths wait during a burst that does not end.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// Paths waiting to be recorded.
#[derive(Debug, Default)]
pub struct Pending {
    paths: Vec<RelPath>,
    trees: Vec<RelPath>,
    since: Option<Instant>,
    /// Versions recorded so far.
    pub versions: u64,
}

struct Sink<'a> {
    ctx: &'a Context,
    versions: u64,
    errors: u64,
}

impl TrackSink for Sink<'_> {
    fn change(&mut self, _c: &ChangeRecord) -> std::io::Result<()> {
        self.versions += 1;
        Ok(())
    }
    fn item_error(&mut self, path: &Path, err: &dyn std::fmt::Display) -> std::io::Result<()> {
        self.errors += 1;
        self.ctx.printer.item_error(display_path(path), err)
    }
}

impl Pending {
    /// Adds the paths of these events.
    pub fn add(&mut self, root: &Path, events: &[Event]) {
        let rel = |p: &Path| RelPath::from_path(root, p).ok();
        for e in events {
            if e.kind == EventKind::Rescan {
                self.trees.extend(rel(&e.path));
            } else {
                self.paths.extend(e.old_path.as_deref().and_then(rel));
                self.paths.extend(rel(&e.path));
            }
        }
        if self.since.is_none() && !(self.paths.is_empty() && self.trees.is_empty()) {
            self.since = Some(Instant::now());
        }
    }

    /// True when what is pending should be recorded now: the watcher is `quiet`, or the batch
    /// is full or old.
    pub fn due(&self, quiet: bool) -> bool {
        self.since.is_some_and(|s| quiet || s.elapsed() >= MAX_WAIT)
            || self.paths.len() >= MAX_PATHS
    }

    /// Records what is pending.
    ///
    /// # Errors
    /// Store errors; Ctrl-C ([`crate::error::Interrupted`]).
    pub fn flush(
        &mut self,
        ctx: &Context,
        store: &mut Store,
        scope: &Scope,
        interrupted: &AtomicBool,
        status: &mut ExitStatus,
    ) -> anyhow::Result<()> {
        let mut paths = std::mem::take(&mut self.paths);
        let trees = std::mem::take(&mut self.trees);
        self.since = None;
        paths.sort();
        paths.dedup();
        let opts = options(ctx)?;
        let mut sink = Sink { ctx, versions: 0, errors: 0 };
        let map = |e: TrackError| -> anyhow::Error {
            match e {
                TrackError::Interrupted => crate::error::Interrupted.into(),
                other => other.into(),
            }
        };
        if !trees.is_empty() {
            crate::track::track_tree(store, scope, &trees, &opts, &mut sink, interrupted)
                .map_err(map)?;
        }
        if !paths.is_empty() {
            crate::track::track_paths(store, scope, &paths, &opts, &mut sink, interrupted)
                .map_err(map)?;
        }
        self.versions += sink.versions;
        if sink.errors > 0 {
            *status = status.max(ExitStatus::Error);
        }
        Ok(())
    }
}

fn options(ctx: &Context) -> anyhow::Result<TrackOptions> {
    let s = &ctx.settings;
    Ok(TrackOptions {
        threads: usize::try_from(s.get_u64("track.threads")?).unwrap_or(0),
        follow_symlinks: s.get_bool("track.follow_symlinks")?,
        batch_rows: usize::try_from(s.get_u64("track.batch_rows")?).unwrap_or(4000),
        max_blob_size: s.get_size("store.max_blob_size")?,
    })
}
