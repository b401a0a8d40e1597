//! `obby watch`: resolves what to watch, runs the [`Watcher`], filters its events and hands each
//! to the sinks (the event log and tracker with `--track`, then stdout).
//!
//! JSON records are documented in [`output`].

mod filter;
pub mod output;
mod record;
mod serving;
mod tracking;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::cli::watch::WatchArgs;
use crate::error::{ResultExt as _, with_hint};
use crate::paths::{display_path, normalize};
use crate::scope::{Scope, ScopeOptions};
use crate::store::Store;
use crate::timeparse::parse_duration;
use crate::watch::{Event, EventSink as _, Notice, WatchOptions, Watcher};
use crate::{Context, ExitStatus};

/// How often the loop wakes up to check Ctrl-C and the time limit while idle.
const TICK: Duration = Duration::from_millis(100);

/// Runs `obby watch`.
///
/// # Errors
/// A path that does not exist, bad flags, no store for `--track`/`--since`, the watched root
/// deleted, a closed pipe (exit 0), Ctrl-C (exit 130).
pub fn run(args: &WatchArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let settings = &ctx.settings;
    let debounce = match &args.debounce {
        Some(d) => parse_duration(d)?,
        None => settings.get_duration("watch.debounce")?,
    };
    let force_poll = match args.poll.as_deref() {
        None => None,
        Some("") => Some(settings.get_duration("watch.poll_interval")?),
        Some(d) => Some(parse_duration(d)?),
    };
    if force_poll.is_some_and(|d| d.is_zero()) {
        anyhow::bail!("--poll interval must be more than 0");
    }
    let timeout = args.timeout.as_deref().map(parse_duration).transpose()?;
    if ctx.printer.is_json() && (args.print0 || args.format.is_some()) {
        return Err(with_hint(
            "--json cannot be combined with -0/--print0 or --format",
            "pick one output form; --json already carries every field",
        ));
    }
    let filter = filter::Filter::new(&args.glob, &args.ext, &args.kinds)?;
    let mut stdout = output::Stdout::new(ctx, args.print0, args.format.as_deref())?;
    let cursor = args.since.as_deref().map(record::Cursor::parse).transpose()?;

    let location = ctx.locate_store().ok();
    let mut roots = Vec::new();
    for p in &args.paths {
        let abs = normalize(&ctx.cwd, p);
        if let Err(e) = std::fs::metadata(&abs) {
            return Err(anyhow::Error::new(e))
                .with_context(|| format!("cannot watch `{}`", display_path(&abs)))
                .hint("check the path; `obby watch` with no path watches the store root");
        }
        roots.push(abs);
    }
    if roots.is_empty() {
        roots.push(location.as_ref().map_or_else(|| ctx.cwd.clone(), |l| l.root.clone()));
    }
    let in_store = location.as_ref().filter(|l| roots.iter().all(|r| r.starts_with(&l.root)));
    let needs_store = args.track || cursor.is_some();
    let mut store: Option<Store> = None;
    if needs_store {
        let what = if args.track { "--track" } else { "--since" };
        if location.is_none() {
            return Err(with_hint(
                format!("{what} needs a store and none was found"),
                "run `obby init` in the project root, or pass `--store PATH`",
            ));
        }
        if in_store.is_none() {
            return Err(with_hint(
                format!("{what}: the watched paths must lie inside the store root"),
                "watch a directory under the project that holds `.obby/`",
            ));
        }
        store = Some(ctx.open_store()?);
    }
    let scope_root = in_store.map_or_else(|| common_root(&roots), |l| l.root.clone());
    let no_ignore = args.no_ignore || settings.get_bool("scope.no_ignore")?;
    let scope = Arc::new(
        Scope::load(&scope_root, ScopeOptions { no_ignore, follow_symlinks: false })
            .context("cannot read the scope rules")?,
    );

    // Bind before any watch is set up, so a port in use fails fast.
    let serving = serving::Serving::start(args, ctx, &scope_root)?;
    ctx.printer.set_line_flush(true);
    let interrupted = ctx.catch_interrupts();
    let opts = WatchOptions {
        debounce,
        force_poll,
        poll_interval: settings.get_duration("watch.poll_interval")?,
        max_watches: args.max_watches,
    };
    let mut watcher = Watcher::new(Arc::clone(&scope), &roots, opts)?;
    let mut run = Run {
        ctx,
        filter,
        store,
        track: args.track,
        scope: Arc::clone(&scope),
        max: args.max_events,
        printed: 0,
        status: ExitStatus::Success,
        pending: tracking::Pending::default(),
        interrupted: Arc::clone(&interrupted),
        serving,
        seen: (0, 0),
    };
    run.notices(&mut watcher)?;

    if let (Some(cursor), Some(store)) = (cursor, run.store.as_ref()) {
        let replayed = record::replay(store, cursor, &roots)?;
        let missed = record::reconcile(store, &scope, &roots)?;
        for (event, seq) in replayed {
            if run.done() {
                break;
            }
            if run.filter.pass(&event, &scope_root) {
                stdout.event(&event, Some(seq))?;
                run.printed += 1;
            }
        }
        run.emit(missed, &mut stdout)?;
    }

    let stats = watcher.stats();
    stdout.ready(
        &roots,
        stats.watches,
        stats.polled_dirs,
        started.elapsed().as_secs_f64() * 1000.0,
    )?;
    if let Some(s) = &run.serving {
        s.ready(stats.watches);
    }

    let deadline = timeout.map(|t| Instant::now() + t);
    let outcome: anyhow::Result<()> = loop {
        if run.done() {
            run.track_now()?;
            break Ok(());
        }
        if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
            let rest = watcher.finish();
            run.emit(rest, &mut stdout)?;
            // What was seen before Ctrl-C is still recorded (a second Ctrl-C kills at once).
            run.interrupted = Arc::new(std::sync::atomic::AtomicBool::new(false));
            run.track_now()?;
            break Err(crate::error::Interrupted.into());
        }
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            let rest = watcher.finish();
            run.emit(rest, &mut stdout)?;
            run.track_now()?;
            break Ok(());
        }
        let wait = deadline.map_or(TICK, |d| TICK.min(d - now));
        let events = watcher.next_events(wait);
        let idle = events.is_empty();
        run.notices(&mut watcher)?;
        run.observe(&watcher);
        run.emit(events, &mut stdout)?;
        if run.pending.due(idle && watcher.is_quiet()) {
            run.track_now()?;
        }
        if let Some(gone) = watcher.root_gone().map(Path::to_path_buf) {
            let rest = watcher.finish();
            run.emit(rest, &mut stdout)?;
            run.track_now()?;
            break Err(with_hint(
                format!(
                    "the watched directory `{}` was deleted or moved away",
                    display_path(&gone)
                ),
                "recreate it and start `obby watch` again (a service manager can restart it)",
            ));
        }
    };
    let stats = watcher.stats();
    let rss = crate::watch::peak_rss_kib();
    let p = &ctx.printer;
    p.summary_field("events_seen", stats.seen);
    p.summary_field("coalesced", stats.coalesced);
    p.summary_field("emitted", run.printed);
    p.summary_field("overflows", stats.overflows);
    p.summary_field("watches", stats.watches);
    p.summary_field("peak_watches", stats.peak_watches);
    p.summary_field("polled_dirs", stats.polled_dirs);
    p.summary_field("peak_rss_kib", rss);
    if args.track {
        p.summary_field("versions_recorded", run.pending.versions);
    }
    if args.stats {
        p.info(format!(
            "stats: {} seen, {} coalesced, {} emitted, {} overflows, {} watches (peak {}), {} polled directories, peak RSS {}",
            stats.seen,
            stats.coalesced,
            run.printed,
            stats.overflows,
            stats.watches,
            stats.peak_watches,
            stats.polled_dirs,
            rss.map_or_else(|| "unknown".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        ));
    }
    if let Some(s) = run.serving.take() {
        s.shutdown(match &outcome {
            Ok(()) => "done",
            Err(e) if crate::error::is_interrupted(e) => "interrupted",
            Err(_) => "error",
        });
    }
    outcome?;
    Ok(run.status)
}

