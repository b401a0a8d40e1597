//! `obby deps`: finds lockfiles, audits them against the local advisory cache, and shows,
//! reports or fixes the findings; `db` manages the cache.
//!
//! JSON records (`--json`), shared by audit, check, report and update:
//! - `lockfile`: `{path, kind, ecosystem, packages, cached}` per lockfile audited;
//! - `finding`: `{lockfile, ecosystem, package, version, advisory, aliases, kind, severity,
//!   score, severity_note?, title, fixed, url, source, direct, path, scope, decision, reason?}`
//!   where `decision` is `fail`, `warn`, `ignored` (with `reason`), `allowed` or `filtered`;
//! - `not_checked`: `{lockfile, ecosystem, package, version, packages, reason}`;
//! - `error`: a lockfile that could not be parsed (`item` is `path:line:col`).
//!
//! The summary adds `lockfiles`, `packages`, `findings`, `failing`, `warnings`, `ignored`,
//! `not_checked`, `errors` and `result` (`vulnerable`, `clean`, `not checked`, `error`), and for
//! check `db_age_days`. `db import`/`db update` write `import` records, `db status` `source`
//! records, `report --format json` `package` records, `update` `plan` records.

mod audit;
mod db;
mod report;
mod update;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::deps::{AuditOpts, DbDirArg, DepsArgs, DepsCommand, ScopeArg, SeverityArg};
use crate::deps::audit::{Audited, Decision};
use crate::deps::db::Db;
use crate::deps::lockfile::{self, Scope};
use crate::deps::policy::{self, Ignore, Policy};
use crate::deps::{Kind, Severity};
use crate::error::{ResultExt as _, with_hint};
use crate::{Context, ExitStatus};

/// Runs `obby deps`.
///
/// # Errors
/// No data imported, an unreadable cache, a bad ignore file or policy.
pub fn run(args: &DepsArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match &args.command {
        DepsCommand::Audit(a) => audit::run_audit(a, ctx),
        DepsCommand::Check(a) => audit::run_check(a, ctx),
        DepsCommand::Report(a) => report::run(a, ctx),
        DepsCommand::Update(a) => update::run(a, ctx),
        DepsCommand::Db(a) => db::run(a, ctx),
    }
}

/// The cache directory: `--db-dir`/`OBBY_DEPS_DB`, the `deps.db_dir` setting, then the XDG
/// cache directory.
pub(crate) fn db_dir(arg: &DbDirArg, ctx: &Context) -> PathBuf {
    if let Some(d) = arg.db_dir.as_ref().filter(|d| !d.as_os_str().is_empty()) {
        return ctx.cwd.join(d);
    }
    let setting = ctx.settings.get("deps.db_dir");
    if !setting.is_empty() {
        return ctx.cwd.join(setting);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("obby").join("deps")
}

const IMPORT_HINT: &str = "import advisory data first: `obby deps db import SOURCE` (a RustSec advisory-db or OSV directory, or a git URL)";

/// Opens the cache for an audit; no cache or no data is an error with a hint.
pub(crate) fn open_db(arg: &DbDirArg, ctx: &Context) -> anyhow::Result<Db> {
    let dir = db_dir(arg, ctx);
    let db = Db::open_existing(&dir)?.ok_or_else(|| {
        with_hint(
            format!("no advisory data imported yet (cache: `{}`)", dir.display()),
            IMPORT_HINT,
        )
    })?;
    if !db.has_sources()? {
        return Err(with_hint(
            format!("no advisory data imported yet (cache: `{}`)", dir.display()),
            IMPORT_HINT,
        ));
    }
    Ok(db)
}

pub(crate) fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

/// The policy from settings, flags and the ignore file.
pub(crate) fn build_policy(opts: &AuditOpts, ctx: &Context) -> anyhow::Result<Policy> {
    let today = jiff::Timestamp::now().to_zoned_datetime(crate::timeparse::local_zone()).date();
    let mut p = Policy::new(today);
    for k in Kind::ALL {
        let key = format!("deps.policy.{}", k.as_str());
        let value = ctx.settings.get(&key);
        if !value.is_empty() {
            p.set(&format!("{}={value}", k.as_str()))
                .with_context(|| format!("setting `{key}`"))
                .hint("use deny, warn or allow, optionally with :direct")?;
        }
    }
    for spec in &opts.policy {
        p.set(spec).hint("example: --policy unmaintained=deny:direct")?;
    }
    let file = opts
        .ignore_file
        .clone()
        .map_or_else(|| ctx.cwd.join(".obby").join("deps-ignore.yaml"), |f| ctx.cwd.join(f));
    if opts.ignore_file.is_some() && !file.is_file() {
        return Err(with_hint(
            format!("ignore file `{}` does not exist", file.display()),
            "check the --ignore-file path",
        ));
    }
    p.ignores = policy::load_ignore_file(&file)
        .hint("fix the ignore file: a list of {id, reason, expires: YYYY-MM-DD}")?;
    for id in &opts.ignore {
        p.ignores.push(Ignore {
            id: id.clone(),
            reason: "--ignore".into(),
            expires: None,
            origin: "--ignore".into(),
        });
    }
    p.min_severity = opts.severity.map(severity);
    Ok(p)
}

/// Everything an audit run produced.
pub(crate) struct Collected {
    pub(crate) results: Vec<Audited>,
    pub(crate) errors: usize,
    pub(crate) found: usize,
}

fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd).map_or_else(|_| path.to_owned(), Path::to_path_buf)
}

