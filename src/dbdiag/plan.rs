//! Reading SQLite's `EXPLAIN QUERY PLAN` into typed steps.
//!
//! The plan comes back as rows `(id, parent, notused, detail)` forming a tree; each `detail` is a
//! short sentence in a fixed grammar (`SCAN t [USING [COVERING] INDEX i]`, `SEARCH t USING INDEX i
//! (a=? AND b>?)`, `USE TEMP B-TREE FOR ORDER BY`, ...). We keep the tree and read each sentence
//! word by word into a [`Step`], so the advisor asks "is there a full scan of `tasks`?" or "which
//! indexes does it use?" of values, never by searching strings.

use rusqlite::Connection;
use serde::Serialize;

/// What one node of a plan does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Reads every row of a table (through an index when `index` is set, still every row).
    Scan {
        /// Table or alias as the plan names it.
        table: String,
        /// The index walked, if any.
        index: Option<String>,
    },
    /// Looks rows up by key.
    Search {
        /// Table or alias.
        table: String,
        /// The index used; `None` for the rowid / primary key.
        index: Option<String>,
        /// The index was built for this statement only (`AUTOMATIC`).
        automatic: bool,
    },
    /// Sorts into a temporary b-tree (`ORDER BY`, `GROUP BY`, `DISTINCT`).
    TempBtree {
        /// What for (`ORDER BY`, ...).
        purpose: String,
    },
    /// Anything else (subqueries, co-routines, compound queries, constant rows).
    Other,
}

/// One node of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanNode {
    /// Node id.
    pub id: i64,
    /// Parent node id (0 at the top).
    pub parent: i64,
    /// SQLite's text.
    pub detail: String,
    /// The step it describes.
    pub step: Step,
}

impl PlanNode {
    /// True for the steps an index could remove: full scans (also in the order of an index,
    /// which still reads every row), temp b-tree sorts, indexes built on the fly.
    #[must_use]
    pub fn is_costly(&self) -> bool {
        match &self.step {
            Step::Scan { table, .. } => !table.starts_with('('),
            Step::TempBtree { .. } => true,
            Step::Search { automatic, .. } => *automatic,
            Step::Other => false,
        }
    }

    /// The named (not automatic) index this node uses.
    #[must_use]
    pub fn index(&self) -> Option<&str> {
        match &self.step {
            Step::Scan { index, .. } | Step::Search { index, automatic: false, .. } => {
                index.as_deref()
            }
            _ => None,
        }
    }
}

/// Reads one `detail` sentence.
#[must_use]
pub fn parse_detail(detail: &str) -> Step {
    let words: Vec<&str> = detail.split_whitespace().collect();
    let index_after = |from: usize| -> (Option<String>, bool) {
        // USING [AUTOMATIC] [COVERING|PARTIAL ...] INDEX name | USING [INTEGER] PRIMARY KEY
        let rest = words.get(from..).unwrap_or_default();
        if rest.first() != Some(&"USING") {
            return (None, false);
        }
        let automatic = rest.contains(&"AUTOMATIC");
        match rest.iter().position(|w| *w == "INDEX") {
            Some(p) if !automatic => (rest.get(p + 1).map(|s| (*s).to_owned()), false),
            Some(_) => (None, true),
            None => (None, false),
        }
    };
    match words.as_slice() {
        ["SCAN", table, ..] if !matches!(*table, "CONSTANT" | "SUBQUERY") => {
            let from = if words.get(2) == Some(&"AS") { 4 } else { 2 };
            let table = if from == 4 { words[3] } else { table };
            let (index, _) = index_after(from);
            Step::Scan { table: table.to_owned(), index }
        }
        ["SEARCH", table, ..] => {
            let from = if words.get(2) == Some(&"AS") { 4 } else { 2 };
            let table = if from == 4 { words[3] } else { table };
            let (index, automatic) = index_after(from);
            Step::Search { table: table.to_owned(), index, automatic }
        }
        ["USE", "TEMP", "B-TREE", "FOR", purpose @ ..] => {
            Step::TempBtree { purpose: purpose.join(" ") }
        }
        _ => Step::Other,
    }
}

/// Prepares `sql`; a function the application defines (`no such function: f`) gets a stub that
/// returns NULL, so workloads using application functions still plan. Planning never calls it.
///
/// # Errors
/// The statement does not prepare for any other reason.
pub fn prepare_with_stubs<'c>(
    conn: &'c Connection,
    sql: &str,
) -> rusqlite::Result<rusqlite::Statement<'c>> {
    let mut stubbed = 0;
    loop {
        match conn.prepare(sql) {
            Err(e) if stubbed < 16 => {
                let msg = match &e {
                    rusqlite::Error::SqlInputError { msg, .. }
                    | rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
                    other => other.to_string(),
                };
                let Some(name) = msg.strip_prefix("no such function: ") else { return Err(e) };
                conn.create_scalar_function(
                    name.trim(),
                    -1,
                    rusqlite::functions::FunctionFlags::SQLITE_UTF8,
                    |_| Ok(rusqlite::types::Value::Null),
                )?;
                stubbed += 1;
            }
            other => return other,
        }
    }
}

/// Runs `EXPLAIN QUERY PLAN` on `sql` and reads the result.
///
/// # Errors
/// The statement does not prepare (syntax error, unknown table or column).
pub fn explain(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<PlanNode>> {
    let mut stmt = prepare_with_stubs(conn, &format!("EXPLAIN QUERY PLAN {sql}"))?;
    // Placeholders stay unbound: a plan does not need their values.
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let detail: String = r.get(3)?;
        out.push(PlanNode {
            id: r.get(0)?,
            parent: r.get(1)?,
            step: parse_detail(&detail),
            detail,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_common_sentences() {
        assert_eq!(parse_detail("SCAN tasks"), Step::Scan { table: "tasks".into(), index: None });
        assert_eq!(
            parse_detail("SCAN t USING COVERING INDEX t_a"),
            Step::Scan { table: "t".into(), index: Some("t_a".into()) }
        );
        assert_eq!(
            parse_detail("SEARCH n USING INDEX n_t (task_id=?)"),
            Step::Search { table: "n".into(), index: Some("n_t".into()), automatic: false }
        );
        assert_eq!(
            parse_detail("SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"),
            Step::Search { table: "t".into(), index: None, automatic: false }
        );
        assert_eq!(
            parse_detail("SEARCH t USING AUTOMATIC COVERING INDEX (title=?)"),
            Step::Search { table: "t".into(), index: None, automatic: true }
        );
        assert_eq!(
            parse_detail("USE TEMP B-TREE FOR ORDER BY"),
            Step::TempBtree { purpose: "ORDER BY".into() }
        );
        assert_eq!(parse_detail("SCAN CONSTANT ROW"), Step::Other);
        assert_eq!(parse_detail("COMPOUND QUERY"), Step::Other);
    }

    #[test]
    fn explains_a_real_statement() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(a, b); CREATE INDEX t_a ON t(a);").unwrap();
        let plan = explain(&conn, "SELECT * FROM t WHERE a = ? ORDER BY b").unwrap();
        assert!(plan.iter().any(|n| n.index() == Some("t_a")));
        assert!(plan.iter().any(PlanNode::is_costly));
        assert!(explain(&conn, "SELEC nonsense").is_err());
        let app = explain(&conn, "SELECT my_app_fn(a, 1) FROM t WHERE a = ?").unwrap();
        assert!(app.iter().any(|n| n.index() == Some("t_a")));
    }
}
