//! Reading the original Python obby's SQLite database (`.db/obby.db`).
//!
//! The database is opened with `SQLITE_OPEN_READ_ONLY` and is never changed; everything is read
//! in one read transaction, so an import sees one snapshot of it. The history lives in
//! two tables: `file_versions` holds one full snapshot per distinct (path, content) pair (a
//! UNIQUE constraint, so reverting a file to earlier content reuses the earlier row), and
//! `content_diffs` records each change in order (created, modified, deleted, moved) pointing at
//! the old and new snapshot. The order of events therefore comes from `content_diffs`; a
//! snapshot no diff accounts for at its own time (the first version of a file, in databases
//! that only diff modifications) becomes a creation or modification at its own time.
//!
//! `semantic_entries` (with `semantic_topics` and `semantic_keywords`) become notes. Other tables
//! of the original (`file_states`, `file_changes`, `events`, `config_values`, the FTS5 index
//! `semantic_search`, ...) are derived or configuration and are not imported; any table the
//! importer does not know is reported and skipped.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::tz::TimeZone;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::reroot::Rerooter;
use super::{
    Change, ChangeKind, Content, ImportError, Item, Note, Notice, Observer, origin_id, times,
};
use crate::paths::RelPath;

/// Tables of the original that hold no history to import, or that the importer reads.
const KNOWN_TABLES: &[&str] = &[
    "file_versions",
    "content_diffs",
    "file_states",
    "file_changes",
    "events",
    "semantic_entries",
    "semantic_topics",
    "semantic_keywords",
    "semantic_search",
    "config_values",
    "living_note_sessions",
    "living_note_entries",
    "watch_patterns",
    "migration_log",
    "sqlite_sequence",
    "sqlite_stat1",
    "sqlite_stat4",
];

/// An open original-obby database.
pub struct ObbyDb {
    conn: Connection,
    path: PathBuf,
    tables: Vec<String>,
    columns: HashMap<String, HashSet<String>>,
}

/// One change of the plan: what will be imported, without its content yet.
#[derive(Clone, Debug)]
pub struct Step {
    /// Identity of the source row.
    pub origin: String,
    /// Store path.
    pub path: RelPath,
    /// Previous path of a move.
    pub old_path: Option<RelPath>,
    /// What happened.
    pub change: ChangeKind,
    /// When (UTC ms).
    pub recorded_at: i64,
    /// The `file_versions` row holding the content.
    pub version_id: Option<i64>,
    /// The source's hash of that content.
    pub claimed_hash: Option<String>,
}

/// The ordered changes of a database.
#[derive(Debug)]
pub struct Plan {
    /// Changes, oldest first.
    pub steps: Vec<Step>,
    /// The old project root that was cut off.
    pub root: Rerooter,
    /// Source rows that add nothing (a modification to the same content).
    pub unchanged: u64,
}

struct VersionMeta {
    path: String,
    hash: String,
    time: Option<i64>,
}

struct Event {
    time: i64,
    rank: u8,
    id: i64,
    path: String,
    old_version: Option<i64>,
    version: Option<i64>,
    change: String,
    origin: String,
}

fn sqlite_err(path: &Path, e: rusqlite::Error) -> ImportError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            ImportError::Locked { path: path.to_path_buf() }
        }
        Some(rusqlite::ErrorCode::NotADatabase) => {
            ImportError::NotSqlite { path: path.to_path_buf() }
        }
        _ => ImportError::Sqlite { path: path.to_path_buf(), source: e },
    }
}

