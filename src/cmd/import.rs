//! `obby import`: brings a history in from the original Python obby or a JSON Lines export.
//!
//! Human output: with `--dry-run`, one line per version that would be added; then a closing
//! line with the counts. Warnings (hash mismatches, versions without content, unknown tables)
//! go to stderr, the first few of each kind in full. A path outside the old root is an item
//! error (`obby: <path>: ...`, exit status 2 at the end, the rest is imported).
//!
//! JSON records (`--json`):
//! - `notice`: `{"kind": "hash_mismatch"|"null_content"|"unknown_table"|"skipped", "path"?,
//!   "recorded"?, "actual"?, "table"?, "row"?, "reason"?}`, one per notice;
//! - `version` (dry run only): `{"path", "change", "recorded", "new"}`;
//! - `import`: the counters (`files`, `versions`, `already_imported`, `summaries`,
//!   `summaries_already_imported`, `hash_mismatches`, `null_content`, `content_bytes`,
//!   `stored_bytes`, `interrupted`) plus `source`, `format`, `root` (the old root cut off),
//!   `dry_run`, `skipped` (reason -> count).
//!
//! The summary carries `files`, `versions`, `summaries` and `skipped`.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::cli::import::{ImportArgs, ImportFormat};
use crate::error::ResultExt as _;
use crate::import::obbydb::{self, ObbyDb};
use crate::import::{self, ImportError, Notice, Observer, apply, jsonl::JsonlReader, times};
use crate::paths::{RelPath, normalize};
use crate::timeparse::{format_ms, parse_duration};
use crate::{Context, ExitStatus};

/// Warnings of one kind shown in full before they are only counted.
const SHOWN_PER_KIND: u64 = 10;

struct CmdObserver<'c> {
    ctx: &'c Context,
    bar: indicatif::ProgressBar,
    skipped: BTreeMap<String, u64>,
    shown: BTreeMap<&'static str, u64>,
    item_errors: u64,
    dry_run: bool,
}

impl CmdObserver<'_> {
    fn warn_capped(&mut self, kind: &'static str, msg: String) {
        let n = self.shown.entry(kind).or_default();
        *n += 1;
        if *n <= SHOWN_PER_KIND {
            self.bar.suspend(|| self.ctx.printer.warn(msg));
        }
    }

    fn record(&self, data: &serde_json::Value) {
        if self.ctx.printer.is_json() {
            let _ = self.ctx.printer.record("notice", data);
        }
    }
}

impl Observer for CmdObserver<'_> {
    fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::HashMismatch { path, recorded, actual } => {
                self.record(&serde_json::json!({"kind": "hash_mismatch", "path": path, "recorded": recorded, "actual": actual}));
                self.warn_capped(
                    "hash",
                    format!("`{path}`: the recorded hash {recorded:.12} does not match the content ({actual:.12}); imported with the content's hash"),
                );
            }
            Notice::NullContent { path, row } => {
                self.record(&serde_json::json!({"kind": "null_content", "path": path, "row": row}));
                self.warn_capped("null", format!("`{path}`: a version has no content in the source; imported as its hash only"));
            }
            Notice::UnknownTable(table) => {
                self.record(&serde_json::json!({"kind": "unknown_table", "table": table}));
                self.warn_capped("table", format!("unknown table `{table}` skipped"));
            }
            Notice::Skipped { row, reason } => {
                self.record(&serde_json::json!({"kind": "skipped", "row": row, "reason": reason}));
                self.ctx.printer.debug(format!("skipped {row}: {reason}"));
                *self.skipped.entry(reason).or_default() += 1;
            }
            Notice::Outside { path, root } => {
                *self.skipped.entry("outside the old project root".into()).or_default() += 1;
                self.item_errors += 1;
                let _ = self.bar.suspend(|| {
                    self.ctx.printer.item_error(
                        format!("`{path}`"),
                        format!("outside the old project root `{root}`; not imported (hint: give the right `--from-root`)"),
                    )
                });
            }
        }
    }

    fn progress(&mut self, done: u64) {
        self.bar.inc(done);
    }

    fn should_stop(&self) -> bool {
        self.ctx.is_interrupted()
    }

    fn version(&mut self, path: &RelPath, change: &str, recorded_at: i64, new: bool) {
        if !self.dry_run {
            return;
        }
        if self.ctx.printer.is_json() {
            let _ = self.ctx.printer.record(
                "version",
                &serde_json::json!({"path": path, "change": change, "recorded": format_ms(recorded_at), "new": new}),
            );
        } else if new {
            let _ = self.bar.suspend(|| {
                self.ctx.printer.line(format!(
                    "{}  {change:<8}  {path}",
                    crate::timeparse::format_local(recorded_at)
                ))
            });
        }
    }
}

fn hinted(e: ImportError) -> anyhow::Error {
    match e.hint() {
        Some(h) => Err::<(), _>(e).hint(h).unwrap_err(),
        None => e.into(),
    }
}

fn detect(path: &Path, format: ImportFormat) -> Result<ImportFormat, ImportError> {
    match format {
        ImportFormat::Auto if path == Path::new("-") => Ok(ImportFormat::Jsonl),
        ImportFormat::Auto if obbydb::is_sqlite(path)? => Ok(ImportFormat::ObbyDb),
        ImportFormat::Auto => Ok(ImportFormat::Jsonl),
        other => Ok(other),
    }
}

