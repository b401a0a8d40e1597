//! `obby track`: record the tree (or some paths, or what stdin names) as new versions.
//!
//! Human output: one `A path` / `M path` / `D path` / `R old -> new` line per change on stdout
//! (none with `-q`), a summary line on stderr.
//!
//! JSON records (`--json`):
//! - `change`: `{"path", "change": "created|modified|deleted|renamed", "old_path", "version_id",
//!   "hash", "size", "lines_added", "lines_removed"}` (see [`crate::track::ChangeRecord`]);
//! - `error`: a file that could not be recorded (`{"item", "message"}`);
//! - `summary` counters: `files` (looked at), `hashed` (read), `bytes_hashed`, `created`,
//!   `modified`, `deleted`, `renamed`, `errors`.

mod stdin;

use std::path::Path;

use crate::cli::track::TrackArgs;
use crate::error::with_hint;
use crate::paths::{RelPath, display_path, normalize};
use crate::scope::{Scope, ScopeOptions};
use crate::store::Store;
use crate::track::{ChangeKind, ChangeRecord, TrackError, TrackOptions, TrackSink, TrackSummary};
use crate::{Context, ExitStatus};

/// Runs with at least this many files to read get a progress bar.
const PROGRESS_MIN: u64 = 500;

/// Runs `obby track`.
///
/// # Errors
/// No store, a path outside the store root or missing, store errors, interruption.
pub fn run(args: &TrackArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    limit_malloc_arenas();
    let interrupted = ctx.catch_interrupts();
    let mut store = if args.dry_run { ctx.open_store_read_only()? } else { ctx.open_store()? };
    let opts = options(args, ctx)?;
    let no_ignore = args.no_ignore || ctx.settings.get_bool("scope.no_ignore")?;
    let root = store.root().to_path_buf();
    let scope =
        Scope::load(&root, ScopeOptions { no_ignore, follow_symlinks: opts.follow_symlinks })?;
    let mut sink = CliSink { ctx, bar: None };
    let mut total = TrackSummary::default();
    if args.stdin {
        stdin::run(args, ctx, &mut store, &scope, &opts, &mut sink, &interrupted, &mut total)?;
    } else {
        let starts = resolve_starts(&args.paths, ctx, &store)?;
        let s = if args.dry_run {
            crate::track::preview_tree(&store, &scope, &starts, &opts, &mut sink, &interrupted)
        } else {
            crate::track::track_tree(&mut store, &scope, &starts, &opts, &mut sink, &interrupted)
        };
        add(&mut total, &map_err(s)?);
    }
    if let Some(bar) = sink.bar.take() {
        bar.finish_and_clear();
    }
    report(ctx, &total, args.dry_run);
    Ok(if total.errors > 0 { ExitStatus::Error } else { ExitStatus::Success })
}

/// One malloc arena for the whole process: the walker and hashing threads otherwise each keep
/// an arena of freed buffers, which measured as a quarter of the peak RSS of a first track.
/// Keeps the allocator's footprint near what is live: one arena (the workers' buffers are
/// short-lived), and buffers over 256 KiB (zstd contexts, large contents) mapped on their own and
/// returned when freed; by default glibc raises that threshold after the first large free and
/// keeps such buffers in the heap. A trade: on a 20,000-file tree the first track peaked at
/// 45-47 MB instead of 51-53 MB, and took 4.1-4.4 s instead of 3.7 s (the contexts are mapped
/// and faulted in afresh).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before this command starts threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

fn options(args: &TrackArgs, ctx: &Context) -> anyhow::Result<TrackOptions> {
    let s = &ctx.settings;
    let threads = match args.threads {
        Some(n) => n,
        None => usize::try_from(s.get_u64("track.threads")?).unwrap_or(0),
    };
    Ok(TrackOptions {
        threads,
        follow_symlinks: args.follow || s.get_bool("track.follow_symlinks")?,
        batch_rows: usize::try_from(s.get_u64("track.batch_rows")?).unwrap_or(4000),
        max_blob_size: s.get_size("store.max_blob_size")?,
    })
}

/// Turns command-line paths into store paths: inside the root, and existing or known.
fn resolve_starts(
    paths: &[std::path::PathBuf],
    ctx: &Context,
    store: &Store,
) -> anyhow::Result<Vec<RelPath>> {
    let mut starts = Vec::with_capacity(paths.len());
    for p in paths {
        let rel = store_path(store.root(), &ctx.cwd, p)?;
        let exists = rel.to_path(store.root()).symlink_metadata().is_ok();
        if !exists && !is_known(store, &rel)? {
            return Err(with_hint(
                format!("`{}` does not exist and was never tracked", display_path(p)),
                "check the path; `obby log` lists what was recorded",
            ));
        }
        if rel.is_empty() {
            return Ok(Vec::new());
        }
        starts.push(rel);
    }
    Ok(starts)
}

