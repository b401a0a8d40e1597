//! The store's schema and its forward-only migrations.
//!
//! `PRAGMA application_id` marks the file as obby's and `PRAGMA user_version` holds the schema
//! version. Opening a store checks both before anything is written: a file of another program or
//! from a newer obby is refused untouched. Each migration runs in one transaction, so a crash
//! leaves the previous version intact, and each is tested from the version before it.
//!
//! Schema v1:
//! - `blobs`: content stored once per SHA-256 (`hash`, hex), `size` of the (normalised) content,
//!   `is_text`, `lines`, `codec` (0 raw, 1 zstd, 2 zstd with `base_hash`'s content as a raw
//!   prefix dictionary, i.e. a delta), `depth` of the delta chain, `data`.
//! - `files`: one row per path ever seen (`path` is TEXT, or BLOB for non-UTF-8 names).
//! - `batches`: one row per writing run (a `track`, a watcher flush, an import).
//! - `versions`: every recorded change: `change` in created|modified|deleted|renamed, `blob_hash`
//!   (NULL for deleted), `old_path` for renames, `kind` file|symlink, `size`, `mtime_ns`,
//!   `recorded_at` (UTC ms), `lines_added`/`lines_removed`, `origin` (identity of an imported row,
//!   unique, so importing twice adds nothing).
//! - `file_state`: the stat cache (size, mtime, ctime, inode, mode, hash) that lets a rescan of an
//!   unchanged tree skip reading files, plus the last version of each live file.
//! - `events`: the watcher's event log with a monotonic `seq`, for `obby watch --since`.
//! - `notes`: searchable notes about the history (imported summaries).
//! - `meta`: key/value settings of the store (creation time, export cursors).
//!
//! Schema v2 replaces the index on `versions(recorded_at)` by a covering one on
//! `(recorded_at, id, file_id, lines_added, lines_removed, change)`: the time reports (`obby
//! query time-analysis`, `activity-stats`) read a range of it without touching the table rows,
//! and it still gives the newest-first order (`recorded_at`, then `id`) without a sort. It only
//! adds an index, so a read-only reader ([`MIN_READ_VERSION`]) still works on a v1 store, slower.
//!
//! Schema v3 drops the unused index on `file_state(hash)`.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = 3;

/// The oldest schema a read-only reader accepts without migrating: every version since only
/// added or dropped indexes, so the same SQL runs on it (a writing command migrates it).
pub const MIN_READ_VERSION: i64 = 1;

/// `PRAGMA application_id` of an obby store ("obby" in ASCII).
pub const APPLICATION_ID: i64 = 0x6f62_6279;

