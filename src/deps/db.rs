//! The local advisory cache: one SQLite file (`advisories.db`) in the deps cache directory.
//!
//! Records are stored once per source as JSON of the normalised [`Advisory`], with an index
//! table keyed by (ecosystem, package) so an audit asks once for exactly the package names of
//! its lockfile and parses only those records. Importing a source replaces that source's rows in
//! one transaction and bumps the data version, which also empties the result cache (audit
//! results keyed by lockfile hash + data version, one file each under `results/`).
//!
//! An audit opens the file read-only (no journal, no write lock, nothing to sync); the file uses
//! SQLite's rollback journal rather than WAL so that a reader creates no `-wal`/`-shm` files.
//! Result-cache entries are plain files written by rename: a lost or torn entry only costs a
//! re-audit, so they are never synced.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::Ecosystem;
use super::advisory::Advisory;

/// The cache file's name inside the cache directory.
pub const FILE: &str = "advisories.db";
/// The result cache's directory inside the cache directory.
const RESULTS: &str = "results";
const SCHEMA: i64 = 3;

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

/// Advisories naming a package, each with the name of the source it came from.
pub type Matches = Vec<(String, std::rc::Rc<Advisory>)>;

/// An open cache.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    dir: PathBuf,
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
        let db = Self { conn, path, dir: dir.to_owned(), parsed: std::cell::RefCell::default() };
        db.migrate()?;
        Ok(db)
    }

    /// Opens the cache in `dir` when it exists, for writing (`db status` reads it this way
    /// too, so that an old cache is migrated).
    ///
    /// # Errors
    /// As [`Db::open`].
    pub fn open_existing(dir: &Path) -> Result<Option<Self>, DbError> {
        if dir.join(FILE).is_file() { Self::open(dir).map(Some) } else { Ok(None) }
    }

    /// Opens the cache in `dir` read-only when it exists: what an audit does. A cache of an
    /// older layout is migrated first (through a writable connection).
    ///
    /// # Errors
    /// As [`Db::open`].
    pub fn open_read(dir: &Path) -> Result<Option<Self>, DbError> {
        use rusqlite::OpenFlags;
        let path = dir.join(FILE);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match Connection::open_with_flags(&path, flags) {
            Ok(c) => c,
            Err(_) if !path.is_file() => return Ok(None),
            Err(source) => return Err(DbError::Sql { path, source }),
        };
        let e = sql(&path);
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(&e)?;
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(&e)?;
        if version > SCHEMA {
            return Err(DbError::Newer(path.clone()));
        }
        if version < SCHEMA {
            drop(conn);
            drop(Self::open(dir)?);
            return Self::open_read(dir);
        }
        // Pages come from the mapped file instead of one read call each.
        conn.pragma_update(None, "mmap_size", 256_i64 << 20).map_err(&e)?;
        let path = path.clone();
        Ok(Some(Self { conn, path, dir: dir.to_owned(), parsed: std::cell::RefCell::default() }))
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
                    "PRAGMA journal_mode=DELETE;
                     CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                     CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, location TEXT NOT NULL,
                       kind TEXT NOT NULL, revision TEXT, data_date TEXT, imported_at INTEGER NOT NULL,
                       records INTEGER NOT NULL, skipped INTEGER NOT NULL, withdrawn INTEGER NOT NULL);
                     CREATE TABLE IF NOT EXISTS advisories(id INTEGER PRIMARY KEY, source TEXT NOT NULL,
                       advisory TEXT NOT NULL, body TEXT NOT NULL);
                     CREATE INDEX IF NOT EXISTS advisories_source ON advisories(source);
                     CREATE TABLE IF NOT EXISTS affected(ecosystem TEXT NOT NULL, package TEXT NOT NULL,
                       advisory INTEGER NOT NULL);
                     CREATE INDEX IF NOT EXISTS affected_cover ON affected(ecosystem, package, advisory);
                     CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory);
                     PRAGMA user_version = 3;",
                )
                .map_err(&e)?;
        } else {
            if version == 1 {
                // v1 kept results in a table and the file in WAL mode (readers made -wal/-shm).
                self.conn
                    .execute_batch(
                        "PRAGMA journal_mode=DELETE;
                         DROP TABLE IF EXISTS results;",
                    )
                    .map_err(&e)?;
            }
            if version < 3 {
                // v3: the package index covers the advisory id, so a lookup reads the index
                // alone instead of the index and then each `affected` row.
                self.conn
                    .execute_batch(
                        "CREATE INDEX IF NOT EXISTS affected_cover
                           ON affected(ecosystem, package, advisory);
                         DROP INDEX IF EXISTS affected_package;
                         PRAGMA user_version = 3;",
                    )
                    .map_err(&e)?;
            }
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
        tx.commit().map_err(&e)?;
        // Every entry is keyed by an older data version now: free the space.
        let _ = std::fs::remove_dir_all(self.dir.join(RESULTS));
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
        // One index probe per ecosystem (a DISTINCT over the table reads all of its index).
        let e = sql(&self.path);
        let mut stmt = self
            .conn
            .prepare("SELECT EXISTS(SELECT 1 FROM affected WHERE ecosystem = ?1)")
            .map_err(&e)?;
        let mut out = Vec::new();
        for eco in Ecosystem::ALL {
            if stmt.query_row([eco.as_str()], |r| r.get::<_, bool>(0)).map_err(&e)? {
                out.push(eco);
            }
        }
        Ok(out)
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

    /// [`Db::lookup`] for many packages at once: one statement per call instead of one per
    /// package (SQLite re-plans a statement with bound values on every run when it keeps
    /// statistics, which made per-package lookups the bulk of an audit).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn lookup_many(
        &self,
        eco: Ecosystem,
        packages: &[&str],
    ) -> Result<HashMap<String, Matches>, DbError> {
        let e = sql(&self.path);
        let mut unique = packages.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let names = serde_json::to_string(&unique).unwrap_or_else(|_| "[]".into());
        // The names drive the join (CROSS JOIN keeps that order): one probe of the covering
        // index per name, then the record by rowid. (`package IN (SELECT ...)` first built a
        // temporary b-tree of the names.)
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.package, a.id, a.source, a.body FROM json_each(?2) j
                   CROSS JOIN affected f CROSS JOIN advisories a
                   WHERE f.ecosystem = ?1 AND f.package = j.value AND a.id = f.advisory",
            )
            .map_err(&e)?;
        let mut rows = stmt.query(params![eco.as_str(), names]).map_err(&e)?;
        let mut out: HashMap<String, Matches> = HashMap::new();
        let mut cache = self.parsed.borrow_mut();
        while let Some(row) = rows.next().map_err(&e)? {
            let id: i64 = row.get(1).map_err(&e)?;
            let adv = if let Some(a) = cache.get(&id) {
                a.clone()
            } else {
                // Parsed straight from SQLite's buffer: no copy of the record first; checked as
                // UTF-8 once as a whole (from bytes, the parser checks each string it meets).
                let body = row.get_ref(3).map_err(&e)?;
                let Ok(a) = serde_json::from_str::<Advisory>(body.as_str().unwrap_or("")) else {
                    continue;
                };
                let a = std::rc::Rc::new(a);
                cache.insert(id, a.clone());
                a
            };
            let package: String = row.get(0).map_err(&e)?;
            let source: String = row.get(2).map_err(&e)?;
            out.entry(package).or_default().push((source, adv));
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

    /// A cached result, when there is one (an unreadable entry is a miss).
    #[must_use]
    pub fn cached(&self, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join(RESULTS).join(key)).ok()
    }

    /// Stores a result (best effort: a read-only cache directory just does not cache). The
    /// entry is written beside its place and renamed over it, so a reader sees all or nothing.
    pub fn store(&self, key: &str, body: &[u8]) {
        super::write_by_rename(&self.dir.join(RESULTS).join(key), body);
    }
}