/// The deepest directory holding every root (a file root counts as its directory).
fn common_root(roots: &[PathBuf]) -> PathBuf {
    let dir = |p: &PathBuf| {
        if p.is_dir() { p.clone() } else { p.parent().map_or_else(|| p.clone(), Path::to_path_buf) }
    };
    let mut common = roots.first().map_or_else(PathBuf::new, dir);
    for r in roots.iter().skip(1).map(dir) {
        while !r.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// The state of one run between the watcher and the sinks.
struct Run<'a> {
    ctx: &'a Context,
    filter: filter::Filter,
    store: Option<Store>,
    track: bool,
    scope: Arc<Scope>,
    max: Option<u64>,
    printed: u64,
    status: ExitStatus,
    pending: tracking::Pending,
    interrupted: Arc<std::sync::atomic::AtomicBool>,
    serving: Option<serving::Serving>,
    /// Coalesced and overflow counts already handed to the server's metrics.
    seen: (u64, u64),
}

impl Run<'_> {
    fn done(&self) -> bool {
        self.max.is_some_and(|m| self.printed >= m)
    }

    fn notices(&mut self, watcher: &mut Watcher) -> anyhow::Result<()> {
        let p = &self.ctx.printer;
        for notice in watcher.take_notices() {
            match notice {
                Notice::BlindFilesystem { path, fs } => p.warn(format!(
                    "`{}` is on a {fs} filesystem where inotify cannot see every change; polling it instead",
                    display_path(&path)
                )),
                Notice::WatchLimit { path } => p.warn(format!(
                    "the inotify watch limit is reached at `{}`; polling it and the directories after it\nhint: raise the limit: `sudo sysctl fs.inotify.max_user_watches=524288` (and set it in /etc/sysctl.d/ to keep it)",
                    display_path(&path)
                )),
                Notice::Unreadable { path, error } => {
                    p.item_error(display_path(&path), error)?;
                    self.status = self.status.max(ExitStatus::Error);
                }
            }
        }
        Ok(())
    }

    /// Filters, records (with `--track`) and prints a batch of events.
    fn emit(
        &mut self,
        mut events: Vec<Event>,
        stdout: &mut output::Stdout<'_>,
    ) -> anyhow::Result<()> {
        let root = self.scope.root();
        events.retain(|e| self.filter.pass(e, root));
        if let Some(max) = self.max {
            events
                .truncate(usize::try_from(max.saturating_sub(self.printed)).unwrap_or(usize::MAX));
        }
        if events.is_empty() {
            return Ok(());
        }
        let seqs = match (&mut self.store, self.track) {
            (Some(store), true) => {
                let seqs = record::append(store, &events)?;
                seqs.into_iter().map(Some).collect()
            }
            _ => vec![None; events.len()],
        };
        for (event, seq) in events.iter().zip(seqs) {
            stdout.event(event, seq)?;
            if let Some(s) = &self.serving {
                s.publish(event, seq);
            }
            self.printed += 1;
        }
        if self.track {
            self.pending.add(self.scope.root(), &events);
        }
        Ok(())
    }

    /// Hands the watcher's counters to the server's metrics (`--serve`).
    fn observe(&mut self, watcher: &Watcher) {
        if let Some(s) = &self.serving {
            let stats = watcher.stats();
            s.observe(
                stats.watches,
                stats.coalesced.saturating_sub(self.seen.0),
                stats.overflows.saturating_sub(self.seen.1),
            );
            self.seen = (stats.coalesced, stats.overflows);
        }
    }

    /// Records the files behind the events gathered so far as versions (`--track`).
    fn track_now(&mut self) -> anyhow::Result<()> {
        let before = (self.pending.versions, Instant::now());
        self.track_pending()?;
        if let Some(s) = &self.serving
            && self.pending.versions > before.0
        {
            s.tracked(self.pending.versions - before.0, 0, before.1.elapsed());
        }
        Ok(())
    }

    fn track_pending(&mut self) -> anyhow::Result<()> {
        if let Some(store) = self.store.as_mut().filter(|_| self.track) {
            self.pending.flush(
                self.ctx,
                store,
                &self.scope,
                &self.interrupted,
                &mut self.status,
            )?;
        }
        Ok(())
    }
}
