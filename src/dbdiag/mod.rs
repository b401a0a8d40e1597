//! Database diagnostics behind `obby db-diag`: the check registry, the findings model, and the
//! drivers that run the checks on SQLite ([`sqlite`]) and PostgreSQL ([`pg`]).
//!
//! Every check has a stable id ([`CHECKS`]) shared by both engines, so CI rules and SARIF rule ids
//! do not depend on the database behind them. A check an engine cannot run reports
//! [`Status::Skipped`] with a reason instead of vanishing. Speed comes from doing less by default:
//! the `quick` profile touches only the schema and the statistics the database already keeps;
//! `standard` reads every page once (DBSTAT), `deep` and `full` add the integrity checks.
//!
//! The workload-driven parts live beside the drivers: the SQLite index advisor ([`advisor`]), the
//! plan reader ([`plan`]), the statement-log fingerprints for N+1 detection ([`nplusone`]), the
//! workload loader ([`workload`]), declared indexes ([`declared`]) and SARIF output ([`sarif`]).

pub mod advisor;
pub mod declared;
pub mod nplusone;
pub mod pg;
pub mod plan;
pub mod sarif;
pub mod sqlite;
pub mod workload;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

/// The database engine behind a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How much work a run does; each profile includes the ones before it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Schema-sized work only: estimates from the statistics the database keeps, no full scans.
    #[default]
    Quick,
    /// Adds exact row counts and space per table and index (one pass over every page).
    Standard,
    /// Adds `PRAGMA quick_check` (SQLite) / invalid-index checks.
    Deep,
    /// Adds `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
    Full,
}

impl Profile {
    /// Parses a profile name (`quick`, `standard`, `deep`, `full`).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "quick" => Some(Self::Quick),
            "standard" => Some(Self::Standard),
            "deep" => Some(Self::Deep),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    /// The profile's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Quick => "quick",
            Self::Standard => "standard",
            Self::Deep => "deep",
            Self::Full => "full",
        }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be looked at.
    Warning,
    /// Broken or about to break.
    Error,
}

impl Severity {
    /// The severity's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One problem found by a check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The stable id of the check that found it.
    pub check: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What it is about: a table, an index, a query, the database.
    pub object: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it (often exact SQL).
    pub suggestion: Option<String>,
}

impl Finding {
    /// A finding without a suggestion.
    pub fn new(
        check: &'static str,
        severity: Severity,
        object: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self { check, severity, object: object.into(), message: message.into(), suggestion: None }
    }

    /// Adds a suggestion.
    #[must_use]
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// A small table of facts a check reports besides its findings (sizes, counts).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    /// Column names.
    pub columns: Vec<&'static str>,
    /// Rows, one value per column.
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// What a check produced.
#[derive(Debug)]
pub enum Outcome {
    /// The check ran.
    Done {
        /// Its findings (may be empty).
        findings: Vec<Finding>,
        /// Facts to show (may be absent).
        table: Option<Table>,
    },
    /// The check cannot run here; the reason says why.
    Skipped(String),
}

impl Outcome {
    /// A check that ran and found these.
    #[must_use]
    pub fn findings(findings: Vec<Finding>) -> Self {
        Self::Done { findings, table: None }
    }

    /// A check that cannot run, and why.
    pub fn skipped(reason: impl Into<String>) -> Self {
        Self::Skipped(reason.into())
    }
}

/// How a check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran, nothing found.
    Ok,
    /// Ran, found something.
    Findings,
    /// Did not run (engine, profile or missing input); see the reason.
    Skipped,
    /// Failed; see the reason.
    Error,
}

/// The report of one check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// Stable check id.
    pub id: &'static str,
    /// How it ended.
    pub status: Status,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    /// Wall time spent, in milliseconds.
    pub duration_ms: f64,
    /// Facts to show.
    pub table: Option<Table>,
    /// Findings.
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// A check in the registry.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CheckDef {
    /// Stable id (also the SARIF rule id, prefixed `dbdiag/`).
    pub id: &'static str,
    /// One line on what it looks for.
    pub summary: &'static str,
    /// The lowest profile it runs in when not asked for by `--check`.
    pub profile: Profile,
    /// Engines that run it (others report it skipped).
    pub engines: &'static [Engine],
}

const BOTH: &[Engine] = &[Engine::Sqlite, Engine::Postgres];
const PG_ONLY: &[Engine] = &[Engine::Postgres];
const SQLITE_ONLY: &[Engine] = &[Engine::Sqlite];