#[cfg(test)]
mod tests {
    use super::{Db, FILE, SCHEMA};

    #[test]
    fn a_v1_cache_in_wal_mode_is_migrated_when_first_read() {
        let dir = tempfile::tempdir().unwrap();
        {
            let c = rusqlite::Connection::open(dir.path().join(FILE)).unwrap();
            c.execute_batch(
                "PRAGMA journal_mode=WAL;
                 CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT NOT NULL,
                   kind TEXT NOT NULL, revision TEXT, data_date TEXT, imported_at INTEGER NOT NULL,
                   records INTEGER NOT NULL, skipped INTEGER NOT NULL, withdrawn INTEGER NOT NULL);
                 CREATE TABLE advisories(id INTEGER PRIMARY KEY, source TEXT NOT NULL,
                   advisory TEXT NOT NULL, body TEXT NOT NULL);
                 CREATE TABLE affected(ecosystem TEXT NOT NULL, package TEXT NOT NULL,
                   advisory INTEGER NOT NULL);
                 CREATE TABLE results(key TEXT PRIMARY KEY, body BLOB NOT NULL);
                 INSERT INTO affected VALUES ('crates.io', 'x', 1);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let db = Db::open_read(dir.path()).unwrap().unwrap();
        assert_eq!(db.ecosystems().unwrap(), [crate::deps::Ecosystem::Cargo]);
        drop(db);
        let c = rusqlite::Connection::open(dir.path().join(FILE)).unwrap();
        let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let version: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), version), ("delete", SCHEMA));
        let results: i64 = c
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'results'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(results, 0);
    }

    fn row(name: &str) -> super::SourceRow {
        super::SourceRow {
            name: name.into(),
            location: "/x".into(),
            kind: "dir".into(),
            revision: None,
            data_date: None,
            imported_at: 1,
            records: 0,
            skipped: 0,
            withdrawn: 0,
            ecosystems: std::collections::BTreeMap::new(),
        }
    }

    fn advisory(id: &str, package: &str) -> crate::deps::advisory::Advisory {
        serde_json::from_value(serde_json::json!({
            "id": id, "kind": "vulnerability", "summary": "s",
            "affected": [{"ecosystem": "crates.io", "package": package, "patched": [">= 1.0.0"],
                          "rustsec": true}]
        }))
        .unwrap()
    }

    #[test]
    fn a_v2_cache_gets_the_covering_index_and_lookups_answer_each_name_once() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut db = Db::open(dir.path()).unwrap();
            db.replace_source(&row("rustsec"), &[advisory("A-1", "x"), advisory("A-2", "y")])
                .unwrap();
        }
        {
            // Back to the v2 layout: the package index without the advisory id.
            let c = rusqlite::Connection::open(dir.path().join(FILE)).unwrap();
            c.execute_batch(
                "DROP INDEX affected_cover;
                 CREATE INDEX affected_package ON affected(ecosystem, package);
                 PRAGMA user_version = 2;",
            )
            .unwrap();
        }
        let db = Db::open_read(dir.path()).unwrap().unwrap();
        let eco = crate::deps::Ecosystem::Cargo;
        // Names repeat when a lockfile holds two versions of a crate.
        let found = db.lookup_many(eco, &["y", "x", "y", "z"]).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found["x"].len(), 1);
        assert_eq!(found["y"][0].1.id, "A-2");
        assert_eq!(found["y"][0].0, "rustsec");
        drop(db);
        let c = rusqlite::Connection::open(dir.path().join(FILE)).unwrap();
        let indexes: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'affected' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(indexes, ["affected_advisory", "affected_cover"]);
        let version: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA);
    }

    #[test]
    fn records_are_stored_without_their_empty_fields_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        let a = advisory("A-1", "x");
        db.replace_source(&row("rustsec"), std::slice::from_ref(&a)).unwrap();
        let body: String =
            db.conn.query_row("SELECT body FROM advisories", [], |r| r.get(0)).unwrap();
        for absent in ["aliases", "cvss", "rating", "url", "ranges", "versions", "unaffected"] {
            assert!(!body.contains(absent), "{absent} in {body}");
        }
        let back = &db.lookup_many(crate::deps::Ecosystem::Cargo, &["x"]).unwrap()["x"][0].1;
        assert_eq!(serde_json::to_value(&**back).unwrap(), serde_json::to_value(&a).unwrap());
        assert!(back.affected[0].rustsec && back.aliases.is_empty() && back.url.is_none());
    }

    #[test]
    fn no_cache_file_reads_as_none_and_results_round_trip_through_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Db::open_read(dir.path()).unwrap().is_none());
        let db = Db::open(dir.path()).unwrap();
        assert_eq!(db.cached("k"), None);
        db.store("k", b"body");
        assert_eq!(db.cached("k").as_deref(), Some(&b"body"[..]));
    }
}
