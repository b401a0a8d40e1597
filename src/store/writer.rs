//! The batched writer: one transaction per few thousand rows, `BEGIN IMMEDIATE` so a second
//! writer waits on the busy timeout instead of failing halfway, blobs always written before the
//! versions that point at them (a crash at any point leaves no version without its content), and
//! committed batches kept when a run is interrupted.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::blob::{self, Base, Codec};
use super::{Store, StoreError};
use crate::paths::RelPath;

/// Rows written per transaction.
pub const DEFAULT_BATCH_ROWS: usize = 4000;

/// Stat data of a file, for the stat cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatInfo {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the epoch.
    pub mtime_ns: i64,
    /// Status change time, ns since the epoch.
    pub ctime_ns: i64,
    /// Inode number.
    pub ino: u64,
    /// Mode bits (file type and permissions).
    pub mode: u32,
}

impl StatInfo {
    /// Reads the stat data from file metadata.
    #[must_use]
    pub fn from_metadata(md: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            size: md.size(),
            mtime_ns: md.mtime().saturating_mul(1_000_000_000).saturating_add(md.mtime_nsec()),
            ctime_ns: md.ctime().saturating_mul(1_000_000_000).saturating_add(md.ctime_nsec()),
            ino: md.ino(),
            mode: md.mode(),
        }
    }
}

/// A version to record.
#[derive(Clone, Debug)]
pub struct NewVersion<'a> {
    /// The file's path.
    pub path: &'a RelPath,
    /// created, modified, deleted or renamed.
    pub change: &'a str,
    /// file or symlink.
    pub kind: &'a str,
    /// The content's hash (must already be in `blobs`); `None` for a deletion.
    pub hash: Option<&'a str>,
    /// The previous path, for a rename.
    pub old_path: Option<&'a RelPath>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Modification time, ns.
    pub mtime_ns: Option<i64>,
    /// When it happened (UTC ms).
    pub recorded_at: i64,
    /// Lines added against the previous version.
    pub lines_added: u64,
    /// Lines removed against the previous version.
    pub lines_removed: u64,
    /// Identity of an imported row; a second version with the same origin is not added.
    pub origin: Option<&'a str>,
}

/// A writing run over the store. Dropping it without [`Batch::finish`] rolls back only the
/// uncommitted rows.
pub struct Batch<'s> {
    store: &'s mut Store,
    id: i64,
    pending: usize,
    rows_per_commit: usize,
    in_tx: bool,
    file_ids: HashMap<RelPath, i64>,
}

impl<'s> Batch<'s> {
    pub(super) fn begin(store: &'s mut Store, source: &str) -> Result<Self, StoreError> {
        let mut batch = Self {
            store,
            id: 0,
            pending: 0,
            rows_per_commit: DEFAULT_BATCH_ROWS,
            in_tx: false,
            file_ids: HashMap::new(),
        };
        // A writing run dirties pages all over the indexes: a page cache of 16 MiB (default 2)
        // keeps a transaction from spilling mid-way, and checkpointing every 8 MiB of WAL
        // (default 1) copies a page rewritten by consecutive commits once, not once per commit.
        batch
            .store
            .conn()
            .execute_batch("PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192;")
            .map_err(|e| batch.store.err(e))?;
        batch.begin_tx()?;
        let conn = batch.store.conn();
        conn.execute(
            "INSERT INTO batches(source, started_at) VALUES (?1, ?2)",
            params![source, crate::timeparse::now_ms()],
        )
        .map_err(|e| batch.store.err(e))?;
        batch.id = batch.store.conn().last_insert_rowid();
        Ok(batch)
    }

