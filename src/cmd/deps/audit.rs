//! `obby deps audit` and `obby deps check`: the tables for humans, the records for machines, and
//! the exit status (check: `--fail-on`, `--max-db-age`, `--ci-mode`, `--allow-empty`).

use super::{Collected, build_policy, collect, counts, open_db, severity, summary, write_records};
use crate::cli::deps::{AuditArgs, CheckArgs};
use crate::deps::audit::{Audited, Decision, Finding};
use crate::deps::db::Db;
use crate::deps::{Ecosystem, Severity};
use crate::error::with_hint;
use crate::output::Palette;
use crate::output::table::{Paint, display_width, render_fixed, table_width, truncate};
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
    exit_without_freeing(db, collected);
    Ok(status)
}

/// The run ends here: the parsed advisories and results are left for the process exit to
/// reclaim, as freeing their many small allocations one by one cost a tenth of a whole audit.
fn exit_without_freeing(db: Db, collected: Collected) {
    std::mem::forget(db);
    std::mem::forget(collected);
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

fn sev_text(f: &Finding) -> String {
    match f.score {
        Some(s) => format!("{} {s:.1}", f.severity.as_str()),
        None if f.severity == Severity::None => f.kind.as_str().to_owned(),
        None => f.severity.as_str().to_owned(),
    }
}

fn sev_paint(f: &Finding) -> Paint {
    match f.severity {
        Severity::Critical | Severity::High | Severity::Unknown => Paint::Matched,
        Severity::Medium => Paint::Warn,
        _ => Paint::Plain,
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
        let headers =
            ["Package", "Advisory", "Severity", "Fixed in", "Decision", "Title / dependency path"];
        let mut widths = headers.map(display_width);
        let mut rows = Vec::with_capacity(shown.len());
        let mut last: Option<(&str, &str)> = None;
        for f in shown {
            let first = last != Some((f.package.as_str(), f.version.as_str()));
            last = Some((f.package.as_str(), f.version.as_str()));
            let package =
                if first { format!("{} {}", f.package, f.version) } else { String::new() };
            let title = if wide { f.title.clone() } else { truncate(&f.title, 70) };
            let path = f.path.join(" -> ");
            let label = f.decision_label();
            let sev = sev_text(f);
            let fixed = f.fixed.as_deref().unwrap_or("-");
            let longer = if display_width(&title) > display_width(&path) { &title } else { &path };
            let plain = [package.as_str(), f.advisory.as_str(), &sev, fixed, &label, longer];
            for (w, text) in widths.iter_mut().zip(plain) {
                *w = (*w).max(display_width(text));
            }
            let decision = match f.decision {
                Decision::Fail => Paint::Matched,
                Decision::Warn => Paint::Warn,
                _ => Paint::Dim,
            };
            rows.push(vec![
                vec![(package, Paint::Plain)],
                vec![(f.advisory.clone(), Paint::Plain)],
                vec![(sev, sev_paint(f))],
                vec![(fixed.to_owned(), Paint::Plain)],
                vec![(label, decision)],
                vec![(title, Paint::Plain), (path, Paint::Dim)],
            ]);
        }
        if !wide {
            widths = fit_widths(widths, table_width());
        }
        p.line(render_fixed(&headers, &rows, &widths, pal))?;
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

/// Content widths of the six columns for a table `total` columns wide (each column also takes
/// 2 of padding, and 5 separators lie between them): ids and severities whole; package, fix and
/// decision capped (they wrap past the cap, and give way, fix first, when space is short); the
/// title / dependency path column takes what is left, at least [`TITLE_MIN`]. (Keeping every
/// other column at its content width left the title a few characters wide at 100 columns and
/// made a 600-package audit thousands of lines long.)
fn fit_widths(content: [usize; 6], total: usize) -> [usize; 6] {
    let caps = [30, usize::MAX, usize::MAX, 14, 12, usize::MAX];
    let floors = [10, 0, 0, 8, 8, 0];
    let mut w = [0; 6];
    for i in 0..5 {
        w[i] = content[i].min(caps[i]);
    }
    // Two of padding per column and one separator between columns.
    let room = |w: &[usize; 6]| total.saturating_sub(w[..5].iter().sum::<usize>() + 12 + 5);
    for i in [3, 4, 0] {
        let short = TITLE_MIN.saturating_sub(room(&w));
        w[i] = w[i].saturating_sub(short).max(floors[i].min(w[i]));
    }
    w[5] = content[5].min(room(&w).max(TITLE_MIN));
    w
}

/// The narrowest the title / dependency path column gets in a fitted table.
const TITLE_MIN: usize = 26;

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
    exit_without_freeing(db, collected);
    Ok(status)
}

/// `obby: <item>: not checked: <reason>` on stderr (the `not_checked` record carries it in JSON).
fn eprintln_not_checked(item: &str, reason: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "obby: {item}: not checked: {reason}");
}

#[cfg(test)]
mod tests {
    use super::{TITLE_MIN, fit_widths};

    fn table_width(w: [usize; 6]) -> usize {
        w.iter().sum::<usize>() + 12 + 5
    }

    #[test]
    fn the_title_keeps_its_room_in_100_columns() {
        // A long package name, a RustSec id, a scored severity, a long fix and decision.
        let w = fit_widths([40, 17, 13, 20, 20, 90], 100);
        assert!(w[5] >= TITLE_MIN, "{w:?}");
        assert_eq!(table_width(w), 100, "{w:?}");
        assert_eq!((w[1], w[2]), (17, 13), "ids and severities are never cut");
    }

    #[test]
    fn short_content_is_not_padded_and_wide_terminals_give_the_title_more() {
        assert_eq!(fit_widths([12, 17, 8, 5, 4, 40], 200), [12, 17, 8, 5, 4, 40]);
        let w = fit_widths([30, 17, 13, 14, 12, 120], 200);
        assert_eq!(w[5], 200 - (30 + 17 + 13 + 14 + 12) - 17);
    }
}
