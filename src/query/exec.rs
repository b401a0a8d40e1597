//! Running queries: read-only guards, bound parameters, cached prepared statements.
//!
//! [`Executor::new`] turns the store's read-only connection into a query connection: `PRAGMA
//! query_only`, an authorizer that refuses writes, schema changes, transactions,
//! `ATTACH`/`DETACH` and every pragma outside a read-only list (so the refusal names what was
//! tried instead of SQLite's bare "not authorized"), and the functions of
//! [`super::functions`]. Each statement is also checked with `sqlite3_stmt_readonly` before it
//! runs. Statements are prepared through rusqlite's statement cache, so running a query again
//! (a long-lived process, the benchmark) skips parsing and planning.

use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::Value;

use super::QueryError;
use super::functions::{self, ContentCache};
use super::params::Values;
use super::spec::{Origin, QueryDef};
use crate::store::Store;

/// Pragmas a query may read (and, for the ones that take a table or index name, call).
const READ_PRAGMAS: &[&str] = &[
    "application_id",
    "collation_list",
    "compile_options",
    "data_version",
    "database_list",
    "encoding",
    "foreign_key_check",
    "foreign_key_list",
    "freelist_count",
    "function_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "journal_mode",
    "module_list",
    "page_count",
    "page_size",
    "pragma_list",
    "quick_check",
    "schema_version",
    "table_info",
    "table_list",
    "table_xinfo",
    "user_version",
];

/// Pragmas whose argument names a table or index rather than setting a value.
const ARG_PRAGMAS: &[&str] = &[
    "foreign_key_check",
    "foreign_key_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "quick_check",
    "table_info",
    "table_list",
    "table_xinfo",
];

/// What a run produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Column names (made unique: a repeated name gets `_2`, `_3`...).
    pub columns: Vec<String>,
    /// Rows delivered.
    pub rows: u64,
    /// True when `max_rows` stopped the run before the last row.
    pub truncated: bool,
}

/// Runs queries on a store opened read-only.
pub struct Executor<'s> {
    conn: &'s Connection,
    denied: Arc<Mutex<Option<String>>>,
    cache: Arc<Mutex<ContentCache>>,
}

impl std::fmt::Debug for Executor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor").finish_non_exhaustive()
    }
}

fn authorize(denied: &Mutex<Option<String>>, ctx: &AuthContext<'_>) -> Authorization {
    let refuse = |what: String| {
        *denied.lock().unwrap_or_else(PoisonError::into_inner) = Some(what);
        Authorization::Deny
    };
    match ctx.action {
        AuthAction::Select
        | AuthAction::Read { .. }
        | AuthAction::Function { .. }
        | AuthAction::Recursive => Authorization::Allow,
        AuthAction::Pragma { pragma_name, pragma_value } => {
            let name = pragma_name.to_ascii_lowercase();
            let known = READ_PRAGMAS.contains(&name.as_str());
            if known && (pragma_value.is_none() || ARG_PRAGMAS.contains(&name.as_str())) {
                Authorization::Allow
            } else if pragma_value.is_some() {
                refuse(format!("set `PRAGMA {pragma_name}`"))
            } else {
                refuse(format!("run `PRAGMA {pragma_name}`, which is not on the read-only list"))
            }
        }
        AuthAction::Attach { .. } => refuse("ATTACH a database".into()),
        AuthAction::Detach { .. } => refuse("DETACH a database".into()),
        AuthAction::Insert { table_name } => refuse(format!("insert into `{table_name}`")),
        AuthAction::Update { table_name, .. } => refuse(format!("update `{table_name}`")),
        AuthAction::Delete { table_name } => refuse(format!("delete from `{table_name}`")),
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => {
            refuse("start or end a transaction".into())
        }
        _ => refuse("change the schema".into()),
    }
}

