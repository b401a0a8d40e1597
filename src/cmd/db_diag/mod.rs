//! `obby db-diag`: resolves the target and the run's options, opens the database through its
//! driver, runs the selected checks one by one and hands each report to `render`.
//!
//! JSON Lines records (`--json` or `--format json`), in order:
//! - `target`: `{engine, target, profile}` (the PostgreSQL target never carries a password);
//! - `ddl`: `{sql, applied}` for each statement of `--dry-run` / `--apply`;
//! - per check, its `finding` records `{check, severity, object, message, suggestion}`, then a
//!   `check` record `{id, status: ok|findings|skipped|error, reason, duration_ms, findings,
//!   table: {columns, rows} | null}`;
//! - the closing `summary` adds `engine`, `profile`, `findings: {error, warning, info}`,
//!   `checks: {id: duration_ms}`, `fail_on`.
//!
//! `--list-checks` writes one `check_def` record `{id, summary, profile, engines}` per check.

mod render;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::db_diag::{DbDiagArgs, FailOn, Format};
use crate::dbdiag::{self, DbDiagError, Driver, Options, Profile, Severity};
use crate::error::{ResultExt as _, with_hint};
use crate::output::{Printer, PrinterOptions};
use crate::{Context, ExitStatus};

/// Runs `obby db-diag`.
///
/// # Errors
/// Bad flags or input files, a database that cannot be opened or reached.
pub fn run(args: &DbDiagArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if args.format == Format::Sarif && ctx.printer.is_json() {
        return Err(with_hint(
            "`--format sarif` cannot be combined with `--json`",
            "drop `--json`; SARIF is one JSON document",
        ));
    }
    if args.format != Format::Json || ctx.printer.is_json() {
        return diagnose(args, ctx, &ctx.printer);
    }
    // `--format json` without the global `--json`: a JSON printer of our own, closed here, so
    // failures are JSON records too.
    let printer = Printer::new(PrinterOptions { json: true, ..PrinterOptions::default() });
    printer.set_command("db-diag");
    match diagnose(args, ctx, &printer) {
        Ok(status) => {
            printer.finish(status)?;
            Ok(status)
        }
        Err(e) if crate::error::is_broken_pipe(&e) || crate::error::is_interrupted(&e) => Err(e),
        Err(e) => {
            printer.report_error(&e);
            let _ = printer.finish(ExitStatus::Error);
            Ok(ExitStatus::Error)
        }
    }
}

/// Where the database is.
enum Target {
    Sqlite(PathBuf),
    Postgres(Box<dbdiag::pg::PgTarget>),
}

fn resolve_target(args: &DbDiagArgs, ctx: &Context) -> anyhow::Result<Target> {
    match args.target.as_deref() {
        Some(t) if t.starts_with("postgres://") || t.starts_with("postgresql://") => {
            Ok(Target::Postgres(Box::new(dbdiag::pg::PgTarget::from_dsn(t)?)))
        }
        Some(t) if args.pg => Ok(Target::Postgres(Box::new(dbdiag::pg::PgTarget::from_dsn(t)?))),
        None if args.pg => Ok(Target::Postgres(Box::new(dbdiag::pg::PgTarget::from_env()?))),
        Some(t) => {
            let path = t.strip_prefix("sqlite:").unwrap_or(t);
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(with_hint("empty SQLite path", "give a file: `obby db-diag app.db`"));
            }
            Ok(Target::Sqlite(ctx.cwd.join(path)))
        }
        None => {
            let loc = ctx.locate_store().context("no target given and no obby store found")?;
            Ok(Target::Sqlite(loc.db_path()))
        }
    }
}

fn duration(text: &str, flag: &str) -> anyhow::Result<Duration> {
    crate::timeparse::parse_duration(text)
        .with_context(|| format!("bad {flag} `{text}`"))
        .hint("durations look like 500ms, 5s, 2m")
}

fn options(args: &DbDiagArgs, ctx: &Context) -> anyhow::Result<Options> {
    for id in args.checks.iter().chain(&args.skips) {
        if dbdiag::check_def(id).is_none() {
            return Err(with_hint(
                format!("unknown check `{id}`"),
                "see `obby db-diag --list-checks` for the check ids",
            ));
        }
    }
    let profile = if let Some(p) = args.profile {
        p
    } else {
        let name = ctx.settings.get("dbdiag.profile");
        Profile::parse(name).ok_or_else(|| {
            with_hint(
                format!("setting `dbdiag.profile` = `{name}` is not a profile"),
                "use quick, standard, deep or full",
            )
        })?
    };
    let mut only = args.checks.clone();
    if (args.apply || args.dry_run) && only.is_empty() {
        only.push("declared_indexes".into());
    }
    let queries = match &args.queries {
        Some(p) => dbdiag::workload::load_queries(&ctx.cwd.join(p))?,
        None => Vec::new(),
    };
    let log =
        args.log.as_ref().map(|p| dbdiag::workload::load_log(&ctx.cwd.join(p))).transpose()?;
    let declared =
        args.indexes.as_ref().map(|p| dbdiag::declared::load(&ctx.cwd.join(p))).transpose()?;
    Ok(Options {
        profile,
        only,
        skip: args.skips.clone(),
        queries,
        queries_source: args.queries.clone(),
        log,
        n_plus_one_min: args.n_plus_one_min,
        declared,
    })
}

