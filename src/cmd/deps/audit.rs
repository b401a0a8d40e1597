//! `obby deps audit` and `obby deps check`: the tables for humans, the records for machines, and
//! the exit status (check: `--fail-on`, `--max-db-age`, `--ci-mode`, `--allow-empty`).

use comfy_table::Cell;

use super::{Collected, build_policy, collect, counts, open_db, severity, summary, write_records};
use crate::cli::deps::{AuditArgs, CheckArgs};
use crate::deps::audit::{Audited, Decision, Finding};
use crate::deps::db::Db;
use crate::deps::{Ecosystem, Severity};
use crate::error::with_hint;
use crate::output::Palette;
use crate::output::table::{new_table, truncate};
use crate::{Context, ExitStatus};

/// `obby deps audit`.
pub(super) fn run_audit(args: &AuditArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = open_db(&args.opts.db, ctx)?;
    let policy = build_policy(&args.opts, ctx)?;
    let collected = collect(&args.opts, &db, &policy, ctx)?;
    if collected.found == 0 {
        return Err(with_hint(
            "no lockfile found",
            "give a directory that holds Cargo.lock, package-lock.json, yarn.lock, poetry.lock, go.mod, ...",
        ));
    }
    let c = counts(&collected.results);
    let mut status = ExitStatus::Success;
    if c.failing > 0 {
        status = ExitStatus::Negative;
    }
    if collected.errors > 0 {
        status = ExitStatus::Error;
    }
    show(&collected, ctx, ctx.printer.palette(), args.opts.wide)?;
    let result = result_word(&c, &collected);
    summary(&c, &collected, result, ctx);
    say_summary(&c, &collected, result, ctx);
    Ok(status)
}

fn result_word(c: &super::Counts, collected: &Collected) -> &'static str {
    if collected.errors > 0 {
        "error"
    } else if c.failing > 0 || c.warnings > 0 {
        "vulnerable"
    } else if c.not_checked > 0 {
        "not checked"
    } else {
        "clean"
    }
}

fn say_summary(c: &super::Counts, collected: &Collected, result: &str, ctx: &Context) {
    let mut line = format!(
        "{} lockfile(s), {} package(s): {} failing, {} warning(s), {} ignored",
        collected.results.len(),
        c.packages,
        c.failing,
        c.warnings,
        c.ignored
    );
    if c.not_checked > 0 {
        line.push_str(&format!(", {} not checked", c.not_checked));
    }
    if collected.errors > 0 {
        line.push_str(&format!(", {} lockfile(s) could not be read", collected.errors));
    }
    if result == "clean" {
        line.push_str(": no known vulnerabilities");
    }
    ctx.printer.info(line);
}

fn sev_cell(f: &Finding, pal: Palette) -> String {
    let text = match f.score {
        Some(s) => format!("{} {s:.1}", f.severity.as_str()),
        None if f.severity == Severity::None => f.kind.as_str().to_owned(),
        None => f.severity.as_str().to_owned(),
    };
    match f.severity {
        Severity::Critical | Severity::High | Severity::Unknown => pal.matched(&text),
        Severity::Medium => pal.warn(&text),
        _ => text,
    }
}

/// Tables per lockfile, grouped by package; warnings and ignored findings after them; then
/// what was not checked.
fn show(collected: &Collected, ctx: &Context, pal: Palette, wide: bool) -> anyhow::Result<()> {
    if ctx.printer.is_json() {
        return write_records(&collected.results, ctx);
    }
    for a in &collected.results {
        show_one(a, ctx, pal, wide)?;
    }
    Ok(())
}

fn show_one(a: &Audited, ctx: &Context, pal: Palette, wide: bool) -> anyhow::Result<()> {
    let p = &ctx.printer;
    let mut shown: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| matches!(f.decision, Decision::Fail | Decision::Warn | Decision::Ignored))
        .collect();
    if shown.is_empty() && a.not_checked.is_empty() {
        return Ok(());
    }
    shown.sort_by(|x, y| {
        (x.package.as_str(), x.version.as_str(), x.decision != Decision::Fail, x.advisory.as_str())
            .cmp(&(
                y.package.as_str(),
                y.version.as_str(),
                y.decision != Decision::Fail,
                y.advisory.as_str(),
            ))
    });
    let packages = a
        .lockfile
        .packages
        .iter()
        .filter(|p| p.origin != crate::deps::lockfile::Origin::Workspace)
        .count();
    p.line(pal.bold(&format!(
        "{} ({} packages{})",
        pal.path(&a.lockfile.path.display().to_string()),
        packages,
        if a.cached { ", cached" } else { "" }
    )))?;
    if !shown.is_empty() {
        let mut table = new_table(
            ["Package", "Advisory", "Severity", "Fixed in", "Decision", "Title / dependency path"],
            wide,
        );
        let mut last: Option<(&str, &str)> = None;
        for f in shown {
            let first = last != Some((f.package.as_str(), f.version.as_str()));
            last = Some((f.package.as_str(), f.version.as_str()));
            let decision = match f.decision {
                Decision::Fail => pal.matched("fail"),
                Decision::Warn => pal.warn("warn"),
                _ => pal.dim(&f.decision_label()),
            };
            table.add_row(vec![
                Cell::new(if first {
                    format!("{} {}", f.package, f.version)
                } else {
                    String::new()
                }),
                Cell::new(&f.advisory),
                Cell::new(sev_cell(f, pal)),
                Cell::new(f.fixed.as_deref().unwrap_or("-")),
                Cell::new(decision),
                Cell::new(format!(
                    "{}\n{}",
                    if wide { f.title.clone() } else { truncate(&f.title, 70) },
                    pal.dim(&f.path.join(" -> "))
                )),
            ]);
        }
        if !wide {
            use comfy_table::ColumnConstraint::ContentWidth;
            for i in 0..5 {
                if let Some(col) = table.column_mut(i) {
                    col.set_constraint(ContentWidth);
                }
            }
        }
        p.line(table)?;
    }
    for n in &a.not_checked {
        let what = match (&n.package, &n.version) {
            (Some(pk), Some(v)) => format!("{pk} {v}"),
            _ => format!("{} {} package(s)", n.packages, n.ecosystem),
        };
        p.line(format!("  {} {what}: {}", pal.warn("not checked:"), n.reason))?;
    }
    p.line("")?;
    Ok(())
}

