//! `obby deps`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Audit dependency lockfiles against vulnerability advisories, offline.
///
/// Finds lockfiles (Cargo.lock, package-lock.json, npm-shrinkwrap.json, yarn.lock,
/// pnpm-lock.yaml, poetry.lock, uv.lock, Pipfile.lock, requirements*.txt, go.mod/go.sum) under
/// the given paths and matches every registry package against advisory data imported into a
/// local cache (`obby deps db import`). Nothing is fetched during an audit.
///
/// Examples:
///   $ obby deps db import ~/src/advisory-db
///   $ obby deps db import file:///srv/mirrors/advisory-database.git --name ghsa
///   $ obby deps db status
///   $ obby deps audit
///   $ obby deps check --ci-mode --fail-on high
///   $ obby deps report --format sarif --output deps.sarif
///   $ obby deps update --auto-patch --dry-run
#[derive(Debug, Args)]
pub struct DepsArgs {
    /// The deps subcommand.
    #[command(subcommand)]
    pub command: DepsCommand,
}

/// The deps subcommands.
#[derive(Debug, Subcommand)]
pub enum DepsCommand {
    /// Audit lockfiles and show the findings, grouped by package.
    ///
    /// Exit status 1 when a finding is denied by policy (vulnerabilities by default), 2 when a
    /// lockfile could not be parsed or no data is imported.
    ///
    /// Examples:
    ///   $ obby deps audit
    ///   $ obby deps audit services/ --severity high --omit dev
    ///   $ obby deps audit --ignore RUSTSEC-2020-0071 --policy unmaintained=deny:direct
    ///   $ obby deps audit --check-yanked --policy yanked=deny
    Audit(AuditArgs),
    /// Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not
    /// checked.
    ///
    /// An ecosystem with no imported data or a package that could not be evaluated is `not
    /// checked`, which is an error in --ci-mode (never silently clean). A finding of unknown
    /// severity counts as failing. The JSON summary carries the exit code.
    ///
    /// Examples:
    ///   $ obby deps check --ci-mode
    ///   $ obby deps check --ci-mode --fail-on high --max-db-age 3d --json
    Check(CheckArgs),
    /// Write the inventory with findings (json, sarif, markdown, cyclonedx).
    ///
    /// Examples:
    ///   $ obby deps report --format markdown > comment.md
    ///   $ obby deps report --format cyclonedx --output sbom.json
    Report(ReportArgs),
    /// Plan (and apply) the smallest upgrades that fix the findings.
    ///
    /// For each vulnerable package: the smallest version that fixes every advisory on it,
    /// semver-compatible where such a version exists. --auto-patch applies the plan with the
    /// ecosystem's own tool (cargo, npm, uv, poetry, pnpm, yarn, go) where installed, or edits
    /// pinned requirements.txt lines, then audits again.
    ///
    /// Examples:
    ///   $ obby deps update
    ///   $ obby deps update --auto-patch --dry-run
    Update(UpdateArgs),
    /// Manage the local advisory cache (import, update, status).
    Db(DbArgs),
}

impl DepsCommand {
    /// The subcommand's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Audit(_) => "audit",
            Self::Check(_) => "check",
            Self::Report(_) => "report",
            Self::Update(_) => "update",
            Self::Db(db) => match db.command {
                DbCommand::Import { .. } => "db import",
                DbCommand::Update => "db update",
                DbCommand::Status => "db status",
            },
        }
    }
}

/// A severity threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lowercase")]
pub enum SeverityArg {
    /// LOW and above.
    #[value(alias = "LOW")]
    Low,
    /// MEDIUM and above.
    #[value(alias = "MEDIUM", alias = "moderate")]
    Medium,
    /// HIGH and above.
    #[value(alias = "HIGH")]
    High,
    /// CRITICAL only (and unknown severities).
    #[value(alias = "CRITICAL")]
    Critical,
}