/// A path given by the user as a store path, or a hinted error when it is outside the root.
pub(crate) fn store_path(root: &Path, cwd: &Path, p: &Path) -> anyhow::Result<RelPath> {
    RelPath::from_path(root, &normalize(cwd, p)).map_err(|_| {
        with_hint(
            format!("`{}` is outside the store root `{}`", display_path(p), root.display()),
            "give paths inside the project, or point `--store` at the store that holds them",
        )
    })
}

fn is_known(store: &Store, rel: &RelPath) -> anyhow::Result<bool> {
    let conn = store.conn();
    if crate::store::read::file_id(conn, rel).map_err(|e| store.err(e))?.is_some() {
        return Ok(true);
    }
    let mut lo = rel.as_bytes().to_vec();
    lo.push(b'/');
    let mut hi = rel.as_bytes().to_vec();
    hi.push(b'/' + 1);
    let found = conn
        .prepare_cached("SELECT 1 FROM files WHERE path >= ?1 AND path < ?2 LIMIT 1")
        .and_then(|mut s| s.exists((RelPath::from_bytes(lo), RelPath::from_bytes(hi))))
        .map_err(|e| store.err(e))?;
    Ok(found)
}

/// Maps the library's error to one that keeps the store's hints and the exit status.
pub(crate) fn map_err<T>(r: Result<T, TrackError>) -> anyhow::Result<T> {
    r.map_err(|e| match e {
        TrackError::Store(s) => anyhow::Error::new(s),
        TrackError::Interrupted => anyhow::Error::new(crate::error::Interrupted),
        TrackError::Output(io) => anyhow::Error::new(io),
        TrackError::Lock { path, source } => with_hint(
            format!("cannot lock `{}`: {source}", path.display()),
            "wait for the other `obby track` (or `obby watch --track`) to finish, or raise `store.busy_timeout`",
        ),
    })
}

pub(crate) fn add(total: &mut TrackSummary, s: &TrackSummary) {
    total.files += s.files;
    total.hashed += s.hashed;
    total.bytes_hashed += s.bytes_hashed;
    total.created += s.created;
    total.modified += s.modified;
    total.deleted += s.deleted;
    total.renamed += s.renamed;
    total.errors += s.errors;
    total.elapsed += s.elapsed;
}

fn report(ctx: &Context, s: &TrackSummary, dry_run: bool) {
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(s) {
        for (k, v) in map {
            ctx.printer.summary_field(&k, v);
        }
    }
    let mut msg = if s.changes() == 0 {
        format!("no changes ({} files checked", s.files)
    } else {
        let mut parts = Vec::new();
        for (n, what) in [
            (s.created, "created"),
            (s.modified, "modified"),
            (s.deleted, "deleted"),
            (s.renamed, "renamed"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let verb = if dry_run { "would record" } else { "recorded" };
        format!("{verb} {} ({} files checked", parts.join(", "), s.files)
    };
    msg.push_str(&format!(", {} read, {})", s.hashed, human_bytes(s.bytes_hashed)));
    if s.errors > 0 {
        msg.push_str(&format!("; {} error{}", s.errors, if s.errors == 1 { "" } else { "s" }));
    }
    ctx.printer.info(msg);
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[u]) }
}

/// Prints changes and per-item errors as they happen.
pub(crate) struct CliSink<'a> {
    pub(crate) ctx: &'a Context,
    pub(crate) bar: Option<indicatif::ProgressBar>,
}

impl TrackSink for CliSink<'_> {
    fn change(&mut self, c: &ChangeRecord) -> std::io::Result<()> {
        let printer = &self.ctx.printer;
        if printer.is_json() {
            return printer.record("change", c);
        }
        if printer.is_quiet() {
            return Ok(());
        }
        let pal = printer.palette();
        let letter = c.change.letter().to_string();
        let letter = match c.change {
            ChangeKind::Created => pal.added(&letter),
            ChangeKind::Deleted => pal.removed(&letter),
            ChangeKind::Modified | ChangeKind::Renamed => pal.changed(&letter),
        };
        let text = match &c.old_path {
            Some(old) => format!("{letter} {old} -> {}", c.path),
            None => format!("{letter} {}", c.path),
        };
        match &self.bar {
            Some(bar) => bar.suspend(|| printer.line(&text)),
            None => printer.line(&text),
        }
    }

    fn item_error(&mut self, path: &Path, err: &dyn std::fmt::Display) -> std::io::Result<()> {
        let printer = &self.ctx.printer;
        let item = display_path(path);
        match &self.bar {
            Some(bar) => bar.suspend(|| printer.item_error(&item, err)),
            None => printer.item_error(&item, err),
        }
    }

    fn progress(&mut self, done: u64, total: u64) {
        if self.bar.is_none() && total >= PROGRESS_MIN && done < total {
            self.bar = Some(self.ctx.printer.progress(total, "hashing"));
        }
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    }
}
