//! `obby search`: keeps the index current, then answers a query, `--recent` or `--related`.
//!
//! The index is built on first use and follows the store on every run (only paths with new
//! versions are looked at, so this costs one small SQL query when nothing changed); `--update`
//! also walks the tree, `--rebuild` starts over. A search never waits for a writer: when another
//! process holds the index, the search reads the last commit.
//!
//! JSON records (`--json`), besides the closing `summary` (`hits`, `matched`, `searched`, and
//! `index` with the update counters when the index was written):
//! - `match`: `path`, `score`, `lang`, `lines` (every matching line number, up to 200),
//!   `snippet` (`[{line, text, ranges: [[start, end], ...]}]`, byte ranges in `text`), `binary`,
//!   `truncated`, `recency_ms`, and for a past version `version` (`{version, recorded_at,
//!   hash}`);
//! - `recent` (`--recent`): `path`, `last_change_ms`, `versions`, `commits`;
//! - `related` (`--related`): `path`, `score`, `reasons` (`[{kind: imported_by | imports |
//!   co_changed | shared_terms, ...}]`).

mod print;

use std::time::Instant;

use anyhow::Context as _;

use crate::cli::search::SearchArgs;
use crate::error::with_hint;
use crate::paths::{RelPath, normalize};
use crate::scope::{Scope, ScopeOptions};
use crate::search::indexer::{is_complete, synced_store_version};
use crate::search::query::Weights;
use crate::search::{
    IndexOptions, Indexer, SearchError, SearchIndex, SearchOptions, UpdateStats, history,
    parse_query, related,
};
use crate::store::{Location, Store};
use crate::{Context, ExitStatus};

/// Turns a library error into one with a hint.
fn hinted(e: SearchError) -> anyhow::Error {
    match e.hint() {
        Some(h) => with_hint(e, h),
        None if matches!(e, SearchError::Interrupted) => {
            anyhow::Error::new(crate::error::Interrupted)
        }
        None => anyhow::Error::new(e),
    }
}

/// Runs `obby search`.
///
/// # Errors
/// No store, a malformed query, an unreadable or locked index (with a hint to rebuild).
pub fn run(args: &SearchArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let location = ctx.locate_store()?;
    let store = Store::open_read_only(&location)?;
    let query_text = args.query.join(" ");
    let wants_query = args.recent.is_none() && args.related.is_none();
    // Parse first: a bad query fails before any indexing work.
    let parsed = if wants_query && !(query_text.trim().is_empty() && (args.rebuild || args.update))
    {
        Some(parse_query(&query_text, args.fuzzy).map_err(|e| {
            with_hint(
                format!("bad query: {e}"),
                "words are ANDed; quote \"exact phrases\"; see `obby search --help` for the syntax",
            )
        })?)
    } else {
        None
    };
    let mut status = ExitStatus::Success;
    // `--recent` reads git and the store only; it builds no index unless asked to.
    let skip_index = args.recent.is_some() && !args.rebuild && !args.update;
    let written = if skip_index { None } else { maintain(args, ctx, &location, &store)? };
    if let Some(stats) = written {
        for (path, err) in &stats.errors {
            ctx.printer.item_error(path, err)?;
            status = ExitStatus::Error;
        }
        ctx.printer.summary_field("index", &stats);
    }
    if let Some(recent) = &args.recent {
        return Ok(status.max(run_recent(recent, ctx, &location, &store)?));
    }
    let index = SearchIndex::open(&location.index_dir()).map_err(hinted)?;
    let reader = index.reader().map_err(hinted)?;
    let searcher = reader.searcher();
    if let Some(file) = &args.related {
        let rel = RelPath::from_path(&location.root, &normalize(&ctx.cwd, file))?;
        let text = std::fs::read(rel.to_path(&location.root))
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        let text = String::from_utf8_lossy(&text);
        let limit = args.limit.unwrap_or(ctx.settings.get_u64("search.limit")? as usize);
        let found = related::related(
            &index,
            &searcher,
            &location.root,
            Some(store.conn()),
            &rel,
            &text,
            limit,
        )
        .map_err(hinted)?;
        print::related(ctx, &found)?;
        ctx.printer.summary_field("hits", found.len());
        let found_status =
            if found.is_empty() { ExitStatus::Negative } else { ExitStatus::Success };
        return Ok(status.max(found_status));
    }
    let Some(parsed) = parsed else {
        return Ok(status);
    };
    let limit = args.limit.unwrap_or(ctx.settings.get_u64("search.limit")? as usize);
    let mut weights = Weights::default();
    if args.defs {
        weights.defs = 30.0;
    }
    let opts = SearchOptions {
        limit,
        history: args.history,
        sort: args.sort,
        weights,
        now_ms: crate::timeparse::now_ms(),
    };
    let result = crate::search::search(&index, &searcher, &parsed, &opts).map_err(hinted)?;
    let max = ctx.settings.get_size("search.max_file_size")?;
    print::hits(ctx, args, &location, &store, &parsed, &result, max)?;
    ctx.printer.summary_field("hits", result.hits.len());
    ctx.printer.summary_field("matched", result.matched);
    ctx.printer.summary_field("searched", result.searched);
    let found = if result.hits.is_empty() { ExitStatus::Negative } else { ExitStatus::Success };
    Ok(status.max(found))
}

