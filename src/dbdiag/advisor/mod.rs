//! The SQLite index advisor, working the way SQLite's `.expert` does.
//!
//! For each workload query: plan it on the real database (read-only). When the plan has a full
//! scan, a temp b-tree sort or an automatic index, prepare the query on a probe database
//! ([`probe`]) to learn, from the planner itself, which columns it would like to look rows up by
//! and in which order it wants them; turn those into candidate indexes (equality columns, then a
//! range column or the ORDER BY columns); create the candidates on an in-memory copy of the
//! schema carrying the real `sqlite_stat1`, plan again, and keep only the candidates the planner
//! picks. A query an existing index already serves never gets a suggestion. Nothing touches the
//! user's file but `EXPLAIN QUERY PLAN`.

pub mod probe;

use rusqlite::Connection;
use serde::Serialize;

use super::plan::{self, PlanNode};
use super::sqlite::Sqlite;
use super::workload::Query;
use super::{DbDiagError, Finding, Severity, create_index_sql};

/// One suggested index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The table.
    pub table: String,
    /// Its key columns, in order.
    pub columns: Vec<String>,
    /// The DDL.
    pub sql: String,
}

/// What the advisor found for one query.
#[derive(Clone, Debug, Serialize)]
pub struct QueryAdvice {
    /// The query's name (from queries.yaml, or `file:line`).
    pub name: String,
    /// Its SQL.
    pub sql: String,
    /// The plan on the database as it is.
    pub plan: Vec<PlanNode>,
    /// Named indexes the current plan uses.
    pub used_indexes: Vec<String>,
    /// Indexes that would remove a scan or sort.
    pub suggestions: Vec<Suggestion>,
    /// Why the query could not be planned.
    pub error: Option<String>,
}

impl QueryAdvice {
    /// The plan as one line.
    #[must_use]
    pub fn plan_summary(&self) -> String {
        if let Some(e) = &self.error {
            return format!("error: {e}");
        }
        self.plan.iter().map(|n| n.detail.as_str()).collect::<Vec<_>>().join("; ")
    }

    /// Findings for the `missing_index` check.
    #[must_use]
    pub fn findings(&self, check: &'static str) -> Vec<Finding> {
        if let Some(e) = &self.error {
            return vec![Finding::new(
                check,
                Severity::Warning,
                &self.name,
                format!("the query does not plan: {e}"),
            )];
        }
        let costly: Vec<&str> =
            self.plan.iter().filter(|n| n.is_costly()).map(|n| n.detail.as_str()).collect();
        self.suggestions
            .iter()
            .map(|s| {
                Finding::new(
                    check,
                    Severity::Warning,
                    &self.name,
                    format!(
                        "{}; an index on {}({}) serves it",
                        costly.join(", "),
                        s.table,
                        s.columns.join(", ")
                    ),
                )
                .suggest(s.sql.clone())
            })
            .collect()
    }
}

/// Plans every query and suggests indexes where they would remove a scan or a sort.
///
/// # Errors
/// Building the probe or the in-memory copy failed (a query that does not plan is reported in
/// its [`QueryAdvice::error`] instead).
pub fn advise(db: &Sqlite, queries: &[Query]) -> Result<Vec<QueryAdvice>, DbDiagError> {
    let internal =
        |e: rusqlite::Error| DbDiagError::Sqlite { path: db.path().to_owned(), source: e };
    let schema = db.schema();
    let tables: Vec<(String, Vec<String>)> =
        schema.plain_tables().map(|t| (t.name.clone(), t.columns.clone())).collect();
    let views: Vec<String> = schema.views.iter().map(|(_, sql)| sql.clone()).collect();
    let (probe_conn, log) = probe::probe_db(&tables, &views).map_err(internal)?;
    let mut copy: Option<Connection> = None;
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let mut advice = QueryAdvice {
            name: q.name.clone(),
            sql: q.sql.clone(),
            plan: Vec::new(),
            used_indexes: Vec::new(),
            suggestions: Vec::new(),
            error: None,
        };
        match plan::explain(db.conn(), &q.sql) {
            Err(e) => advice.error = Some(e.to_string()),
            Ok(nodes) => {
                advice.used_indexes =
                    nodes.iter().filter_map(|n| n.index().map(str::to_owned)).collect();
                let costly = nodes.iter().any(PlanNode::is_costly);
                advice.plan = nodes;
                if costly {
                    let usages = probe::usages(&probe_conn, &log, &q.sql).unwrap_or_default();
                    let candidates = candidates(db, &usages);
                    if !candidates.is_empty() {
                        if copy.is_none() {
                            copy = Some(copy_schema(db).map_err(internal)?);
                        }
                        if let Some(c) = &copy {
                            advice.suggestions =
                                try_candidates(c, &q.sql, &candidates).map_err(internal)?;
                        }
                    }
                }
            }
        }
        out.push(advice);
    }
    Ok(out)
}

/// Candidate key lists per table: equality columns, then each range column, or the ORDER BY.
fn candidates(db: &Sqlite, usages: &[probe::Usage]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |table: &str, cols: Vec<String>| {
        if cols.is_empty() {
            return;
        }
        let Some(meta) = db.schema().table(table) else { return };
        let rowid_alias = !meta.without_rowid && meta.primary_key.len() == 1;
        if rowid_alias && cols[0].eq_ignore_ascii_case(&meta.primary_key[0]) {
            return;
        }
        let served = meta
            .indexes
            .iter()
            .any(|i| i.columns.len() >= cols.len() && i.columns[..cols.len()] == cols[..]);
        if !served && !out.iter().any(|(t, c)| t == table && *c == cols) {
            out.push((meta.name.clone(), cols));
        }
    };
    for u in usages {
        push(&u.table, u.eq.clone());
        for r in &u.range {
            let mut cols = u.eq.clone();
            cols.push(r.clone());
            push(&u.table, cols);
        }
        if !u.order_by.is_empty() {
            let mut cols = u.eq.clone();
            for (c, _) in &u.order_by {
                if !cols.contains(c) {
                    cols.push(c.clone());
                }
            }
            push(&u.table, cols);
        }
    }
    out
}

