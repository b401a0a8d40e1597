//! The PostgreSQL checks: one catalog or statistics query each, so all of them together stay in
//! the tens of milliseconds whatever the table sizes (only `table_stats` in `standard` counts
//! rows exactly).

use postgres::{Client, SimpleQueryMessage};
use serde_json::json;

use super::super::declared::ActualIndex;
use super::super::nplusone;
use super::super::sqlite::{ForeignKey, IndexMeta, Schema, TableMeta};
use super::super::{DbDiagError, Finding, Options, Outcome, Profile, Severity, Table, quote_ident};

const USER_TABLES: &str = "c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                           AND n.nspname NOT LIKE 'pg\\_toast%'";

/// Names of the user tables (`regclass` text: schema-qualified outside the search path).
pub(super) fn table_names(c: &mut Client) -> Result<Vec<String>, DbDiagError> {
    let sql = format!(
        "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {USER_TABLES} ORDER BY 1"
    );
    Ok(c.query(&sql, &[])?.iter().map(|r| r.get(0)).collect())
}

const INDEXES: &str = "SELECT i.indrelid::regclass::text, ic.relname::text, i.indisunique, i.indisprimary, \
    i.indisvalid, pg_get_expr(i.indpred, i.indrelid), coalesce(con.contype::text, ''), \
    ARRAY(SELECT CASE WHEN u.k = 0 THEN '<expr>' ELSE (SELECT a.attname::text FROM pg_attribute a \
          WHERE a.attrelid = i.indrelid AND a.attnum = u.k) END \
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(k, o) WHERE u.o <= i.indnkeyatts ORDER BY u.o) \
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u') \
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
      AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2";

struct PgIndex {
    table: String,
    meta: IndexMeta,
    primary: bool,
    valid: bool,
    predicate: Option<String>,
}

fn indexes(c: &mut Client) -> Result<Vec<PgIndex>, DbDiagError> {
    Ok(c.query(INDEXES, &[])?
        .iter()
        .map(|r| {
            let primary: bool = r.get(3);
            let contype: String = r.get(6);
            let predicate: Option<String> = r.get(5);
            PgIndex {
                table: r.get(0),
                primary,
                valid: r.get(4),
                meta: IndexMeta {
                    name: r.get(1),
                    columns: r.get(7),
                    unique: r.get(2),
                    origin: if primary {
                        "pk".into()
                    } else if contype == "u" {
                        "u".into()
                    } else {
                        "c".into()
                    },
                    partial: predicate.is_some(),
                    sql: None,
                },
                predicate,
            }
        })
        .collect())
}

/// The indexes as the declared-index comparison sees them (constraint indexes excluded).
pub(super) fn actual_indexes(c: &mut Client) -> Result<Vec<ActualIndex>, DbDiagError> {
    Ok(indexes(c)?
        .into_iter()
        .filter(|i| i.meta.origin == "c")
        .map(|i| ActualIndex {
            table: i.table,
            name: i.meta.name,
            columns: i.meta.columns,
            unique: i.meta.unique,
            predicate: i.predicate,
            valid: i.valid,
        })
        .collect())
}

/// The schema the shared index-shape checks need: tables, their indexes and foreign keys.
pub(super) fn schema(c: &mut Client) -> Result<Schema, DbDiagError> {
    let mut schema = Schema::default();
    for name in table_names(c)? {
        schema.tables.push(TableMeta {
            name,
            sql: None,
            kind: "table".into(),
            without_rowid: true,
            columns: Vec::new(),
            primary_key: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        });
    }
    for i in indexes(c)? {
        if let Some(t) = schema.tables.iter_mut().find(|t| t.name == i.table) {
            if i.primary {
                t.primary_key.clone_from(&i.meta.columns);
            }
            t.indexes.push(i.meta);
        }
    }
    let fks = c.query(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, \
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY u(k, o) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.k ORDER BY u.o) \
         FROM pg_constraint c WHERE c.contype = 'f' ORDER BY 1, c.conname",
        &[],
    )?;
    for r in fks {
        let table: String = r.get(0);
        if let Some(t) = schema.tables.iter_mut().find(|t| t.name == table) {
            t.foreign_keys.push(ForeignKey { columns: r.get(2), parent: r.get(1) });
        }
    }
    Ok(schema)
}

