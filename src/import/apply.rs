//! Writing imported changes into the store, the way `track` records them.
//!
//! Each change's content is hashed the obby way ([`crate::hash`]: SHA-256 after line-ending
//! normalisation for text, which is also what is stored) and checked against the hash the source
//! claims; a disagreement is reported and the real hash is used. Content is stored once per
//! hash, as a delta against the file's previous version where that is smaller, with line
//! statistics from [`crate::diff`]. A rename is recorded as `track` records it: a `deleted`
//! version of the old path, then a `renamed` version of the new one.
//!
//! A version whose `origin` is in the store already is not added again, so a re-run after an
//! interruption (or a second import of the same source) completes the history without
//! duplicates. A dry run does the reading and checking and writes nothing.
//!
//! Changes are processed in chunks (`stage.rs`): a reader thread reads and hashes the
//! source, the pool (rayon) diffs and compresses, this thread chains and writes, in order. A
//! bulk import commits every `BULK_ROWS` rows with a larger page cache; an interrupted run
//! still commits everything written before it stopped. The delta depth used while compressing
//! in parallel is an upper bound (it assumes every earlier version of the chunk became a
//! delta); the depth stored is exact.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use rayon::prelude::*;
use rusqlite::{Connection, OpenFlags, params};

use super::stage::{self, Prepared, Prev, READ_AHEAD, Staged};
use super::{ChangeKind, Content, ImportError, Item, Note, Notice, Observer};
use crate::paths::RelPath;
use crate::store::blob::{self, Codec, Encoded};
use crate::store::{Batch, NewVersion, Store, StoreError};

/// Rows (blobs and versions) written per transaction.
const BULK_ROWS: usize = 1 << 16;

/// Page cache of the writing connection during an import, in KiB.
const BULK_CACHE_KIB: i64 = 64 * 1024;

/// How often [`checkpointer`] looks for committed WAL frames.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// Distinct files that received new versions.
    pub files: u64,
    /// Versions added.
    pub versions: u64,
    /// Versions that were in the store already (an earlier import of the same source).
    pub already_imported: u64,
    /// Notes (summaries) added.
    pub summaries: u64,
    /// Notes that were in the store already.
    pub summaries_already_imported: u64,
    /// Versions whose recorded hash disagreed with their content.
    pub hash_mismatches: u64,
    /// Versions without content (imported as hash only).
    pub null_content: u64,
    /// Bytes of content read.
    pub content_bytes: u64,
    /// Bytes written to the store for content (after compression and deltas).
    pub stored_bytes: u64,
    /// True when the run stopped early (Ctrl-C); what was done is committed.
    pub interrupted: bool,
}

/// Where changes go: a writing batch, or (dry run) a read-only store to check origins against.
enum Sink<'s> {
    Write(Batch<'s>),
    DryRun(&'s Store),
}

impl Sink<'_> {
    fn store(&self) -> &Store {
        match self {
            Self::Write(b) => b.store(),
            Self::DryRun(s) => s,
        }
    }

    fn has_origin(&self, table: &str, origin: &str) -> Result<bool, ImportError> {
        let store = self.store();
        let sql = format!("SELECT 1 FROM {table} WHERE origin = ?1");
        store
            .conn()
            .prepare_cached(&sql)
            .and_then(|mut s| s.exists([origin]))
            .map_err(|e| ImportError::Store(store.err(e)))
    }
}

