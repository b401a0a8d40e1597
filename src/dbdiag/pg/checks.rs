//! The PostgreSQL checks: each reads the rows of one or two catalog or statistics queries
//! ([`Q`]), fetched for all checks at once by [`Catalog::prefetch`], so all of them together
//! stay in the tens of milliseconds whatever the table sizes (only `table_stats` in `standard`
//! counts rows exactly). [`wanted`] says which queries a run's checks read.

use serde_json::json;

use super::super::declared::ActualIndex;
use super::super::nplusone;
use super::super::sqlite::{ForeignKey, IndexMeta, Schema, TableMeta};
use super::super::{
    DbDiagError, Engine, Finding, Options, Outcome, Profile, Severity, Table, quote_ident,
};
use super::catalog::{Catalog, Q, Relation, Row};

/// The queries the checks of this run read (those that run on PostgreSQL at their profile).
pub(super) fn wanted(opts: &Options) -> Vec<Q> {
    let mut out = Vec::new();
    for def in opts.selected() {
        if !def.engines.contains(&Engine::Postgres) || opts.profile_for(def) < def.profile {
            continue;
        }
        out.extend_from_slice(match def.id {
            "table_stats" | "space" | "stale_stats" | "cache_hit_rate" => &[Q::Relations],
            "integrity" => &[Q::InvalidIndexes],
            "missing_index" if opts.queries.is_empty() => &[Q::Relations],
            "missing_index" => &[Q::Indexes],
            "fk_without_index" | "duplicate_index" | "redundant_index" => {
                &[Q::Relations, Q::Indexes, Q::ForeignKeys]
            }
            "unused_index" => &[Q::UnusedIndexes],
            "connections" => &[Q::MaxConnections, Q::SessionStates, Q::LongSessions, Q::Blocked],
            "sequence_exhaustion" => &[Q::Sequences],
            "xid_wraparound" => &[Q::XidAge],
            "slow_queries" => &[Q::SlowStatements],
            "top_queries" => &[Q::TopStatements],
            "declared_indexes" if opts.declared.is_some() => &[Q::Relations, Q::Indexes],
            _ => &[],
        });
        if def.id == "n_plus_one" && opts.log.is_none() {
            out.push(Q::RepeatedStatements(n_plus_one_calls(opts)));
        }
    }
    out
}

/// Names of the user tables (`regclass` text: schema-qualified outside the search path).
pub(super) fn table_names(cat: &mut Catalog) -> Result<Vec<String>, DbDiagError> {
    Ok(cat.relations()?.into_iter().filter(Relation::is_table).map(|r| r.name).collect())
}

pub(super) struct PgIndex {
    pub(super) table: String,
    pub(super) meta: IndexMeta,
    primary: bool,
    valid: bool,
    predicate: Option<String>,
}