    /// Sets the size of the connection's page cache for this run, in KiB (the batch starts
    /// with 16 MiB, for bulk writers such as an import; a tracking run trades some of it for a
    /// smaller footprint).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_page_cache_kib(&mut self, kib: u32) -> Result<(), StoreError> {
        let store = &mut *self.store;
        store.conn().pragma_update(None, "cache_size", -i64::from(kib)).map_err(|e| store.err(e))
    }

    /// Sets how many rows go into one transaction.
    pub fn set_rows_per_commit(&mut self, rows: usize) {
        self.rows_per_commit = rows.max(1);
    }

    /// This run's id in `batches`.
    #[must_use]
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The store being written.
    #[must_use]
    pub fn store(&self) -> &Store {
        self.store
    }

    fn begin_tx(&mut self) -> Result<(), StoreError> {
        self.store.conn().execute_batch("BEGIN IMMEDIATE").map_err(|e| self.store.err(e))?;
        self.in_tx = true;
        Ok(())
    }

    /// Commits what is pending and opens the next transaction.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if self.in_tx {
            self.store.conn().execute_batch("COMMIT").map_err(|e| self.store.err(e))?;
            self.in_tx = false;
        }
        self.pending = 0;
        self.begin_tx()
    }

    fn row_written(&mut self) -> Result<(), StoreError> {
        self.pending += 1;
        if self.pending >= self.rows_per_commit { self.commit() } else { Ok(()) }
    }

    /// The id of `path` in `files`, adding it when new.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn file_id(&mut self, path: &RelPath) -> Result<i64, StoreError> {
        if let Some(id) = self.file_ids.get(path) {
            return Ok(*id);
        }
        let conn = self.store.conn();
        let found = super::read::file_id(conn, path).map_err(|e| self.store.err(e))?;
        let id = if let Some(id) = found {
            id
        } else {
            conn.prepare_cached("INSERT INTO files(path) VALUES (?1)")
                .and_then(|mut s| s.execute([path]))
                .map_err(|e| self.store.err(e))?;
            conn.last_insert_rowid()
        };
        self.file_ids.insert(path.clone(), id);
        Ok(id)
    }

    /// True when the content `hash` is stored already.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn has_blob(&self, hash: &str) -> Result<bool, StoreError> {
        self.store
            .conn()
            .prepare_cached("SELECT 1 FROM blobs WHERE hash = ?1")
            .and_then(|mut s| s.exists([hash]))
            .map_err(|e| self.store.err(e))
    }

    /// The delta depth of a stored blob, for choosing a delta base.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn blob_depth(&self, hash: &str) -> Result<Option<i64>, StoreError> {
        self.store
            .conn()
            .prepare_cached("SELECT depth FROM blobs WHERE hash = ?1")
            .and_then(|mut s| s.query_row([hash], |r| r.get(0)).optional())
            .map_err(|e| self.store.err(e))
    }

    /// Stores content under its hash unless it is there already; `base` offers the file's
    /// previous content for a delta. Returns the number of bytes written (0 when it existed).
    ///
    /// # Errors
    /// SQLite or compression errors.
    pub fn put_blob(
        &mut self,
        hash: &str,
        content: &[u8],
        is_text: bool,
        lines: Option<u64>,
        base: Option<Base<'_>>,
    ) -> Result<usize, StoreError> {
        if self.has_blob(hash)? {
            return Ok(0);
        }
        let enc = blob::encode(content, if is_text { base } else { None })
            .map_err(|e| StoreError::Blob { hash: hash.to_owned(), reason: e.to_string() })?;
        self.insert_blob(hash, content.len() as u64, is_text, lines, &enc)?;
        Ok(enc.data.len())
    }

    /// Stores content encoded beforehand (by a worker thread) unless the hash is stored already.
    /// Returns the number of bytes written (0 when it existed).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn put_encoded(
        &mut self,
        hash: &str,
        size: u64,
        is_text: bool,
        lines: Option<u64>,
        enc: &blob::Encoded,
    ) -> Result<usize, StoreError> {
        // One statement instead of a lookup and an insert: the writer of a bulk import spends
        // a tenth of its time on the lookup otherwise.
        Ok(if self.insert_blob(hash, size, is_text, lines, enc)? { enc.data.len() } else { 0 })
    }

    /// Records a blob whose content is not kept (over the size limit): hash and size only.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn put_absent_blob(
        &mut self,
        hash: &str,
        size: u64,
        is_text: bool,
    ) -> Result<(), StoreError> {
        if self.has_blob(hash)? {
            return Ok(());
        }
        let enc =
            blob::Encoded { codec: Codec::Absent, data: Vec::new(), base_hash: None, depth: 0 };
        self.insert_blob(hash, size, is_text, None, &enc)?;
        Ok(())
    }

    fn insert_blob(
        &mut self,
        hash: &str,
        size: u64,
        is_text: bool,
        lines: Option<u64>,
        enc: &blob::Encoded,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .store
            .conn()
            .prepare_cached(
                "INSERT INTO blobs(hash, size, is_text, lines, codec, base_hash, depth, data) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(hash) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    hash,
                    i64::try_from(size).unwrap_or(i64::MAX),
                    is_text,
                    lines.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
                    enc.codec as i64,
                    enc.base_hash,
                    enc.depth,
                    enc.data
                ])
            })
            .map_err(|e| self.store.err(e))?;
        if inserted == 0 {
            return Ok(false);
        }
        self.row_written()?;
        Ok(true)
    }

    /// Records a version; returns its id, or `None` when its `origin` was recorded before.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn add_version(&mut self, v: &NewVersion<'_>) -> Result<Option<i64>, StoreError> {
        let file_id = self.file_id(v.path)?;
        let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let inserted = self
            .store
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO versions(file_id, batch_id, change, kind, blob_hash, old_path, size, \
                 mtime_ns, recorded_at, lines_added, lines_removed, origin) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    file_id,
                    self.id,
                    v.change,
                    v.kind,
                    v.hash,
                    v.old_path,
                    v.size.map(to_i64),
                    v.mtime_ns,
                    v.recorded_at,
                    to_i64(v.lines_added),
                    to_i64(v.lines_removed),
                    v.origin
                ])
            })
            .map_err(|e| self.store.err(e))?;
        if inserted == 0 {
            return Ok(None);
        }
        let id = self.store.conn().last_insert_rowid();
        self.row_written()?;
        Ok(Some(id))
    }

    /// Sets the stat cache entry of a live file.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_state(
        &mut self,
        path: &RelPath,
        stat: &StatInfo,
        hash: &str,
        version_id: i64,
    ) -> Result<(), StoreError> {
        let file_id = self.file_id(path)?;
        self.store
            .conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO file_state(file_id, size, mtime_ns, ctime_ns, ino, mode, hash, last_version_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    file_id,
                    i64::try_from(stat.size).unwrap_or(i64::MAX),
                    stat.mtime_ns,
                    stat.ctime_ns,
                    i64::try_from(stat.ino).unwrap_or(i64::MAX),
                    stat.mode,
                    hash,
                    version_id
                ])
            })
            .map_err(|e| self.store.err(e))?;
        self.row_written()
    }

    /// Refreshes only the stat data of a cache entry (content unchanged).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn touch_state(&mut self, path: &RelPath, stat: &StatInfo) -> Result<(), StoreError> {
        let file_id = self.file_id(path)?;
        self.store
            .conn()
            .prepare_cached("UPDATE file_state SET size = ?2, mtime_ns = ?3, ctime_ns = ?4, ino = ?5, mode = ?6 WHERE file_id = ?1")
            .and_then(|mut s| {
                s.execute(params![
                    file_id,
                    i64::try_from(stat.size).unwrap_or(i64::MAX),
                    stat.mtime_ns,
                    stat.ctime_ns,
                    i64::try_from(stat.ino).unwrap_or(i64::MAX),
                    stat.mode
                ])
            })
            .map_err(|e| self.store.err(e))?;
        self.row_written()
    }

    /// Removes the stat cache entry of a deleted file.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn remove_state(&mut self, path: &RelPath) -> Result<(), StoreError> {
        let file_id = self.file_id(path)?;
        self.store
            .conn()
            .prepare_cached("DELETE FROM file_state WHERE file_id = ?1")
            .and_then(|mut s| s.execute([file_id]))
            .map_err(|e| self.store.err(e))?;
        self.row_written()
    }

    /// Commits everything and marks the run finished.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn finish(mut self) -> Result<(), StoreError> {
        let conn = self.store.conn();
        conn.execute(
            "UPDATE batches SET finished_at = ?2 WHERE id = ?1",
            params![self.id, crate::timeparse::now_ms()],
        )
        .map_err(|e| self.store.err(e))?;
        conn.execute_batch("COMMIT").map_err(|e| self.store.err(e))?;
        self.in_tx = false;
        Ok(())
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.in_tx {
            let _ = self.store.conn().execute_batch("ROLLBACK");
        }
    }
}