/// Every check, in report order.
pub const CHECKS: &[CheckDef] = &[
    def("table_stats", "rows and size per table (estimates in quick, exact from standard)", BOTH),
    def("space", "page fill, freelist, fragmentation and overflow pages; dead tuples on PG", BOTH),
    CheckDef {
        id: "integrity",
        summary: "quick_check (deep), integrity_check + foreign_key_check (full); PG invalid indexes",
        profile: Profile::Deep,
        engines: BOTH,
    },
    def("stale_stats", "planner statistics missing or out of date", BOTH),
    def("missing_index", "workload queries that scan or sort where an index would serve", BOTH),
    def("fk_without_index", "foreign keys whose child columns have no index", BOTH),
    def("duplicate_index", "two indexes on the same columns", BOTH),
    def("redundant_index", "an index whose columns lead another index", BOTH),
    def("unused_index", "indexes no workload query uses (PG: idx_scan = 0)", BOTH),
    def(
        "connections",
        "PG: sessions vs max_connections, idle in transaction; SQLite: journal",
        BOTH,
    ),
    def("sequence_exhaustion", "sequences close to their maximum", PG_ONLY),
    def("xid_wraparound", "transaction id age close to wraparound", PG_ONLY),
    def("cache_hit_rate", "buffer cache hit rate of tables and indexes", PG_ONLY),
    def("slow_queries", "statements with the highest mean time (pg_stat_statements)", PG_ONLY),
    def("top_queries", "statements with the highest total time (pg_stat_statements)", PG_ONLY),
    def("n_plus_one", "a key lookup run many times in a row (statement log)", BOTH),
    def(
        "pragmas",
        "SQLite settings that hurt: journal mode, foreign keys, auto_vacuum",
        SQLITE_ONLY,
    ),
    def("declared_indexes", "indexes declared in --indexes compared with the database", BOTH),
];

const fn def(id: &'static str, summary: &'static str, engines: &'static [Engine]) -> CheckDef {
    CheckDef { id, summary, profile: Profile::Quick, engines }
}

/// The registry entry of a check id.
#[must_use]
pub fn check_def(id: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.id == id)
}

/// What a run was asked to do, shared by both drivers.
#[derive(Debug, Default)]
pub struct Options {
    /// The profile.
    pub profile: Profile,
    /// Checks named with `--check` (empty: all).
    pub only: Vec<String>,
    /// Checks named with `--skip`.
    pub skip: Vec<String>,
    /// The workload (`--queries`).
    pub queries: Vec<workload::Query>,
    /// Where the workload came from, for messages.
    pub queries_source: Option<PathBuf>,
    /// The statement log (`--log`).
    pub log: Option<Vec<String>>,
    /// N+1: the least number of consecutive runs reported.
    pub n_plus_one_min: usize,
    /// Declared indexes (`--indexes`).
    pub declared: Option<Vec<declared::DeclaredIndex>>,
}

impl Options {
    /// The checks this run reports, in registry order.
    #[must_use]
    pub fn selected(&self) -> Vec<&'static CheckDef> {
        CHECKS
            .iter()
            .filter(|c| self.only.is_empty() || self.only.iter().any(|o| o == c.id))
            .filter(|c| !self.skip.iter().any(|s| s == c.id))
            .collect()
    }

    /// The profile a check runs at: asked for by name, it runs at least at its own profile.
    #[must_use]
    pub fn profile_for(&self, def: &CheckDef) -> Profile {
        if self.only.iter().any(|o| o == def.id) {
            self.profile.max(def.profile)
        } else {
            self.profile
        }
    }
}

