//! A virtual table that records what the planner would like to look rows up by.
//!
//! This is how SQLite's `.expert` learns a query's constraints without parsing SQL: every table
//! of the schema is declared again as a virtual table of this module in a scratch database, the
//! query is prepared there, and SQLite's planner calls `xBestIndex` once per way it considers
//! reaching each table, listing the usable `=`/range constraints by column and the `ORDER BY`
//! terms it would like delivered in order. We write those down ([`Usage`]) and build candidate
//! indexes from them; the query is never run.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_int};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use rusqlite::vtab::{
    Context, CreateVTab, Filters, IndexConstraintOp, IndexInfo, Module, VTab, VTabConnection,
    VTabCursor, VTabKind,
};
use rusqlite::{Connection, ffi};

/// What the planner asked of one table in one `xBestIndex` call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The table.
    pub table: String,
    /// Columns with a usable `=`/`IS`/`IN` constraint, in constraint order.
    pub eq: Vec<String>,
    /// Columns with a usable range constraint (`<`, `<=`, `>`, `>=`).
    pub range: Vec<String>,
    /// ORDER BY columns with their direction (`true` = DESC).
    pub order_by: Vec<(String, bool)>,
}

/// Where the calls are written down.
pub type Log = Arc<Mutex<Vec<Usage>>>;

#[repr(C)]
struct ProbeTab {
    base: ffi::sqlite3_vtab,
    table: String,
    columns: Vec<String>,
    log: Log,
}

unsafe impl<'vtab> VTab<'vtab> for ProbeTab {
    type Aux = Log;
    type Cursor = ProbeCursor<'vtab>;

    fn connect(
        _db: &mut VTabConnection,
        aux: Option<&Log>,
        _module_name: &[u8],
        _database_name: &[u8],
        table_name: &[u8],
        args: &[&[u8]],
    ) -> rusqlite::Result<(Cow<'static, CStr>, Self)> {
        let table = String::from_utf8_lossy(table_name).into_owned();
        let columns: Vec<String> = args
            .iter()
            .map(|a| rusqlite::vtab::dequote(&String::from_utf8_lossy(a)).into_owned())
            .collect();
        let decl = format!(
            "CREATE TABLE x({})",
            columns
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let tab = ProbeTab {
            base: ffi::sqlite3_vtab::default(),
            table,
            columns,
            log: aux.cloned().unwrap_or_default(),
        };
        Ok((Cow::Owned(CString::new(decl)?), tab))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<bool> {
        let mut usage = Usage { table: self.table.clone(), ..Usage::default() };
        let name = |col: c_int| usize::try_from(col).ok().and_then(|c| self.columns.get(c));
        for c in info.constraints() {
            let Some(col) = name(c.column()) else { continue };
            if !c.is_usable() {
                continue;
            }
            let list = match c.operator() {
                IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
                | IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_IS => &mut usage.eq,
                IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_GT
                | IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_GE
                | IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_LT
                | IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_LE => &mut usage.range,
                _ => continue,
            };
            if !list.contains(col) {
                list.push(col.clone());
            }
        }
        for o in info.order_bys() {
            if let Some(col) = name(o.column()) {
                usage.order_by.push((col.clone(), o.is_order_by_desc()));
            }
        }
        let n = usage.eq.len();
        if let Ok(mut log) = self.log.lock() {
            log.push(usage);
        }
        // Cheaper with more equality constraints, so the planner explores joins as it would
        // with real indexes.
        info.set_estimated_cost(1_000_000.0 / (n as f64 + 1.0));
        Ok(true)
    }

    fn open(&'vtab mut self) -> rusqlite::Result<ProbeCursor<'vtab>> {
        Ok(ProbeCursor { base: ffi::sqlite3_vtab_cursor::default(), phantom: PhantomData })
    }
}

impl CreateVTab<'_> for ProbeTab {
    const KIND: VTabKind = VTabKind::Default;
}

/// An always-empty cursor: probe tables are planned, never read.
#[repr(C)]
struct ProbeCursor<'vtab> {
    base: ffi::sqlite3_vtab_cursor,
    phantom: PhantomData<&'vtab ProbeTab>,
}

unsafe impl VTabCursor for ProbeCursor<'_> {
    fn filter(&mut self, _: c_int, _: Option<&str>, _: &Filters<'_>) -> rusqlite::Result<()> {
        Ok(())
    }
    fn next(&mut self) -> rusqlite::Result<()> {
        Ok(())
    }
    fn eof(&self) -> bool {
        true
    }
    fn column(&self, _: &mut Context, _: c_int) -> rusqlite::Result<()> {
        Ok(())
    }
    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(0)
    }
}

/// A scratch database whose tables are probes of the given tables (name, columns) plus the views.
///
/// # Errors
/// SQLite errors while declaring the tables.
pub fn probe_db(
    tables: &[(String, Vec<String>)],
    views: &[String],
) -> rusqlite::Result<(Connection, Log)> {
    const MODULE: Module<'static, ProbeTab> = Module::read_only_module();
    let conn = Connection::open_in_memory()?;
    let log: Log = Arc::default();
    conn.create_module(c"obby_probe", &MODULE, Some(Arc::clone(&log)))?;
    for (name, columns) in tables {
        let cols = columns
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(", ");
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE \"{}\" USING obby_probe({cols})",
            name.replace('"', "\"\"")
        ))?;
    }
    for view in views {
        // A view over a table we could not declare only loses the queries that use it.
        let _ = conn.execute_batch(view);
    }
    Ok((conn, log))
}

/// Prepares `sql` on a probe database and returns what the planner asked of each table.
///
/// # Errors
/// The statement does not prepare.
pub fn usages(conn: &Connection, log: &Log, sql: &str) -> rusqlite::Result<Vec<Usage>> {
    if let Ok(mut l) = log.lock() {
        l.clear();
    }
    drop(crate::dbdiag::plan::prepare_with_stubs(conn, sql)?);
    Ok(log.lock().map(|l| l.clone()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_constraints_and_order() {
        let tables = vec![(
            "tasks".to_owned(),
            vec!["id".into(), "status".into(), "priority".into(), "created_at".into()],
        )];
        let (conn, log) = probe_db(&tables, &[]).unwrap();
        let u = usages(
            &conn,
            &log,
            "SELECT id FROM tasks WHERE status = ? AND priority = ? AND created_at > ? ORDER BY created_at",
        )
        .unwrap();
        let best = u.iter().max_by_key(|u| u.eq.len()).unwrap();
        assert_eq!(best.eq, ["status", "priority"]);
        assert_eq!(best.range, ["created_at"]);
        assert_eq!(best.order_by, [("created_at".to_owned(), false)]);
    }
}