/// Runs `obby import`.
///
/// # Errors
/// No store, an unreadable or foreign source, a locked source, store errors.
pub fn run(args: &ImportArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let busy = match &args.busy_timeout {
        Some(t) => parse_duration(t)?,
        None => ctx.settings.get_duration("import.busy_timeout")?,
    };
    let tz_name =
        args.timezone.clone().unwrap_or_else(|| ctx.settings.get("import.timezone").to_owned());
    let tz = times::zone(Some(&tz_name)).map_err(|m| hinted(ImportError::BadOption(m)))?;
    let source: PathBuf = if args.source == Path::new("-") {
        args.source.clone()
    } else {
        normalize(&ctx.cwd, &args.source)
    };
    let format = detect(&source, args.format).map_err(hinted)?;
    let mut store = if args.dry_run { ctx.open_store_read_only()? } else { ctx.open_store()? };
    let _ = ctx.catch_interrupts();
    let mut obs = CmdObserver {
        ctx,
        bar: indicatif::ProgressBar::hidden(),
        skipped: BTreeMap::new(),
        shown: BTreeMap::new(),
        item_errors: 0,
        dry_run: args.dry_run,
    };
    let mut root = None;
    let report = match format {
        ImportFormat::ObbyDb | ImportFormat::Auto => {
            let db = ObbyDb::open(&source, busy).map_err(hinted)?;
            for table in db.unknown_tables() {
                obs.notice(Notice::UnknownTable(table));
            }
            let plan = db.plan(args.from_root.as_deref(), &tz, &mut obs).map_err(hinted)?;
            root = Some(plan.root.shown().to_owned());
            ctx.printer.info(format!(
                "importing {} changes from `{}` (old project root `{}`)",
                plan.steps.len(),
                source.display(),
                plan.root.shown()
            ));
            let notes = db.notes(&plan.root, &tz).map_err(hinted)?;
            obs.bar = ctx.printer.progress(plan.steps.len() as u64, "importing");
            let items = db.into_items(plan.steps, notes);
            apply(&mut store, "import:obby-db", items, args.dry_run, &mut obs)
        }
        ImportFormat::Jsonl => {
            let reader: Box<dyn std::io::BufRead + Send> = if source == Path::new("-") {
                Box::new(BufReader::with_capacity(1 << 20, std::io::stdin()))
            } else {
                let f = std::fs::File::open(&source)
                    .map_err(|e| ImportError::Io { path: source.clone(), source: e })
                    .map_err(hinted)?;
                Box::new(BufReader::with_capacity(1 << 20, f))
            };
            obs.bar = ctx.printer.progress(0, "importing");
            apply(
                &mut store,
                "import:jsonl",
                JsonlReader::new(reader, source.clone()),
                args.dry_run,
                &mut obs,
            )
        }
    }
    .map_err(hinted)?;
    obs.bar.finish_and_clear();
    finish(ctx, args, &source, format, root, &report, &obs)?;
    if report.interrupted {
        return Err(crate::error::Interrupted.into());
    }
    Ok(if obs.item_errors > 0 { ExitStatus::Error } else { ExitStatus::Success })
}

fn finish(
    ctx: &Context,
    args: &ImportArgs,
    source: &Path,
    format: ImportFormat,
    root: Option<String>,
    report: &import::ImportReport,
    obs: &CmdObserver<'_>,
) -> anyhow::Result<()> {
    let skipped: u64 = obs.skipped.values().sum();
    for (kind, n) in &obs.shown {
        if *n > SHOWN_PER_KIND {
            ctx.printer
                .warn(format!("... {} more warnings like these ({kind})", n - SHOWN_PER_KIND));
        }
    }
    ctx.printer.summary_field("files", report.files);
    ctx.printer.summary_field("versions", report.versions);
    ctx.printer.summary_field("summaries", report.summaries);
    ctx.printer.summary_field("skipped", &obs.skipped);
    if ctx.printer.is_json() {
        let mut data = serde_json::to_value(report)?;
        data["source"] = crate::paths::display_path(source).into();
        data["format"] = if format == ImportFormat::Jsonl { "jsonl" } else { "obby-db" }.into();
        data["root"] = root.into();
        data["dry_run"] = args.dry_run.into();
        data["skipped"] = serde_json::to_value(&obs.skipped)?;
        ctx.printer.record("import", &data)?;
        return Ok(());
    }
    let verb = if args.dry_run { "would import" } else { "imported" };
    let mut line = format!(
        "{verb} {} versions of {} files and {} summaries",
        report.versions, report.files, report.summaries
    );
    if report.already_imported + report.summaries_already_imported > 0 {
        line.push_str(&format!(
            " ({} versions and {} summaries were imported before)",
            report.already_imported, report.summaries_already_imported
        ));
    }
    if skipped > 0 {
        let reasons: Vec<String> = obs.skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
        line.push_str(&format!("; skipped {skipped}: {}", reasons.join(", ")));
    }
    ctx.printer.info(line);
    Ok(())
}
