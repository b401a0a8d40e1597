//! Rows and space on SQLite: `table_stats` and `space`.
//!
//! The quick profile reads only the header pragmas (page count, freelist) and `sqlite_stat1`
//! estimates, so its cost does not grow with the database. From `standard` on, one pass over the
//! DBSTAT virtual table (one row per page, in b-tree order) gives what `sqlite3_analyzer` reports:
//! pages, bytes, fill, overflow pages, fragmentation (pages out of sequence) and exact entry counts
//! (cells on table leaves, all cells of index b-trees), without a separate `count(*)` scan. The pass
//! is done once and shared by both checks.

use std::collections::BTreeMap;

use serde_json::json;

use super::Sqlite;
use crate::dbdiag::{DbDiagError, Finding, Outcome, Profile, Severity, Table};

/// What one pass of DBSTAT learned about one b-tree.
#[derive(Clone, Debug, Default)]
pub(crate) struct BtreeStat {
    pub(crate) pages: u64,
    pub(crate) overflow: u64,
    pub(crate) bytes: u64,
    pub(crate) unused: u64,
    pub(crate) entries: u64,
    pub(crate) out_of_order: u64,
}

impl BtreeStat {
    fn fill(&self) -> f64 {
        if self.bytes == 0 { 1.0 } else { 1.0 - self.unused as f64 / self.bytes as f64 }
    }

    fn fragmentation(&self) -> f64 {
        if self.pages < 2 { 0.0 } else { self.out_of_order as f64 / (self.pages - 1) as f64 }
    }
}

fn pct(x: f64) -> serde_json::Value {
    json!((x * 1000.0).round() / 10.0)
}

/// The page walker ([`super::pages`]) under a shared lock, when the file is the whole truth
/// (not WAL with frames waiting to be checkpointed).
fn walk_pages(db: &Sqlite) -> Option<BTreeMap<String, BtreeStat>> {
    let mut wal = db.path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    db.conn.execute_batch("BEGIN").ok()?;
    let roots: Option<Vec<(String, u32, bool)>> = (|| {
        let mut stmt = db
            .conn
            .prepare("SELECT name, rootpage, type FROM sqlite_schema WHERE rootpage > 0")
            .ok()?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, String>(2)?))
            })
            .ok()?;
        let mut roots = vec![("sqlite_schema".to_owned(), 1, false)];
        for row in rows {
            let (name, root, kind) = row.ok()?;
            let index_like = kind == "index"
                || db.schema.tables.iter().any(|t| t.name == name && t.without_rowid);
            roots.push((name, root, index_like));
        }
        Some(roots)
    })();
    let out = roots.and_then(|roots| super::pages::measure(&db.path, &roots));
    let _ = db.conn.execute_batch("COMMIT");
    out
}

/// One pass over the pages (the walker, else DBSTAT), cached on the driver.
fn dbstat(db: &mut Sqlite) -> Result<&BTreeMap<String, BtreeStat>, DbDiagError> {
    if db.dbstat.is_none()
        && let Some(stats) = walk_pages(db)
    {
        db.dbstat = Some(stats);
    }
    if db.dbstat.is_none() {
        // Which b-trees count entries on every page (index b-trees, WITHOUT ROWID tables).
        let mut index_like: Vec<String> = Vec::new();
        for t in &db.schema.tables {
            if t.without_rowid {
                index_like.push(t.name.clone());
            }
            index_like.extend(t.indexes.iter().map(|i| i.name.clone()));
        }
        let mut stats: BTreeMap<String, BtreeStat> = BTreeMap::new();
        let mut stmt = db
            .conn
            .prepare("SELECT name, pageno, pagetype, ncell, unused, pgsize FROM dbstat('main')")
            .map_err(|e| db.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| db.err(e))?;
        let mut last: Option<(String, i64)> = None;
        while let Some(r) = rows.next().map_err(|e| db.err(e))? {
            let name: String = r.get(0).map_err(|e| db.err(e))?;
            let pageno: i64 = r.get(1).map_err(|e| db.err(e))?;
            let kind: String = r.get(2).map_err(|e| db.err(e))?;
            let ncell: i64 = r.get(3).map_err(|e| db.err(e))?;
            let unused: i64 = r.get(4).map_err(|e| db.err(e))?;
            let size: i64 = r.get(5).map_err(|e| db.err(e))?;
            let entry = stats.entry(name.clone()).or_default();
            entry.pages += 1;
            entry.bytes += size as u64;
            entry.unused += unused as u64;
            match kind.as_str() {
                "overflow" => entry.overflow += 1,
                "leaf" => entry.entries += ncell as u64,
                _ if index_like.contains(&name) => entry.entries += ncell as u64,
                _ => {}
            }
            if let Some((prev_name, prev_page)) = &last
                && *prev_name == name
                && pageno != prev_page + 1
            {
                entry.out_of_order += 1;
            }
            last = Some((name, pageno));
        }
        db.dbstat = Some(stats);
    }
    Ok(db.dbstat.get_or_insert_default())
}

