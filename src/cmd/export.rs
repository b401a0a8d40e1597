//! `obby export`: the history into a git repository, or as JSON Lines.
//!
//! `export git` prints one closing line (`exported N versions as M commits to DIR`); with
//! `--json` an `export` record: `{"target": "git", "dir", "branch", "head", "versions",
//! "commits", "without_content", "last_version", "resumed_after", "interrupted",
//! "checkout_skipped"}`. `export jsonl` writes the export format itself (see
//! `crate::export::jsonl`) to stdout or `-o FILE`; with `--json` it needs `-o` and then writes an
//! `export` record `{"target": "jsonl", "output", "versions", "notes", "without_content"}`.
//! The summary carries `versions` (and `commits` for git).

use std::io::{BufWriter, Write};

use crate::cli::export::{ExportArgs, ExportTarget, GitArgs, JsonlArgs};
use crate::error::{ResultExt as _, with_hint};
use crate::export::{ExportError, git, jsonl};
use crate::import::{Notice, Observer};
use crate::paths::{RelPath, normalize};
use crate::store::Store;
use crate::{Context, ExitStatus};

struct Progress<'c> {
    ctx: &'c Context,
    bar: indicatif::ProgressBar,
}

impl Observer for Progress<'_> {
    fn notice(&mut self, _notice: Notice) {}
    fn progress(&mut self, done: u64) {
        self.bar.inc(done);
    }
    fn should_stop(&self) -> bool {
        self.ctx.is_interrupted()
    }
}

fn hinted(e: ExportError) -> anyhow::Error {
    match e.hint() {
        Some(h) => Err::<(), _>(e).hint(h).unwrap_err(),
        None => e.into(),
    }
}

fn rel_paths(
    ctx: &Context,
    store: &Store,
    paths: &[std::path::PathBuf],
) -> anyhow::Result<Vec<RelPath>> {
    paths.iter().map(|p| Ok(RelPath::from_path(store.root(), &normalize(&ctx.cwd, p))?)).collect()
}

fn version_count(store: &Store) -> u64 {
    store.conn().query_row("SELECT count(*) FROM versions", [], |r| r.get::<_, i64>(0)).unwrap_or(0)
        as u64
}

/// Runs `obby export`.
///
/// # Errors
/// No store, an unrelated target repository, git and I/O errors.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match &args.target {
        ExportTarget::Git(g) => run_git(g, ctx),
        ExportTarget::Jsonl(j) => run_jsonl(j, ctx),
    }
}

fn run_git(args: &GitArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let store = ctx.open_store()?;
    let paths = rel_paths(ctx, &store, &args.paths)?;
    let dir = normalize(&ctx.cwd, &args.dir);
    let opts = git::GitOptions {
        per_version: args.per_version,
        force: args.force,
        paths,
        checkout: !args.no_checkout,
    };
    let _ = ctx.catch_interrupts();
    let mut obs = Progress { ctx, bar: ctx.printer.progress(version_count(&store), "exporting") };
    let out = git::export(&store, &dir, &opts, &mut obs).map_err(hinted)?;
    obs.bar.finish_and_clear();
    let r = &out.report;
    ctx.printer.summary_field("versions", r.versions);
    ctx.printer.summary_field("commits", r.commits);
    if let Some(why) = &out.checkout_skipped {
        ctx.printer.warn(format!(
            "the work tree of `{}` was not updated: {why}; run `git checkout -f` there to see the files",
            dir.display()
        ));
    }
    if ctx.printer.is_json() {
        ctx.printer.record(
            "export",
            &serde_json::json!({
                "target": "git",
                "dir": crate::paths::display_path(&dir),
                "branch": out.branch,
                "head": out.head,
                "versions": r.versions,
                "commits": r.commits,
                "without_content": r.without_content,
                "last_version": r.last_version,
                "resumed_after": out.resumed_after,
                "interrupted": r.interrupted,
                "checkout_skipped": out.checkout_skipped,
            }),
        )?;
    } else if r.versions == 0 {
        ctx.printer.info(format!("nothing new to export to `{}`", dir.display()));
    } else {
        ctx.printer.info(format!(
            "exported {} versions as {} commits to `{}` ({})",
            r.versions,
            r.commits,
            dir.display(),
            out.branch.trim_start_matches("refs/heads/")
        ));
    }
    if r.interrupted {
        return Err(crate::error::Interrupted.into());
    }
    Ok(ExitStatus::Success)
}

/// Writes through the printer's stdout.
struct PrinterOut<'c>(&'c Context);

impl Write for PrinterOut<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.printer.raw(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run_jsonl(args: &JsonlArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if ctx.printer.is_json() && args.output.is_none() {
        return Err(with_hint(
            "`obby export jsonl --json` needs `-o FILE`: stdout would mix the export with the JSON records",
            "add `-o FILE`, or drop `--json` to stream the export to stdout",
        ));
    }
    let store = ctx.open_store_read_only()?;
    let paths = rel_paths(ctx, &store, &args.paths)?;
    let _ = ctx.catch_interrupts();
    let mut obs = Progress { ctx, bar: ctx.printer.progress(version_count(&store), "exporting") };
    let report = if let Some(file) = &args.output {
        let path = normalize(&ctx.cwd, file);
        let f = std::fs::File::create(&path)
            .map_err(|source| ExportError::Io { path: path.clone(), source })?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        jsonl::export(&store, &mut w, &paths, &mut obs).map_err(|e| match e {
            ExportError::Io { source, .. } => ExportError::Io { path: path.clone(), source },
            other => other,
        })?
    } else {
        let mut w = BufWriter::with_capacity(1 << 16, PrinterOut(ctx));
        jsonl::export(&store, &mut w, &paths, &mut obs)?
    };
    obs.bar.finish_and_clear();
    ctx.printer.summary_field("versions", report.versions);
    if ctx.printer.is_json() {
        ctx.printer.record(
            "export",
            &serde_json::json!({
                "target": "jsonl",
                "output": args.output.as_deref().map(crate::paths::display_path),
                "versions": report.versions,
                "notes": report.notes,
                "without_content": report.without_content,
            }),
        )?;
    } else if args.output.is_some() {
        ctx.printer
            .info(format!("exported {} versions and {} notes", report.versions, report.notes));
    }
    if report.interrupted {
        return Err(crate::error::Interrupted.into());
    }
    Ok(ExitStatus::Success)
}
