//! Named, typed SQL queries over the history (`obby query`).
//!
//! Queries are defined in YAML ([`spec`]): the built-in set ships inside the binary
//! (`builtin.yaml`, the same format users write), `.obby/queries.yaml` in the store and any
//! `--queries FILE` add to it or override it, in that order. Each query declares typed
//! parameters ([`params`]) that are parsed and validated before any SQL runs, and its SQL uses
//! them as named parameters (`:limit`), always bound, never spliced into the text.
//!
//! The [`exec::Executor`] runs queries on the store's read-only connection with three layers
//! that keep a query from changing anything: the connection is opened read-only, `PRAGMA
//! query_only` is on, and an authorizer refuses every statement that writes, `ATTACH`/`DETACH`,
//! and pragmas outside a short read-only list. It registers the SQL functions the built-in
//! queries need ([`functions`]: `obby_content`, `obby_diff`, `obby_glob`, `obby_time`, the `obby_distinct` aggregate, ...)
//! and caches prepared statements and decoded content across runs.

mod distinct;
pub mod exec;
pub mod format;
pub mod functions;
#[doc(hidden)]
pub mod generate;
pub mod params;
pub mod spec;
mod suggest;

use std::path::PathBuf;

pub use exec::{Executor, Outcome};
pub use params::{ParamType, Values};
pub use spec::{Origin, ParamDef, QueryDef, QuerySet};
pub use suggest::closest;

/// The built-in queries, in the same YAML format users write.
pub const BUILTIN_YAML: &str = include_str!("builtin.yaml");

/// How errors name a query: `query \`name\``, or `\`--sql\`` for ad-hoc SQL.
fn label(query: &str) -> String {
    if query == "--sql" { "`--sql`".to_owned() } else { format!("query `{query}`") }
}

/// Everything that can go wrong loading or running a query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A query file could not be read.
    #[error("cannot read query file `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A query file is not valid (YAML syntax, unknown field, a name defined twice...).
    #[error("{origin}: {message}")]
    Yaml {
        /// Where the definition came from.
        origin: Origin,
        /// What is wrong, with `at line L column C` when known.
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// A definition is well-formed YAML but not a valid query.
    #[error("{origin}: query `{query}`: {message}")]
    Invalid {
        /// Where the definition came from.
        origin: Origin,
        /// The query.
        query: String,
        /// What is wrong.
        message: String,
    },
    /// No query by that name.
    #[error("no query named `{name}`")]
    UnknownQuery {
        /// The name asked for.
        name: String,
        /// The closest known names.
        suggestions: Vec<String>,
    },
    /// A parameter the query does not declare.
    #[error("query `{query}` has no parameter `{param}`")]
    UnknownParam {
        /// The query.
        query: String,
        /// The parameter given.
        param: String,
        /// The parameters it does have.
        known: Vec<String>,
    },
    /// A required parameter was not given.
    #[error("query `{query}` needs parameter `{param}` ({ty})")]
    MissingParam {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// Its type.
        ty: String,
    },
    /// A parameter value does not fit its type.
    #[error("parameter `{param}` of query `{query}` expects {ty}, got `{value}`: {reason}")]
    BadValue {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// The expected type.
        ty: String,
        /// The value given.
        value: String,
        /// Why it does not fit.
        reason: String,
    },
    /// A `k=v` argument without `=`.
    #[error("`{0}` is not a parameter assignment (expected NAME=VALUE)")]
    BadAssignment(String),
    /// The SQL of a query does not prepare (syntax error, unknown column...).
    #[error("{} ({origin}): {message}", label(query))]
    Sql {
        /// The query (`--sql` for ad-hoc SQL).
        query: String,
        /// Where it was defined.
        origin: Origin,
        /// SQLite's message.
        message: String,
    },
    /// The SQL tried to change something.
    #[error("{} would {what}; queries are read-only", label(query))]
    NotReadOnly {
        /// The query.
        query: String,
        /// What it tried (`write to table versions`, `ATTACH a database`, ...).
        what: String,
    },
    /// SQLite failed while running the query.
    #[error("{} failed: {source}", label(query))]
    Run {
        /// The query.
        query: String,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// Setting up the connection failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl QueryError {
    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::UnknownQuery { suggestions, .. } if !suggestions.is_empty() => Some(format!(
                "did you mean {}? `obby query --list` shows them all",
                suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            )),
            Self::UnknownQuery { .. } => Some("`obby query --list` shows the queries".into()),
            Self::UnknownParam { known, .. } if known.is_empty() => {
                Some("this query takes no parameters".into())
            }
            Self::UnknownParam { known, .. } => {
                Some(format!("its parameters: {}", known.join(", ")))
            }
            Self::MissingParam { param, .. } => {
                Some(format!("pass it as `{param}=VALUE` or `--param {param}=VALUE`"))
            }
            Self::BadAssignment(_) => Some("write parameters as `name=value`".into()),
            Self::NotReadOnly { .. } => Some(
                "`obby query` only reads the store; use obby's own commands to change it".into(),
            ),
            Self::Yaml { .. } | Self::Invalid { .. } => {
                Some("fix the query file; `docs/query.md` describes the format".into())
            }
            Self::Store(e) => e.hint(),
            _ => None,
        }
    }
}
