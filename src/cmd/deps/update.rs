//! `obby deps update`: prints the upgrade plan and, with `--auto-patch`, applies it with the
//! ecosystem's tool (or edits `requirements*.txt` directly), then audits again.

use std::path::Path;
use std::process::Command;

use comfy_table::Cell;

use super::{build_policy, collect, counts, open_db};
use crate::cli::deps::UpdateArgs;
use crate::deps::lockfile::LockKind;
use crate::deps::update::{self, Planned};
use crate::error::with_hint;
use crate::output::table::new_table;
use crate::{Context, ExitStatus};

pub(super) fn run(args: &UpdateArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = open_db(&args.opts.db, ctx)?;
    let policy = build_policy(&args.opts, ctx)?;
    let collected = collect(&args.opts, &db, &policy, ctx)?;
    if collected.found == 0 {
        return Err(with_hint("no lockfile found", "give a directory that holds lockfiles"));
    }
    let mut plans: Vec<Planned> = Vec::new();
    for a in &collected.results {
        plans.extend(update::plan(&db, a.lockfile.kind, &a.findings)?);
    }
    ctx.printer.summary_field("planned", plans.len());
    if ctx.printer.is_json() {
        for p in &plans {
            ctx.printer.record("plan", p)?;
        }
    } else if plans.is_empty() {
        ctx.printer.info("nothing to update: no vulnerable package with a policy of deny or warn");
    } else {
        let mut table = new_table(
            ["Lockfile", "Package", "From", "To", "Compatible", "Fixes", "Still affected"],
            args.opts.wide,
        );
        for p in &plans {
            table.add_row(vec![
                Cell::new(&p.lockfile),
                Cell::new(&p.package),
                Cell::new(&p.from),
                Cell::new(p.to.as_deref().unwrap_or("(no fix known)")),
                Cell::new(if p.compatible { "yes" } else { "no" }),
                Cell::new(p.fixes.join(", ")),
                Cell::new(p.remaining.join(", ")),
            ]);
        }
        ctx.printer.line(table)?;
    }
    let mut status = if collected.errors > 0 { ExitStatus::Error } else { ExitStatus::Success };
    if !args.auto_patch {
        if counts(&collected.results).failing > 0 {
            status = status.max(ExitStatus::Negative);
        }
        return Ok(status);
    }
    let mut applied = 0;
    for p in plans.iter().filter(|p| p.to.is_some()) {
        match apply(p, args.dry_run, ctx) {
            Ok(true) => applied += 1,
            Ok(false) => {}
            Err(e) => {
                ctx.printer.item_error(format!("{} {}", p.lockfile, p.package), e)?;
                status = ExitStatus::Error;
            }
        }
    }
    ctx.printer.summary_field("applied", applied);
    if args.dry_run {
        return Ok(status);
    }
    // Audit again and report what is left.
    let after = collect(&args.opts, &db, &policy, ctx)?;
    let c = counts(&after.results);
    ctx.printer.summary_field("failing_after", c.failing);
    ctx.printer.info(format!("after the update: {} failing, {} warning(s)", c.failing, c.warnings));
    if c.failing > 0 {
        status = status.max(ExitStatus::Negative);
    }
    Ok(status)
}

fn tool_exists(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

/// Applies one planned upgrade; `Ok(false)` when it could not be applied automatically.
fn apply(p: &Planned, dry_run: bool, ctx: &Context) -> anyhow::Result<bool> {
    let Some(to) = &p.to else { return Ok(false) };
    let lockfile = ctx.cwd.join(&p.lockfile);
    let dir = lockfile.parent().unwrap_or(Path::new(".")).to_owned();
    if p.kind == LockKind::Requirements {
        let text = std::fs::read_to_string(&lockfile)?;
        let (new, changed) = update::patch_requirements(&text, &p.package, &p.from, to);
        if changed == 0 {
            ctx.printer.warn(format!(
                "{}: no `{}=={}` line to edit (hash-pinned lines are left alone)",
                p.lockfile, p.package, p.from
            ));
            return Ok(false);
        }
        if dry_run {
            ctx.printer.info(format!(
                "would edit {}: {}=={} -> {}=={to}",
                p.lockfile, p.package, p.from, p.package
            ));
        } else {
            std::fs::write(&lockfile, new)?;
            ctx.printer.info(format!(
                "edited {}: {}=={} -> {}=={to}",
                p.lockfile, p.package, p.from, p.package
            ));
        }
        return Ok(true);
    }
    let argv: Vec<String> = match p.kind {
        LockKind::CargoLock => vec![
            "cargo".into(),
            "update".into(),
            "-p".into(),
            format!("{}@{}", p.package, p.from),
            "--precise".into(),
            to.clone(),
        ],
        LockKind::PackageLock => vec![
            "npm".into(),
            "install".into(),
            "--package-lock-only".into(),
            format!("{}@{to}", p.package),
        ],
        LockKind::UvLock => vec![
            "uv".into(),
            "lock".into(),
            "--upgrade-package".into(),
            format!("{}=={to}", p.package),
        ],
        LockKind::PoetryLock => vec!["poetry".into(), "update".into(), p.package.clone()],
        LockKind::PnpmLock => vec!["pnpm".into(), "update".into(), format!("{}@{to}", p.package)],
        LockKind::YarnLock => vec!["yarn".into(), "up".into(), format!("{}@{to}", p.package)],
        LockKind::GoMod | LockKind::GoSum => vec![
            "go".into(),
            "get".into(),
            format!("{}@v{}", p.package, to.trim_start_matches('v')),
        ],
        LockKind::PipfileLock => vec!["pipenv".into(), "update".into(), p.package.clone()],
        LockKind::Requirements => unreachable!("handled above"),
    };
    let line = argv.join(" ");
    if dry_run {
        ctx.printer.info(format!("would run in {}: {line}", dir.display()));
        return Ok(true);
    }
    if !tool_exists(&argv[0]) {
        ctx.printer.warn(format!(
            "`{}` is not installed; run by hand in {}: {line}",
            argv[0],
            dir.display()
        ));
        return Ok(false);
    }
    ctx.printer.info(format!("running in {}: {line}", dir.display()));
    let out = Command::new(&argv[0]).args(&argv[1..]).current_dir(&dir).output()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        anyhow::bail!("`{line}` failed: {}", err.lines().last().unwrap_or("").trim());
    }
    Ok(true)
}
