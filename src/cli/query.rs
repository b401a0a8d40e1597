//! `obby query`.

use std::path::PathBuf;

use clap::Args;

/// Run named, typed SQL queries over the history.
///
/// Queries are defined in YAML: the built-in ones ship inside obby, `.obby/queries.yaml` and
/// `--queries FILE` add to them or override them by name. Parameters are typed (int, float,
/// string, bool, timestamp, duration, glob, path), checked before any SQL runs, and always bound,
/// never spliced into the SQL. The store is opened read-only: no query can change it.
///
/// Exit status: 0 with rows, 1 with no rows, 2 on an error.
///
/// Examples:
///   $ obby query --list
///   $ obby query recent-diffs --limit 10
///   $ obby query diffs-since since=yesterday path='*.md'
///   $ obby query file-versions path=notes/todo.md diff=true
///   $ obby query time-analysis bucket=week --csv
///   $ obby query topic-files keyword=invoice --json
///   $ obby query --sql "SELECT change, count(*) AS n FROM versions GROUP BY change"
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query to run (`--list` shows them).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Parameters of the query, as NAME=VALUE.
    #[arg(value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at
    /// most N rows).
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<u64>,
    /// List the queries with their descriptions and parameters.
    #[arg(long, conflicts_with_all = ["sql", "explain"])]
    pub list: bool,
    /// Also load the queries of this YAML file (repeatable; later files override earlier ones).
    #[arg(long = "queries", value_name = "FILE")]
    pub queries: Vec<PathBuf>,
    /// Run this read-only SQL instead of a named query (parameters are bound as text).
    #[arg(long, value_name = "SQL")]
    pub sql: Option<String>,
    /// Show the query plan (EXPLAIN QUERY PLAN) instead of running the query.
    #[arg(long)]
    pub explain: bool,
    /// Write CSV (with a header row) instead of a table.
    #[arg(long, conflicts_with = "tsv")]
    pub csv: bool,
    /// Write tab-separated values (with a header row) instead of a table.
    #[arg(long)]
    pub tsv: bool,
    /// Show table cells in full instead of fitting the terminal.
    #[arg(long)]
    pub wide: bool,
}
