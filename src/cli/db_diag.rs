//! `obby db-diag`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::dbdiag::Profile;

/// Diagnose the health, size and indexes of a SQLite or PostgreSQL database.
///
/// Runs a set of checks with stable ids (`--list-checks`) and reports findings with a severity
/// and, where there is one, the SQL that fixes them. Read-only unless `--allow-write`: SQLite
/// files are opened read-only (a missing file is an error, never created), PostgreSQL sessions run
/// with `default_transaction_read_only=on` and a statement timeout.
///
/// Profiles: `quick` (default; schema and existing statistics only, no full scans), `standard`
/// (exact counts and space per table/index), `deep` (adds quick_check), `full` (adds
/// integrity_check and foreign_key_check).
///
/// Exit status: 0 no finding at or above `--fail-on`, 1 findings, 2 error.
///
/// Examples:
///   $ obby db-diag app.db
///   $ obby db-diag sqlite:app.db --profile standard
///   $ obby db-diag app.db --queries queries.yaml --check missing_index
///   $ obby db-diag app.db --log statements.log --check n_plus_one
///   $ obby db-diag postgres://app@localhost/app --fail-on warning --format sarif > db.sarif
///   $ PGHOST=/run/postgresql obby db-diag --pg
///   $ obby db-diag app.db --indexes indexes.yaml --apply --allow-write
///   $ obby db-diag --list-checks
#[derive(Debug, Args)]
pub struct DbDiagArgs {
    /// The database: a SQLite file, `sqlite:PATH`, or `postgres://...` (default: the obby store).
    pub target: Option<String>,

    /// Connect to PostgreSQL using the PG* environment variables (PGHOST, PGPORT, PGUSER,
    /// PGPASSWORD, PGDATABASE).
    #[arg(long)]
    pub pg: bool,

    /// How much work to do [default: setting `dbdiag.profile`, else quick].
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,

    /// Run only these checks (repeatable, or comma-separated); a named check runs at least at
    /// its own profile.
    #[arg(long = "check", value_name = "ID", value_delimiter = ',')]
    pub checks: Vec<String>,

    /// Do not run these checks (repeatable, or comma-separated).
    #[arg(long = "skip", value_name = "ID", value_delimiter = ',')]
    pub skips: Vec<String>,

    /// List the checks and exit.
    #[arg(long)]
    pub list_checks: bool,

    /// A workload to plan: an SQL file, or a queries.yaml (`obby query` format).
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,

    /// A statement log for N+1 detection: one statement per line (PostgreSQL log lines accepted).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// N+1: the least number of runs of one lookup in a row that is reported.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub n_plus_one_min: usize,

    /// Declared indexes (indexes.yaml: table, name, columns, unique, where) to compare.
    #[arg(long, value_name = "FILE")]
    pub indexes: Option<PathBuf>,

    /// Create the declared indexes the database lacks (needs --allow-write).
    #[arg(long, requires = "indexes")]
    pub apply: bool,

    /// Print the DDL --apply would run, and run nothing.
    #[arg(long, requires = "indexes")]
    pub dry_run: bool,

    /// Allow commands that write to the database.
    #[arg(long)]
    pub allow_write: bool,

    /// How long to wait on a locked SQLite database [default: setting `dbdiag.busy_timeout`].
    #[arg(long, value_name = "DURATION")]
    pub busy_timeout: Option<String>,

    /// PostgreSQL statement timeout.
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub statement_timeout: String,

    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Output format (`json` is the same as the global `--json`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The threshold of `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any finding.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
    /// Never fail on findings.
    Never,
}

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable report.
    Text,
    /// JSON Lines.
    Json,
    /// SARIF 2.1.0 for code-scanning upload.
    Sarif,
}
