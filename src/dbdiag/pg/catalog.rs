//! The catalog and statistics queries of the PostgreSQL checks, and the batch that sends all of
//! them in one round trip.
//!
//! A run over a server is dominated by round trips, not by the server's work (each catalog query
//! costs well under a millisecond; each round trip is two context switches and, through the
//! extended protocol, a prepare and an execute). So before the first check runs, the driver asks
//! [`Catalog::prefetch`] for every query the selected checks need; they go to the server as one
//! simple-protocol message of several statements and come back as text rows, split per statement.
//! The checks then read their rows from memory ([`Catalog::rows`]).
//!
//! In a fresh session most of the server's own time goes to loading catalog caches and expanding
//! views, so the per-table facts of five checks come from one query ([`Q::Relations`]) that calls
//! the `pg_stat_get_*` functions the `pg_stat_user_tables` and `pg_statio_user_tables` views are
//! made of, with the views' filters, instead of three views read four times.
//!
//! The batch is one implicit transaction, so one failing statement fails all of them. The
//! `pg_stat_statements` queries are the ones that fail on ordinary servers (the extension not
//! created, or created but not preloaded), so they go last, and on an error the batch is sent
//! again without them; what the error said becomes the reason those checks are skipped. Should
//! the rest fail too, every check runs its own query alone and reports its own error.

use std::collections::HashMap;

use postgres::{Client, SimpleQueryMessage};

use super::super::DbDiagError;

/// Relations outside the system schemas (the filter of the `pg_stat_user_*` views).
const USER_SCHEMAS: &str =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'";

/// Keeps our own statements out of `pg_stat_statements` (superusers only; others' are filtered
/// out when reading it). A function call rather than `SET`, so it can be skipped by a `WHERE`
/// instead of failing the batch for users who may not set it.
const TRACK_OFF: &str = "SELECT set_config('pg_stat_statements.track', 'none', false) \
                         WHERE current_setting('is_superuser') = 'on'";

/// One catalog or statistics query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Q {
    /// One row per table and materialized view ([`Relation`] says what each column is): what
    /// `pg_class`, `pg_stat_user_tables` and `pg_statio_user_tables` say about it, read through
    /// the functions behind those views, which costs a fraction of expanding the views in a
    /// fresh session.
    Relations,
    /// `table, index, unique, primary, valid, predicate, contype, columns (JSON)`.
    Indexes,
    /// `table, parent, columns (JSON)` of every foreign key.
    ForeignKeys,
    /// `index, table` of invalid indexes.
    InvalidIndexes,
    /// `index, table, bytes` of indexes never scanned (`pg_stat_user_indexes.idx_scan = 0`).
    UnusedIndexes,
    /// `max_connections`.
    MaxConnections,
    /// `state, sessions`.
    SessionStates,
    /// `pid, user, state, seconds` of sessions idle in transaction or active for long.
    LongSessions,
    /// `pid, blocking pids` of blocked sessions.
    Blocked,
    /// `sequence, last, min, max, increment`.
    Sequences,
    /// `database, xid age`.
    XidAge,
    /// Whether `pg_stat_statements` can be found.
    StatementsInstalled,
    /// `query, calls, mean ms, total ms, rows` by mean time.
    SlowStatements,
    /// The same by total time.
    TopStatements,
    /// `query, calls, rows` called at least this many times, at most one row each.
    RepeatedStatements(i64),
}

impl Q {
    /// Reads `pg_stat_statements` (and so may fail where the others do not).
    fn reads_statements(self) -> bool {
        matches!(self, Self::SlowStatements | Self::TopStatements | Self::RepeatedStatements(_))
    }