/// A scope to leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Development dependencies.
    Dev,
    /// Optional dependencies.
    Optional,
    /// Build dependencies.
    Build,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// JSON Lines: `package`, `finding`, `not_checked`, `summary` records.
    Json,
    /// SARIF 2.1.0 for code-scanning upload.
    Sarif,
    /// Markdown for a pull-request comment.
    Markdown,
    /// CycloneDX 1.5 JSON SBOM with vulnerabilities.
    Cyclonedx,
}

/// Where the advisory cache lives.
#[derive(Debug, Args, Clone)]
pub struct DbDirArg {
    /// Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`).
    #[arg(long, env = "OBBY_DEPS_DB", value_name = "DIR")]
    pub db_dir: Option<PathBuf>,
}

/// Options shared by audit, check, report and update.
#[derive(Debug, Args)]
pub struct AuditOpts {
    /// Files or directories to search for lockfiles (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// The advisory cache.
    #[command(flatten)]
    pub db: DbDirArg,
    /// Show only vulnerabilities at or above this severity (unknown severities always show).
    #[arg(long, value_enum, value_name = "LEVEL", ignore_case = true)]
    pub severity: Option<SeverityArg>,
    /// Ignore an advisory by id or alias (repeatable).
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    /// Ignore file (default: `.obby/deps-ignore.yaml` in the current directory).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// Leave out packages of a scope (repeatable).
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub omit: Vec<ScopeArg>,
    /// Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds:
    /// vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn).
    #[arg(long, value_name = "KIND=ACTION")]
    pub policy: Vec<String>,
    /// Do not read or write the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Also report yanked crates.io releases, asking the registry's sparse index over HTTP.
    ///
    /// The only network use of an audit. Responses are kept in the cache directory and
    /// revalidated (ETag/Last-Modified); when the index cannot be reached a kept copy answers,
    /// and a crate with none is counted as unknown. The index is the `deps.index_url` setting
    /// (`OBBY_DEPS_INDEX_URL`).
    #[arg(long)]
    pub check_yanked: bool,
    /// Show table cells in full instead of fitting the terminal.
    #[arg(long)]
    pub wide: bool,
}

/// `obby deps audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Shared options.
    #[command(flatten)]
    pub opts: AuditOpts,
}

/// `obby deps check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Shared options.
    #[command(flatten)]
    pub opts: AuditOpts,
    /// Non-interactive: no color, no progress; anything not checked is an error (exit 2).
    #[arg(long)]
    pub ci_mode: bool,
    /// Lowest severity that fails (default: setting `deps.fail_on`, `critical`).
    #[arg(long, value_enum, value_name = "LEVEL", ignore_case = true)]
    pub fail_on: Option<SeverityArg>,
    /// Advisory data older than this fails (default: setting `deps.max_db_age`, 7d).
    #[arg(long, value_name = "DURATION")]
    pub max_db_age: Option<String>,
    /// No lockfile found is success instead of an error.
    #[arg(long)]
    pub allow_empty: bool,
}

/// `obby deps report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Shared options.
    #[command(flatten)]
    pub opts: AuditOpts,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
    pub format: ReportFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `obby deps update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Shared options.
    #[command(flatten)]
    pub opts: AuditOpts,
    /// Apply the plan (ecosystem tools, or direct edits of requirements.txt).
    #[arg(long)]
    pub auto_patch: bool,
    /// With --auto-patch: show the commands and edits without running them.
    #[arg(long)]
    pub dry_run: bool,
}

/// `obby deps db`.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The cache.
    #[command(flatten)]
    pub db: DbDirArg,
    /// What to do.
    #[command(subcommand)]
    pub command: DbCommand,
}

/// `obby deps db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git
    /// URL (cloned or fetched into the cache).
    ///
    /// Examples:
    ///   $ obby deps db import ./advisory-db
    ///   $ obby deps db import file:///srv/git/vulndb.git --name go
    Import {
        /// A directory, or a git URL (`file://`, `https://`, `git@...`, `*.git`).
        source: String,
        /// Name of the source in the cache (default: the directory or repository name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Re-import every source from where it was imported (git sources are fetched).
    Update,
    /// Show each source: commit or date, record counts, age.
    Status,
}