fn index(r: &Row) -> Result<PgIndex, DbDiagError> {
    let primary = r.bool(3)?;
    let contype = r.text(6)?;
    let predicate = r.opt_text(5);
    Ok(PgIndex {
        table: r.text(0)?,
        primary,
        valid: r.bool(4)?,
        meta: IndexMeta {
            name: r.text(1)?,
            columns: r.list(7)?,
            unique: r.bool(2)?,
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
    })
}

/// Every index of the user tables, with its key columns.
pub(super) fn indexes(cat: &mut Catalog) -> Result<Vec<PgIndex>, DbDiagError> {
    cat.rows(Q::Indexes)?.iter().map(index).collect()
}

/// The indexes as the declared-index comparison sees them (constraint indexes excluded).
pub(super) fn actual_indexes(cat: &mut Catalog) -> Result<Vec<ActualIndex>, DbDiagError> {
    Ok(indexes(cat)?
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
pub(super) fn schema(cat: &mut Catalog) -> Result<Schema, DbDiagError> {
    let mut schema = Schema::default();
    for name in table_names(cat)? {
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
    for i in indexes(cat)? {
        if let Some(t) = schema.tables.iter_mut().find(|t| t.name == i.table) {
            if i.primary {
                t.primary_key.clone_from(&i.meta.columns);
            }
            t.indexes.push(i.meta);
        }
    }
    for r in cat.rows(Q::ForeignKeys)? {
        let table = r.text(0)?;
        if let Some(t) = schema.tables.iter_mut().find(|t| t.name == table) {
            t.foreign_keys.push(ForeignKey { columns: r.list(2)?, parent: r.text(1)? });
        }
    }
    Ok(schema)
}

/// Row estimates from `pg_class.reltuples` (quick) or exact counts (standard+), with sizes.
pub(super) fn table_stats(cat: &mut Catalog, profile: Profile) -> Result<Outcome, DbDiagError> {
    let tables: Vec<Relation> = cat.relations()?.into_iter().filter(Relation::is_table).collect();
    let counts = if profile >= Profile::Standard {
        let sql: Vec<String> =
            tables.iter().map(|t| format!("SELECT count(*) FROM {}", t.name)).collect();
        cat.scalars(&sql)?
    } else {
        Vec::new()
    };
    let mut table = Table {
        columns: vec!["table", "rows", "source", "table_bytes", "index_bytes", "total_bytes"],
        rows: Vec::new(),
    };
    for (i, t) in tables.iter().enumerate() {
        let (rows, source) = if profile >= Profile::Standard {
            let n: Option<i64> = counts.get(i).cloned().flatten().and_then(|n| n.parse().ok());
            let n = n.ok_or_else(|| DbDiagError::Pg(format!("no row count for `{}`", t.name)))?;
            (json!(n), "count(*)")
        } else if t.estimate < 0 {
            (json!(null), "unknown (never analyzed)")
        } else {
            (json!(t.estimate), "pg_class")
        };
        let [table_bytes, index_bytes, total_bytes] = t.bytes;
        table.rows.push(vec![
            json!(t.name),
            rows,
            json!(source),
            json!(table_bytes),
            json!(index_bytes),
            json!(total_bytes),
        ]);
    }
    Ok(Outcome::Done { findings: Vec::new(), table: Some(table) })
}

/// Dead tuples per table (what VACUUM would reclaim) and sizes.
pub(super) fn space(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    let mut table = Table {
        columns: vec!["table", "live", "dead", "dead_pct", "total_bytes"],
        rows: Vec::new(),
    };
    for r in cat.relations()? {
        let (name, live, dead) = (r.name, r.live, r.dead);
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
            json!(r.bytes[2]),
        ]);
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Indexes left invalid by a failed concurrent build.
pub(super) fn integrity(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    for r in cat.rows(Q::InvalidIndexes)? {
        let name = r.text(0)?;
        findings.push(
            Finding::new(
                "integrity",
                Severity::Error,
                &name,
                format!("invalid index on `{}`", r.text(1)?),
            )
            .suggest(format!("REINDEX INDEX CONCURRENTLY {name};")),
        );
    }
    Ok(Outcome::findings(findings))
}

/// Tables never analyzed, or changed a lot since.
pub(super) fn stale_stats(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    for r in cat.relations()? {
        let (name, live, modified, never) = (r.name, r.live, r.modified, r.never_analyzed);
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

/// Indexes never scanned since the statistics were reset (constraint indexes excluded).
pub(super) fn unused_index(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    for r in cat.rows(Q::UnusedIndexes)? {
        let name = r.text(0)?;
        findings.push(
            Finding::new(
                "unused_index",
                Severity::Info,
                &name,
                format!(
                    "never scanned since statistics were reset ({} bytes on `{}`)",
                    r.int(2)?,
                    r.text(1)?
                ),
            )
            .suggest(format!("DROP INDEX CONCURRENTLY {};", quote_ident(&name))),
        );
    }
    Ok(Outcome::findings(findings))
}

/// Sessions by state against max_connections, idle in transaction, long-running, blocked.
pub(super) fn connections(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let max = match cat.rows(Q::MaxConnections)?.first() {
        Some(r) => r.int(0)?,
        None => return Err(DbDiagError::Pg("max_connections is not set".into())),
    };
    let rows = cat.rows(Q::SessionStates)?;
    let mut table =
        Table { columns: vec!["state", "sessions", "max_connections"], rows: Vec::new() };
    let mut total = 0;
    for r in &rows {
        let n = r.int(1)?;
        total += n;
        table.rows.push(vec![json!(r.text(0)?), json!(n), json!(max)]);
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
    for r in cat.rows(Q::LongSessions)? {
        let (pid, user, state, secs) = (r.int(0)?, r.text(1)?, r.text(2)?, r.int(3)?);
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
    for r in cat.rows(Q::Blocked)? {
        let (pid, by) = (r.int(0)?, r.text(1)?);
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
pub(super) fn sequence_exhaustion(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    for r in cat.rows(Q::Sequences)? {
        let name = r.text(0)?;
        let (last, min, max, inc) = (r.int(1)?, r.int(2)?, r.int(3)?, r.int(4)?);
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
pub(super) fn xid_wraparound(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    let mut table =
        Table { columns: vec!["database", "xid_age", "pct_of_limit"], rows: Vec::new() };
    for r in cat.rows(Q::XidAge)? {
        let (name, age) = (r.text(0)?, r.int(1)?);
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

/// Heap hits, heap reads, index hits, index reads summed as over `pg_statio_user_tables`, which
/// has no partitioned tables (they have no blocks of their own).
fn block_sums(relations: &[Relation]) -> [i64; 4] {
    let mut sums = [0_i64; 4];
    for r in relations.iter().filter(|r| r.kind != "p") {
        for (sum, n) in sums.iter_mut().zip(r.blocks) {
            *sum = sum.saturating_add(n);
        }
    }
    sums
}

/// Buffer cache hit rate of tables and indexes.
pub(super) fn cache_hit_rate(cat: &mut Catalog) -> Result<Outcome, DbDiagError> {
    let sums = block_sums(&cat.relations()?);
    let mut findings = Vec::new();
    let mut table = Table { columns: vec!["kind", "hits", "reads", "hit_pct"], rows: Vec::new() };
    for (kind, hit, read) in [("tables", sums[0], sums[1]), ("indexes", sums[2], sums[3])] {
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

/// Slowest statements by mean time (`slow_queries`) or by total time (`top_queries`).
pub(super) fn statements(cat: &mut Catalog, by_total: bool) -> Result<Outcome, DbDiagError> {
    let q = if by_total { Q::TopStatements } else { Q::SlowStatements };
    let rows = match cat.statements(q)? {
        Ok(rows) => rows,
        Err(reason) => return Ok(Outcome::skipped(reason)),
    };
    let id = if by_total { "top_queries" } else { "slow_queries" };
    let mut findings = Vec::new();
    let mut table =
        Table { columns: vec!["query", "calls", "mean_ms", "total_ms", "rows"], rows: Vec::new() };
    let mut grand = 0.0;
    for r in &rows {
        grand += r.float(3)?;
    }
    for r in &rows {
        let (query, calls, mean, total, n) =
            (r.text(0)?, r.int(1)?, r.float(2)?, r.float(3)?, r.int(4)?);
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
pub(super) fn n_plus_one(cat: &mut Catalog, opts: &Options) -> Result<Outcome, DbDiagError> {
    if opts.log.is_some() {
        return Ok(nplusone::check(opts));
    }
    let rows = match cat.statements(Q::RepeatedStatements(n_plus_one_calls(opts)))? {
        Ok(rows) => rows,
        Err(reason) => return Ok(Outcome::skipped(format!("no --log, and {reason}"))),
    };
    let mut findings = Vec::new();
    for r in rows {
        let (query, calls) = (r.text(0)?, r.int(1)?);
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

/// The least number of calls `pg_stat_statements` must count for a suspected N+1.
fn n_plus_one_calls(opts: &Options) -> i64 {
    i64::try_from(opts.n_plus_one_min.max(2) * 10).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_sums_leave_partitioned_tables_out() {
        let with = |name: &str, kind: &str, blocks: [i64; 4]| Relation {
            blocks,
            ..Relation::empty(name, kind)
        };
        let sums = block_sums(&[
            with("t", "r", [10, 1, 20, 2]),
            with("mv", "m", [5, 5, 0, 0]),
            with("parted", "p", [100, 100, 100, 100]),
        ]);
        assert_eq!(sums, [15, 6, 20, 2]);
    }
}
