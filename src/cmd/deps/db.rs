//! `obby deps db import|update|status`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use comfy_table::Cell;

use super::db_dir;
use crate::cli::deps::{DbArgs, DbCommand};
use crate::deps::advisory::import::{self, ImportError, Outcome};
use crate::deps::db::{Db, SourceRow};
use crate::error::with_hint;
use crate::output::table::new_table;
use crate::{Context, ExitStatus};

/// The sources `db update` uses when nothing was imported yet.
const DEFAULTS: &[(&str, &str)] = &[
    ("rustsec", "https://github.com/rustsec/advisory-db.git"),
    ("pypa", "https://github.com/pypa/advisory-database.git"),
    ("go", "https://github.com/golang/vulndb.git"),
];

pub(super) fn run(args: &DbArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let dir = db_dir(&args.db, ctx);
    match &args.command {
        DbCommand::Import { source, name } => {
            let mut db = Db::open(&dir)?;
            import_one(&mut db, &dir, source, name.as_deref(), ctx)?;
            Ok(ExitStatus::Success)
        }
        DbCommand::Update => update(&dir, ctx),
        DbCommand::Status => status(&dir, ctx),
    }
}

fn default_name(source: &str) -> String {
    let trimmed = source.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    let last = last.strip_suffix(".git").unwrap_or(last);
    if last.is_empty() { "advisories".to_owned() } else { last.to_owned() }
}

fn mirror_path(dir: &Path, name: &str) -> PathBuf {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    dir.join("sources").join(format!("{safe}.git"))
}

