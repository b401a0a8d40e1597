//! Reading history back: versions of a path and blob content (following delta chains).

use rusqlite::{Connection, OptionalExtension, Row};

use super::StoreError;
use super::blob::{self, Codec};
use crate::paths::RelPath;

/// One recorded version, as read back from the store.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionRow {
    /// Version id (monotonic).
    pub id: i64,
    /// The file's path.
    pub path: RelPath,
    /// created, modified, deleted or renamed.
    pub change: String,
    /// file or symlink.
    pub kind: String,
    /// Content hash; `None` for a deletion.
    pub hash: Option<String>,
    /// The previous path of a rename.
    pub old_path: Option<RelPath>,
    /// Content size in bytes.
    pub size: Option<i64>,
    /// Modification time of the file when recorded (ns since the epoch).
    pub mtime_ns: Option<i64>,
    /// When it was recorded (UTC ms since the epoch).
    pub recorded_at: i64,
    /// Lines added against the previous version.
    pub lines_added: i64,
    /// Lines removed against the previous version.
    pub lines_removed: i64,
    /// The batch (tracking run) that recorded it.
    pub batch_id: i64,
}

/// The column list [`VersionRow::from_row`] expects, for `SELECT {VERSION_COLUMNS} FROM versions v
/// JOIN files f ON f.id = v.file_id`.
pub const VERSION_COLUMNS: &str = "v.id, f.path, v.change, v.kind, v.blob_hash, v.old_path, v.size, \
     v.mtime_ns, v.recorded_at, v.lines_added, v.lines_removed, v.batch_id";

impl VersionRow {
    /// Reads a row selected with [`VERSION_COLUMNS`].
    ///
    /// # Errors
    /// SQLite type errors.
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            path: row.get(1)?,
            change: row.get(2)?,
            kind: row.get(3)?,
            hash: row.get(4)?,
            old_path: row.get(5)?,
            size: row.get(6)?,
            mtime_ns: row.get(7)?,
            recorded_at: row.get(8)?,
            lines_added: row.get(9)?,
            lines_removed: row.get(10)?,
            batch_id: row.get(11)?,
        })
    }
}

/// The id of a path in `files`, if it was ever recorded.
///
/// # Errors
/// SQLite errors.
pub fn file_id(conn: &Connection, path: &RelPath) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM files WHERE path = ?1")?
        .query_row([path], |r| r.get(0))
        .optional()
}

/// The versions of `path`, newest first, at most `limit` (all with `None`).
///
/// # Errors
/// SQLite errors.
pub fn versions_of(
    conn: &Connection,
    path: &RelPath,
    limit: Option<usize>,
) -> rusqlite::Result<Vec<VersionRow>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM versions v JOIN files f ON f.id = v.file_id \
         WHERE f.path = ?1 ORDER BY v.id DESC LIMIT ?2"
    );
    let limit = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![path, limit], VersionRow::from_row)?;
    rows.collect()
}

/// The newest version of `path`, if any.
///
/// # Errors
/// SQLite errors.
pub fn latest_version(conn: &Connection, path: &RelPath) -> rusqlite::Result<Option<VersionRow>> {
    Ok(versions_of(conn, path, Some(1))?.into_iter().next())
}

/// A version by id.
///
/// # Errors
/// SQLite errors.
pub fn version_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<VersionRow>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM versions v JOIN files f ON f.id = v.file_id WHERE v.id = ?1"
    );
    conn.prepare_cached(&sql)?.query_row([id], VersionRow::from_row).optional()
}

/// A blob row as stored: still encoded.
#[derive(Debug)]
pub struct StoredBlob {
    /// How `data` is encoded.
    pub codec: Codec,
    /// Size of the decoded content.
    pub size: usize,
    /// The delta base, for [`Codec::Delta`].
    pub base: Option<String>,
    /// The encoded bytes.
    pub data: Vec<u8>,
}

/// Reads one blob row without decoding it (callers that cache decoded bases use this).
///
/// # Errors
/// [`StoreError::Blob`] when the row is missing or its codec unknown.
pub fn stored_blob(conn: &Connection, hash: &str) -> Result<StoredBlob, StoreError> {
    let bad = |reason: &str| StoreError::Blob { hash: hash.to_owned(), reason: reason.to_owned() };
    let row = conn
        .prepare_cached("SELECT codec, size, base_hash, data FROM blobs WHERE hash = ?1")
        .and_then(|mut s| {
            s.query_row([hash], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .optional()
        })
        .map_err(|e| bad(&e.to_string()))?
        .ok_or_else(|| bad("missing from the store"))?;
    let codec = Codec::from_i64(row.0).ok_or_else(|| bad("unknown codec"))?;
    Ok(StoredBlob { codec, size: usize::try_from(row.1).unwrap_or(0), base: row.2, data: row.3 })
}

/// The content of the blob `hash`, decoding its delta chain.
///
/// # Errors
/// [`StoreError::Blob`] when the blob or a base is missing or does not decode.
pub fn blob_content(conn: &Connection, hash: &str) -> Result<Vec<u8>, StoreError> {
    let mut chain = vec![stored_blob(conn, hash)?];
    while let Some(base) = chain.last().and_then(|b| b.base.clone()) {
        if chain.len() > usize::try_from(blob::MAX_DELTA_DEPTH).unwrap_or(64) + 1 {
            return Err(StoreError::Blob {
                hash: hash.to_owned(),
                reason: "delta chain too long".into(),
            });
        }
        chain.push(stored_blob(conn, &base)?);
    }
    let mut content: Option<Vec<u8>> = None;
    for b in chain.iter().rev() {
        let decoded = blob::decode(b.codec, &b.data, b.size, content.as_deref())
            .map_err(|e| StoreError::Blob { hash: hash.to_owned(), reason: e.to_string() })?;
        content = Some(decoded);
    }
    content.ok_or_else(|| StoreError::Blob { hash: hash.to_owned(), reason: "empty chain".into() })
}
