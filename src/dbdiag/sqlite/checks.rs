//! The schema-sized SQLite checks: integrity, statistics, index shape, foreign keys, journal and
//! pragmas, and the workload checks that ride on the index advisor.
//!
//! Everything here except `integrity` reads only the schema, a few pragmas and `sqlite_stat1`, so
//! it costs the same on a 1 MB and a 1 GB database.

use serde_json::json;

use super::{Schema, Sqlite, space};
use crate::dbdiag::declared::{self, ActualIndex};
use crate::dbdiag::{DbDiagError, Finding, Options, Outcome, Profile, Severity, Table, advisor};

/// `quick_check` in deep, `integrity_check` and `foreign_key_check` in full.
pub(crate) fn integrity(db: &Sqlite, profile: Profile) -> Result<Outcome, DbDiagError> {
    const CHECK: &str = "integrity";
    let pragma = if profile >= Profile::Full { "integrity_check(100)" } else { "quick_check(100)" };
    let mut findings = Vec::new();
    let mut stmt = db.conn.prepare(&format!("PRAGMA {pragma}")).map_err(|e| db.err(e))?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| db.err(e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| db.err(e))?;
    for line in lines.iter().filter(|l| *l != "ok") {
        findings.push(Finding::new(CHECK, Severity::Error, "database", line.clone()).suggest(
            "restore from a backup, or recover the data with the sqlite3 `.recover` command",
        ));
    }
    if profile >= Profile::Full {
        let mut fk = db
            .conn
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .map_err(|e| db.err(e))?;
        let rows = fk
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(|e| db.err(e))?;
        for row in rows.take(100) {
            let (table, rowid, parent) = row.map_err(|e| db.err(e))?;
            let at = rowid.map_or_else(String::new, |r| format!(" (rowid {r})"));
            findings.push(Finding::new(
                CHECK,
                Severity::Error,
                table,
                format!("a row{at} points at a missing row of `{parent}`"),
            ));
        }
    }
    Ok(Outcome::findings(findings))
}

/// ANALYZE never ran, tables with indexes but no statistics, and (standard+) estimates far off
/// the exact counts.
pub(crate) fn stale_stats(db: &mut Sqlite, profile: Profile) -> Result<Outcome, DbDiagError> {
    const CHECK: &str = "stale_stats";
    let estimates = space::stat1_rows(db)?;
    let indexed: Vec<String> = db
        .schema
        .plain_tables()
        .filter(|t| !t.indexes.is_empty())
        .map(|t| t.name.clone())
        .collect();
    let mut findings = Vec::new();
    if estimates.is_empty() {
        if !indexed.is_empty() {
            findings.push(
                Finding::new(
                    CHECK,
                    Severity::Warning,
                    "database",
                    format!(
                        "ANALYZE has never run; {} indexed tables have no statistics",
                        indexed.len()
                    ),
                )
                .suggest("PRAGMA optimize; (or ANALYZE;) so the planner can choose indexes well"),
            );
        }
        return Ok(Outcome::findings(findings));
    }
    for name in &indexed {
        if !estimates.contains_key(&name.to_ascii_lowercase()) {
            findings.push(
                Finding::new(CHECK, Severity::Info, name, "no statistics for this table")
                    .suggest(format!("ANALYZE {};", crate::dbdiag::quote_ident(name))),
            );
        }
    }
    if profile >= Profile::Standard
        && let Outcome::Done { table: Some(t), .. } = space::table_stats(db, Profile::Standard)?
    {
        for row in &t.rows {
            let (Some(name), Some(exact)) = (row[0].as_str(), row[1].as_i64()) else {
                continue;
            };
            let Some(&est) = estimates.get(&name.to_ascii_lowercase()) else { continue };
            let (lo, hi) = (est.min(exact).max(1), est.max(exact));
            if hi - lo > 1000 && hi > lo * 2 {
                findings.push(
                    Finding::new(
                        CHECK,
                        Severity::Warning,
                        name,
                        format!("statistics say {est} rows, the table holds {exact}"),
                    )
                    .suggest(format!("ANALYZE {};", crate::dbdiag::quote_ident(name))),
                );
            }
        }
    }
    Ok(Outcome::findings(findings))
}