fn import_one(
    db: &mut Db,
    dir: &Path,
    source: &str,
    name: Option<&str>,
    ctx: &Context,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let name = name.map_or_else(|| default_name(source), str::to_owned);
    let git = import::is_git_url(source);
    let (outcome, location, kind) = if git {
        let out = import::read_git(source, &mirror_path(dir, &name)).map_err(import_error)?;
        (out, source.to_owned(), "git")
    } else {
        let path = ctx.cwd.join(source);
        let out = import::read_dir(&path).map_err(import_error)?;
        let location = path.canonicalize().unwrap_or(path).display().to_string();
        (out, location, "dir")
    };
    let Outcome { advisories, skipped, withdrawn, foreign, revision, data_date } = outcome;
    let row = SourceRow {
        name: name.clone(),
        location,
        kind: kind.to_owned(),
        revision,
        data_date,
        imported_at: jiff::Timestamp::now().as_second(),
        records: advisories.len() as i64,
        skipped: skipped.len() as i64,
        withdrawn: withdrawn as i64,
        ecosystems: std::collections::BTreeMap::new(),
    };
    db.replace_source(&row, &advisories)?;
    let mut per: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for a in &advisories {
        let mut ecos: Vec<_> = a.affected.iter().map(|x| x.ecosystem.as_str()).collect();
        ecos.dedup();
        for e in ecos {
            *per.entry(e).or_default() += 1;
        }
    }
    for (file, why) in &skipped {
        ctx.printer.debug(format!("skipped {file}: {why}"));
    }
    if !skipped.is_empty() {
        ctx.printer.warn(format!(
            "{} malformed record(s) skipped in `{source}` (first: {}: {}); -v lists them",
            skipped.len(),
            skipped[0].0,
            skipped[0].1
        ));
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if ctx.printer.is_json() {
        ctx.printer.record(
            "import",
            &serde_json::json!({
                "source": name, "location": row.location, "kind": kind, "revision": row.revision,
                "records": advisories.len(), "skipped": skipped.len(), "withdrawn": withdrawn,
                "other_ecosystems": foreign, "ecosystems": per, "elapsed_ms": ms,
            }),
        )?;
    } else {
        let ecos: Vec<String> = per.iter().map(|(e, n)| format!("{e} {n}")).collect();
        ctx.printer.info(format!(
            "imported {} advisories from `{source}` as `{name}` ({}) in {ms:.0} ms; {} skipped, {withdrawn} withdrawn",
            advisories.len(),
            if ecos.is_empty() { "no packages".to_owned() } else { ecos.join(", ") },
            skipped.len(),
        ));
    }
    ctx.printer.summary_field("records", advisories.len());
    ctx.printer.summary_field("skipped", skipped.len());
    Ok(())
}

fn import_error(e: ImportError) -> anyhow::Error {
    let hint = match &e {
        ImportError::NotFound(_) | ImportError::NotDir(_) => {
            "give a directory of advisories (RustSec advisory-db, OSV JSON/YAML) or a git URL"
        }
        ImportError::NotGit { .. } => {
            "give the URL of a git repository (file://, https://) or a directory"
        }
        ImportError::Git(_) | ImportError::Io { .. } => {
            "check the source and the cache directory (--db-dir)"
        }
    };
    with_hint(e, hint)
}

fn update(dir: &Path, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let mut db = Db::open(dir)?;
    let mut sources: Vec<(String, String)> =
        db.sources()?.into_iter().map(|s| (s.name, s.location)).collect();
    if sources.is_empty() {
        ctx.printer.info("no sources imported yet; trying the default sources");
        sources = DEFAULTS.iter().map(|(n, u)| ((*n).to_owned(), (*u).to_owned())).collect();
    }
    let _ = ctx.catch_interrupts();
    let mut status = ExitStatus::Success;
    for (name, location) in sources {
        ctx.check_interrupted()?;
        if let Err(e) = import_one(&mut db, dir, &location, Some(&name), ctx) {
            let msg = crate::error::messages(&e).join(": ");
            ctx.printer.item_error(&name, format!("{msg} (offline? the cached data is kept)"))?;
            status = ExitStatus::Error;
        }
    }
    Ok(status)
}

fn age(row: &SourceRow) -> String {
    let now = jiff::Timestamp::now().as_second();
    let days = (now - row.imported_at) / 86_400;
    format!("{days}d")
}

fn status(dir: &Path, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let Some(db) = Db::open_existing(dir)? else {
        ctx.printer.info(format!("no advisory data imported yet (cache: `{}`)", dir.display()));
        ctx.printer.info("hint: obby deps db import SOURCE");
        ctx.printer.summary_field("sources", 0);
        return Ok(ExitStatus::Success);
    };
    let rows = db.sources()?;
    ctx.printer.summary_field("sources", rows.len());
    ctx.printer.summary_field("cache", db.path().display().to_string());
    if ctx.printer.is_json() {
        for r in &rows {
            ctx.printer.record("source", r)?;
        }
        return Ok(ExitStatus::Success);
    }
    if rows.is_empty() {
        ctx.printer.info("no advisory data imported yet; hint: obby deps db import SOURCE");
        return Ok(ExitStatus::Success);
    }
    let mut table = new_table(
        [
            "Source",
            "Kind",
            "Revision",
            "Data date",
            "Imported",
            "Records",
            "Skipped",
            "Ecosystems",
            "Location",
        ],
        false,
    );
    for r in &rows {
        let ecos: Vec<String> = r.ecosystems.iter().map(|(e, n)| format!("{e} {n}")).collect();
        table.add_row(vec![
            Cell::new(&r.name),
            Cell::new(&r.kind),
            Cell::new(r.revision.as_deref().map_or("-", |v| v.get(..10).unwrap_or(v))),
            Cell::new(r.data_date.as_deref().map_or("-", |d| d.get(..10).unwrap_or(d))),
            Cell::new(format!("{} ago", age(r))),
            Cell::new(r.records),
            Cell::new(r.skipped),
            Cell::new(ecos.join(", ")),
            Cell::new(&r.location),
        ]);
    }
    ctx.printer.line(table)?;
    ctx.printer.info(format!("cache: {}", db.path().display()));
    Ok(ExitStatus::Success)
}