/// The stat cache of every live file: path -> (stat, hash, last version id).
///
/// # Errors
/// SQLite errors.
pub fn load_state(store: &Store) -> Result<HashMap<RelPath, (StatInfo, String, i64)>, StoreError> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT f.path, s.size, s.mtime_ns, s.ctime_ns, s.ino, s.mode, s.hash, s.last_version_id \
             FROM file_state s JOIN files f ON f.id = s.file_id",
        )
        .map_err(|e| store.err(e))?;
    let rows = stmt
        .query_map([], |r| {
            let stat = StatInfo {
                size: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                mtime_ns: r.get(2)?,
                ctime_ns: r.get(3)?,
                ino: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                mode: r.get(5)?,
            };
            Ok((r.get::<_, RelPath>(0)?, (stat, r.get::<_, String>(6)?, r.get::<_, i64>(7)?)))
        })
        .map_err(|e| store.err(e))?;
    rows.collect::<Result<_, _>>().map_err(|e| store.err(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_point_at_stored_blobs_and_origin_is_unique() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::init(tmp.path()).unwrap();
        let path = RelPath::from_bytes(b"a.md".to_vec());
        let mut batch = store.batch("test").unwrap();
        batch.put_blob("h1", b"hello\n", true, Some(1), None).unwrap();
        let v = NewVersion {
            path: &path,
            change: "created",
            kind: "file",
            hash: Some("h1"),
            old_path: None,
            size: Some(6),
            mtime_ns: Some(1),
            recorded_at: 5,
            lines_added: 1,
            lines_removed: 0,
            origin: Some("import:1"),
        };
        assert!(batch.add_version(&v).unwrap().is_some());
        assert!(batch.add_version(&v).unwrap().is_none(), "same origin twice");
        batch.finish().unwrap();
        let latest = super::super::read::latest_version(store.conn(), &path).unwrap().unwrap();
        assert_eq!(latest.hash.as_deref(), Some("h1"));
        assert_eq!(super::super::read::blob_content(store.conn(), "h1").unwrap(), b"hello\n");
    }

    #[test]
    fn an_encoded_blob_is_stored_once() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::init(tmp.path()).unwrap();
        let mut batch = store.batch("test").unwrap();
        let enc = blob::encode(b"first content\n", None).unwrap();
        assert_eq!(batch.put_encoded("h1", 14, true, Some(1), &enc).unwrap(), enc.data.len());
        let other = blob::encode(b"other content\n", None).unwrap();
        assert_eq!(batch.put_encoded("h1", 14, true, Some(1), &other).unwrap(), 0, "stored");
        batch.finish().unwrap();
        let content = super::super::read::blob_content(store.conn(), "h1").unwrap();
        assert_eq!(content, b"first content\n", "the first one is kept");
    }

    #[test]
    fn dropped_batch_keeps_committed_rows_only() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::init(tmp.path()).unwrap();
        {
            let mut batch = store.batch("test").unwrap();
            batch.put_blob("kept", b"a", true, Some(1), None).unwrap();
            batch.commit().unwrap();
            batch.put_blob("lost", b"b", true, Some(1), None).unwrap();
        }
        let count: i64 =
            store.conn().query_row("SELECT count(*) FROM blobs", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 1);
    }
}
