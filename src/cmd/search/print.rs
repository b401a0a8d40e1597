//! Output of `obby search`: ripgrep-like lines for humans, `match`/`recent`/`related` records
//! for `--json`, bare paths for `--files` and `-0`.

use std::collections::HashSet;
use std::io::Read as _;

use serde_json::json;

use crate::Context;
use crate::cli::search::SearchArgs;
use crate::output::Palette;
use crate::paths::RelPath;
use crate::search::history::RecentFile;
use crate::search::query::Highlight;
use crate::search::related::Related;
use crate::search::schema::{FLAG_BINARY, FLAG_TRUNCATED};
use crate::search::snippet::{Snippet, SnippetLine, snippet};
use crate::search::{Hit, ParsedQuery, SearchResult};
use crate::store::{Location, Store};
use crate::timeparse::{format_local, format_ms};

/// Human size: `4.0 MiB`.
fn size(n: u64) -> String {
    let n = n as f64;
    if n >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// The text a hit's snippet is cut from: the file now, or the stored past version.
fn content(hit: &Hit, location: &Location, store: &Store, max: u64) -> Option<String> {
    if hit.flags & FLAG_BINARY != 0 {
        return None;
    }
    let bytes = if let Some(v) = &hit.version {
        let mut b = crate::store::blob_content(store.conn(), &v.hash).ok()?;
        b.truncate(max as usize);
        b
    } else {
        let file = std::fs::File::open(hit.path.to_path(&location.root)).ok()?;
        let mut b = Vec::new();
        file.take(max).read_to_end(&mut b).ok()?;
        b
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn highlighted(pal: Palette, line: &SnippetLine) -> String {
    let mut out = String::with_capacity(line.text.len() + 16);
    let mut at = 0;
    for &(a, b) in &line.ranges {
        out.push_str(&line.text[at..a]);
        out.push_str(&pal.matched(&line.text[a..b]));
        at = b;
    }
    out.push_str(&line.text[at..]);
    out
}

fn label(pal: Palette, hit: &Hit) -> String {
    match &hit.version {
        Some(v) => format!(
            "{}{}",
            pal.path(&hit.path.to_string()),
            pal.dim(&format!("@v{} ({})", v.version, format_local(v.recorded_at)))
        ),
        None => pal.path(&hit.path.to_string()),
    }
}

/// Prints the hits of a query.
pub fn hits(
    ctx: &Context,
    args: &SearchArgs,
    location: &Location,
    store: &Store,
    parsed: &ParsedQuery,
    result: &SearchResult,
    max: u64,
) -> std::io::Result<()> {
    let pal = ctx.printer.palette();
    let highlights: Vec<Highlight> = parsed.highlights();
    if (args.files || args.null) && !ctx.printer.is_json() {
        let mut seen: HashSet<&RelPath> = HashSet::new();
        for hit in result.hits.iter().filter(|h| seen.insert(&h.path)) {
            if args.null {
                ctx.printer.raw(hit.path.as_bytes())?;
                ctx.printer.raw(b"\0")?;
            } else {
                ctx.printer.line(pal.path(&hit.path.to_string()))?;
            }
        }
        return Ok(());
    }
    for hit in &result.hits {
        let snip = content(hit, location, store, max)
            .map(|text| snippet(&text, &highlights, args.lines))
            .unwrap_or_default();
        if ctx.printer.is_json() {
            ctx.printer.record("match", &match_record(hit, &snip))?;
            continue;
        }
        let label = label(pal, hit);
        if snip.shown.is_empty() {
            let note = if hit.flags & FLAG_BINARY != 0 {
                pal.dim(" (binary: path only)")
            } else {
                String::new()
            };
            ctx.printer.line(format!("{label}{note}"))?;
        }
        for line in &snip.shown {
            ctx.printer.line(format!(
                "{label}:{}: {}",
                pal.added(&line.line.to_string()),
                highlighted(pal, line)
            ))?;
        }
        if hit.flags & FLAG_TRUNCATED != 0 {
            ctx.printer.line(pal.dim(&format!(
                "{}: only the first {} of {} is indexed (search.max_file_size)",
                hit.path,
                size(max.min(hit.size)),
                size(hit.size)
            )))?;
        }
    }
    Ok(())
}

/// The `match` record.
#[derive(serde::Serialize)]
struct MatchRecord<'a> {
    path: &'a RelPath,
    score: f32,
    lang: Option<&'a str>,
    lines: &'a [usize],
    snippet: &'a [SnippetLine],
    binary: bool,
    truncated: bool,
    size: u64,
    recency_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<serde_json::Value>,
}

fn match_record<'a>(hit: &'a Hit, snip: &'a Snippet) -> MatchRecord<'a> {
    MatchRecord {
        path: &hit.path,
        score: hit.score,
        lang: hit.lang.as_deref(),
        lines: &snip.lines,
        snippet: &snip.shown,
        binary: hit.flags & FLAG_BINARY != 0,
        truncated: hit.flags & FLAG_TRUNCATED != 0,
        size: hit.size,
        recency_ms: hit.recency_ms,
        version: hit.version.as_ref().map(|v| {
            json!({
                "version": v.version,
                "recorded_at": v.recorded_at,
                "recorded": format_ms(v.recorded_at),
                "hash": v.hash,
            })
        }),
    }
}

/// Prints `--recent` results.
pub fn recent(ctx: &Context, files: &[RecentFile]) -> std::io::Result<()> {
    let pal = ctx.printer.palette();
    for f in files {
        if ctx.printer.is_json() {
            ctx.printer.record("recent", f)?;
            continue;
        }
        let mut counts = Vec::new();
        if f.versions > 0 {
            counts.push(format!(
                "{} version{}",
                f.versions,
                if f.versions == 1 { "" } else { "s" }
            ));
        }
        if f.commits > 0 {
            counts.push(format!("{} commit{}", f.commits, if f.commits == 1 { "" } else { "s" }));
        }
        ctx.printer.line(format!(
            "{}  {}  {}",
            pal.dim(&format_local(f.last_change_ms)),
            pal.path(&f.path.to_string()),
            pal.dim(&counts.join(", "))
        ))?;
    }
    Ok(())
}

/// Prints `--related` results.
pub fn related(ctx: &Context, found: &[Related]) -> std::io::Result<()> {
    let pal = ctx.printer.palette();
    for r in found {
        if ctx.printer.is_json() {
            ctx.printer.record("related", r)?;
            continue;
        }
        let reasons: Vec<String> = r.reasons.iter().map(ToString::to_string).collect();
        ctx.printer.line(format!(
            "{}  {}",
            pal.path(&r.path.to_string()),
            pal.dim(&format!("({})", reasons.join("; ")))
        ))?;
    }
    Ok(())
}