/// Finds, parses (through the result cache) and audits every lockfile; a lockfile that does
/// not parse is reported and counted, and the others are still audited.
pub(crate) fn collect(
    opts: &AuditOpts,
    db: &Db,
    policy: &Policy,
    ctx: &Context,
) -> anyhow::Result<Collected> {
    if opts.check_yanked {
        ctx.printer.warn("--check-yanked is not available in this build (it needs the network); yanked releases are not checked");
    }
    let paths: Vec<PathBuf> = if opts.paths.is_empty() {
        vec![ctx.cwd.clone()]
    } else {
        opts.paths.iter().map(|p| ctx.cwd.join(p)).collect()
    };
    let found = lockfile::discover(&paths).map_err(|e| {
        let shown = display_path(&e.path, &ctx.cwd);
        with_hint(
            format!("`{}`: {}", shown.display(), e.message),
            "give lockfiles or directories that contain them",
        )
    })?;
    let with_data = db.ecosystems()?;
    let version = db.data_version()?.unwrap_or_default();
    let omit: Vec<Scope> = opts
        .omit
        .iter()
        .map(|s| match s {
            ScopeArg::Dev => Scope::Dev,
            ScopeArg::Optional => Scope::Optional,
            ScopeArg::Build => Scope::Build,
        })
        .collect();
    let _ = ctx.catch_interrupts();
    let mut results = Vec::new();
    let mut errors = 0;
    let mut warnings = Vec::new();
    for (path, kind) in &found {
        ctx.check_interrupted()?;
        let shown = display_path(path, &ctx.cwd);
        let key = if opts.no_cache { None } else { crate::deps::audit::cache_key(path, &version) };
        let cached = key
            .as_ref()
            .and_then(|k| db.cached(k).ok().flatten())
            .and_then(|b| serde_json::from_slice::<Audited>(&b).ok());
        let mut audited = if let Some(mut a) = cached {
            a.cached = true;
            a
        } else {
            let lock = match lockfile::parse(path, *kind) {
                Ok(l) => l,
                Err(e) => {
                    let pos = e.position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default();
                    ctx.printer.item_error(format!("{}{pos}", shown.display()), &e.message)?;
                    errors += 1;
                    continue;
                }
            };
            let a = crate::deps::audit::audit(db, lock, &with_data)?;
            if let Some(k) = &key
                && let Ok(body) = serde_json::to_vec(&a)
            {
                db.store(k, &body);
            }
            a
        };
        let label = shown.display().to_string();
        audited.lockfile.path.clone_from(&shown);
        for f in &mut audited.findings {
            f.lockfile.clone_from(&label);
        }
        for n in &mut audited.not_checked {
            n.lockfile.clone_from(&label);
        }
        if !omit.is_empty() {
            audited.lockfile.packages.retain(|p| p.scope.is_none_or(|s| !omit.contains(&s)));
            audited.findings.retain(|f| f.scope.is_none_or(|s| !omit.contains(&s)));
        }
        warnings.extend(policy.decide(&mut audited.findings));
        results.push(audited);
    }
    // Ignore-entry warnings: say each once, and "matches nothing" only when no lockfile used it.
    let mut said = std::collections::HashSet::new();
    let total = results.len();
    for w in &warnings {
        if w.contains("matches nothing") && warnings.iter().filter(|x| *x == w).count() < total {
            continue;
        }
        if said.insert(w.clone()) {
            ctx.printer.warn(w);
        }
    }
    Ok(Collected { results, errors, found: found.len() })
}

/// Counts for the summary.
#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) packages: usize,
    pub(crate) findings: usize,
    pub(crate) failing: usize,
    pub(crate) warnings: usize,
    pub(crate) ignored: usize,
    pub(crate) not_checked: usize,
}

pub(crate) fn counts(results: &[Audited]) -> Counts {
    let mut c = Counts::default();
    for a in results {
        c.packages +=
            a.lockfile.packages.iter().filter(|p| p.origin != lockfile::Origin::Workspace).count();
        c.not_checked += a.not_checked.iter().map(|n| n.packages).sum::<usize>();
        for f in &a.findings {
            match f.decision {
                Decision::Fail => c.failing += 1,
                Decision::Warn => c.warnings += 1,
                Decision::Ignored => c.ignored += 1,
                Decision::Allowed | Decision::Filtered => continue,
            }
            c.findings += 1;
        }
    }
    c
}

/// Writes `lockfile`, `finding` and `not_checked` records.
pub(crate) fn write_records(results: &[Audited], ctx: &Context) -> anyhow::Result<()> {
    for a in results {
        ctx.printer.record(
            "lockfile",
            &serde_json::json!({
                "path": crate::output::json::path_value(a.lockfile.path.as_os_str().as_encoded_bytes()),
                "kind": a.lockfile.kind,
                "ecosystem": a.lockfile.kind.ecosystem(),
                "packages": a.lockfile.packages.iter().filter(|p| p.origin != lockfile::Origin::Workspace).count(),
                "cached": a.cached,
            }),
        )?;
        for f in &a.findings {
            ctx.printer.record("finding", f)?;
        }
        for n in &a.not_checked {
            ctx.printer.record("not_checked", n)?;
        }
    }
    Ok(())
}

pub(crate) fn summary(c: &Counts, collected: &Collected, result: &str, ctx: &Context) {
    let p = &ctx.printer;
    p.summary_field("lockfiles", collected.results.len());
    p.summary_field("packages", c.packages);
    p.summary_field("findings", c.findings);
    p.summary_field("failing", c.failing);
    p.summary_field("warnings", c.warnings);
    p.summary_field("ignored", c.ignored);
    p.summary_field("not_checked", c.not_checked);
    p.summary_field("errors", collected.errors);
    p.summary_field("result", result);
}
