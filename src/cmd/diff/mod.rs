//! `obby diff`: unified diffs between two files or directories, or between recorded versions
//! of a tracked path and its working copy.
//!
//! Exit status 0 when equal, 1 when different, 2 on error (an unreadable file among many is
//! reported and the rest is compared; the status is then 2).
//!
//! JSON records (`--json`):
//! - `file`: one per differing file: `{"path", "old_path", "status":
//!   "added|deleted|modified|binary", "lines_added", "lines_removed"}`;
//! - `hunk`: one per hunk, after its `file` (not with `--stat`/`--name-only`), see
//!   [`crate::diff::unified`];
//! - `summary` counters: `files_changed`, `insertions`, `deletions`.

mod revs;

use std::path::Path;

use serde::Serialize;

use crate::cli::diff::DiffArgs;
use crate::diff::{DiffOptions, TextDiff, dirs, is_binary};
use crate::error::with_hint;
use crate::paths::{RelPath, display_path};
use crate::{Context, ExitStatus};

/// One side of a file pair.
pub(crate) enum Side {
    /// Not there (added or deleted file).
    Missing,
    /// The content.
    Content(Vec<u8>),
}

/// The `file` JSON record.
#[derive(Serialize)]
struct FileRecord {
    path: serde_json::Value,
    old_path: serde_json::Value,
    status: &'static str,
    lines_added: u64,
    lines_removed: u64,
}

/// Accumulates output and counters across the files of one run.
pub(crate) struct Report<'a> {
    ctx: &'a Context,
    opts: DiffOptions,
    stat: bool,
    name_only: bool,
    stat_rows: Vec<(String, u64, u64, bool)>,
    files_changed: u64,
    insertions: u64,
    deletions: u64,
    errors: u64,
}

impl<'a> Report<'a> {
    fn new(ctx: &'a Context, args: &DiffArgs) -> Self {
        Self {
            ctx,
            opts: DiffOptions { context: args.context, ignore_whitespace: args.ignore_whitespace },
            stat: args.stat,
            name_only: args.name_only,
            stat_rows: Vec::new(),
            files_changed: 0,
            insertions: 0,
            deletions: 0,
            errors: 0,
        }
    }

    /// Reports an unreadable file; the run goes on.
    pub(crate) fn item_error(
        &mut self,
        item: &str,
        err: &dyn std::fmt::Display,
    ) -> anyhow::Result<()> {
        self.errors += 1;
        self.ctx.printer.item_error(item, err)?;
        Ok(())
    }