fn advice<'a>(
    db: &'a mut Sqlite,
    opts: &Options,
) -> Result<&'a [advisor::QueryAdvice], DbDiagError> {
    if db.advice.is_none() {
        let advice = advisor::advise(db, &opts.queries)?;
        db.advice = Some(advice);
    }
    Ok(db.advice.as_deref().unwrap_or_default())
}

/// Index suggestions for the workload (`--queries`), found the way `.expert` finds them.
pub(crate) fn missing_index(db: &mut Sqlite, opts: &Options) -> Result<Outcome, DbDiagError> {
    if opts.queries.is_empty() {
        return Ok(Outcome::skipped("needs a workload: --queries FILE"));
    }
    let advice = advice(db, opts)?;
    let mut findings = Vec::new();
    let mut table = Table { columns: vec!["query", "plan", "suggestion"], rows: Vec::new() };
    for a in advice {
        findings.extend(a.findings("missing_index"));
        table.rows.push(vec![
            json!(a.name),
            json!(a.plan_summary()),
            json!(a.suggestions.iter().map(|s| s.sql.clone()).collect::<Vec<_>>().join(" ")),
        ]);
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Indexes no query of the workload uses.
pub(crate) fn unused_index(db: &mut Sqlite, opts: &Options) -> Result<Outcome, DbDiagError> {
    if opts.queries.is_empty() {
        return Ok(Outcome::skipped(
            "SQLite keeps no index usage counters; needs a workload: --queries FILE",
        ));
    }
    let used: Vec<String> =
        advice(db, opts)?.iter().flat_map(|a| a.used_indexes.iter().cloned()).collect();
    let mut findings = Vec::new();
    for t in db.schema.plain_tables() {
        for i in t.indexes.iter().filter(|i| i.origin == "c" && !i.unique) {
            if !used.iter().any(|u| u.eq_ignore_ascii_case(&i.name)) {
                findings.push(
                    Finding::new(
                        "unused_index",
                        Severity::Info,
                        &i.name,
                        format!("no query of the workload uses this index on `{}`", t.name),
                    )
                    .suggest(format!("DROP INDEX {};", crate::dbdiag::quote_ident(&i.name))),
                );
            }
        }
    }
    Ok(Outcome::findings(findings))
}

/// True when some index's leading columns are exactly `cols` (in any order).
fn covered_by_index(cols: &[String], indexes: &[Vec<String>]) -> bool {
    indexes.iter().any(|idx| {
        idx.len() >= cols.len()
            && cols.iter().all(|c| idx[..cols.len()].iter().any(|k| k.eq_ignore_ascii_case(c)))
    })
}

/// Foreign keys whose child columns no index leads with: every parent delete scans the child.
pub(crate) fn fk_without_index(schema: &Schema) -> Outcome {
    let mut findings = Vec::new();
    for t in schema.plain_tables() {
        let mut keys: Vec<Vec<String>> = t.indexes.iter().map(|i| i.columns.clone()).collect();
        keys.push(t.primary_key.clone());
        for fk in &t.foreign_keys {
            if !covered_by_index(&fk.columns, &keys) {
                findings.push(
                    Finding::new(
                        "fk_without_index",
                        Severity::Warning,
                        format!("{}({})", t.name, fk.columns.join(", ")),
                        format!(
                            "foreign key to `{}` has no index; deletes and updates of `{}` scan `{}`",
                            fk.parent, fk.parent, t.name
                        ),
                    )
                    .suggest(crate::dbdiag::create_index_sql(&t.name, &fk.columns, true)),
                );
            }
        }
    }
    Outcome::findings(findings)
}

/// Two indexes of a table with the same key columns, uniqueness and predicate.
pub(crate) fn duplicate_index(schema: &Schema) -> Outcome {
    let mut findings = Vec::new();
    for t in schema.plain_tables() {
        for (n, a) in t.indexes.iter().enumerate() {
            for b in &t.indexes[n + 1..] {
                if a.columns == b.columns && a.partial == b.partial && !a.partial {
                    let (keep, drop) = if b.origin == "c" { (a, b) } else { (b, a) };
                    findings.push(
                        Finding::new(
                            "duplicate_index",
                            Severity::Warning,
                            &drop.name,
                            format!(
                                "same columns ({}) as `{}` on `{}`",
                                drop.columns.join(", "),
                                keep.name,
                                t.name
                            ),
                        )
                        .suggest(drop_sql(drop)),
                    );
                }
            }
        }
    }
    Outcome::findings(findings)
}

fn drop_sql(i: &super::IndexMeta) -> String {
    if i.origin == "c" {
        format!("DROP INDEX {};", crate::dbdiag::quote_ident(&i.name))
    } else {
        "remove the UNIQUE/PRIMARY KEY constraint from the table definition".to_owned()
    }
}

/// A plain index whose columns are a strict prefix of another index's columns.
pub(crate) fn redundant_index(schema: &Schema) -> Outcome {
    let mut findings = Vec::new();
    for t in schema.plain_tables() {
        for a in t.indexes.iter().filter(|i| i.origin == "c" && !i.unique && !i.partial) {
            let wider = t.indexes.iter().find(|b| {
                !b.partial && b.columns.len() > a.columns.len() && b.columns.starts_with(&a.columns)
            });
            if let Some(b) = wider {
                findings.push(
                    Finding::new(
                        "redundant_index",
                        Severity::Info,
                        &a.name,
                        format!(
                            "its columns ({}) lead `{}` ({}), which serves the same lookups",
                            a.columns.join(", "),
                            b.name,
                            b.columns.join(", ")
                        ),
                    )
                    .suggest(drop_sql(a)),
                );
            }
        }
    }
    Outcome::findings(findings)
}

fn sidecar_len(db: &Sqlite, suffix: &str) -> u64 {
    let mut p = db.path.as_os_str().to_owned();
    p.push(suffix);
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// The process holding a POSIX write lock on byte `offset` of `path` (what SQLite uses for its
/// RESERVED/PENDING locks, and for the WAL write lock in the `-shm` file). Only asks (`F_GETLK`),
/// never takes a lock; called while our own connection holds none, so closing the probe
/// descriptor cannot drop a lock of ours.
#[cfg(unix)]
fn lock_holder(path: &std::path::Path, offset: i64) -> Option<i32> {
    use std::os::fd::AsRawFd as _;
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: `flock` is a plain C struct for which all-zero bytes are a valid value.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = offset;
    fl.l_len = 1;
    // SAFETY: a valid open descriptor and a valid, exclusively borrowed `flock`.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &raw mut fl) };
    (rc == 0 && fl.l_type != libc::F_UNLCK as libc::c_short).then_some(fl.l_pid)
}

#[cfg(not(unix))]
fn lock_holder(_path: &std::path::Path, _offset: i64) -> Option<i32> {
    None
}

/// SQLite's lock bytes: PENDING at 1 GiB, RESERVED right after; the WAL write lock in `-shm`.
const PENDING_BYTE: i64 = 0x4000_0000;
const WAL_WRITE_LOCK: i64 = 120;

/// Journal mode, WAL size, a hot rollback journal, and a writer holding the write lock.
pub(crate) fn connections(db: &Sqlite) -> Result<Outcome, DbDiagError> {
    const CHECK: &str = "connections";
    let mode: String =
        db.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).map_err(|e| db.err(e))?;
    let wal = sidecar_len(db, "-wal");
    let journal = sidecar_len(db, "-journal");
    let db_len = std::fs::metadata(&db.path).map_or(0, |m| m.len());
    let mut findings = Vec::new();
    if wal > 64 << 20 && wal > db_len / 2 {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Warning,
                "database",
                format!(
                    "the WAL holds {} MiB; checkpoints are not keeping up (a long reader?)",
                    wal >> 20
                ),
            )
            .suggest("PRAGMA wal_checkpoint(TRUNCATE); when no reader is open"),
        );
    }
    if journal > 0 && !mode.eq_ignore_ascii_case("wal") {
        findings.push(Finding::new(
            CHECK,
            Severity::Warning,
            "database",
            format!("a {journal}-byte rollback journal exists: a write is in progress or a writer crashed"),
        ));
    }
    let writer = if mode.eq_ignore_ascii_case("wal") {
        let mut shm = db.path.as_os_str().to_owned();
        shm.push("-shm");
        lock_holder(std::path::Path::new(&shm), WAL_WRITE_LOCK)
            .map(|pid| (pid, "the WAL write lock"))
    } else {
        lock_holder(&db.path, PENDING_BYTE)
            .map(|pid| (pid, "the PENDING lock (waiting for readers to finish)"))
            .or_else(|| {
                lock_holder(&db.path, PENDING_BYTE + 1).map(|pid| (pid, "the RESERVED lock"))
            })
    };
    if let Some((pid, what)) = writer {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Info,
                "database",
                format!("process {pid} holds {what}: a write transaction is open; other writers wait (busy)"),
            )
            .suggest("keep write transactions short; give other connections a busy_timeout"),
        );
    }
    let table = Table {
        columns: vec!["journal_mode", "wal_bytes", "journal_bytes", "writer_pid"],
        rows: vec![vec![json!(mode), json!(wal), json!(journal), json!(writer.map(|w| w.0))]],
    };
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// Settings that hurt: rollback journal, foreign keys left to each connection, page size,
/// auto_vacuum with a large freelist.
pub(crate) fn pragmas(db: &Sqlite) -> Result<Outcome, DbDiagError> {
    const CHECK: &str = "pragmas";
    let get = |name: &str| -> Result<String, DbDiagError> {
        db.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                _ => String::new(),
            })
            .map_err(|e| db.err(e))
    };
    let journal = get("journal_mode")?;
    let page_size: i64 = get("page_size")?.parse().unwrap_or(0);
    let auto_vacuum = get("auto_vacuum")?;
    let page_count: i64 = get("page_count")?.parse().unwrap_or(0);
    let freelist: i64 = get("freelist_count")?.parse().unwrap_or(0);
    let fks: usize = db.schema.plain_tables().map(|t| t.foreign_keys.len()).sum();
    let mut findings = Vec::new();
    if !journal.eq_ignore_ascii_case("wal") {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Info,
                "journal_mode",
                format!("journal_mode is {journal}: readers and the writer block each other"),
            )
            .suggest("PRAGMA journal_mode = WAL; (persistent, once)"),
        );
    }
    if fks > 0 {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Info,
                "foreign_keys",
                format!("the schema declares {fks} foreign keys, but SQLite enforces them only on connections that run PRAGMA foreign_keys = ON"),
            )
            .suggest("PRAGMA foreign_keys = ON; on every connection of the application"),
        );
    }
    if page_size > 0 && page_size < 4096 {
        findings.push(
            Finding::new(CHECK, Severity::Info, "page_size", format!("page_size is {page_size}"))
                .suggest("PRAGMA page_size = 4096; VACUUM;"),
        );
    }
    if auto_vacuum == "0" && page_count > 0 && freelist * 4 > page_count && freelist > 256 {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Warning,
                "auto_vacuum",
                format!("auto_vacuum is off and {freelist} of {page_count} pages are free"),
            )
            .suggest("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;"),
        );
    }
    let table = Table {
        columns: vec!["journal_mode", "page_size", "auto_vacuum", "foreign_keys_declared"],
        rows: vec![vec![json!(journal), json!(page_size), json!(auto_vacuum), json!(fks)]],
    };
    Ok(Outcome::Done { findings, table: Some(table) })
}

/// The indexes of a SQLite schema as the declared-index comparison sees them.
pub fn actual_indexes(schema: &Schema) -> Vec<ActualIndex> {
    schema
        .plain_tables()
        .flat_map(|t| {
            t.indexes.iter().filter(|i| i.origin == "c").map(|i| ActualIndex {
                table: t.name.clone(),
                name: i.name.clone(),
                columns: i.columns.clone(),
                unique: i.unique,
                predicate: i.sql.as_deref().and_then(declared::predicate_of),
                valid: true,
            })
        })
        .collect()
}

/// Declared indexes (`--indexes`) compared with the database.
pub(crate) fn declared(db: &Sqlite, opts: &Options) -> Outcome {
    let Some(decl) = &opts.declared else {
        return Outcome::skipped("needs --indexes FILE");
    };
    let tables: Vec<String> = db.schema.plain_tables().map(|t| t.name.clone()).collect();
    Outcome::findings(declared::compare(decl, &actual_indexes(&db.schema), &tables))
}