const V1: &str = r"
CREATE TABLE meta(
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

CREATE TABLE blobs(
    id        INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL UNIQUE,
    size      INTEGER NOT NULL,
    is_text   INTEGER NOT NULL,
    lines     INTEGER,
    codec     INTEGER NOT NULL,
    base_hash TEXT,
    depth     INTEGER NOT NULL DEFAULT 0,
    data      BLOB NOT NULL
);

CREATE TABLE files(
    id   INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE
);

CREATE TABLE batches(
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);

CREATE TABLE versions(
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES files(id),
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    change        TEXT NOT NULL CHECK (change IN ('created','modified','deleted','renamed')),
    kind          TEXT NOT NULL DEFAULT 'file' CHECK (kind IN ('file','symlink')),
    blob_hash     TEXT REFERENCES blobs(hash),
    old_path      TEXT,
    size          INTEGER,
    mtime_ns      INTEGER,
    recorded_at   INTEGER NOT NULL,
    lines_added   INTEGER NOT NULL DEFAULT 0,
    lines_removed INTEGER NOT NULL DEFAULT 0,
    origin        TEXT
);
CREATE INDEX versions_file ON versions(file_id, id);
CREATE INDEX versions_recorded ON versions(recorded_at);
CREATE INDEX versions_blob ON versions(blob_hash);
CREATE INDEX versions_batch ON versions(batch_id);
CREATE UNIQUE INDEX versions_origin ON versions(origin) WHERE origin IS NOT NULL;

CREATE TABLE file_state(
    file_id         INTEGER PRIMARY KEY REFERENCES files(id),
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    ctime_ns        INTEGER NOT NULL,
    ino             INTEGER NOT NULL,
    mode            INTEGER NOT NULL,
    hash            TEXT NOT NULL,
    last_version_id INTEGER NOT NULL REFERENCES versions(id)
);
CREATE INDEX file_state_hash ON file_state(hash);
CREATE INDEX file_state_last ON file_state(last_version_id);

CREATE TABLE events(
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms  INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    path     TEXT NOT NULL,
    old_path TEXT,
    is_dir   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_time ON events(time_ms);

CREATE TABLE notes(
    id          INTEGER PRIMARY KEY,
    file_id     INTEGER REFERENCES files(id),
    recorded_at INTEGER NOT NULL,
    source      TEXT NOT NULL,
    summary     TEXT,
    body        TEXT,
    topics      TEXT,
    keywords    TEXT,
    impact      TEXT,
    origin      TEXT UNIQUE
);
CREATE INDEX notes_file ON notes(file_id, recorded_at);
CREATE INDEX notes_recorded ON notes(recorded_at);
";

/// v1 -> v2: the covering time index (see the module documentation).
const V2: &str = r"
CREATE INDEX versions_time ON versions(recorded_at, id, file_id, lines_added, lines_removed, change);
DROP INDEX versions_recorded;
";

/// v2 -> v3: no index on `file_state(hash)` (nothing looks a file up by its content hash; the
/// index was 1.8 MB of a 62 MB store of 20k files, and one more b-tree to update per write).
const V3: &str = r"
DROP INDEX IF EXISTS file_state_hash;
";

/// Every migration, index `i` taking the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// Reads the store's version and refuses files that are not obby stores or are too new.
///
/// # Errors
/// [`StoreError::Foreign`], [`StoreError::TooNew`], SQLite errors.
pub fn check_version(conn: &Connection, path: &Path, creating: bool) -> Result<i64, StoreError> {
    let foreign = |reason: String| StoreError::Foreign { path: path.to_path_buf(), reason };
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.pragma_query_value(None, pragma, |row| row.get::<_, i64>(0)).map_err(|e| {
            if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase)) {
                foreign("the file is not a SQLite database".into())
            } else {
                StoreError::Sqlite { path: path.to_path_buf(), source: e }
            }
        })
    };
    let version = read("user_version")?;
    let app_id = read("application_id")?;
    if version == 0 {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|source| StoreError::Sqlite { path: path.to_path_buf(), source })?;
        if tables > 0 {
            return Err(foreign("it holds tables of another program".into()));
        }
        if !creating && app_id != 0 && app_id != APPLICATION_ID {
            return Err(foreign(format!("application id {app_id:#x} is not obby's")));
        }
        return Ok(0);
    }
    if app_id != APPLICATION_ID {
        return Err(foreign(format!("application id {app_id:#x} is not obby's")));
    }
    if version > CURRENT_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    Ok(version)
}