/// Row estimates from `pg_class.reltuples` (quick) or exact counts (standard+), with sizes.
pub(super) fn table_stats(c: &mut Client, profile: Profile) -> Result<Outcome, DbDiagError> {
    let sql = format!(
        "SELECT c.oid::regclass::text, c.reltuples::bigint, pg_relation_size(c.oid), \
         pg_indexes_size(c.oid), pg_total_relation_size(c.oid) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_TABLES} ORDER BY 1"
    );
    let rows = c.query(&sql, &[])?;
    let mut table = Table {
        columns: vec!["table", "rows", "source", "table_bytes", "index_bytes", "total_bytes"],
        rows: Vec::new(),
    };
    for r in rows {
        let name: String = r.get(0);
        let est: i64 = r.get(1);
        let (rows, source) = if profile >= Profile::Standard {
            let n: i64 = c.query_one(&format!("SELECT count(*) FROM {name}"), &[])?.get(0);
            (json!(n), "count(*)")
        } else if est < 0 {
            (json!(null), "unknown (never analyzed)")
        } else {
            (json!(est), "pg_class")
        };
        table.rows.push(vec![
            json!(name),
            rows,
            json!(source),
            json!(r.get::<_, i64>(2)),
            json!(r.get::<_, i64>(3)),
            json!(r.get::<_, i64>(4)),
        ]);
    }
    Ok(Outcome::Done { findings: Vec::new(), table: Some(table) })
}

/// Dead tuples per table (what VACUUM would reclaim) and sizes.
pub(super) fn space(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT relid::regclass::text, n_live_tup, n_dead_tup, pg_total_relation_size(relid) \
         FROM pg_stat_user_tables ORDER BY 1",
        &[],
    )?;
    let mut findings = Vec::new();
    let mut table = Table {
        columns: vec!["table", "live", "dead", "dead_pct", "total_bytes"],
        rows: Vec::new(),
    };
    for r in rows {
        let name: String = r.get(0);
        let (live, dead): (i64, i64) = (r.get(1), r.get(2));
        let ratio = if live + dead > 0 { dead as f64 / (live + dead) as f64 } else { 0.0 };
        if ratio > 0.2 && dead > 1000 {
            findings.push(
                Finding::new(
                    "space",
                    Severity::Warning,
                    &name,
                    format!("{dead} dead rows ({:.0}%)", ratio * 100.0),
                )
                .suggest(format!("VACUUM (ANALYZE) {name};")),
            );
        }
        table.rows.push(vec![
            json!(name),
            json!(live),
            json!(dead),
            json!((ratio * 1000.0).round() / 10.0),
            json!(r.get::<_, i64>(3)),
        ]);
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Indexes left invalid by a failed concurrent build.
pub(super) fn integrity(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT indexrelid::regclass::text, indrelid::regclass::text FROM pg_index WHERE NOT indisvalid",
        &[],
    )?;
    Ok(Outcome::findings(
        rows.iter()
            .map(|r| {
                let name: String = r.get(0);
                Finding::new(
                    "integrity",
                    Severity::Error,
                    &name,
                    format!("invalid index on `{}`", r.get::<_, String>(1)),
                )
                .suggest(format!("REINDEX INDEX CONCURRENTLY {name};"))
            })
            .collect(),
    ))
}

/// Tables never analyzed, or changed a lot since.
pub(super) fn stale_stats(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT relid::regclass::text, n_live_tup, n_mod_since_analyze, \
         coalesce(last_analyze, last_autoanalyze) IS NULL FROM pg_stat_user_tables ORDER BY 1",
        &[],
    )?;
    let mut findings = Vec::new();
    for r in rows {
        let name: String = r.get(0);
        let (live, modified, never): (i64, i64, bool) = (r.get(1), r.get(2), r.get(3));
        let msg = if never && live + modified > 1000 {
            format!("never analyzed ({} rows)", live.max(modified))
        } else if !never && modified > 1000 && modified * 5 > live {
            format!("{modified} rows changed since the last ANALYZE ({live} live)")
        } else {
            continue;
        };
        findings.push(
            Finding::new("stale_stats", Severity::Warning, &name, msg)
                .suggest(format!("ANALYZE {name};")),
        );
    }
    Ok(Outcome::findings(findings))
}