    fn sql(self) -> String {
        match self {
            Self::Relations => format!(
                "SELECT c.oid::regclass::text, c.relkind, c.reltuples::bigint, pg_relation_size(c.oid), \
                 pg_indexes_size(c.oid), pg_total_relation_size(c.oid), pg_stat_get_live_tuples(c.oid), \
                 pg_stat_get_dead_tuples(c.oid), pg_stat_get_mod_since_analyze(c.oid), \
                 coalesce(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid)) IS NULL, \
                 pg_stat_get_numscans(c.oid), pg_stat_get_tuples_returned(c.oid), pg_stat_get_blocks_hit(c.oid), \
                 pg_stat_get_blocks_fetched(c.oid) - pg_stat_get_blocks_hit(c.oid), x.idx_scan, x.idx_hit, x.idx_read \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN LATERAL (SELECT sum(pg_stat_get_numscans(i.indexrelid))::bigint AS idx_scan, \
                   sum(pg_stat_get_blocks_hit(i.indexrelid))::bigint AS idx_hit, \
                   sum(pg_stat_get_blocks_fetched(i.indexrelid) - pg_stat_get_blocks_hit(i.indexrelid))::bigint AS idx_read \
                   FROM pg_index i WHERE i.indrelid = c.oid) x ON true \
                 WHERE c.relkind IN ('r', 'm', 'p') AND {USER_SCHEMAS} ORDER BY 1"
            ),
            Self::Indexes => format!(
                "SELECT i.indrelid::regclass::text, ic.relname::text, i.indisunique, i.indisprimary, \
                 i.indisvalid, pg_get_expr(i.indpred, i.indrelid), coalesce(con.contype::text, ''), \
                 to_json(ARRAY(SELECT CASE WHEN u.k = 0 THEN '<expr>' ELSE (SELECT a.attname::text \
                   FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = u.k) END \
                   FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(k, o) WHERE u.o <= i.indnkeyatts ORDER BY u.o)) \
                 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u') \
                 WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMAS} ORDER BY 1, 2"
            ),
            Self::ForeignKeys => "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, \
                 to_json(ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY u(k, o) \
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.k ORDER BY u.o)) \
                 FROM pg_constraint c WHERE c.contype = 'f' ORDER BY 1, c.conname"
                .into(),
            Self::InvalidIndexes => "SELECT indexrelid::regclass::text, indrelid::regclass::text \
                 FROM pg_index WHERE NOT indisvalid"
                .into(),
            Self::UnusedIndexes => format!(
                "SELECT x.indexrelid::regclass::text, x.indrelid::regclass::text, pg_relation_size(x.indexrelid) \
                 FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 't', 'm') AND {USER_SCHEMAS} AND pg_stat_get_numscans(x.indexrelid) = 0 \
                 AND NOT x.indisunique AND NOT x.indisprimary ORDER BY 1"
            ),
            Self::MaxConnections => "SELECT current_setting('max_connections')::bigint".into(),
            Self::SessionStates => "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity \
                 WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1"
                .into(),
            Self::LongSessions => "SELECT pid, coalesce(usename::text, ''), state, \
                 extract(epoch FROM now() - coalesce(state_change, query_start))::bigint \
                 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND ( \
                   (state LIKE 'idle in transaction%' AND now() - state_change > interval '5 minutes') OR \
                   (state = 'active' AND now() - query_start > interval '5 minutes'))"
                .into(),
            Self::Blocked => "SELECT pid, pg_blocking_pids(pid)::text FROM pg_stat_activity \
                 WHERE cardinality(pg_blocking_pids(pid)) > 0"
                .into(),
            Self::Sequences => "SELECT schemaname || '.' || sequencename, last_value, min_value, \
                 max_value, increment_by FROM pg_sequences WHERE last_value IS NOT NULL ORDER BY 1"
                .into(),
            Self::XidAge => {
                "SELECT datname::text, age(datfrozenxid)::bigint FROM pg_database ORDER BY 1".into()
            }
            Self::StatementsInstalled => {
                "SELECT to_regclass('pg_stat_statements') IS NOT NULL".into()
            }
            Self::SlowStatements | Self::TopStatements => {
                let order = if self == Self::TopStatements {
                    "total_exec_time"
                } else {
                    "mean_exec_time"
                };
                format!(
                    "SELECT query, calls, mean_exec_time, total_exec_time, rows FROM pg_stat_statements \
                     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                     AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%obby_q%' \
                     AND query NOT LIKE '%::regclass::text%' ORDER BY {order} DESC LIMIT 10"
                )
            }
            Self::RepeatedStatements(min) => format!(
                "SELECT query, calls, rows FROM pg_stat_statements WHERE calls >= {min} AND rows <= calls \
                 AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                 ORDER BY calls DESC LIMIT 50"
            ),
        }
    }
}

/// One row of a simple-protocol result: every value as text, `None` for NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Row(Vec<Option<String>>);

