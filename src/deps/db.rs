//! The local advisory cache: one SQLite file (`advisories.db`) in the deps cache directory.
//!
//! Records are stored once per source as JSON of the normalised [`Advisory`], with an index
//! table keyed by (ecosystem, package) so an audit does one indexed lookup per package. Importing
//! a source replaces that source's rows in one transaction and bumps the data version, which also
//! empties the result cache (audit results keyed by lockfile hash + data version).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::Ecosystem;
use super::advisory::Advisory;

/// The cache file's name inside the cache directory.
pub const FILE: &str = "advisories.db";
const SCHEMA: i64 = 1;

/// Cache failures.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite failed.
    #[error("advisory cache `{path}`: {source}")]
    Sql {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The directory cannot be created.
    #[error("cannot create the advisory cache directory `{path}`: {source}")]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Written by a newer obby.
    #[error("advisory cache `{0}` was written by a newer obby")]
    Newer(PathBuf),
}

/// One imported source, as `db status` shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SourceRow {
    /// Name (`rustsec`, `pypa`, ...).
    pub name: String,
    /// Where it was imported from.
    pub location: String,
    /// `dir` or `git`.
    pub kind: String,
    /// Git commit, when known.
    pub revision: Option<String>,
    /// Newest date in the data (commit time or newest record).
    pub data_date: Option<String>,
    /// Import time, seconds since the epoch.
    pub imported_at: i64,
    /// Records stored.
    pub records: i64,
    /// Records skipped as malformed.
    pub skipped: i64,
    /// Withdrawn records left out.
    pub withdrawn: i64,
    /// Records per ecosystem.
    pub ecosystems: BTreeMap<String, i64>,
}

/// An open cache.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    parsed: std::cell::RefCell<HashMap<i64, std::rc::Rc<Advisory>>>,
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> DbError + '_ {
    move |source| DbError::Sql { path: path.to_owned(), source }
}

impl Db {
    /// Opens (creating when missing) the cache in `dir`.
    ///
    /// # Errors
    /// The directory or file cannot be created, or the file is from a newer obby.
    pub fn open(dir: &Path) -> Result<Self, DbError> {
        std::fs::create_dir_all(dir)
            .map_err(|source| DbError::Dir { path: dir.to_owned(), source })?;
        let path = dir.join(FILE);
        let conn = Connection::open(&path).map_err(sql(&path))?;
        let db = Self { conn, path, parsed: std::cell::RefCell::default() };
        db.migrate()?;
        Ok(db)
    }

    /// Opens the cache in `dir` when it exists.
    ///
    /// # Errors
    /// As [`Db::open`].
    pub fn open_existing(dir: &Path) -> Result<Option<Self>, DbError> {
        if dir.join(FILE).is_file() { Self::open(dir).map(Some) } else { Ok(None) }
    }