    /// Compares one pair and prints what differs.
    pub(crate) fn pair(
        &mut self,
        (old_label, old_note): (&[u8], &str),
        (new_label, new_note): (&[u8], &str),
        old: &Side,
        new: &Side,
    ) -> anyhow::Result<()> {
        let empty: &[u8] = &[];
        let (old_bytes, new_bytes) = match (old, new) {
            (Side::Missing, Side::Missing) => return Ok(()),
            (Side::Content(a), Side::Content(b)) if a == b => return Ok(()),
            (Side::Content(a), Side::Missing) => (a.as_slice(), empty),
            (Side::Missing, Side::Content(b)) => (empty, b.as_slice()),
            (Side::Content(a), Side::Content(b)) => (a.as_slice(), b.as_slice()),
        };
        let binary = is_binary(old_bytes) || is_binary(new_bytes);
        let status = match (old, new, binary) {
            (Side::Missing, _, _) => "added",
            (_, Side::Missing, _) => "deleted",
            (_, _, true) => "binary",
            _ => "modified",
        };
        let diff = (!binary).then(|| TextDiff::new(old_bytes, new_bytes, &self.opts));
        if let Some(d) = &diff
            && !d.has_changes()
        {
            return Ok(()); // equal under --ignore-whitespace
        }
        let (added, removed) = diff.as_ref().map_or((0, 0), TextDiff::stats);
        self.files_changed += 1;
        self.insertions += added;
        self.deletions += removed;
        let shown = if matches!(new, Side::Missing) { old_label } else { new_label };
        let printer = &self.ctx.printer;
        let (old_name, new_name) =
            (label(old_label, old_note, old), label(new_label, new_note, new));
        if printer.is_json() {
            printer.record(
                "file",
                &FileRecord {
                    path: crate::output::json::path_value(shown),
                    old_path: crate::output::json::path_value(old_label),
                    status,
                    lines_added: added,
                    lines_removed: removed,
                },
            )?;
        }
        if self.name_only {
            if !printer.is_json() {
                printer.line(crate::paths::escape_bytes(shown))?;
            }
            return Ok(());
        }
        if self.stat {
            self.stat_rows.push((crate::paths::escape_bytes(shown), added, removed, binary));
            return Ok(());
        }
        let pal = printer.palette();
        let mut out = Vec::with_capacity(4096);
        if !printer.is_json() {
            out.extend_from_slice(pal.bold(&format!("--- {old_name}\n+++ {new_name}")).as_bytes());
            out.push(b'\n');
        }
        let Some(diff) = diff else {
            if printer.is_json() {
                return Ok(());
            }
            out.extend_from_slice(b"Binary files differ\n");
            printer.raw(&out)?;
            return Ok(());
        };
        for hunk in diff.hunks(self.opts.context) {
            if printer.is_json() {
                let rec = hunk.record(
                    crate::output::json::path_value(shown),
                    crate::output::json::path_value(old_label),
                );
                printer.record("hunk", &rec)?;
            } else {
                hunk.write_to(&mut out, pal, printer.color());
                if out.len() > 1 << 16 {
                    printer.raw(&out)?;
                    out.clear();
                }
            }
        }
        if !out.is_empty() {
            printer.raw(&out)?;
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<ExitStatus> {
        let printer = &self.ctx.printer;
        if self.stat && !printer.is_json() {
            let width = self.stat_rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
            let most = self.stat_rows.iter().map(|r| r.1 + r.2).max().unwrap_or(0).max(1);
            let pal = printer.palette();
            for (name, added, removed, binary) in &self.stat_rows {
                if *binary {
                    printer.line(format!(" {name:<width$} | Bin"))?;
                    continue;
                }
                // Scale the bar to at most 50 columns, as git does.
                let scale = |n: u64| if most > 50 { (n * 50).div_ceil(most) } else { n };
                let bar = format!(
                    "{}{}",
                    pal.added(&"+".repeat(scale(*added) as usize)),
                    pal.removed(&"-".repeat(scale(*removed) as usize))
                );
                printer.line(format!(" {name:<width$} | {:>5} {bar}", added + removed))?;
            }
            printer.line(format!(
                " {} file{} changed, {} insertion{}(+), {} deletion{}(-)",
                self.files_changed,
                plural(self.files_changed),
                self.insertions,
                plural(self.insertions),
                self.deletions,
                plural(self.deletions)
            ))?;
        }
        printer.summary_field("files_changed", self.files_changed);
        printer.summary_field("insertions", self.insertions);
        printer.summary_field("deletions", self.deletions);
        printer.summary_field("errors", self.errors);
        Ok(if self.errors > 0 {
            ExitStatus::Error
        } else if self.files_changed > 0 {
            ExitStatus::Negative
        } else {
            ExitStatus::Success
        })
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn label(name: &[u8], note: &str, side: &Side) -> String {
    match side {
        Side::Missing => "/dev/null".to_owned(),
        Side::Content(_) if note.is_empty() => crate::paths::escape_bytes(name),
        Side::Content(_) => format!("{}\t{note}", crate::paths::escape_bytes(name)),
    }
}

/// Runs `obby diff`.
///
/// # Errors
/// Missing files, no store (for tracked paths), bad revisions.
pub fn run(args: &DiffArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let mut report = Report::new(ctx, args);
    if let [a, b] = args.paths.as_slice() {
        if args.from.is_some() || args.to.is_some() {
            return Err(with_hint(
                "--from/--to compare versions of one tracked path",
                "give one path with --from/--to, or two files without them",
            ));
        }
        plain(&mut report, &ctx.cwd.join(a), &ctx.cwd.join(b), a, b)?;
    } else if let Some(p) = args.paths.first() {
        revs::tracked(&mut report, ctx, p, args.from.as_deref(), args.to.as_deref())?;
    }
    report.finish()
}

fn os_bytes(p: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes()
}

fn read_side(report: &mut Report<'_>, path: &Path) -> anyhow::Result<Option<Side>> {
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(Side::Missing)),
        Err(e) => {
            report.item_error(&display_path(path), &e)?;
            return Ok(None);
        }
    };
    let read = if md.file_type().is_symlink() {
        std::fs::read_link(path).map(|t| os_bytes(&t).to_vec())
    } else {
        std::fs::read(path)
    };
    match read {
        Ok(bytes) => Ok(Some(Side::Content(bytes))),
        Err(e) => {
            report.item_error(&display_path(path), &e)?;
            Ok(None)
        }
    }
}

/// Two plain files or directories (no store needed).
fn plain(
    report: &mut Report<'_>,
    a: &Path,
    b: &Path,
    a_arg: &Path,
    b_arg: &Path,
) -> anyhow::Result<()> {
    let missing = |p: &Path, arg: &Path| {
        if p.symlink_metadata().is_err() {
            Err(with_hint(
                format!("`{}`: no such file or directory", display_path(arg)),
                "check the path",
            ))
        } else {
            Ok(())
        }
    };
    missing(a, a_arg)?;
    missing(b, b_arg)?;
    match (a.is_dir(), b.is_dir()) {
        (false, false) => {
            let (Some(old), Some(new)) = (read_side(report, a)?, read_side(report, b)?) else {
                return Ok(());
            };
            report.pair((os_bytes(a_arg), ""), (os_bytes(b_arg), ""), &old, &new)
        }
        (true, true) => {
            let old = dirs::list_files(a)
                .map_err(|e| anyhow::anyhow!("cannot list `{}`: {e}", display_path(a_arg)))?;
            let new = dirs::list_files(b)
                .map_err(|e| anyhow::anyhow!("cannot list `{}`: {e}", display_path(b_arg)))?;
            for pair in dirs::pair(&old, &new) {
                let old_path = pair.rel.to_path(a);
                let new_path = pair.rel.to_path(b);
                let old =
                    if pair.in_old { read_side(report, &old_path)? } else { Some(Side::Missing) };
                let new =
                    if pair.in_new { read_side(report, &new_path)? } else { Some(Side::Missing) };
                if let (Some(old), Some(new)) = (old, new) {
                    let ol = join_label(a_arg, &pair.rel);
                    let nl = join_label(b_arg, &pair.rel);
                    report.pair((&ol, ""), (&nl, ""), &old, &new)?;
                }
            }
            Ok(())
        }
        _ => Err(with_hint(
            format!(
                "cannot compare a directory with a file (`{}`, `{}`)",
                display_path(a_arg),
                display_path(b_arg)
            ),
            "give two files or two directories",
        )),
    }
}

fn join_label(base: &Path, rel: &RelPath) -> Vec<u8> {
    let mut out = os_bytes(base).to_vec();
    if !out.ends_with(b"/") {
        out.push(b'/');
    }
    out.extend_from_slice(rel.as_bytes());
    out
}