fn is_cant_open(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// A path written for a `file:` URI (`%`, `?` and `#` escaped).
fn url_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        match b {
            b'%' | b'?' | b'#' => out.push_str(&format!("%{b:02X}")),
            _ if b.is_ascii() => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// True when the file starts with SQLite's header.
///
/// # Errors
/// The file cannot be read.
pub fn is_sqlite(path: &Path) -> Result<bool, ImportError> {
    let io = |source| ImportError::Io { path: path.to_path_buf(), source };
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(io)?;
    let n = f.read(&mut head).map_err(io)?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

impl ObbyDb {
    /// Opens the database read-only, waiting up to `busy_timeout` for a writer, and checks it
    /// has the original's tables and columns.
    ///
    /// # Errors
    /// [`ImportError::NotSqlite`], [`ImportError::MissingTable`], [`ImportError::MissingColumn`],
    /// [`ImportError::Locked`], I/O and SQLite errors.
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Self, ImportError> {
        if !is_sqlite(path)? {
            return Err(ImportError::NotSqlite { path: path.to_path_buf() });
        }
        let (conn, tables) = match Self::connect(path, busy_timeout, false) {
            // A WAL database in a directory we may not write (no `-shm` can be made): read the
            // file as it is, which is safe because nothing else can be writing it there either.
            Err(e) if is_cant_open(&e) => Self::connect(path, busy_timeout, true),
            other => other,
        }
        .map_err(|e| sqlite_err(path, e))?;
        let mut db = Self { conn, path: path.to_path_buf(), tables, columns: HashMap::new() };
        for table in ["file_versions", "content_diffs"] {
            if !db.has_table(table) {
                return Err(ImportError::MissingTable { path: db.path, table: table.into() });
            }
        }
        for table in db.tables.clone() {
            let cols: HashSet<String> = db
                .conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{}')",
                    table.replace('\'', "''")
                ))
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(|e| sqlite_err(path, e))?;
            db.columns.insert(table, cols);
        }
        db.require("file_versions", &["id", "file_path", "content_hash", "content"])?;
        db.require("content_diffs", &["id", "file_path", "new_version_id", "change_type"])?;
        for table in ["file_versions", "content_diffs"] {
            if !db.has_column(table, "timestamp") && !db.has_column(table, "created_at") {
                return Err(ImportError::MissingColumn {
                    path: db.path,
                    table: table.into(),
                    column: "timestamp".into(),
                });
            }
        }
        Ok(db)
    }

    fn connect(
        path: &Path,
        busy_timeout: Duration,
        immutable: bool,
    ) -> rusqlite::Result<(Connection, Vec<String>)> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = if immutable {
            let mut uri = url_path(path);
            uri.insert_str(0, "file:");
            uri.push_str("?immutable=1");
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?
        } else {
            Connection::open_with_flags(path, flags)?
        };
        conn.busy_timeout(busy_timeout)?;
        // One read transaction for the whole import: every read sees the same snapshot, and
        // the lock is taken once rather than once per row.
        conn.execute_batch("BEGIN")?;
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())?;
        Ok((conn, tables))
    }

    fn has_table(&self, table: &str) -> bool {
        self.tables.iter().any(|t| t == table)
    }

    fn has_column(&self, table: &str, column: &str) -> bool {
        self.columns.get(table).is_some_and(|c| c.contains(column))
    }

    fn require(&self, table: &str, columns: &[&str]) -> Result<(), ImportError> {
        match columns.iter().find(|c| !self.has_column(table, c)) {
            Some(c) => Err(ImportError::MissingColumn {
                path: self.path.clone(),
                table: table.into(),
                column: (*c).into(),
            }),
            None => Ok(()),
        }
    }

    fn col_or_null(&self, table: &str, column: &str) -> String {
        if self.has_column(table, column) { column.to_owned() } else { "NULL".to_owned() }
    }

    fn err(&self, e: rusqlite::Error) -> ImportError {
        sqlite_err(&self.path, e)
    }

    /// Tables this importer does not know (reported and skipped).
    #[must_use]
    pub fn unknown_tables(&self) -> Vec<String> {
        self.tables
            .iter()
            .filter(|t| !KNOWN_TABLES.contains(&t.as_str()) && !t.starts_with("semantic_search_"))
            .cloned()
            .collect()
    }

    /// Every `file_path` of `semantic_entries`, for guessing the old root.
    fn semantic_paths(&self) -> Result<Vec<String>, ImportError> {
        if !self.has_column("semantic_entries", "file_path") {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT file_path FROM semantic_entries")
            .map_err(|e| self.err(e))?;
        let rows =
            stmt.query_map([], |r| r.get::<_, Option<String>>(0)).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(p) = r.map_err(|e| self.err(e))? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The time of a row: `timestamp` (local, in `tz`) or else `created_at` (UTC).
    fn row_time(ts: ValueRef<'_>, created: ValueRef<'_>, tz: &TimeZone) -> Option<i64> {
        times::parse_value(ts, tz).or_else(|| times::parse_value(created, &TimeZone::UTC))
    }

    /// Orders the history and maps every path into the store.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn plan(
        &self,
        from_root: Option<&str>,
        tz: &TimeZone,
        obs: &mut dyn Observer,
    ) -> Result<Plan, ImportError> {
        let versions = self.version_meta(tz)?;
        let mut untimed = Vec::new();
        let mut events = self.diff_events(tz, &mut untimed)?;
        let root = if let Some(r) = from_root {
            Rerooter::new(r)
        } else {
            // Every distinct path of the history, in byte order (what a `UNION` of the tables
            // gives), from the rows read anyway rather than a scan of its own.
            let semantic = self.semantic_paths()?;
            let mut paths: Vec<&str> = versions
                .values()
                .map(|v| v.path.as_str())
                .chain(events.iter().map(|e| e.path.as_str()))
                .chain(untimed.iter().chain(&semantic).map(String::as_str))
                .collect();
            paths.sort_unstable();
            paths.dedup();
            Rerooter::guess(paths, &self.path)
        };
        // Earliest time each snapshot is the target of a diff.
        let mut first_use: HashMap<i64, i64> = HashMap::new();
        for e in &events {
            if let Some(v) = e.version {
                first_use.entry(v).and_modify(|t| *t = (*t).min(e.time)).or_insert(e.time);
            }
        }
        for (id, v) in &versions {
            let Some(time) = v.time else {
                obs.notice(Notice::Skipped {
                    row: format!("file_versions {id}"),
                    reason: "no readable time".into(),
                });
                continue;
            };
            // A snapshot no diff introduced at (about) its own time was created without one.
            if first_use.get(id).is_none_or(|&t| t > time + 1000) {
                events.push(Event {
                    time,
                    rank: 0,
                    id: *id,
                    path: v.path.clone(),
                    old_version: None,
                    version: Some(*id),
                    change: "created".into(),
                    origin: origin_id(
                        "obby",
                        &[b"version", &id.to_le_bytes(), v.hash.as_bytes(), v.path.as_bytes()],
                    ),
                });
            }
        }
        // The keys are unique (ids are unique per rank), so an unstable sort orders the same.
        events.sort_unstable_by_key(|e| (e.time, e.rank, e.id));
        let mut plan = Plan { steps: Vec::with_capacity(events.len()), root, unchanged: 0 };
        let mut live: HashMap<RelPath, String> = HashMap::new();
        let mut outside: HashSet<String> = HashSet::new();
        for e in events {
            let (table, id) = (if e.rank == 0 { "file_versions" } else { "content_diffs" }, e.id);
            let skip = |obs: &mut dyn Observer, reason: &str| {
                let row = format!("{table} {id}");
                obs.notice(Notice::Skipped { row, reason: reason.to_owned() });
            };
            let path = match plan.root.reroot(&e.path) {
                Ok(p) => p,
                Err(o) => {
                    if outside.insert(e.path.clone()) {
                        obs.notice(Notice::Outside { path: e.path.clone(), root: o.root });
                    }
                    continue;
                }
            };
            let meta = |id: Option<i64>| id.and_then(|i| versions.get(&i));
            let mut step = Step {
                origin: e.origin,
                path,
                old_path: None,
                change: ChangeKind::Created,
                recorded_at: e.time,
                version_id: e.version,
                claimed_hash: None,
            };
            match e.change.as_str() {
                "deleted" => {
                    if live.remove(&step.path).is_none() {
                        skip(obs, "deletes a file that has no recorded version");
                        continue;
                    }
                    step.change = ChangeKind::Deleted;
                    step.version_id = None;
                }
                "created" | "modified" | "moved" => {
                    let old = meta(e.old_version)
                        .filter(|o| e.change == "moved" && o.path != e.path)
                        .and_then(|o| plan.root.reroot(&o.path).ok())
                        .filter(|o| live.contains_key(o));
                    if step.version_id.is_none() && old.is_some() {
                        step.version_id = e.old_version;
                    }
                    let Some(v) = meta(step.version_id) else {
                        skip(obs, "points at no file_versions row");
                        continue;
                    };
                    step.claimed_hash = Some(v.hash.clone());
                    if let Some(old) = old {
                        live.remove(&old);
                        step.old_path = Some(old);
                        step.change = ChangeKind::Renamed;
                    } else if live.get(&step.path) == Some(&v.hash) {
                        plan.unchanged += 1;
                        continue;
                    } else if live.contains_key(&step.path) {
                        step.change = ChangeKind::Modified;
                    }
                    live.insert(step.path.clone(), v.hash.clone());
                }
                other => {
                    skip(obs, &format!("unknown change type `{other}`"));
                    continue;
                }
            }
            plan.steps.push(step);
        }
        Ok(plan)
    }

    fn version_meta(&self, tz: &TimeZone) -> Result<HashMap<i64, VersionMeta>, ImportError> {
        let sql = format!(
            "SELECT id, file_path, content_hash, {}, {} FROM file_versions",
            self.col_or_null("file_versions", "timestamp"),
            self.col_or_null("file_versions", "created_at"),
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            let path: Option<String> = r.get(1).map_err(|e| self.err(e))?;
            let hash: Option<String> = r.get(2).map_err(|e| self.err(e))?;
            let time = Self::row_time(
                r.get_ref(3).map_err(|e| self.err(e))?,
                r.get_ref(4).map_err(|e| self.err(e))?,
                tz,
            );
            if let Some(path) = path {
                out.insert(id, VersionMeta { path, hash: hash.unwrap_or_default(), time });
            }
        }
        Ok(out)
    }

    /// The changes of `content_diffs`; the paths of rows without a readable time (not
    /// imported, but part of the history's paths) go to `untimed`.
    fn diff_events(
        &self,
        tz: &TimeZone,
        untimed: &mut Vec<String>,
    ) -> Result<Vec<Event>, ImportError> {
        let sql = format!(
            "SELECT id, file_path, {}, new_version_id, change_type, {}, {} FROM content_diffs",
            self.col_or_null("content_diffs", "old_version_id"),
            self.col_or_null("content_diffs", "timestamp"),
            self.col_or_null("content_diffs", "created_at"),
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            let Some(path) = r.get::<_, Option<String>>(1).map_err(|e| self.err(e))? else {
                continue;
            };
            let ts = r.get_ref(5).map_err(|e| self.err(e))?;
            let raw_ts: Vec<u8> = match ts {
                ValueRef::Text(t) => t.to_vec(),
                other => format!("{other:?}").into_bytes(),
            };
            let Some(time) = Self::row_time(ts, r.get_ref(6).map_err(|e| self.err(e))?, tz) else {
                untimed.push(path);
                continue;
            };
            out.push(Event {
                time,
                rank: 1,
                id,
                origin: origin_id("obby", &[b"diff", &id.to_le_bytes(), &raw_ts, path.as_bytes()]),
                path,
                old_version: r.get(2).map_err(|e| self.err(e))?,
                version: r.get(3).map_err(|e| self.err(e))?,
                change: r.get::<_, Option<String>>(4).map_err(|e| self.err(e))?.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// The change of a step, with its content read from `file_versions`.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn change(&self, step: Step) -> Result<Change, ImportError> {
        let content = match step.version_id {
            None => Content::None,
            Some(id) => self
                .conn
                .prepare_cached("SELECT content FROM file_versions WHERE id = ?1")
                .and_then(|mut s| {
                    s.query_row([id], |r| {
                        Ok(match r.get_ref(0)? {
                            ValueRef::Text(t) | ValueRef::Blob(t) => Content::Bytes(t.to_vec()),
                            _ => Content::Missing,
                        })
                    })
                    .optional()
                })
                .map_err(|e| self.err(e))?
                .unwrap_or(Content::Missing),
        };
        Ok(Change {
            origin: step.origin,
            path: step.path,
            old_path: step.old_path,
            change: step.change,
            recorded_at: step.recorded_at,
            content,
            claimed_hash: step.claimed_hash,
            kind: "file".into(),
        })
    }

    /// The items to import: every step's change, its content read in order, then the notes.
    /// The iterator owns the database, so it can be read on a thread of its own.
    pub fn into_items(
        self,
        steps: Vec<Step>,
        notes: Vec<Note>,
    ) -> impl Iterator<Item = Result<Item, ImportError>> + Send {
        steps
            .into_iter()
            .map(move |s| self.change(s).map(Item::Change))
            .chain(notes.into_iter().map(|n| Ok(Item::Note(n))))
    }

    /// The semantic summaries, with their topics and keywords, as notes.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn notes(&self, root: &Rerooter, tz: &TimeZone) -> Result<Vec<Note>, ImportError> {
        if !self.has_table("semantic_entries") {
            return Ok(Vec::new());
        }
        let topics = self.tags("semantic_topics", "topic")?;
        let keywords = self.tags("semantic_keywords", "keyword")?;
        let t = "semantic_entries";
        let sql = format!(
            "SELECT id, {}, {}, {}, {}, {}, {} FROM semantic_entries ORDER BY id",
            self.col_or_null(t, "file_path"),
            self.col_or_null(t, "timestamp"),
            self.col_or_null(t, "created_at"),
            self.col_or_null(t, "summary"),
            self.col_or_null(t, "searchable_text"),
            self.col_or_null(t, "impact"),
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = r.get(0).map_err(|e| self.err(e))?;
            let path: Option<String> = r.get(1).ok().flatten();
            let time = Self::row_time(
                r.get_ref(2).map_err(|e| self.err(e))?,
                r.get_ref(3).map_err(|e| self.err(e))?,
                tz,
            )
            .unwrap_or(0);
            let raw_ts = r.get::<_, Option<String>>(2).ok().flatten().unwrap_or_default();
            out.push(Note {
                origin: origin_id(
                    "obby",
                    &[
                        b"note",
                        &id.to_le_bytes(),
                        raw_ts.as_bytes(),
                        path.as_deref().unwrap_or("").as_bytes(),
                    ],
                ),
                path: path.as_deref().and_then(|p| root.reroot(p).ok()),
                recorded_at: time,
                summary: r.get(4).ok().flatten(),
                body: r.get(5).ok().flatten(),
                topics: topics.get(&id).cloned().unwrap_or_default(),
                keywords: keywords.get(&id).cloned().unwrap_or_default(),
                impact: r.get(6).ok().flatten(),
            });
        }
        Ok(out)
    }

    fn tags(&self, table: &str, column: &str) -> Result<HashMap<i64, Vec<String>>, ImportError> {
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        if !self.has_column(table, "entry_id") || !self.has_column(table, column) {
            return Ok(out);
        }
        let sql = format!("SELECT entry_id, {column} FROM {table} ORDER BY id");
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (id, tag) = row.map_err(|e| self.err(e))?;
            if let Some(tag) = tag {
                out.entry(id).or_default().push(tag);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immutable_reading_and_missing_tables() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("we ird%#?.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE file_versions(id);").unwrap();
        drop(conn);
        let (_, tables) = ObbyDb::connect(&path, Duration::from_secs(1), true).unwrap();
        assert_eq!(tables, ["file_versions"]);
        let err = ObbyDb::open(&path, Duration::from_secs(1)).err().unwrap();
        assert!(matches!(err, ImportError::MissingTable { table, .. } if table == "content_diffs"));
    }
}