impl Row {
    fn value(&self, i: usize) -> Result<&str, DbDiagError> {
        self.0
            .get(i)
            .and_then(Option::as_deref)
            .ok_or_else(|| DbDiagError::Pg(format!("unexpected NULL in column {}", i + 1)))
    }

    fn bad(&self, i: usize, what: &str) -> DbDiagError {
        let v = self.0.get(i).cloned().flatten().unwrap_or_default();
        DbDiagError::Pg(format!("unexpected value `{v}` in column {} (expected {what})", i + 1))
    }

    /// A text value (NULL is an error).
    pub(super) fn text(&self, i: usize) -> Result<String, DbDiagError> {
        self.value(i).map(str::to_owned)
    }

    /// A text value or NULL.
    pub(super) fn opt_text(&self, i: usize) -> Option<String> {
        self.0.get(i).cloned().flatten()
    }

    /// An integer.
    pub(super) fn int(&self, i: usize) -> Result<i64, DbDiagError> {
        self.value(i)?.parse().map_err(|_| self.bad(i, "an integer"))
    }

    /// A float (`Infinity`, `NaN` included).
    pub(super) fn float(&self, i: usize) -> Result<f64, DbDiagError> {
        let v = self.value(i)?;
        match v {
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => v.parse().map_err(|_| self.bad(i, "a number")),
        }
    }

    /// A boolean (`t` / `f`).
    pub(super) fn bool(&self, i: usize) -> Result<bool, DbDiagError> {
        match self.value(i)? {
            "t" => Ok(true),
            "f" => Ok(false),
            _ => Err(self.bad(i, "a boolean")),
        }
    }

    /// A list of text sent as a JSON array (`to_json(ARRAY(...))`).
    pub(super) fn list(&self, i: usize) -> Result<Vec<String>, DbDiagError> {
        serde_json::from_str(self.value(i)?).map_err(|_| self.bad(i, "a JSON array of text"))
    }
}

/// One row of [`Q::Relations`].
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Relation {
    /// `regclass` text: schema-qualified outside the search path.
    pub(super) name: String,
    /// `r` table, `p` partitioned table, `m` materialized view.
    pub(super) kind: String,
    /// `pg_class.reltuples` (negative: never analyzed or vacuumed).
    pub(super) estimate: i64,
    /// Bytes of the main fork, of all its indexes, and in all (TOAST and indexes included).
    pub(super) bytes: [i64; 3],
    /// `n_live_tup`.
    pub(super) live: i64,
    /// `n_dead_tup`.
    pub(super) dead: i64,
    /// `n_mod_since_analyze`.
    pub(super) modified: i64,
    /// Neither `last_analyze` nor `last_autoanalyze` is set.
    pub(super) never_analyzed: bool,
    /// `seq_scan`.
    pub(super) seq_scan: i64,
    /// `seq_tup_read`.
    pub(super) seq_read: i64,
    /// `idx_scan`: scans of all its indexes (`None` when it has none).
    pub(super) idx_scan: Option<i64>,
    /// `heap_blks_hit`, `heap_blks_read`, `idx_blks_hit`, `idx_blks_read` (0 without indexes).
    pub(super) blocks: [i64; 4],
}

impl Relation {
    /// A table (what `table_stats` and the index-shape checks look at), not a materialized
    /// view.
    pub(super) fn is_table(&self) -> bool {
        self.kind == "r" || self.kind == "p"
    }

    /// A relation with nothing counted yet (for tests).
    #[cfg(test)]
    pub(super) fn empty(name: &str, kind: &str) -> Self {
        Self {
            name: name.into(),
            kind: kind.into(),
            estimate: -1,
            bytes: [0; 3],
            live: 0,
            dead: 0,
            modified: 0,
            never_analyzed: true,
            seq_scan: 0,
            seq_read: 0,
            idx_scan: None,
            blocks: [0; 4],
        }
    }