/// Applies the migrations after `from`, each in its own transaction.
///
/// # Errors
/// SQLite errors; the store stays at the last completed version.
pub fn migrate(conn: &mut Connection, path: &Path, from: i64) -> Result<(), StoreError> {
    let sq = |source| StoreError::Sqlite { path: path.to_path_buf(), source };
    let start = usize::try_from(from).unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(start) {
        let tx = conn.transaction().map_err(sq)?;
        tx.execute_batch(sql).map_err(sq)?;
        if i == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(sq)?;
            tx.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('created_at', ?1), ('created_by', ?2)",
                (crate::timeparse::now_ms().to_string(), concat!("obby ", env!("CARGO_PKG_VERSION"))),
            )
            .map_err(sq)?;
        }
        tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX))
            .map_err(sq)?;
        tx.commit().map_err(sq)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Column `i` of every row of `sql`, as text.
    fn column(conn: &Connection, sql: &str, i: usize) -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(i)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn newer_store_is_refused_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("x.db");
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1).unwrap();
        let err = check_version(&conn, &db, false).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found, .. } if found == CURRENT_VERSION + 1));
    }

    #[test]
    fn foreign_database_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("x.db");
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE t(x)").unwrap();
        assert!(matches!(check_version(&conn, &db, false), Err(StoreError::Foreign { .. })));
    }

    #[test]
    fn migrating_from_empty_reaches_current() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("x.db");
        let mut conn = Connection::open(&db).unwrap();
        let v = check_version(&conn, &db, true).unwrap();
        migrate(&mut conn, &db, v).unwrap();
        assert_eq!(check_version(&conn, &db, false).unwrap(), CURRENT_VERSION);
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn a_v1_store_keeps_its_rows_and_gains_the_time_index() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("x.db");
        let mut conn = Connection::open(&db).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO files(id, path) VALUES (1, 'a.txt');
             INSERT INTO batches(id, source, started_at) VALUES (1, 'track', 0);
             INSERT INTO versions(file_id, batch_id, change, recorded_at, lines_added)
             VALUES (1, 1, 'created', 5000, 3), (1, 1, 'modified', 9000, 1);",
        )
        .unwrap();
        assert_eq!(check_version(&conn, &db, false).unwrap(), 1);
        migrate(&mut conn, &db, 1).unwrap();
        assert_eq!(check_version(&conn, &db, false).unwrap(), CURRENT_VERSION);
        let column = |sql: &str, i: usize| column(&conn, sql, i);
        let indexes = column(
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'versions' AND type = 'index'",
            0,
        );
        assert!(indexes.contains(&"versions_time".to_owned()), "{indexes:?}");
        assert!(!indexes.contains(&"versions_recorded".to_owned()), "{indexes:?}");
        let plan = column(
            "EXPLAIN QUERY PLAN SELECT sum(lines_added) FROM versions WHERE recorded_at >= 6000",
            3,
        );
        assert!(plan[0].contains("COVERING INDEX versions_time"), "{plan:?}");
        // Newest first, ties by id, straight from the index (no sort of the whole table).
        let plan = column(
            "EXPLAIN QUERY PLAN SELECT id FROM versions ORDER BY recorded_at DESC, id DESC",
            3,
        );
        assert!(plan.iter().all(|step| !step.contains("TEMP B-TREE")), "{plan:?}");
        let added: i64 = conn
            .query_row("SELECT sum(lines_added) FROM versions WHERE recorded_at >= 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(added, 4);
    }

    #[test]
    fn a_v2_store_loses_the_state_hash_index_and_keeps_its_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("x.db");
        let mut conn = Connection::open(&db).unwrap();
        let v = check_version(&conn, &db, true).unwrap();
        migrate(&mut conn, &db, v).unwrap();
        // Back to v2 as it was: the index in place.
        conn.execute_batch(
            "CREATE INDEX file_state_hash ON file_state(hash);
             INSERT INTO files(id, path) VALUES (1, 'a.txt');
             INSERT INTO batches(id, source, started_at) VALUES (1, 'track', 0);
             INSERT INTO blobs(hash, size, is_text, codec, data) VALUES ('h', 1, 1, 0, x'61');
             INSERT INTO versions(id, file_id, batch_id, change, blob_hash, recorded_at)
             VALUES (1, 1, 1, 'created', 'h', 0);
             INSERT INTO file_state VALUES (1, 1, 0, 0, 0, 33188, 'h', 1);
             PRAGMA user_version = 2;",
        )
        .unwrap();
        assert_eq!(check_version(&conn, &db, false).unwrap(), 2);
        migrate(&mut conn, &db, 2).unwrap();
        assert_eq!(check_version(&conn, &db, false).unwrap(), CURRENT_VERSION);
        let indexes = column(
            &conn,
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'file_state' AND type = 'index'",
            0,
        );
        assert_eq!(indexes, ["file_state_last"]);
        let hash: String = conn
            .query_row("SELECT hash FROM file_state WHERE file_id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(hash, "h");
    }
}