/// Errors of the diagnostics library; each keeps the path or target it is about.
#[derive(Debug, thiserror::Error)]
pub enum DbDiagError {
    /// The SQLite file does not exist (nothing is created).
    #[error("`{0}` does not exist")]
    Missing(PathBuf),
    /// The file is not a SQLite database (or is encrypted).
    #[error("`{0}` is not a SQLite database")]
    NotADatabase(PathBuf),
    /// Another connection holds a lock longer than the busy timeout.
    #[error("`{path}` is locked by another connection (waited {waited:?})")]
    Busy {
        /// The database.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// The database is damaged.
    #[error("`{path}` is corrupt: {detail}")]
    Corrupt {
        /// The database.
        path: PathBuf,
        /// SQLite's message.
        detail: String,
    },
    /// Any other SQLite error.
    #[error("SQLite error on `{path}`")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The PostgreSQL server could not be reached or refused us.
    #[error("cannot connect to PostgreSQL at {target}: {detail}")]
    PgConnect {
        /// The DSN with the password removed.
        target: String,
        /// The reason, without the password.
        detail: String,
    },
    /// A PostgreSQL query failed.
    #[error("PostgreSQL error: {0}")]
    Pg(String),
    /// A file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A malformed input file, with its position.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Anything else the user asked for that cannot be done.
    #[error("{0}")]
    Invalid(String),
}

impl From<postgres::Error> for DbDiagError {
    fn from(e: postgres::Error) -> Self {
        Self::Pg(pg::describe(&e))
    }
}

/// A database a run can diagnose.
pub trait Driver {
    /// Which engine it is.
    fn engine(&self) -> Engine;
    /// Runs one check at a profile.
    ///
    /// # Errors
    /// Database errors; the caller records them as the check's `error` status.
    fn run_check(
        &mut self,
        id: &'static str,
        profile: Profile,
        opts: &Options,
    ) -> Result<Outcome, DbDiagError>;
}

/// Runs one check through a driver, timing it and turning the result into a report.
pub fn run_check(driver: &mut dyn Driver, def: &'static CheckDef, opts: &Options) -> CheckReport {
    let started = Instant::now();
    let profile = opts.profile_for(def);
    let outcome = if !def.engines.contains(&driver.engine()) {
        let only = if def.engines == PG_ONLY { "PostgreSQL" } else { "SQLite" };
        Ok(Outcome::skipped(format!("{only} only")))
    } else if profile < def.profile {
        Ok(Outcome::skipped(format!(
            "runs in the {} profile and above (or ask for it with --check {})",
            def.profile.name(),
            def.id
        )))
    } else {
        driver.run_check(def.id, profile, opts)
    };
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut report = CheckReport {
        id: def.id,
        status: Status::Ok,
        reason: None,
        duration_ms,
        table: None,
        findings: Vec::new(),
    };
    match outcome {
        Ok(Outcome::Done { findings, table }) => {
            report.status = if findings.is_empty() { Status::Ok } else { Status::Findings };
            report.findings = findings;
            report.table = table;
        }
        Ok(Outcome::Skipped(reason)) => {
            report.status = Status::Skipped;
            report.reason = Some(reason);
        }
        Err(DbDiagError::Corrupt { detail, .. }) => {
            report.status = Status::Findings;
            report.findings.push(
                Finding::new(def.id, Severity::Error, "database", format!("corrupt: {detail}"))
                    .suggest("run `obby db-diag --profile full`, then restore from a backup or `.recover` the data"),
            );
        }
        Err(e) => {
            report.status = Status::Error;
            report.reason = Some(error_text(&e));
        }
    }
    report
}

/// An error and its causes on one line.
#[must_use]
pub fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Quotes an SQL identifier (double quotes, doubled inside) when it needs quoting.
#[must_use]
pub fn quote_ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !is_keyword(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn is_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "order",
        "group",
        "select",
        "from",
        "where",
        "table",
        "index",
        "key",
        "primary",
        "unique",
        "default",
        "check",
        "references",
        "user",
        "limit",
        "offset",
        "values",
        "to",
        "by",
        "in",
    ];
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// `CREATE INDEX` text for an index on `table(columns)`, named after its columns.
#[must_use]
pub fn create_index_sql(table: &str, columns: &[String], if_not_exists: bool) -> String {
    let name = format!("{}_{}_idx", table, columns.join("_"))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect::<String>();
    let cols = columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
    format!(
        "CREATE INDEX {}{} ON {}({});",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        quote_ident(&name),
        quote_ident(table),
        cols
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_snake_case() {
        let mut ids: Vec<_> = CHECKS.iter().map(|c| c.id).collect();
        assert!(ids.iter().all(|i| i.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
    }

    #[test]
    fn quoting_and_index_sql() {
        assert_eq!(quote_ident("tasks"), "tasks");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        let sql = create_index_sql("tasks", &["status".into(), "priority".into()], true);
        assert_eq!(
            sql,
            "CREATE INDEX IF NOT EXISTS tasks_status_priority_idx ON tasks(status, priority);"
        );
    }

    #[test]
    fn selection_honours_check_and_skip() {
        let opts = Options { only: vec!["space".into()], ..Options::default() };
        assert_eq!(opts.selected().len(), 1);
        let opts = Options { skip: vec!["space".into()], ..Options::default() };
        assert_eq!(opts.selected().len(), CHECKS.len() - 1);
        let integrity = check_def("integrity").map(|d| opts.profile_for(d));
        assert_eq!(integrity, Some(Profile::Quick));
    }
}