impl<'s> Executor<'s> {
    /// Prepares the store's connection for queries and returns the executor.
    ///
    /// # Errors
    /// SQLite errors while installing the guards and functions.
    pub fn new(store: &'s mut Store) -> Result<Self, QueryError> {
        let db_path = store.location().db_path();
        let sq = |e| {
            QueryError::Store(crate::store::StoreError::Sqlite { path: db_path.clone(), source: e })
        };
        let denied: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        {
            let conn = store.conn_mut();
            conn.pragma_update(None, "query_only", "ON").map_err(sq)?;
            // Map the file instead of a read() per page: a query touches pages all over it.
            conn.pragma_update(None, "mmap_size", functions::MMAP_SIZE).map_err(sq)?;
            conn.pragma_update(None, "cache_size", functions::CACHE_SIZE).map_err(sq)?;
            conn.set_prepared_statement_cache_capacity(64);
            let d = Arc::clone(&denied);
            conn.authorizer(Some(move |ctx: AuthContext<'_>| authorize(&d, &ctx))).map_err(sq)?;
        }
        let conn = store.conn();
        let cache = functions::register(conn, &db_path, store.root()).map_err(sq)?;
        Ok(Self { conn, denied, cache })
    }

    /// Forgets memoised content and diffs (for measuring cold runs).
    pub fn clear_caches(&self) {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    fn prepare(&self, query: &QueryDef) -> Result<rusqlite::CachedStatement<'s>, QueryError> {
        *self.denied.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let stmt = self.conn.prepare_cached(query.sql.trim()).map_err(|e| {
            if let Some(what) = self.denied.lock().unwrap_or_else(PoisonError::into_inner).take() {
                return QueryError::NotReadOnly { query: query.name.clone(), what };
            }
            let message = match &e {
                rusqlite::Error::MultipleStatement => {
                    "holds more than one statement; a query is one SELECT".to_owned()
                }
                rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                other => other.to_string(),
            };
            QueryError::Sql { query: query.name.clone(), origin: query.origin.clone(), message }
        })?;
        if !stmt.readonly() {
            return Err(QueryError::NotReadOnly {
                query: query.name.clone(),
                what: "change the store".into(),
            });
        }
        Ok(stmt)
    }

    fn bind(
        query: &QueryDef,
        stmt: &mut rusqlite::CachedStatement<'_>,
        values: &Values,
    ) -> Result<(), QueryError> {
        let sql_err = |message: String| QueryError::Sql {
            query: query.name.clone(),
            origin: query.origin.clone(),
            message,
        };
        for i in 1..=stmt.parameter_count() {
            let Some(name) = stmt.parameter_name(i).map(str::to_owned) else {
                return Err(sql_err(
                    "uses a `?` parameter; name it (`:name`) and declare it under `params`".into(),
                ));
            };
            let bare = name.trim_start_matches([':', '@', '$']);
            let value = values.get(bare).ok_or_else(|| {
                sql_err(format!(
                    "uses parameter `{name}`, which it does not declare under `params`"
                ))
            })?;
            stmt.raw_bind_parameter(i, value)
                .map_err(|e| QueryError::Run { query: query.name.clone(), source: e })?;
        }
        Ok(())
    }

    /// Runs `query` with `values`, handing each row to `on_row` (column names, values), at most
    /// `max_rows` rows.
    ///
    /// # Errors
    /// [`QueryError`] for SQL that does not prepare or tries to write; whatever `on_row` fails
    /// with.
    pub fn run<E: From<QueryError>>(
        &self,
        query: &QueryDef,
        values: &Values,
        max_rows: Option<u64>,
        mut on_row: impl FnMut(&[String], &[Value]) -> Result<(), E>,
    ) -> Result<Outcome, E> {
        let mut stmt = self.prepare(query)?;
        let _snapshot = RunGuard::new(&self.cache);
        let columns = unique_names(stmt.column_names().map(str::to_owned).collect());
        Self::bind(query, &mut stmt, values)?;
        let run_err = |e| QueryError::Run { query: query.name.clone(), source: e };
        let mut rows = stmt.raw_query();
        let mut out = Outcome { columns, rows: 0, truncated: false };
        let mut cells: Vec<Value> = Vec::with_capacity(out.columns.len());
        while let Some(row) = rows.next().map_err(run_err)? {
            if max_rows.is_some_and(|m| out.rows >= m) {
                out.truncated = true;
                break;
            }
            cells.clear();
            for i in 0..out.columns.len() {
                cells.push(owned(row.get_ref(i).map_err(run_err)?));
            }
            on_row(&out.columns, &cells)?;
            out.rows += 1;
        }
        Ok(out)
    }

    /// The query plan (`EXPLAIN QUERY PLAN`), one detail line per step.
    ///
    /// # Errors
    /// As [`Executor::run`].
    pub fn plan(&self, query: &QueryDef, values: &Values) -> Result<Vec<String>, QueryError> {
        let explain =
            QueryDef { sql: format!("EXPLAIN QUERY PLAN {}", query.sql.trim()), ..query.clone() };
        let mut lines = Vec::new();
        self.run::<QueryError>(&explain, values, None, |_, row| {
            if let Some(Value::Text(t)) = row.get(3) {
                lines.push(t.clone());
            }
            Ok(())
        })?;
        Ok(lines)
    }

    /// A definition for ad-hoc SQL (`--sql`): every given parameter is a string.
    #[must_use]
    pub fn ad_hoc(sql: &str, given: &[(String, String)]) -> QueryDef {
        let params = given
            .iter()
            .map(|(name, _)| super::ParamDef {
                name: name.clone(),
                ty: super::ParamType::String,
                default: None,
                required: false,
                help: String::new(),
                choices: Vec::new(),
                min: None,
                max: None,
            })
            .collect();
        QueryDef {
            name: "--sql".into(),
            description: String::new(),
            params,
            sql: sql.to_owned(),
            origin: Origin::CommandLine,
        }
    }
}

/// Holds the content reads of one run in one read transaction, released however the run ends.
struct RunGuard<'a>(&'a Mutex<ContentCache>);

impl<'a> RunGuard<'a> {
    fn new(cache: &'a Mutex<ContentCache>) -> Self {
        cache.lock().unwrap_or_else(PoisonError::into_inner).begin_run();
        Self(cache)
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).end_run();
    }
}