/// `?` and `:name` placeholders as `$n` (outside quotes), so SQLite-style workloads and
/// queries.yaml plan on PostgreSQL.
fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut names: Vec<String> = Vec::new();
    let (mut n, mut quote) = (0, None);
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match (quote, ch) {
            (None, '\'' | '"') => quote = Some(ch),
            (Some(q), _) if q == ch => quote = None,
            (None, '?') => {
                n += 1;
                out.push_str(&format!("${n}"));
                i += 1;
                continue;
            }
            (None, ':') if prev != ':' && (next.is_alphabetic() || next == '_') => {
                let start = i + 1;
                i = start;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                let k = if let Some(k) = names.iter().position(|x| *x == name) {
                    k + 1
                } else {
                    names.push(name);
                    n += 1;
                    n
                };
                out.push_str(&format!("${k}"));
                continue;
            }
            _ => {}
        }
        out.push(ch);
        i += 1;
    }
    out
}

/// `(a = $1) AND (b = 'x'::text)` -> `[a, b]`.
fn eq_columns(filter: &str) -> Vec<String> {
    filter
        .split(" AND ")
        .filter_map(|part| {
            let part = part.trim().trim_start_matches('(').trim_end_matches(')');
            let (lhs, rhs) = part.split_once(" = ")?;
            let rhs = rhs.trim_start_matches('(');
            let literal = rhs.starts_with('$')
                || rhs.starts_with('\'')
                || rhs.starts_with(|c: char| c.is_ascii_digit());
            let col = lhs.rsplit('.').next()?.trim_matches('"');
            (literal && !col.is_empty() && col.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then(|| col.to_owned())
        })
        .collect()
}

fn walk(node: &serde_json::Value, sort: &[String], out: &mut Vec<(String, Vec<String>, String)>) {
    let kind = node["Node Type"].as_str().unwrap_or_default();
    let mut sort_keys = sort.to_vec();
    if kind == "Sort" || kind == "Incremental Sort" {
        sort_keys = node["Sort Key"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| k.as_str())
                    .map(|k| k.rsplit('.').next().unwrap_or(k).trim_matches('"').to_owned())
                    .filter(|k| k.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .collect()
            })
            .unwrap_or_default();
    }
    if kind == "Seq Scan" {
        let table = node["Relation Name"].as_str().unwrap_or_default().to_owned();
        let mut cols = eq_columns(node["Filter"].as_str().unwrap_or_default());
        for k in &sort_keys {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
        if !cols.is_empty() {
            out.push((
                table,
                cols,
                format!("Seq Scan on {}", node["Relation Name"].as_str().unwrap_or_default()),
            ));
        }
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            walk(child, &sort_keys, out);
        }
    }
}