/// An in-memory database with the same tables, indexes, views and `sqlite_stat1`.
fn copy_schema(db: &Sqlite) -> rusqlite::Result<Connection> {
    let copy = Connection::open_in_memory()?;
    let schema = db.schema();
    for t in &schema.tables {
        if let (Some(sql), "table" | "virtual") = (&t.sql, t.kind.as_str()) {
            // A virtual table of a module we lack only loses the queries that use it.
            let _ = copy.execute_batch(sql);
        }
    }
    for t in schema.plain_tables() {
        for sql in t.indexes.iter().filter_map(|i| i.sql.as_ref()) {
            let _ = copy.execute_batch(sql);
        }
    }
    for (_, sql) in &schema.views {
        let _ = copy.execute_batch(sql);
    }
    let has_stat1: i64 = db.conn().query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'",
        [],
        |r| r.get(0),
    )?;
    if has_stat1 > 0 {
        copy.execute_batch("ANALYZE sqlite_schema; DELETE FROM sqlite_stat1;")?;
        let mut read = db.conn().prepare("SELECT tbl, idx, stat FROM sqlite_stat1")?;
        let rows = read.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut write =
            copy.prepare("INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (?1, ?2, ?3)")?;
        for row in rows {
            let (tbl, idx, stat) = row?;
            write.execute((tbl, idx, stat))?;
        }
        // Makes the planner load the statistics just written.
        copy.execute_batch("ANALYZE sqlite_schema;")?;
    }
    Ok(copy)
}

/// Creates every candidate, re-plans, keeps the ones the planner uses, drops them all again.
fn try_candidates(
    copy: &Connection,
    sql: &str,
    candidates: &[(String, Vec<String>)],
) -> rusqlite::Result<Vec<Suggestion>> {
    let mut names = Vec::new();
    for (n, (table, cols)) in candidates.iter().enumerate() {
        let name = format!("obby_candidate_{n}");
        let cols_sql =
            cols.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>();
        let ddl = format!(
            "CREATE INDEX {name} ON \"{}\"({})",
            table.replace('"', "\"\""),
            cols_sql.join(", ")
        );
        if copy.execute_batch(&ddl).is_ok() {
            names.push((name, table, cols));
        }
    }
    let after = plan::explain(copy, sql);
    for (name, _, _) in &names {
        copy.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    let Ok(after) = after else { return Ok(Vec::new()) };
    let used: Vec<&str> = after.iter().filter_map(PlanNode::index).collect();
    Ok(names
        .into_iter()
        .filter(|(name, _, _)| used.contains(&name.as_str()))
        .map(|(_, table, cols)| Suggestion {
            table: table.clone(),
            columns: cols.clone(),
            sql: create_index_sql(table, cols, true),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn db(sql: &str) -> (tempfile::TempDir, Sqlite) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let db = Sqlite::open(&path, Duration::from_millis(10)).unwrap();
        (dir, db)
    }

    fn q(sql: &str) -> Query {
        Query { name: "q".into(), sql: sql.into() }
    }

    const TASKS: &str = "CREATE TABLE tasks(id INTEGER PRIMARY KEY, title TEXT, status TEXT, \
                         priority INTEGER, created_at INTEGER);";

    #[test]
    fn suggests_equality_then_order_columns() {
        let (_d, db) = db(TASKS);
        let a = advise(
            &db,
            &[q(
                "SELECT id, title FROM tasks WHERE status = ? AND priority = ? ORDER BY created_at",
            )],
        )
        .unwrap();
        assert_eq!(a[0].suggestions.len(), 1, "{:?}", a[0]);
        assert_eq!(a[0].suggestions[0].columns, ["status", "priority", "created_at"]);
    }

    #[test]
    fn nothing_where_an_index_serves() {
        let (_d, db) =
            db(&format!("{TASKS} CREATE INDEX t_spc ON tasks(status, priority, created_at);"));
        let a = advise(
            &db,
            &[
                q("SELECT * FROM tasks WHERE status = ? AND priority = ? ORDER BY created_at"),
                q("SELECT * FROM tasks WHERE id = ?"),
                q("SELECT count(*) FROM tasks"),
            ],
        )
        .unwrap();
        assert!(a.iter().all(|a| a.suggestions.is_empty()), "{a:?}");
        assert_eq!(a[0].used_indexes, ["t_spc"]);
    }

    #[test]
    fn a_broken_query_is_reported_and_the_rest_goes_on() {
        let (_d, db) = db(TASKS);
        let a =
            advise(&db, &[q("SELECT * FROM nowhere"), q("SELECT * FROM tasks WHERE title = ?")])
                .unwrap();
        assert!(a[0].error.is_some());
        assert_eq!(a[1].suggestions[0].columns, ["title"]);
    }

    #[test]
    fn joins_get_an_index_on_the_inner_table() {
        let (_d, db) = db(&format!(
            "{TASKS} CREATE TABLE notes(id INTEGER PRIMARY KEY, task_id INTEGER, body TEXT);"
        ));
        let a = advise(
            &db,
            &[q("SELECT * FROM tasks t JOIN notes n ON n.task_id = t.id WHERE t.status = ?")],
        )
        .unwrap();
        let tables: Vec<_> = a[0].suggestions.iter().map(|s| s.table.as_str()).collect();
        assert!(tables.contains(&"notes") || tables.contains(&"tasks"), "{a:?}");
    }
}