/// Imports `items` (changes oldest first, and notes) into the store in one writing run named
/// `source` (`import:obby-db`, `import:jsonl`). With `dry_run` nothing is written.
///
/// # Errors
/// Errors reading the source or writing the store; committed work is kept.
pub fn apply<I>(
    store: &mut Store,
    source: &str,
    items: I,
    dry_run: bool,
    obs: &mut dyn Observer,
) -> Result<ImportReport, ImportError>
where
    I: IntoIterator<Item = Result<Item, ImportError>>,
    I::IntoIter: Send,
{
    let mut sink = if dry_run { Sink::DryRun(store) } else { Sink::Write(store.batch(source)?) };
    let checkpoints = match &mut sink {
        Sink::Write(batch) => Some(bulk(batch)?),
        Sink::DryRun(_) => None,
    };
    let mut run = Importer {
        report: ImportReport::default(),
        state: HashMap::new(),
        removed: HashMap::new(),
        files: HashSet::new(),
        depths: HashMap::new(),
        dry_run,
    };
    // Three stages overlap: a reader thread reads and hashes chunk N+1, the pool diffs and
    // compresses chunk N, and this thread writes chunk N-1 (writing SQLite is serial).
    let items = items.into_iter();
    let failed = std::thread::scope(|s| {
        let (tx, rx) = crossbeam_channel::bounded(READ_AHEAD);
        s.spawn(move || stage::read_ahead(items, &tx));
        let (stop, stopped) = crossbeam_channel::bounded::<()>(0);
        if let Some((db, _)) = &checkpoints {
            s.spawn(move || checkpointer(db, &stopped));
        }
        let result = run.pipeline(&mut sink, &rx, obs);
        drop(stop);
        // Returning drops `rx`, which stops the reader at its next chunk.
        result
    });
    if let (Sink::Write(batch), Some((_, pages))) = (&sink, &checkpoints) {
        let store = batch.store();
        let conn = store.conn();
        conn.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = {pages}; PRAGMA ignore_check_constraints = OFF"
        ))
        .map_err(|e| ImportError::Store(store.err(e)))?;
        conn.flush_prepared_statement_cache();
    }
    let failed = failed?;
    run.report.files = run.files.len() as u64;
    if let Sink::Write(batch) = sink {
        // Keep what was written, also when the source failed halfway.
        batch.finish()?;
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(run.report),
    }
}

/// A chunk whose changes are being compressed on the pool, with the notes that came with it.
struct InFlight {
    prepared: std::sync::mpsc::Receiver<Vec<Prepared>>,
    notes: Vec<Note>,
}

struct Importer {
    report: ImportReport,
    state: HashMap<RelPath, Prev>,
    removed: HashMap<RelPath, Prev>,
    files: HashSet<RelPath>,
    /// The last blob written for each path and its exact delta depth (`None`: it was stored
    /// before), so a delta on it needs no lookup.
    depths: HashMap<RelPath, (String, Option<i64>)>,
    dry_run: bool,
}

impl Importer {
    /// Runs the chunks from the reader through the pool into the store; returns the source's
    /// error, if it failed (what came before it is written).
    fn pipeline(
        &mut self,
        sink: &mut Sink<'_>,
        rx: &crossbeam_channel::Receiver<Staged>,
        obs: &mut dyn Observer,
    ) -> Result<Option<ImportError>, ImportError> {
        let mut in_flight: Option<InFlight> = None;
        let mut failed = None;
        loop {
            if obs.should_stop() {
                self.report.interrupted = true;
                break;
            }
            // A closed channel: the source ended.
            let Ok(staged) = rx.recv() else { break };
            failed = staged.error;
            let next = self.front(staged.changes, staged.notes);
            if let Some(previous) = in_flight.take() {
                self.back(sink, previous, obs)?;
            }
            in_flight = Some(next);
            if failed.is_some() {
                break;
            }
        }
        if let Some(last) = in_flight.take() {
            self.back(sink, last, obs)?;
        }
        Ok(failed)
    }

    /// Chains each change of a chunk to its file's previous content (in order), then hands
    /// the line statistics and compression to the pool.
    fn front(&mut self, mut prepared: Vec<Prepared>, notes: Vec<Note>) -> InFlight {
        // Chain each change to the previous content of its file, in order.
        for p in &mut prepared {
            let c = &p.change;
            let prev = match (&c.old_path, c.change) {
                (Some(old), ChangeKind::Renamed) => {
                    let live = self.state.remove(old);
                    p.delete_old = live.is_some();
                    // A source that lists the deletion itself (obby's own export) removed it.
                    live.or_else(|| self.removed.remove(old))
                }
                _ => self.state.remove(&c.path),
            };
            if let (ChangeKind::Deleted, Some(pr)) = (c.change, &prev) {
                self.removed.insert(c.path.clone(), pr.clone());
            }
            if let (Some(h), Some(content)) = (&p.hashed, &p.content) {
                let depth_bound = match &prev {
                    Some(pr) if pr.is_text && h.is_text && pr.content.is_some() => {
                        pr.depth_bound + 1
                    }
                    _ => 0,
                };
                let next = Prev {
                    hash: h.hash.clone(),
                    content: Some(Arc::clone(content)),
                    is_text: h.is_text,
                    lines: h.lines.unwrap_or(0),
                    depth_bound,
                };
                self.state.insert(c.path.clone(), next);
            } else if let (Content::Missing, Some(hash)) = (&c.content, &c.claimed_hash) {
                let next = Prev {
                    hash: hash.clone(),
                    content: None,
                    is_text: true,
                    lines: 0,
                    depth_bound: 0,
                };
                self.state.insert(c.path.clone(), next);
            }
            p.prev = prev;
        }
        // Line statistics and compression in parallel, off this thread.
        let dry = self.dry_run;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rayon::spawn(move || {
            prepared.par_iter_mut().for_each(|p| stage::prepare(p, dry));
            let _ = tx.send(prepared);
        });
        InFlight { prepared: rx, notes }
    }