fn hint_for(e: DbDiagError) -> anyhow::Error {
    let hint = match &e {
        DbDiagError::Missing(_) => "check the path; db-diag never creates a database",
        DbDiagError::NotADatabase(_) => {
            "is it a SQLite file? (an encrypted database cannot be read)"
        }
        DbDiagError::Busy { .. } => "retry when the writer is done, or raise --busy-timeout",
        DbDiagError::PgConnect { .. } => {
            "check the DSN or the PG* variables, and that the server is up"
        }
        DbDiagError::Syntax { .. } => "fix the file at that position",
        _ => return e.into(),
    };
    match Err::<(), _>(e).hint(hint) {
        Err(e) => e,
        Ok(()) => anyhow::anyhow!("unreachable"),
    }
}

fn diagnose(args: &DbDiagArgs, ctx: &Context, printer: &Printer) -> anyhow::Result<ExitStatus> {
    if args.list_checks {
        return render::list_checks(printer);
    }
    let opts = options(args, ctx).map_err(|e| match e.downcast::<DbDiagError>() {
        Ok(d) => hint_for(d),
        Err(e) => e,
    })?;
    if args.apply && !args.allow_write {
        return Err(with_hint(
            "`--apply` writes to the database",
            "add `--allow-write` to allow it",
        ));
    }
    let target = resolve_target(args, ctx)?;
    let busy = match &args.busy_timeout {
        Some(t) => duration(t, "--busy-timeout")?,
        None => ctx.settings.get_duration("dbdiag.busy_timeout")?,
    };
    let stmt_timeout = duration(&args.statement_timeout, "--statement-timeout")?;
    let mut report = render::Report::new(printer, args.format, args.fail_on);
    let mut driver: Box<dyn Driver> = match &target {
        Target::Sqlite(path) => {
            if args.apply || args.dry_run {
                apply_sqlite(path, busy, &opts, args.apply, &mut report)?;
            }
            match dbdiag::sqlite::Sqlite::open(path, busy) {
                Ok(db) => Box::new(db),
                Err(DbDiagError::Corrupt { detail, .. }) => {
                    report.target("sqlite", &path.display().to_string(), opts.profile)?;
                    let detail = dbdiag::sqlite::truncation(path).unwrap_or(detail);
                    report.corrupt(&detail)?;
                    return report.finish(Some(&path.display().to_string()));
                }
                Err(e) => return Err(hint_for(e)),
            }
        }
        Target::Postgres(t) => {
            let mut pg = dbdiag::pg::Postgres::connect(t, stmt_timeout).map_err(hint_for)?;
            if args.apply || args.dry_run {
                let decl = opts.declared.as_deref().unwrap_or_default();
                for (sql, applied) in pg.apply(decl, args.apply).map_err(hint_for)? {
                    report.ddl(&sql, applied)?;
                }
            }
            Box::new(pg)
        }
    };
    let (engine, shown) = match &target {
        Target::Sqlite(p) => ("sqlite", p.display().to_string()),
        Target::Postgres(t) => ("postgres", t.display.clone()),
    };
    report.target(engine, &shown, opts.profile)?;
    let _ = ctx.catch_interrupts();
    for def in opts.selected() {
        ctx.check_interrupted()?;
        let r = dbdiag::run_check(driver.as_mut(), def, &opts);
        report.check(&r)?;
    }
    let artifact = match &target {
        Target::Sqlite(p) => Some(relative(p, &ctx.cwd)),
        Target::Postgres(_) => None,
    };
    report.finish(artifact.as_deref())
}

fn relative(p: &Path, cwd: &Path) -> String {
    p.strip_prefix(cwd).unwrap_or(p).display().to_string()
}

fn apply_sqlite(
    path: &Path,
    busy: Duration,
    opts: &Options,
    apply: bool,
    report: &mut render::Report<'_>,
) -> anyhow::Result<()> {
    let db = dbdiag::sqlite::Sqlite::open(path, busy).map_err(hint_for)?;
    let decl = opts.declared.as_deref().unwrap_or_default();
    let tables: Vec<String> = db.schema().plain_tables().map(|t| t.name.clone()).collect();
    let actual = dbdiag::sqlite::actual_indexes(db.schema());
    let ddl: Vec<String> = dbdiag::declared::missing(decl, &actual, &tables)
        .into_iter()
        .map(|d| dbdiag::declared::create_sql(d, false))
        .collect();
    drop(db);
    if apply && !ddl.is_empty() {
        dbdiag::sqlite::apply(path, busy, &ddl).map_err(hint_for)?;
    }
    for sql in &ddl {
        report.ddl(sql, apply)?;
    }
    Ok(())
}

/// The status for the findings of a run.
pub(crate) fn status_for(worst: Option<Severity>, fail_on: FailOn) -> ExitStatus {
    let threshold = match fail_on {
        FailOn::Info => Severity::Info,
        FailOn::Warning => Severity::Warning,
        FailOn::Error => Severity::Error,
        FailOn::Never => return ExitStatus::Success,
    };
    if worst.is_some_and(|w| w >= threshold) { ExitStatus::Negative } else { ExitStatus::Success }
}