/// Age in days of the data covering `ecosystems` (the oldest relevant source).
fn data_age_days(db: &Db, ecosystems: &[Ecosystem]) -> anyhow::Result<Option<f64>> {
    let now = jiff::Timestamp::now();
    let mut worst: Option<f64> = None;
    for s in db.sources()? {
        if !ecosystems.iter().any(|e| s.ecosystems.contains_key(e.as_str())) {
            continue;
        }
        let when = s
            .data_date
            .as_deref()
            .and_then(|d| {
                d.parse::<jiff::Timestamp>().ok().or_else(|| {
                    d.get(..10)?
                        .parse::<jiff::civil::Date>()
                        .ok()?
                        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                        .ok()
                        .map(|z| z.timestamp())
                })
            })
            .or_else(|| jiff::Timestamp::from_second(s.imported_at).ok());
        if let Some(t) = when {
            let days = (now.as_second() - t.as_second()) as f64 / 86_400.0;
            worst = Some(worst.map_or(days, |w: f64| w.max(days)));
        }
    }
    Ok(worst)
}

/// `obby deps check`.
pub(super) fn run_check(args: &CheckArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = open_db(&args.opts.db, ctx)?;
    let mut policy = build_policy(&args.opts, ctx)?;
    policy.fail_on = Some(if let Some(s) = args.fail_on {
        severity(s)
    } else {
        let text = ctx.settings.get("deps.fail_on");
        Severity::parse(text).ok_or_else(|| {
            with_hint(
                format!("setting `deps.fail_on` = `{text}` is not a severity"),
                "use low, medium, high or critical",
            )
        })?
    });
    let max_age = match &args.max_db_age {
        Some(t) => crate::timeparse::parse_duration(t)
            .map_err(|e| with_hint(format!("--max-db-age `{t}`: {e}"), "e.g. 7d, 36h"))?,
        None => ctx.settings.get_duration("deps.max_db_age")?,
    };
    let collected = collect(&args.opts, &db, &policy, ctx)?;
    if collected.found == 0 {
        if args.allow_empty {
            ctx.printer.info("no lockfile found (allowed by --allow-empty)");
            summary(&counts(&[]), &collected, "empty", ctx);
            return Ok(ExitStatus::Success);
        }
        return Err(with_hint(
            "no lockfile found",
            "run in a project directory, give paths, or pass --allow-empty",
        ));
    }
    let c = counts(&collected.results);
    let pal = if args.ci_mode { Palette::new(false) } else { ctx.printer.palette() };
    show(&collected, ctx, pal, args.opts.wide)?;
    let mut ecos: Vec<Ecosystem> =
        collected.results.iter().map(|a| a.lockfile.kind.ecosystem()).collect();
    ecos.sort();
    ecos.dedup();
    let age = data_age_days(&db, &ecos)?;
    let max_days = max_age.as_secs_f64() / 86_400.0;
    let mut status = ExitStatus::Success;
    if c.failing > 0 {
        status = ExitStatus::Negative;
    }
    if let Some(days) = age.filter(|d| *d > max_days) {
        ctx.printer.warn(format!(
            "advisory data is {days:.0} days old (--max-db-age is {max_days:.0} days); run `obby deps db update`"
        ));
        status = status.max(ExitStatus::Negative);
    }
    if let Some(days) = age {
        ctx.printer.summary_field("db_age_days", (days * 10.0).round() / 10.0);
    }
    if c.not_checked > 0 {
        if args.ci_mode {
            for a in &collected.results {
                for n in &a.not_checked {
                    let item = match &n.package {
                        Some(p) => {
                            format!("{}: {p} {}", n.lockfile, n.version.as_deref().unwrap_or(""))
                        }
                        None => format!("{}: {} packages", n.lockfile, n.packages),
                    };
                    eprintln_not_checked(&item, &n.reason);
                }
            }
            status = ExitStatus::Error;
        } else {
            ctx.printer.warn(format!(
                "{} package(s) not checked; in --ci-mode this is an error",
                c.not_checked
            ));
        }
    }
    if collected.errors > 0 {
        status = ExitStatus::Error;
    }
    let result = if status == ExitStatus::Error && c.not_checked > 0 && collected.errors == 0 {
        "not checked"
    } else {
        result_word(&c, &collected)
    };
    summary(&c, &collected, result, ctx);
    ctx.printer.summary_field("fail_on", policy.fail_on.map(Severity::as_str));
    say_summary(&c, &collected, result, ctx);
    Ok(status)
}

/// `obby: <item>: not checked: <reason>` on stderr (the `not_checked` record carries it in JSON).
fn eprintln_not_checked(item: &str, reason: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "obby: {item}: not checked: {reason}");
}