fn plan_json(c: &mut Client, sql: &str) -> Result<serde_json::Value, String> {
    let sql = dollar_params(sql);
    let params = c.prepare(&sql).map_err(|e| super::describe(&e))?.params().len();
    let nulls = vec!["NULL"; params].join(", ");
    let exec = if params == 0 { String::new() } else { format!("({nulls})") };
    let run = format!(
        "SET plan_cache_mode = force_generic_plan; DEALLOCATE ALL; PREPARE obby_q AS {sql}; "
    );
    c.batch_execute(&run).map_err(|e| super::describe(&e))?;
    let text = c
        .simple_query(&format!("EXPLAIN (FORMAT JSON) EXECUTE obby_q{exec}"))
        .map_err(|e| super::describe(&e))?
        .into_iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
            _ => None,
        })
        .unwrap_or_default();
    let _ = c.batch_execute("DEALLOCATE obby_q; RESET plan_cache_mode;");
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Workload queries (EXPLAIN of a generic plan) that scan where an index would serve; without
/// a workload, tables read mostly by large sequential scans.
pub(super) fn missing_index(c: &mut Client, opts: &Options) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    if opts.queries.is_empty() {
        let rows = c.query(
            "SELECT relid::regclass::text, seq_scan, seq_tup_read, coalesce(idx_scan, 0) \
             FROM pg_stat_user_tables WHERE seq_scan > 100 AND seq_tup_read / seq_scan > 10000 \
             AND coalesce(idx_scan, 0) < seq_scan ORDER BY seq_tup_read DESC",
            &[],
        )?;
        for r in rows {
            let (scans, read): (i64, i64) = (r.get(1), r.get(2));
            findings.push(Finding::new(
                "missing_index",
                Severity::Info,
                r.get::<_, String>(0),
                format!("{scans} sequential scans read {} rows each on average; give --queries for concrete advice", read / scans.max(1)),
            ));
        }
        return Ok(Outcome::findings(findings));
    }
    let existing = indexes(c)?;
    for q in &opts.queries {
        let plan = match plan_json(c, &q.sql) {
            Ok(p) => p,
            Err(e) => {
                findings.push(Finding::new(
                    "missing_index",
                    Severity::Warning,
                    &q.name,
                    format!("the query does not plan: {e}"),
                ));
                continue;
            }
        };
        let mut scans = Vec::new();
        walk(&plan[0]["Plan"], &[], &mut scans);
        for (table, cols, what) in scans {
            let served = existing.iter().any(|i| {
                i.table.rsplit('.').next() == Some(table.as_str())
                    && i.meta.columns.len() >= cols.len()
                    && i.meta.columns[..cols.len()] == cols[..]
            });
            if !served {
                findings.push(
                    Finding::new(
                        "missing_index",
                        Severity::Warning,
                        &q.name,
                        format!("{what}; an index on {table}({}) serves it", cols.join(", ")),
                    )
                    .suggest(
                        super::super::create_index_sql(&table, &cols, true)
                            .replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"),
                    ),
                );
            }
        }
    }
    Ok(Outcome::findings(findings))
}

/// Indexes never scanned since the statistics were reset (constraint indexes excluded).
pub(super) fn unused_index(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT s.indexrelid::regclass::text, s.relid::regclass::text, pg_relation_size(s.indexrelid) \
         FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid \
         WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
        &[],
    )?;
    Ok(Outcome::findings(
        rows.iter()
            .map(|r| {
                let name: String = r.get(0);
                Finding::new(
                    "unused_index",
                    Severity::Info,
                    &name,
                    format!(
                        "never scanned since statistics were reset ({} bytes on `{}`)",
                        r.get::<_, i64>(2),
                        r.get::<_, String>(1)
                    ),
                )
                .suggest(format!("DROP INDEX CONCURRENTLY {};", quote_ident(&name)))
            })
            .collect(),
    ))
}

