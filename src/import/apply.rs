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
//! Changes are processed in chunks: hashing, diffing and compressing run in parallel (rayon),
//! the writes in order. The delta depth used while compressing in parallel is an upper bound
//! (it assumes every earlier version of the chunk became a delta); the depth stored is exact.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::params;

use super::{Change, ChangeKind, Content, ImportError, Item, Note, Notice, Observer};
use crate::hash::{Hashed, hash_bytes};
use crate::paths::RelPath;
use crate::store::blob::{self, Base, Codec, Encoded};
use crate::store::{Batch, NewVersion, Store, StoreError};

/// Changes prepared together.
const CHUNK: usize = 1024;

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

/// The last content of a path, as the next version's delta base.
#[derive(Clone)]
struct Prev {
    hash: String,
    content: Option<Arc<Vec<u8>>>,
    is_text: bool,
    lines: u64,
    depth_bound: i64,
}

/// A change on its way into the store.
struct Prepared {
    change: Change,
    hashed: Option<Hashed>,
    content: Option<Arc<Vec<u8>>>,
    prev: Option<Prev>,
    stats: (u64, u64),
    enc: Option<Encoded>,
    /// A rename whose old path is still live: record its deletion first.
    delete_old: bool,
}

impl Prepared {
    fn hash(&self) -> Option<&str> {
        match (&self.hashed, &self.change.content) {
            (Some(h), _) => Some(&h.hash),
            (None, Content::Missing) => self.change.claimed_hash.as_deref(),
            _ => None,
        }
    }
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
{
    let mut sink = if dry_run { Sink::DryRun(store) } else { Sink::Write(store.batch(source)?) };
    let mut run = Importer {
        report: ImportReport::default(),
        state: HashMap::new(),
        removed: HashMap::new(),
        files: HashSet::new(),
        dry_run,
    };
    let mut items = items.into_iter();
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    let mut failed = None;
    // A pipeline of two chunks: while the pool compresses chunk N, this thread writes chunk N-1
    // and reads chunk N+1 from the source (reading and writing SQLite are serial; compression
    // is not).
    let mut in_flight: Option<InFlight> = None;
    loop {
        if obs.should_stop() {
            run.report.interrupted = true;
            break;
        }
        chunk.clear();
        for item in items.by_ref() {
            match item {
                Ok(i) => chunk.push(i),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let next = run.front(std::mem::take(&mut chunk));
        if let Some(previous) = in_flight.take() {
            run.back(&mut sink, previous, obs)?;
        }
        in_flight = Some(next);
        if failed.is_some() {
            break;
        }
    }
    if let Some(last) = in_flight.take() {
        run.back(&mut sink, last, obs)?;
    }
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
    dry_run: bool,
}

impl Importer {
    /// Hashes a chunk and chains each change to its file's previous content (in order), then
    /// hands the line statistics and compression to the pool.
    fn front(&mut self, items: Vec<Item>) -> InFlight {
        let mut notes = Vec::new();
        let mut prepared: Vec<Prepared> = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Item::Change(change) => prepared.push(Prepared {
                    change,
                    hashed: None,
                    content: None,
                    prev: None,
                    stats: (0, 0),
                    enc: None,
                    delete_old: false,
                }),
                Item::Note(n) => notes.push(n),
            }
        }
        // Hash (and normalise) in parallel.
        prepared.par_iter_mut().for_each(|p| {
            if let Content::Bytes(bytes) = &mut p.change.content {
                let bytes = std::mem::take(bytes);
                let mut hashed = hash_bytes(&bytes, usize::MAX);
                p.content = Some(Arc::new(hashed.content.take().unwrap_or(bytes)));
                p.hashed = Some(hashed);
            }
        });
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
            prepared.par_iter_mut().for_each(|p| prepare(p, dry));
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
        let prepared = prepared.recv().map_err(|_| ImportError::Worker)?;
        for p in prepared {
            self.write(sink, p, obs)?;
        }
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
        mut p: Prepared,
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
                    self.report.stored_bytes += store_blob(batch, h, &p, enc)? as u64;
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
}

/// Line statistics against the previous content, and (unless dry) the encoded content.
fn prepare(p: &mut Prepared, dry: bool) {
    let prev = p.prev.as_ref();
    let prev_text = prev.filter(|pr| pr.is_text).and_then(|pr| pr.content.as_deref());
    p.stats = match (&p.hashed, &p.content) {
        (Some(h), Some(new)) if h.is_text => match prev_text {
            Some(old) => crate::diff::line_stats(old, new),
            None => (h.lines.unwrap_or(0), prev.map_or(0, |pr| pr.lines)),
        },
        (None, None) if p.change.change == ChangeKind::Deleted => {
            (0, prev.map_or(0, |pr| pr.lines))
        }
        _ => (0, 0),
    };
    if dry {
        return;
    }
    if let (Some(h), Some(content)) = (&p.hashed, &p.content) {
        let base = prev.filter(|pr| h.is_text && pr.is_text).and_then(|pr| {
            pr.content.as_deref().map(|c| Base {
                hash: &pr.hash,
                content: c,
                depth: pr.depth_bound,
            })
        });
        p.enc = blob::encode(content, base).ok();
    }
}

/// Stores the blob of a prepared change unless it is there; returns the bytes written.
fn store_blob(
    batch: &mut Batch<'_>,
    hash: &str,
    p: &Prepared,
    enc: Option<Encoded>,
) -> Result<usize, StoreError> {
    let Some(h) = &p.hashed else {
        batch.put_absent_blob(hash, 0, true)?;
        return Ok(0);
    };
    if batch.has_blob(hash)? {
        return Ok(0);
    }
    let mut enc = match (enc, &p.content) {
        (Some(e), _) => e,
        (None, Some(content)) => blob::encode(content, None)
            .map_err(|e| StoreError::Blob { hash: hash.to_owned(), reason: e.to_string() })?,
        (None, None) => {
            batch.put_absent_blob(hash, h.size, h.is_text)?;
            return Ok(0);
        }
    };
    if enc.codec == Codec::Delta {
        // The bound used while compressing in parallel; store the exact depth.
        let base = enc.base_hash.as_deref().unwrap_or_default();
        enc.depth = batch.blob_depth(base)?.unwrap_or(0) + 1;
    }
    batch.put_encoded(hash, h.size, h.is_text, h.lines, &enc)
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