    /// The cache file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self) -> Result<(), DbError> {
        let e = sql(&self.path);
        self.conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(&e)?;
        let version: i64 =
            self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(&e)?;
        if version > SCHEMA {
            return Err(DbError::Newer(self.path.clone()));
        }
        if version == 0 {
            self.conn
                .execute_batch(
                    "PRAGMA journal_mode=WAL;
                     CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                     CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, location TEXT NOT NULL,
                       kind TEXT NOT NULL, revision TEXT, data_date TEXT, imported_at INTEGER NOT NULL,
                       records INTEGER NOT NULL, skipped INTEGER NOT NULL, withdrawn INTEGER NOT NULL);
                     CREATE TABLE IF NOT EXISTS advisories(id INTEGER PRIMARY KEY, source TEXT NOT NULL,
                       advisory TEXT NOT NULL, body TEXT NOT NULL);
                     CREATE INDEX IF NOT EXISTS advisories_source ON advisories(source);
                     CREATE TABLE IF NOT EXISTS affected(ecosystem TEXT NOT NULL, package TEXT NOT NULL,
                       advisory INTEGER NOT NULL);
                     CREATE INDEX IF NOT EXISTS affected_package ON affected(ecosystem, package);
                     CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory);
                     CREATE TABLE IF NOT EXISTS results(key TEXT PRIMARY KEY, body BLOB NOT NULL);
                     PRAGMA user_version = 1;",
                )
                .map_err(&e)?;
        }
        Ok(())
    }

    /// Replaces everything from source `row.name` with `advisories`, in one transaction.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn replace_source(
        &mut self,
        row: &SourceRow,
        advisories: &[Advisory],
    ) -> Result<(), DbError> {
        let path = self.path.clone();
        let e = sql(&path);
        let tx = self.conn.transaction().map_err(&e)?;
        tx.execute(
            "DELETE FROM affected WHERE advisory IN (SELECT id FROM advisories WHERE source = ?1)",
            [&row.name],
        )
        .map_err(&e)?;
        tx.execute("DELETE FROM advisories WHERE source = ?1", [&row.name]).map_err(&e)?;
        {
            let mut ins = tx
                .prepare("INSERT INTO advisories(source, advisory, body) VALUES (?1, ?2, ?3)")
                .map_err(&e)?;
            let mut aff = tx
                .prepare("INSERT INTO affected(ecosystem, package, advisory) VALUES (?1, ?2, ?3)")
                .map_err(&e)?;
            for a in advisories {
                let body = serde_json::to_string(a).unwrap_or_default();
                ins.execute(params![row.name, a.id, body]).map_err(&e)?;
                let id = tx.last_insert_rowid();
                let mut seen = std::collections::HashSet::new();
                for x in &a.affected {
                    if seen.insert((x.ecosystem, &x.package)) {
                        aff.execute(params![x.ecosystem.as_str(), x.package, id]).map_err(&e)?;
                    }
                }
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO sources(name, location, kind, revision, data_date, imported_at,
               records, skipped, withdrawn) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            params![
                row.name,
                row.location,
                row.kind,
                row.revision,
                row.data_date,
                row.imported_at,
                advisories.len() as i64,
                row.skipped,
                row.withdrawn
            ],
        )
        .map_err(&e)?;
        let version = format!("{}-{}", row.imported_at, jiff::Timestamp::now().as_nanosecond());
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('data_version', ?1)",
            [version],
        )
        .map_err(&e)?;
        tx.execute("DELETE FROM results", []).map_err(&e)?;
        tx.commit().map_err(&e)?;
        Ok(())
    }

    /// Every imported source.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn sources(&self) -> Result<Vec<SourceRow>, DbError> {
        let e = sql(&self.path);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, location, kind, revision, data_date, imported_at, records, skipped,
                   withdrawn FROM sources ORDER BY name",
            )
            .map_err(&e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceRow {
                    name: r.get(0)?,
                    location: r.get(1)?,
                    kind: r.get(2)?,
                    revision: r.get(3)?,
                    data_date: r.get(4)?,
                    imported_at: r.get(5)?,
                    records: r.get(6)?,
                    skipped: r.get(7)?,
                    withdrawn: r.get(8)?,
                    ecosystems: BTreeMap::new(),
                })
            })
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        let mut per = self
            .conn
            .prepare(
                "SELECT a.source, f.ecosystem, COUNT(DISTINCT a.id) FROM affected f
                   JOIN advisories a ON a.id = f.advisory GROUP BY a.source, f.ecosystem",
            )
            .map_err(&e)?;
        let counts = per
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        let mut rows = rows;
        for (src, eco, n) in counts {
            if let Some(row) = rows.iter_mut().find(|r| r.name == src) {
                row.ecosystems.insert(eco, n);
            }
        }
        Ok(rows)
    }

    /// True once any source was imported (cheaper than [`Db::sources`]).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn has_sources(&self) -> Result<bool, DbError> {
        self.conn
            .query_row("SELECT EXISTS(SELECT 1 FROM sources)", [], |r| r.get(0))
            .map_err(sql(&self.path))
    }

    /// The ecosystems with at least one record.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn ecosystems(&self) -> Result<Vec<Ecosystem>, DbError> {
        let e = sql(&self.path);
        let mut stmt = self.conn.prepare("SELECT DISTINCT ecosystem FROM affected").map_err(&e)?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(&e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&e)?;
        Ok(names.iter().filter_map(|n| Ecosystem::from_osv(n)).collect())
    }

    /// The advisories naming (ecosystem, package), with their source names.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn lookup(
        &self,
        eco: Ecosystem,
        package: &str,
    ) -> Result<Vec<(String, std::rc::Rc<Advisory>)>, DbError> {
        let e = sql(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.source, a.body FROM affected f JOIN advisories a ON a.id = f.advisory
                   WHERE f.ecosystem = ?1 AND f.package = ?2",
            )
            .map_err(&e)?;
        let rows = stmt
            .query_map(params![eco.as_str(), package], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(&e)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, source, body) = row.map_err(&e)?;
            let mut cache = self.parsed.borrow_mut();
            let adv = if let Some(a) = cache.get(&id) {
                a.clone()
            } else {
                let Ok(a) = serde_json::from_str::<Advisory>(&body) else { continue };
                let a = std::rc::Rc::new(a);
                cache.insert(id, a.clone());
                a
            };
            out.push((source, adv));
        }
        Ok(out)
    }

    /// The data version (changes on every import); `None` before the first import.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn data_version(&self) -> Result<Option<String>, DbError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'data_version'", [], |r| r.get(0))
            .optional()
            .map_err(sql(&self.path))
    }

    /// A cached result.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn cached(&self, key: &str) -> Result<Option<Vec<u8>>, DbError> {
        self.conn
            .query_row("SELECT body FROM results WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(sql(&self.path))
    }

    /// Stores a result (best effort: a read-only cache just does not cache).
    pub fn store(&self, key: &str, body: &[u8]) {
        let _ = self.conn.execute(
            "INSERT OR REPLACE INTO results(key, body) VALUES (?1, ?2)",
            params![key, body],
        );
    }
}