    /// Writes a chunk once the pool is done with it.
    fn back(
        &mut self,
        sink: &mut Sink<'_>,
        chunk: InFlight,
        obs: &mut dyn Observer,
    ) -> Result<(), ImportError> {
        let InFlight { prepared, notes } = chunk;
        // The pool task sends before it ends; a closed channel means it panicked.
        let mut prepared = prepared.recv().map_err(|_| ImportError::Worker)?;
        for p in &mut prepared {
            self.write(sink, p, obs)?;
        }
        // Freeing a chunk's contents is the pool's job too, not the writer's.
        rayon::spawn(move || drop(prepared));
        for note in notes {
            if sink.has_origin("notes", &note.origin)? {
                self.report.summaries_already_imported += 1;
            } else {
                self.report.summaries += 1;
                if let Sink::Write(batch) = sink {
                    write_note(batch, &note)?;
                }
            }
        }
        Ok(())
    }

    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        p: &mut Prepared,
        obs: &mut dyn Observer,
    ) -> Result<(), ImportError> {
        let c = &p.change;
        if let Some(h) = &p.hashed {
            self.report.content_bytes += h.raw_size;
            if let Some(claimed) =
                c.claimed_hash.as_deref().filter(|x| !x.eq_ignore_ascii_case(&h.hash))
            {
                self.report.hash_mismatches += 1;
                obs.notice(Notice::HashMismatch {
                    path: c.path.clone(),
                    recorded: claimed.to_owned(),
                    actual: h.hash.clone(),
                });
            }
        }
        if matches!(c.content, Content::Missing) {
            self.report.null_content += 1;
            obs.notice(Notice::NullContent { path: c.path.clone(), row: c.origin.clone() });
        }
        let hash = p.hash().map(str::to_owned);
        let added = match sink {
            Sink::DryRun(_) => {
                let added = !sink.has_origin("versions", &c.origin)?;
                if added && p.delete_old {
                    self.report.versions += 1;
                }
                added
            }
            Sink::Write(batch) => {
                if let Some(h) = &hash {
                    let enc = p.enc.take();
                    self.report.stored_bytes += self.store_blob(batch, h, p, enc)? as u64;
                }
                if let (Some(old), true) = (&c.old_path, p.delete_old) {
                    // As `track` records a rename: the old path is deleted first.
                    let origin = format!("{}:from", c.origin);
                    let removed = p.prev.as_ref().map_or(0, |pr| pr.lines);
                    let gone = NewVersion {
                        path: old,
                        change: "deleted",
                        kind: &c.kind,
                        hash: None,
                        old_path: None,
                        size: None,
                        mtime_ns: None,
                        recorded_at: c.recorded_at,
                        lines_added: 0,
                        lines_removed: removed,
                        origin: Some(&origin),
                    };
                    if batch.add_version(&gone)?.is_some() {
                        self.report.versions += 1;
                    }
                }
                let v = NewVersion {
                    path: &c.path,
                    change: c.change.as_str(),
                    kind: &c.kind,
                    hash: hash.as_deref(),
                    old_path: c.old_path.as_ref(),
                    size: p.hashed.as_ref().map(|h| h.size),
                    mtime_ns: None,
                    recorded_at: c.recorded_at,
                    lines_added: p.stats.0,
                    lines_removed: p.stats.1,
                    origin: Some(&c.origin),
                };
                batch.add_version(&v)?.is_some()
            }
        };
        obs.version(&c.path, c.change.as_str(), c.recorded_at, added);
        if added {
            self.report.versions += 1;
            self.files.insert(c.path.clone());
        } else {
            self.report.already_imported += 1;
        }
        obs.progress(1);
        Ok(())
    }

    /// Stores the blob of a prepared change unless it is there; returns the bytes written.
    fn store_blob(
        &mut self,
        batch: &mut Batch<'_>,
        hash: &str,
        p: &Prepared,
        enc: Option<Encoded>,
    ) -> Result<usize, StoreError> {
        let c = &p.change;
        let Some(h) = &p.hashed else {
            self.depths.remove(&c.path);
            batch.put_absent_blob(hash, 0, true)?;
            return Ok(0);
        };
        let mut enc = match (enc, &p.content) {
            (Some(e), _) => e,
            (None, Some(content)) if !batch.has_blob(hash)? => blob::encode(content, None)
                .map_err(|e| StoreError::Blob { hash: hash.to_owned(), reason: e.to_string() })?,
            (None, _) => {
                self.depths.remove(&c.path);
                batch.put_absent_blob(hash, h.size, h.is_text)?;
                return Ok(0);
            }
        };
        if enc.codec == Codec::Delta {
            // The pool compressed against a bound; store the exact depth: the base is the
            // last blob of this path (or of the old path of a rename), known when this run
            // wrote it, else looked up.
            let base = enc.base_hash.as_deref().unwrap_or_default();
            let known = [c.old_path.as_ref(), Some(&c.path)]
                .into_iter()
                .flatten()
                .filter_map(|path| self.depths.get(path))
                .find(|(h, _)| h == base)
                .and_then(|(_, d)| *d);
            let base_depth = match known {
                Some(d) => d,
                None => batch.blob_depth(base)?.unwrap_or(0),
            };
            enc.depth = base_depth + 1;
        }
        let written = batch.put_encoded(hash, h.size, h.is_text, h.lines, &enc)?;
        // Nothing written: the blob was there already, with a depth of its own.
        let depth = (written > 0).then_some(enc.depth);
        self.depths.insert(c.path.clone(), (hash.to_owned(), depth));
        Ok(written)
    }
}

