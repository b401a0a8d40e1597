//! `obby deps report`: the full inventory with findings, as JSON Lines, SARIF, Markdown or
//! CycloneDX. The documents are written whole (to stdout or `--output`); with `--json` a
//! non-JSON-Lines document is wrapped in one `report` record so stdout stays JSON Lines.

use anyhow::Context as _;

use super::{build_policy, collect, counts, open_db, summary};
use crate::cli::deps::{ReportArgs, ReportFormat};
use crate::deps::report;
use crate::error::with_hint;
use crate::{Context, ExitStatus};

pub(super) fn run(args: &ReportArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = open_db(&args.opts.db, ctx)?;
    let policy = build_policy(&args.opts, ctx)?;
    let collected = collect(&args.opts, &db, &policy, ctx)?;
    if collected.found == 0 {
        return Err(with_hint("no lockfile found", "give a directory that holds lockfiles"));
    }
    let c = counts(&collected.results);
    let results = &collected.results;
    let status = if collected.errors > 0 { ExitStatus::Error } else { ExitStatus::Success };
    summary(&c, &collected, if collected.errors > 0 { "error" } else { "reported" }, ctx);
    if args.format == ReportFormat::Json {
        if let Some(out) = &args.output {
            let mut text = String::new();
            for (kind, data) in json_lines(results) {
                text.push_str(&crate::output::json::envelope(kind, &data)?);
                text.push('\n');
            }
            let summary = serde_json::json!({
                "schema": crate::output::json::SCHEMA_VERSION, "command": "deps report",
                "lockfiles": results.len(), "packages": c.packages, "findings": c.findings,
                "failing": c.failing, "not_checked": c.not_checked, "exit_code": status.code(),
            });
            text.push_str(&crate::output::json::envelope("summary", &summary)?);
            text.push('\n');
            write_out(&ctx.cwd.join(out), &text)?;
            return Ok(status);
        }
        for (kind, data) in json_lines(results) {
            ctx.printer.record(kind, &data)?;
        }
        if !ctx.printer.is_json() {
            // Without --json the printer writes no summary of its own; the report needs one.
            ctx.printer.record(
                "summary",
                &serde_json::json!({
                    "schema": crate::output::json::SCHEMA_VERSION, "command": "deps report",
                    "lockfiles": results.len(), "packages": c.packages, "findings": c.findings,
                    "failing": c.failing, "not_checked": c.not_checked, "exit_code": status.code(),
                }),
            )?;
        }
        return Ok(status);
    }
    let now = jiff::Timestamp::now().to_string();
    let text = match args.format {
        ReportFormat::Sarif => serde_json::to_string_pretty(&report::sarif(results))?,
        ReportFormat::Cyclonedx => serde_json::to_string_pretty(&report::cyclonedx(results, &now))?,
        _ => report::markdown(results),
    };
    if let Some(out) = &args.output {
        write_out(&ctx.cwd.join(out), &format!("{text}\n"))?;
    } else if ctx.printer.is_json() {
        let format = format!("{:?}", args.format).to_ascii_lowercase();
        let document: serde_json::Value =
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text.clone()));
        ctx.printer
            .record("report", &serde_json::json!({ "format": format, "document": document }))?;
    } else {
        ctx.printer.line(text)?;
    }
    Ok(status)
}

fn write_out(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
}

fn json_lines(results: &[crate::deps::audit::Audited]) -> Vec<(&'static str, serde_json::Value)> {
    let mut out = Vec::new();
    for a in results {
        for p in &a.lockfile.packages {
            out.push((
                "package",
                serde_json::json!({
                    "lockfile": a.lockfile.path.display().to_string(),
                    "ecosystem": p.ecosystem, "name": p.name, "version": p.version,
                    "scope": p.scope, "origin": p.origin, "direct": p.direct, "path": p.path,
                    "purl": report::purl(p.ecosystem, &p.name, &p.version),
                }),
            ));
        }
        for f in &a.findings {
            out.push(("finding", serde_json::to_value(f).unwrap_or_default()));
        }
        for n in &a.not_checked {
            out.push(("not_checked", serde_json::to_value(n).unwrap_or_default()));
        }
    }
    out
}