    fn from_row(r: &Row) -> Result<Self, DbDiagError> {
        let opt = |i: usize| -> Result<Option<i64>, DbDiagError> {
            if r.opt_text(i).is_some() { r.int(i).map(Some) } else { Ok(None) }
        };
        Ok(Self {
            name: r.text(0)?,
            kind: r.text(1)?,
            estimate: r.int(2)?,
            bytes: [r.int(3)?, r.int(4)?, r.int(5)?],
            live: r.int(6)?,
            dead: r.int(7)?,
            modified: r.int(8)?,
            never_analyzed: r.bool(9)?,
            seq_scan: r.int(10)?,
            seq_read: r.int(11)?,
            idx_scan: opt(14)?,
            blocks: [r.int(12)?, r.int(13)?, opt(15)?.unwrap_or(0), opt(16)?.unwrap_or(0)],
        })
    }
}

/// Runs statements in one simple-protocol message; the rows of each statement, in order.
fn run_batch(client: &mut Client, sql: &[String]) -> Result<Vec<Vec<Row>>, postgres::Error> {
    let text = sql.join(";\n");
    let mut out = Vec::with_capacity(sql.len());
    let mut current = Vec::new();
    for message in client.simple_query(&text)? {
        match message {
            SimpleQueryMessage::Row(r) => {
                current.push(Row((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect()));
            }
            SimpleQueryMessage::CommandComplete(_) => out.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    Ok(out)
}

/// The session and what was fetched through it.
pub(super) struct Catalog {
    client: Client,
    results: HashMap<Q, Vec<Row>>,
    /// Why the `pg_stat_statements` queries of the batch failed.
    statements_error: Option<String>,
    track_off_sent: bool,
}

impl Catalog {
    /// Wraps a fresh session.
    pub(super) fn new(client: Client) -> Self {
        Self { client, results: HashMap::new(), statements_error: None, track_off_sent: false }
    }

    /// The session, for what is not a catalog read (planning a workload).
    pub(super) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Fetches these queries (those not fetched yet) in one round trip; see the module docs for
    /// what happens on errors. Never fails: a query left unfetched runs alone when read.
    pub(super) fn prefetch(&mut self, wanted: &[Q]) {
        let mut base: Vec<Q> = Vec::new();
        let mut statements: Vec<Q> = Vec::new();
        for &q in wanted {
            let list = if q.reads_statements() { &mut statements } else { &mut base };
            if !self.results.contains_key(&q) && !list.contains(&q) {
                list.push(q);
            }
        }
        if !statements.is_empty() && !base.contains(&Q::StatementsInstalled) {
            base.push(Q::StatementsInstalled);
        }
        if base.is_empty() && statements.is_empty() {
            return;
        }
        let all: Vec<Q> = base.iter().chain(&statements).copied().collect();
        if let Err(e) = self.send(&all)
            && !statements.is_empty()
        {
            self.statements_error = Some(super::describe(&e));
            let _ = self.send(&base);
        }
    }

    /// Forgets what was fetched (after DDL changed the catalog): the next reads ask again.
    pub(super) fn invalidate(&mut self) {
        self.results.clear();
        self.statements_error = None;
    }

    /// Sends one batch (with the tracking switch first, once) and keeps its results.
    fn send(&mut self, queries: &[Q]) -> Result<(), postgres::Error> {
        let mut sql: Vec<String> = Vec::with_capacity(queries.len() + 1);
        if !self.track_off_sent {
            sql.push(TRACK_OFF.into());
        }
        sql.extend(queries.iter().map(|q| q.sql()));
        let mut results = run_batch(&mut self.client, &sql)?.into_iter();
        if !self.track_off_sent {
            results.next();
            self.track_off_sent = true;
        }
        for (&q, rows) in queries.iter().zip(results) {
            self.results.insert(q, rows);
        }
        Ok(())
    }

    /// The rows of a query: fetched before, or now on its own.
    ///
    /// # Errors
    /// The query failed.
    pub(super) fn rows(&mut self, q: Q) -> Result<Vec<Row>, DbDiagError> {
        if let Some(rows) = self.results.get(&q) {
            return Ok(rows.clone());
        }
        if !self.track_off_sent {
            self.track_off_sent = true;
            let _ = self.client.simple_query(TRACK_OFF);
        }
        let rows = run_batch(&mut self.client, &[q.sql()])?.into_iter().next().unwrap_or_default();
        self.results.insert(q, rows.clone());
        Ok(rows)
    }

    /// The tables and materialized views, in name order.
    ///
    /// # Errors
    /// The query failed or returned something unexpected.
    pub(super) fn relations(&mut self) -> Result<Vec<Relation>, DbDiagError> {
        self.rows(Q::Relations)?.iter().map(Relation::from_row).collect()
    }

    /// The rows of a `pg_stat_statements` query, or why it cannot be read.
    ///
    /// # Errors
    /// The check for the extension failed.
    pub(super) fn statements(&mut self, q: Q) -> Result<Result<Vec<Row>, String>, DbDiagError> {
        if let Some(rows) = self.results.get(&q) {
            return Ok(Ok(rows.clone()));
        }
        let installed = match self.rows(Q::StatementsInstalled)?.first() {
            Some(r) => r.bool(0)?,
            None => false,
        };
        if !installed {
            return Ok(Err(
                "pg_stat_statements is not installed (CREATE EXTENSION pg_stat_statements)".into(),
            ));
        }
        if let Some(e) = &self.statements_error {
            return Ok(Err(format!("pg_stat_statements cannot be read: {e}")));
        }
        match self.rows(q) {
            Ok(rows) => Ok(Ok(rows)),
            Err(e) => Ok(Err(format!("pg_stat_statements cannot be read: {}", error_detail(&e)))),
        }
    }

    /// Runs statements in one round trip and returns the first value of each one's first row
    /// (exact counts of the standard profile).
    ///
    /// # Errors
    /// Any of them failed.
    pub(super) fn scalars(&mut self, sql: &[String]) -> Result<Vec<Option<String>>, DbDiagError> {
        if sql.is_empty() {
            return Ok(Vec::new());
        }
        Ok(run_batch(&mut self.client, sql)?
            .into_iter()
            .map(|rows| rows.into_iter().next().and_then(|r| r.opt_text(0)))
            .collect())
    }
}

fn error_detail(e: &DbDiagError) -> String {
    match e {
        DbDiagError::Pg(m) => m.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[Option<&str>]) -> Row {
        Row(values.iter().map(|v| v.map(str::to_owned)).collect())
    }

    #[test]
    fn text_values_parse_by_type() -> Result<(), DbDiagError> {
        let r = row(&[Some("t"), Some("-42"), Some("1.5"), Some(r#"["a","b c"]"#), None]);
        assert!(r.bool(0)?);
        assert_eq!(r.int(1)?, -42);
        assert!((r.float(2)? - 1.5).abs() < f64::EPSILON);
        assert_eq!(r.list(3)?, ["a", "b c"]);
        assert_eq!(r.opt_text(4), None);
        assert!(r.text(4).is_err(), "NULL is an error, not a panic");
        assert!(r.int(0).is_err());
        assert!(r.bool(1).is_err());
        assert!(r.list(1).is_err());
        assert!(r.text(9).is_err(), "a missing column is an error");
        Ok(())
    }

    #[test]
    fn a_relations_row_reads_null_index_figures_as_none_or_zero() -> Result<(), DbDiagError> {
        let mut values: Vec<Option<&str>> = vec![Some("public.t"), Some("r"), Some("-1")];
        values.extend(["8192", "0", "8192", "5", "1", "6", "t", "3", "15", "7", "2"].map(Some));
        values.extend([None, None, None]);
        let r = Relation::from_row(&row(&values))?;
        assert_eq!(r.name, "public.t");
        assert!(r.is_table() && r.never_analyzed);
        assert_eq!(
            (r.estimate, r.bytes, r.live, r.dead, r.modified),
            (-1, [8192, 0, 8192], 5, 1, 6)
        );
        assert_eq!((r.seq_scan, r.seq_read, r.idx_scan), (3, 15, None));
        assert_eq!(r.blocks, [7, 2, 0, 0]);
        values[14] = Some("4");
        assert_eq!(Relation::from_row(&row(&values))?.idx_scan, Some(4));
        assert!(!Relation::empty("mv", "m").is_table());
        Ok(())
    }

    #[test]
    fn statements_queries_are_the_ones_that_may_fail() {
        assert!(Q::SlowStatements.reads_statements());
        assert!(Q::RepeatedStatements(20).reads_statements());
        assert!(!Q::StatementsInstalled.reads_statements());
        assert!(Q::RepeatedStatements(20).sql().contains("calls >= 20"));
        assert!(Q::TopStatements.sql().contains("ORDER BY total_exec_time DESC"));
    }
}