/// Settings of the writing connection for a bulk import: a transaction per [`BULK_ROWS`] rows
/// instead of the writer's default (the random-keyed indexes, `blobs(hash)`,
/// `versions(blob_hash)` and `versions(origin)`, dirty pages all over at every commit, and every
/// commit writes each dirty page to the WAL again), a page cache ([`BULK_CACHE_KIB`]) that
/// holds those indexes (memory stays bounded: past the cache, pages spill to the WAL), and no
/// checkpoints on the writer: [`checkpointer`] copies the WAL into the database beside it.
/// Returns the database file and the writer's `wal_autocheckpoint`, restored afterwards.
fn bulk(batch: &mut Batch<'_>) -> Result<(PathBuf, i64), ImportError> {
    batch.set_rows_per_commit(BULK_ROWS);
    let store = batch.store();
    let conn = store.conn();
    let sq = |e| ImportError::Store(store.err(e));
    conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB).map_err(sq)?;
    let pages: i64 =
        conn.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0)).map_err(sq)?;
    // The importer writes only the change kinds of its own enum: the `CHECK` on
    // `versions.change` (an `IN` list SQLite evaluates through a temporary table on every
    // insert) is skipped for the run and restored with the statements compiled without it.
    conn.execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA ignore_check_constraints = ON")
        .map_err(sq)?;
    Ok((store.location().db_path(), pages))
}

/// Copies committed WAL frames into the database every [`CHECKPOINT_EVERY`] on a connection of
/// its own until `stop` closes, so the writer does not (a `PASSIVE` checkpoint neither waits for
/// nor blocks the writer; a failed one leaves the frames to the next, or to the writer's own
/// checkpoint once restored).
fn checkpointer(db: &Path, stop: &crossbeam_channel::Receiver<()>) {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(db, flags) else { return };
    while stop.recv_timeout(CHECKPOINT_EVERY) == Err(RecvTimeoutError::Timeout) {
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

fn write_note(batch: &mut Batch<'_>, note: &Note) -> Result<(), ImportError> {
    let file_id = match &note.path {
        Some(p) => Some(batch.file_id(p)?),
        None => None,
    };
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    let store = batch.store();
    store
        .conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO notes(file_id, recorded_at, source, summary, body, topics, keywords, impact, origin) \
             VALUES (?1, ?2, 'import', ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                file_id,
                note.recorded_at,
                note.summary,
                note.body,
                json(&note.topics),
                json(&note.keywords),
                note.impact,
                note.origin
            ])
        })
        .map_err(|e| ImportError::Store(store.err(e)))?;
    Ok(())
}