/// Sessions by state against max_connections, idle in transaction, long-running, blocked.
pub(super) fn connections(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let max: i64 = c.query_one("SELECT current_setting('max_connections')::bigint", &[])?.get(0);
    let rows = c.query(
        "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity \
         WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1",
        &[],
    )?;
    let mut table =
        Table { columns: vec!["state", "sessions", "max_connections"], rows: Vec::new() };
    let mut total = 0;
    for r in &rows {
        let n: i64 = r.get(1);
        total += n;
        table.rows.push(vec![json!(r.get::<_, String>(0)), json!(n), json!(max)]);
    }
    let mut findings = Vec::new();
    if total * 10 > max * 8 {
        findings.push(
            Finding::new(
                "connections",
                Severity::Warning,
                "server",
                format!("{total} of {max} connections in use"),
            )
            .suggest("use a connection pool (pgbouncer) or raise max_connections"),
        );
    }
    let slow = c.query(
        "SELECT pid, coalesce(usename::text, ''), state, extract(epoch FROM now() - coalesce(state_change, query_start))::bigint \
         FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND ( \
           (state LIKE 'idle in transaction%' AND now() - state_change > interval '5 minutes') OR \
           (state = 'active' AND now() - query_start > interval '5 minutes'))",
        &[],
    )?;
    for r in slow {
        let (pid, user, state, secs): (i32, String, String, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        findings.push(
            Finding::new(
                "connections",
                Severity::Warning,
                format!("pid {pid}"),
                format!("{state} for {secs} s (user {user})"),
            )
            .suggest(format!("SELECT pg_terminate_backend({pid}); if it is stuck")),
        );
    }
    let blocked = c.query(
        "SELECT pid, pg_blocking_pids(pid)::text FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0",
        &[],
    )?;
    for r in blocked {
        let (pid, by): (i32, String) = (r.get(0), r.get(1));
        findings.push(Finding::new(
            "connections",
            Severity::Warning,
            format!("pid {pid}"),
            format!("blocked by {by}"),
        ));
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Sequences that used most of their range.
pub(super) fn sequence_exhaustion(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT schemaname || '.' || sequencename, last_value, min_value, max_value, increment_by \
         FROM pg_sequences WHERE last_value IS NOT NULL ORDER BY 1",
        &[],
    )?;
    let mut findings = Vec::new();
    for r in rows {
        let name: String = r.get(0);
        let (last, min, max, inc): (i64, i64, i64, i64) = (r.get(1), r.get(2), r.get(3), r.get(4));
        let used = if inc > 0 {
            (last as f64 - min as f64) / (max as f64 - min as f64)
        } else {
            (max as f64 - last as f64) / (max as f64 - min as f64)
        };
        let severity = if used >= 0.9 {
            Severity::Error
        } else if used >= 0.75 {
            Severity::Warning
        } else {
            continue;
        };
        findings.push(
            Finding::new("sequence_exhaustion", severity, &name, format!("{:.0}% of its range is used ({last} of {max})", used * 100.0))
                .suggest(format!("ALTER SEQUENCE {name} AS bigint MAXVALUE 9223372036854775807; (and widen the column)")),
        );
    }
    Ok(Outcome::findings(findings))
}

/// Transaction id age per database against the 2^31 wraparound limit.
pub(super) fn xid_wraparound(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let rows = c.query(
        "SELECT datname::text, age(datfrozenxid)::bigint FROM pg_database ORDER BY 1",
        &[],
    )?;
    let mut findings = Vec::new();
    let mut table =
        Table { columns: vec!["database", "xid_age", "pct_of_limit"], rows: Vec::new() };
    for r in rows {
        let (name, age): (String, i64) = (r.get(0), r.get(1));
        let pct = age as f64 / 2_147_483_648.0;
        table.rows.push(vec![json!(name), json!(age), json!((pct * 1000.0).round() / 10.0)]);
        let severity = if pct >= 0.75 {
            Severity::Error
        } else if pct >= 0.5 {
            Severity::Warning
        } else {
            continue;
        };
        findings.push(
            Finding::new("xid_wraparound", severity, &name, format!("transaction id age {age} ({:.0}% of the wraparound limit)", pct * 100.0))
                .suggest("VACUUM (FREEZE) the oldest tables; check for long transactions and stale replication slots"),
        );
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Buffer cache hit rate of tables and indexes.
pub(super) fn cache_hit_rate(c: &mut Client) -> Result<Outcome, DbDiagError> {
    let r = c.query_one(
        "SELECT coalesce(sum(heap_blks_hit), 0)::bigint, coalesce(sum(heap_blks_read), 0)::bigint, \
         coalesce(sum(idx_blks_hit), 0)::bigint, coalesce(sum(idx_blks_read), 0)::bigint FROM pg_statio_user_tables",
        &[],
    )?;
    let mut findings = Vec::new();
    let mut table = Table { columns: vec!["kind", "hits", "reads", "hit_pct"], rows: Vec::new() };
    for (kind, hit, read) in
        [("tables", r.get::<_, i64>(0), r.get::<_, i64>(1)), ("indexes", r.get(2), r.get(3))]
    {
        let total = hit + read;
        let rate = if total > 0 { hit as f64 / total as f64 } else { 1.0 };
        table.rows.push(vec![
            json!(kind),
            json!(hit),
            json!(read),
            json!((rate * 1000.0).round() / 10.0),
        ]);
        if total >= 10_000 && rate < 0.99 {
            findings.push(
                Finding::new(
                    "cache_hit_rate",
                    Severity::Warning,
                    kind,
                    format!("{:.1}% of block reads hit the cache", rate * 100.0),
                )
                .suggest(
                    "raise shared_buffers, or find the queries that read cold data (top_queries)",
                ),
            );
        }
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

fn stat_statements(
    c: &mut Client,
    sql: &str,
) -> Result<Result<Vec<postgres::Row>, String>, DbDiagError> {
    let present: bool =
        c.query_one("SELECT to_regclass('pg_stat_statements') IS NOT NULL", &[])?.get(0);
    if !present {
        return Ok(Err(
            "pg_stat_statements is not installed (CREATE EXTENSION pg_stat_statements)".into(),
        ));
    }
    match c.query(sql, &[]) {
        Ok(rows) => Ok(Ok(rows)),
        Err(e) => Ok(Err(format!("pg_stat_statements cannot be read: {}", super::describe(&e)))),
    }
}

/// Slowest statements by mean time (`slow_queries`) or by total time (`top_queries`).
pub(super) fn statements(c: &mut Client, by_total: bool) -> Result<Outcome, DbDiagError> {
    let order = if by_total { "total_exec_time" } else { "mean_exec_time" };
    let sql = format!(
        "SELECT query, calls, mean_exec_time, total_exec_time, rows FROM pg_stat_statements \
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%obby_q%' \
         AND query NOT LIKE '%::regclass::text%' ORDER BY {order} DESC LIMIT 10"
    );
    let rows = match stat_statements(c, &sql)? {
        Ok(rows) => rows,
        Err(reason) => return Ok(Outcome::skipped(reason)),
    };
    let id = if by_total { "top_queries" } else { "slow_queries" };
    let mut findings = Vec::new();
    let mut table =
        Table { columns: vec!["query", "calls", "mean_ms", "total_ms", "rows"], rows: Vec::new() };
    let grand: f64 = rows.iter().map(|r| r.get::<_, f64>(3)).sum();
    for r in &rows {
        let (query, calls, mean, total, n): (String, i64, f64, f64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let short: String = query.split_whitespace().collect::<Vec<_>>().join(" ");
        table.rows.push(vec![
            json!(short),
            json!(calls),
            json!((mean * 100.0).round() / 100.0),
            json!((total * 100.0).round() / 100.0),
            json!(n),
        ]);
        if !by_total && mean >= 100.0 {
            findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    &short,
                    format!("{mean:.0} ms per call over {calls} calls"),
                )
                .suggest("EXPLAIN (ANALYZE, BUFFERS) it; --queries gives index advice"),
            );
        }
        if by_total && total >= 1000.0 && total > grand * 0.3 {
            findings.push(Finding::new(
                id,
                Severity::Info,
                &short,
                format!(
                    "{:.0}% of the statement time ({total:.0} ms over {calls} calls)",
                    total / grand * 100.0
                ),
            ));
        }
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// N+1 from `--log`, or from `pg_stat_statements`: key lookups called very often, one row each.
pub(super) fn n_plus_one(c: &mut Client, opts: &Options) -> Result<Outcome, DbDiagError> {
    if opts.log.is_some() {
        return Ok(nplusone::check(opts));
    }
    let min = (opts.n_plus_one_min.max(2) * 10) as i64;
    let sql = format!(
        "SELECT query, calls, rows FROM pg_stat_statements WHERE calls >= {min} AND rows <= calls \
         AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 50"
    );
    let rows = match stat_statements(c, &sql)? {
        Ok(rows) => rows,
        Err(reason) => return Ok(Outcome::skipped(format!("no --log, and {reason}"))),
    };
    let mut findings = Vec::new();
    for r in rows {
        let (query, calls): (String, i64) = (r.get(0), r.get(1));
        let tokens = nplusone::tokens(&query);
        if let Some(key) = nplusone::lookup_key(&tokens) {
            let fp = nplusone::render(&tokens);
            findings.push(
                Finding::new(
                    "n_plus_one",
                    Severity::Warning,
                    &fp,
                    format!("called {calls} times, at most one row each, by `{key}`"),
                )
                .suggest(format!("fetch all keys at once: {}", nplusone::batched(&fp, &key))),
            );
        }
    }
    Ok(Outcome::findings(findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_filters() {
        assert_eq!(dollar_params("a = ? AND b = '?' AND c = ?"), "a = $1 AND b = '?' AND c = $2");
        assert_eq!(
            dollar_params("a = :x AND b = :y AND c = :x AND d::text = 'e'"),
            "a = $1 AND b = $2 AND c = $1 AND d::text = 'e'"
        );
        assert_eq!(eq_columns("((status = $1) AND (priority = $2))"), ["status", "priority"]);
        assert_eq!(eq_columns("((t.kind)::text = 'x'::text)"), Vec::<String>::new());
        assert_eq!(eq_columns("(owner_id = 7)"), ["owner_id"]);
    }
}