fn owned(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(x) => Value::Real(x),
        // `from_utf8` validates ASCII a word at a time; the lossy path walks chunk by chunk and
        // was 40% of a warm `recent-diffs` (its diff column is long text).
        ValueRef::Text(t) => Value::Text(match std::str::from_utf8(t) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut candidate = name.clone();
        let mut n = 1;
        while out.contains(&candidate) {
            n += 1;
            candidate = format!("{name}_{n}");
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QuerySet;
    use crate::query::params::{ParseContext, resolve};

    fn store() -> (tempfile::TempDir, Store) {
        let tmp = tempfile::tempdir().unwrap();
        let store = crate::query::generate::generate(tmp.path(), 60, 400, 10).unwrap();
        (tmp, store)
    }

    fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// Arguments that make every built-in query run (its required parameters).
    fn args_for(name: &str) -> Vec<(String, String)> {
        match name {
            "diffs-since" => given(&[("since", "@0")]),
            "file-versions" | "file-at" => given(&[("path", "config/file10.txt")]),
            "topic-files" => given(&[("keyword", "topic7")]),
            _ => Vec::new(),
        }
    }

    /// The aliases `versions` goes by in a query's SQL (`versions v` -> `v`).
    fn versions_aliases(sql: &str) -> Vec<String> {
        let words: Vec<&str> = sql.split_whitespace().collect();
        let mut out = vec!["versions".to_owned()];
        for w in words.windows(2) {
            if w[0] == "versions" {
                out.push(w[1].trim_end_matches([',', ')']).to_owned());
            }
        }
        out
    }

    /// Steps of a plan that read the whole `versions` table: `SCAN <alias>` without an index.
    /// (`SCAN v USING COVERING INDEX versions_time` walks an index in order and stops at the
    /// query's LIMIT or range; `SEARCH` is a lookup.)
    fn full_scans_of_versions(plan: &[String], sql: &str) -> Vec<String> {
        let aliases = versions_aliases(sql);
        plan.iter()
            .filter(|step| {
                let words: Vec<&str> = step.split_whitespace().collect();
                words.first() == Some(&"SCAN")
                    && words.get(1).is_some_and(|t| aliases.iter().any(|a| a == t))
                    && words.get(2) != Some(&"USING")
            })
            .cloned()
            .collect()
    }

    #[test]
    fn the_plan_check_catches_a_full_scan() {
        let (_tmp, mut store) = store();
        let exec = Executor::new(&mut store).unwrap();
        let q = Executor::ad_hoc("SELECT count(*) FROM versions v WHERE v.size > 10", &[]);
        let plan = exec.plan(&q, &Values::default()).unwrap();
        assert_eq!(full_scans_of_versions(&plan, &q.sql), vec!["SCAN v".to_owned()], "{plan:?}");
    }

    #[test]
    fn no_builtin_query_scans_the_versions_table() {
        let (tmp, mut store) = store();
        let set = QuerySet::builtin().unwrap();
        let exec = Executor::new(&mut store).unwrap();
        let ctx = ParseContext::new(tmp.path().to_path_buf(), tmp.path().to_path_buf());
        for q in set.iter() {
            let values = resolve(q, &args_for(&q.name), &ctx).unwrap();
            let plan = exec.plan(q, &values).unwrap();
            let scans = full_scans_of_versions(&plan, &q.sql);
            assert!(scans.is_empty(), "{}: full scan of versions: {scans:?}\n{plan:#?}", q.name);
            let mut rows = 0;
            exec.run::<QueryError>(q, &values, None, |_, _| {
                rows += 1;
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", q.name));
            assert!(rows > 0, "{} returned no rows", q.name);
        }
    }

    /// `time-analysis` jumps from bucket to bucket over the time index; it must give exactly
    /// what grouping every row by its bucket gives, for each bucket size and for a range that
    /// starts and ends inside a bucket.
    #[test]
    fn time_analysis_matches_grouping_every_row() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = crate::query::generate::generate(tmp.path(), 40, 600, 100).unwrap();
        let reference =
            "SELECT strftime(CASE ?1 WHEN 'hour' THEN '%Y-%m-%d %H:00' WHEN 'month' THEN '%Y-%m'
                      ELSE '%Y-%m-%d' END, start / 1000, 'unixepoch'),
             count(*), count(DISTINCT file_id), sum(lines_added), sum(lines_removed),
             sum(change = 'created'), sum(change = 'deleted')
      FROM (SELECT CASE ?1 WHEN 'hour' THEN recorded_at / 3600000 * 3600000
                     WHEN 'day' THEN recorded_at / 86400000 * 86400000
                     WHEN 'week' THEN ((recorded_at / 86400000 + 3) / 7 * 7 - 3) * 86400000
                     ELSE CAST(strftime('%s', recorded_at / 1000, 'unixepoch', 'start of month')
                               AS INTEGER) * 1000 END AS start, *
            FROM versions WHERE recorded_at >= ?2 AND recorded_at < ?3)
      GROUP BY start ORDER BY start";
        // The reference runs on a connection of its own: the executor guards the store's.
        let plain = Connection::open(tmp.path().join(".obby/obby.db")).unwrap();
        let (lo, hi): (i64, i64) = plain
            .query_row("SELECT min(recorded_at), max(recorded_at) FROM versions", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        // A range cut inside buckets of every size (7 h 13 min past a day's start).
        let (cut_lo, cut_hi) = (lo + (hi - lo) / 3 + 26_000_000, hi - (hi - lo) / 4 + 26_000_000);
        let fmt = crate::timeparse::format_ms;
        let set = QuerySet::builtin().unwrap();
        let q = set.get("time-analysis").unwrap();
        let ctx = ParseContext::new(tmp.path().to_path_buf(), tmp.path().to_path_buf());
        let exec = Executor::new(&mut store).unwrap();
        for bucket in ["hour", "day", "week", "month"] {
            for (since, until) in [(0, hi + 1), (cut_lo, cut_hi)] {
                let expected: Vec<Vec<String>> = {
                    let mut stmt = plain.prepare(reference).unwrap();
                    stmt.query_map((bucket, since, until), |r| {
                        (0..7)
                            .map(|i| {
                                r.get_ref(i).map(|v| match v {
                                    rusqlite::types::ValueRef::Text(t) => {
                                        String::from_utf8_lossy(t).into_owned()
                                    }
                                    other => format!("{:?}", other.as_i64().ok()),
                                })
                            })
                            .collect()
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
                };
                let args =
                    given(&[("bucket", bucket), ("since", &fmt(since)), ("until", &fmt(until))]);
                let values = resolve(q, &args, &ctx).unwrap();
                let mut got = Vec::new();
                exec.run::<QueryError>(q, &values, None, |_, row| {
                    got.push(
                        row.iter()
                            .map(|v| match v {
                                Value::Text(t) => t.clone(),
                                Value::Integer(i) => format!("{:?}", Some(*i)),
                                other => format!("{other:?}"),
                            })
                            .collect::<Vec<_>>(),
                    );
                    Ok(())
                })
                .unwrap();
                assert!(expected.len() > 1, "{bucket}: too few buckets to test");
                assert_eq!(got, expected, "{bucket} {since}..{until}");
            }
        }
    }

    #[test]
    fn writes_attach_and_pragma_writes_are_refused() {
        let (_tmp, mut store) = store();
        let exec = Executor::new(&mut store).unwrap();
        for sql in [
            "DELETE FROM versions",
            "UPDATE files SET path = 'x'",
            "INSERT INTO meta VALUES ('a', 'b')",
            "ATTACH DATABASE '/tmp/obby-x.db' AS x",
            "PRAGMA query_only = OFF",
            "PRAGMA journal_mode = DELETE",
            "CREATE TABLE t(x)",
            "DROP TABLE versions",
            "BEGIN",
            "VACUUM",
        ] {
            let q = Executor::ad_hoc(sql, &[]);
            let err =
                exec.run::<QueryError>(&q, &Values::default(), None, |_, _| Ok(())).unwrap_err();
            assert!(matches!(err, QueryError::NotReadOnly { .. }), "{sql}: {err}");
        }
        let ok = Executor::ad_hoc("PRAGMA table_info(versions)", &[]);
        let mut n = 0;
        exec.run::<QueryError>(&ok, &Values::default(), None, |_, _| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert!(n > 5);
        let count: i64 =
            store.conn().query_row("SELECT count(*) FROM versions", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 400);
    }

    #[test]
    fn recent_diffs_shows_unified_diffs() {
        let (tmp, mut store) = store();
        let set = QuerySet::builtin().unwrap();
        let exec = Executor::new(&mut store).unwrap();
        let q = set.get("recent-diffs").unwrap();
        let ctx = ParseContext::new(tmp.path().to_path_buf(), tmp.path().to_path_buf());
        let values = resolve(q, &given(&[("limit", "5")]), &ctx).unwrap();
        let mut diffs = Vec::new();
        let out = exec
            .run::<QueryError>(q, &values, None, |cols, row| {
                let i = cols.iter().position(|c| c == "diff").unwrap();
                diffs.push(crate::query::format::cell_text(&row[i]));
                Ok(())
            })
            .unwrap();
        assert_eq!(out.rows, 5);
        assert!(diffs.iter().all(|d| d.starts_with("--- a/") && d.contains("\n@@ ")), "{diffs:#?}");
    }

    #[test]
    fn undeclared_and_positional_parameters_are_errors() {
        let (_tmp, mut store) = store();
        let exec = Executor::new(&mut store).unwrap();
        for sql in ["SELECT :nope", "SELECT ?"] {
            let q = Executor::ad_hoc(sql, &[]);
            let err =
                exec.run::<QueryError>(&q, &Values::default(), None, |_, _| Ok(())).unwrap_err();
            assert!(matches!(err, QueryError::Sql { .. }), "{err}");
        }
    }
}