/// Builds, updates or syncs the index as asked; returns what was done when the index was
/// written.
fn maintain(
    args: &SearchArgs,
    ctx: &Context,
    location: &Location,
    store: &Store,
) -> anyhow::Result<Option<UpdateStats>> {
    let dir = location.index_dir();
    let exists = SearchIndex::exists(&dir);
    let full = args.rebuild || !exists;
    let walk = full || args.update || !is_complete(&dir);
    let synced = if exists { synced_store_version(&dir) } else { 0 };
    let store_top: i64 = store
        .conn()
        .query_row("SELECT coalesce(max(id), 0) FROM versions", [], |r| r.get(0))
        .map_err(|e| store.err(e))?;
    if !walk && store_top <= synced {
        return Ok(None);
    }
    let opts = IndexOptions {
        max_file_size: ctx.settings.get_size("search.max_file_size")?,
        threads: std::thread::available_parallelism().map_or(2, std::num::NonZero::get).min(4),
    };
    let mut indexer = match Indexer::open(&dir, &location.root, opts, full) {
        Ok(ix) => ix,
        // Someone else is writing: search what is committed.
        Err(SearchError::Locked { .. }) if !walk => {
            ctx.printer.debug("search index busy (another writer); searching the last commit");
            return Ok(None);
        }
        Err(e) => return Err(hinted(e)),
    };
    let no_ignore = ctx.settings.get_bool("scope.no_ignore")?;
    let scope = Scope::load(&location.root, ScopeOptions { no_ignore, follow_symlinks: false })?;
    let started = Instant::now();
    let mut stats = UpdateStats::default();
    if walk {
        if full {
            indexer.load_recency(Some(store.conn()));
        }
        let interrupted = ctx.catch_interrupts();
        let stop = move || interrupted.load(std::sync::atomic::Ordering::Relaxed);
        match indexer.update(&scope, &stop) {
            Ok(s) => {
                ctx.printer.debug(format!(
                    "search index: walked and indexed in {:.2}s",
                    started.elapsed().as_secs_f64()
                ));
                stats = s;
            }
            Err(e) => {
                // Keep what was indexed; the next run completes it.
                if matches!(e, SearchError::Interrupted) {
                    indexer.finish().map_err(hinted)?;
                }
                return Err(hinted(e));
            }
        }
    }
    let synced_stats = indexer.sync_store(store.conn(), &scope).map_err(hinted)?;
    stats.indexed += synced_stats.indexed;
    stats.removed += synced_stats.removed;
    stats.bytes += synced_stats.bytes;
    stats.history += synced_stats.history;
    stats.errors.extend(synced_stats.errors);
    let before_finish = Instant::now();
    if full || stats.indexed + stats.removed + stats.history > 0 {
        indexer.finish().map_err(hinted)?;
    } else {
        // Nothing changed: no commit, no merge; only the sync marker moves on.
        indexer.finish_unchanged().map_err(hinted)?;
    }
    ctx.printer.debug(format!(
        "search index: committed and merged in {:.2}s",
        before_finish.elapsed().as_secs_f64()
    ));
    if walk {
        let secs = started.elapsed().as_secs_f64();
        ctx.printer.info(format!(
            "{} {} files ({:.1} MB, {} binary, {} truncated, {} removed) in {secs:.2}s",
            if full { "indexed" } else { "re-indexed" },
            stats.indexed,
            stats.bytes as f64 / 1e6,
            stats.binary,
            stats.truncated,
            stats.removed,
        ));
    }
    Ok(Some(stats))
}

fn run_recent(
    text: &str,
    ctx: &Context,
    location: &Location,
    store: &Store,
) -> anyhow::Result<ExitStatus> {
    let window = crate::timeparse::parse_duration(text).map_err(|e| {
        with_hint(format!("bad --recent `{text}`: {e}"), "use a duration such as 90m, 2h or 3d")
    })?;
    let since = crate::timeparse::now_ms() - window.as_millis() as i64;
    let files = history::recent(&location.root, Some(store.conn()), since)?;
    print::recent(ctx, &files)?;
    ctx.printer.summary_field("hits", files.len());
    Ok(if files.is_empty() { ExitStatus::Negative } else { ExitStatus::Success })
}