/// Row estimates from `sqlite_stat1` (quick) or exact counts and sizes from DBSTAT (standard+).
pub(crate) fn table_stats(db: &mut Sqlite, profile: Profile) -> Result<Outcome, DbDiagError> {
    let estimates = stat1_rows(db)?;
    let tables: Vec<(String, Vec<String>)> = db
        .schema
        .plain_tables()
        .map(|t| (t.name.clone(), t.indexes.iter().map(|i| i.name.clone()).collect()))
        .collect();
    let mut table = Table::default();
    if profile == Profile::Quick {
        table.columns = vec!["table", "rows", "source", "indexes"];
        for (name, indexes) in &tables {
            let est = estimates.get(&name.to_ascii_lowercase());
            table.rows.push(vec![
                json!(name),
                json!(est),
                json!(if est.is_some() { "sqlite_stat1" } else { "unknown (no ANALYZE)" }),
                json!(indexes.len()),
            ]);
        }
    } else {
        let stats = dbstat(db)?;
        table.columns = vec!["table", "rows", "table_bytes", "index_bytes", "indexes"];
        for (name, indexes) in &tables {
            let own = stats.get(name).cloned().unwrap_or_default();
            let index_bytes: u64 =
                indexes.iter().filter_map(|i| stats.get(i)).map(|s| s.bytes).sum();
            table.rows.push(vec![
                json!(name),
                json!(own.entries),
                json!(own.bytes),
                json!(index_bytes),
                json!(indexes.len()),
            ]);
        }
    }
    Ok(Outcome::Done { findings: Vec::new(), table: Some(table) })
}

/// `sqlite_stat1` row estimates by lower-cased table name.
pub(crate) fn stat1_rows(db: &Sqlite) -> Result<BTreeMap<String, i64>, DbDiagError> {
    let mut out = BTreeMap::new();
    let has_stat1 = db
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| db.err(e))?;
    if has_stat1 == 0 {
        return Ok(out);
    }
    let mut stmt = db.conn.prepare("SELECT tbl, stat FROM sqlite_stat1").map_err(|e| db.err(e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
        .map_err(|e| db.err(e))?;
    for row in rows {
        let (tbl, stat) = row.map_err(|e| db.err(e))?;
        let first = stat.as_deref().and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok());
        if let Some(n) = first {
            out.insert(tbl.to_ascii_lowercase(), n);
        }
    }
    Ok(out)
}

fn pragma_i64(db: &Sqlite, name: &str) -> Result<i64, DbDiagError> {
    db.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).map_err(|e| db.err(e))
}

/// Freelist, truncation (quick); fill, fragmentation and overflow per b-tree (standard+).
pub(crate) fn space(db: &mut Sqlite, profile: Profile) -> Result<Outcome, DbDiagError> {
    const CHECK: &str = "space";
    let page_size = pragma_i64(db, "page_size")?;
    let page_count = pragma_i64(db, "page_count")?;
    let freelist = pragma_i64(db, "freelist_count")?;
    let auto_vacuum = pragma_i64(db, "auto_vacuum")?;
    let file_len = std::fs::metadata(&db.path).map_or(0, |m| m.len());
    let mut findings = Vec::new();
    let expected = (page_count * page_size) as u64;
    if file_len < expected {
        findings.push(
            Finding::new(
                CHECK,
                Severity::Error,
                "database",
                format!("the file holds {file_len} bytes but its header says {expected} ({page_count} pages): it is truncated"),
            )
            .suggest("restore from a backup; `obby db-diag --profile full` lists the damage"),
        );
    }
    let free_ratio = if page_count > 0 { freelist as f64 / page_count as f64 } else { 0.0 };
    let free_bytes = freelist * page_size;
    if free_ratio >= 0.1 && free_bytes >= 1 << 20 {
        let fix = if auto_vacuum == 2 {
            "PRAGMA incremental_vacuum;"
        } else {
            "VACUUM; (or PRAGMA auto_vacuum = INCREMENTAL before the next VACUUM)"
        };
        findings.push(
            Finding::new(
                CHECK,
                Severity::Warning,
                "database",
                format!(
                    "{freelist} of {page_count} pages ({:.0}%, {} KiB) are free",
                    free_ratio * 100.0,
                    free_bytes / 1024
                ),
            )
            .suggest(fix),
        );
    }
    let mut table = Table {
        columns: vec![
            "object",
            "pages",
            "bytes",
            "fill_pct",
            "fragmentation_pct",
            "overflow_pages",
        ],
        rows: vec![vec![
            json!("(database)"),
            json!(page_count),
            json!(page_count * page_size),
            json!(null),
            json!(null),
            json!(null),
        ]],
    };
    table.rows.push(vec![
        json!("(freelist)"),
        json!(freelist),
        json!(free_bytes),
        json!(null),
        json!(null),
        json!(null),
    ]);
    if profile >= Profile::Standard {
        let stats = dbstat(db)?.clone();
        for (name, s) in &stats {
            table.rows.push(vec![
                json!(name),
                json!(s.pages),
                json!(s.bytes),
                pct(s.fill()),
                pct(s.fragmentation()),
                json!(s.overflow),
            ]);
            if s.pages < 64 || name.starts_with("sqlite_") {
                continue;
            }
            if s.fill() < 0.5 {
                findings.push(
                    Finding::new(
                        CHECK,
                        Severity::Info,
                        name,
                        format!("pages are {:.0}% full on average", s.fill() * 100.0),
                    )
                    .suggest("VACUUM; rebuilds the b-trees packed"),
                );
            }
            if s.fragmentation() > 0.5 {
                findings.push(
                    Finding::new(
                        CHECK,
                        Severity::Info,
                        name,
                        format!(
                            "{:.0}% of its pages are out of sequence on disk",
                            s.fragmentation() * 100.0
                        ),
                    )
                    .suggest("VACUUM; writes every b-tree in order"),
                );
            }
            if s.overflow * 10 > s.pages {
                findings.push(
                    Finding::new(
                        CHECK,
                        Severity::Info,
                        name,
                        format!(
                            "{} of {} pages are overflow pages (large rows)",
                            s.overflow, s.pages
                        ),
                    )
                    .suggest("keep large values in a side table or raise page_size"),
                );
            }
        }
    }
    Ok(Outcome::Done { findings, table: Some(table) })
}
