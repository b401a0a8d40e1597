//! The store side of `obby watch`: the event log (`events` table) that gives every recorded event
//! a monotonic sequence number, the `--since` replay of that log, and the reconcile scan that
//! finds what changed on disk while nobody watched (against the stat cache `track` keeps).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::params;

use crate::paths::RelPath;
use crate::scope::Scope;
use crate::store::{Store, StoreError, writer};
use crate::watch::{Event, EventKind};

/// Where `--since` starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// After this sequence number.
    Seq(i64),
    /// At or after this time (UTC ms).
    Time(i64),
}

impl Cursor {
    /// Reads `SEQ` (digits) or a time.
    ///
    /// # Errors
    /// Neither a number nor a time.
    pub fn parse(text: &str) -> Result<Self, crate::timeparse::TimeError> {
        if let Ok(n) = text.trim().parse::<i64>() {
            return Ok(Self::Seq(n));
        }
        let t = crate::timeparse::parse_time(text, jiff::Timestamp::now())?;
        Ok(Self::Time(t.as_millisecond()))
    }
}

fn rel(root: &Path, path: &Path) -> RelPath {
    RelPath::from_path(root, path).unwrap_or_else(|_| RelPath::from_bytes(Vec::new()))
}

/// Appends events to the log in one transaction; returns their sequence numbers.
///
/// # Errors
/// SQLite errors.
pub fn append(store: &mut Store, events: &[Event]) -> Result<Vec<i64>, StoreError> {
    let root = store.root().to_path_buf();
    let conn = store.conn_mut();
    let sq = |source| StoreError::Sqlite { path: root.join(".obby"), source };
    let tx = conn.transaction().map_err(sq)?;
    let mut seqs = Vec::with_capacity(events.len());
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO events(time_ms, kind, path, old_path, is_dir) VALUES (?1,?2,?3,?4,?5)",
            )
            .map_err(sq)?;
        for e in events {
            let old = e.old_path.as_deref().map(|p| rel(&root, p));
            stmt.execute(params![e.time_ms, e.kind.as_str(), rel(&root, &e.path), old, e.is_dir])
                .map_err(sq)?;
            seqs.push(tx.last_insert_rowid());
        }
    }
    tx.commit().map_err(sq)?;
    Ok(seqs)
}

/// The logged events after `cursor` under `roots`, oldest first.
///
/// # Errors
/// SQLite errors.
pub fn replay(
    store: &Store,
    cursor: Cursor,
    roots: &[PathBuf],
) -> Result<Vec<(Event, i64)>, StoreError> {
    let root = store.root().to_path_buf();
    let (sql, bound) = match cursor {
        Cursor::Seq(n) => ("WHERE seq > ?1", n),
        Cursor::Time(t) => ("WHERE time_ms >= ?1", t),
    };
    let mut stmt = store
        .conn()
        .prepare(&format!(
            "SELECT seq, time_ms, kind, path, old_path, is_dir FROM events {sql} ORDER BY seq"
        ))
        .map_err(|e| store.err(e))?;
    let rows = stmt
        .query_map([bound], |r| {
            let kind: String = r.get(2)?;
            let path: RelPath = r.get(3)?;
            let old: Option<RelPath> = r.get(4)?;
            Ok((
                Event {
                    kind: EventKind::parse(&kind).unwrap_or(EventKind::Rescan),
                    path: path.to_path(&root),
                    old_path: old.map(|o| o.to_path(&root)),
                    is_dir: r.get(5)?,
                    time_ms: r.get(1)?,
                },
                r.get::<_, i64>(0)?,
            ))
        })
        .map_err(|e| store.err(e))?;
    let mut out = Vec::new();
    for row in rows {
        let (event, seq) = row.map_err(|e| store.err(e))?;
        if roots.iter().any(|r| event.path.starts_with(r) || r.starts_with(&event.path)) {
            out.push((event, seq));
        }
    }
    Ok(out)
}

/// What differs between the files on disk under `roots` and the store's stat cache: files
/// new, changed (size, mtime or inode) or gone since they were last recorded.
///
/// # Errors
/// SQLite errors.
pub fn reconcile(
    store: &Store,
    scope: &Scope,
    roots: &[PathBuf],
) -> Result<Vec<Event>, StoreError> {
    let root = store.root().to_path_buf();
    let mut state = writer::load_state(store)?;
    let starts: Vec<RelPath> = roots.iter().map(|r| rel(&root, r)).collect();
    let found = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    scope.walk(&starts, threads, |entry| {
        if let Ok(entry) = entry
            && let Ok(md) = std::fs::symlink_metadata(&entry.path)
        {
            let stat = writer::StatInfo::from_metadata(&md);
            found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((entry.rel, stat));
        }
    });
    let now = crate::timeparse::now_ms();
    let event = |kind, rel: &RelPath| Event {
        kind,
        path: rel.to_path(&root),
        old_path: None,
        is_dir: false,
        time_ms: now,
    };
    let mut found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (rel, stat) in found {
        match state.remove(&rel) {
            None => out.push(event(EventKind::Created, &rel)),
            Some((old, _, _))
                if old.size != stat.size
                    || old.mtime_ns != stat.mtime_ns
                    || old.ino != stat.ino =>
            {
                out.push(event(EventKind::Modified, &rel));
            }
            Some(_) => {}
        }
    }
    let mut gone: Vec<RelPath> = state
        .into_keys()
        .filter(|p| {
            let abs = p.to_path(&root);
            roots.iter().any(|r| abs.starts_with(r)) && std::fs::symlink_metadata(&abs).is_err()
        })
        .collect();
    gone.sort();
    out.extend(gone.iter().map(|p| event(EventKind::Deleted, p)));
    Ok(out)
}
