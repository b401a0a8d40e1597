//! Writing imported changes into the store, the way `track` records them.
//!
//! Each change's content is hashed the obby way (SHA-256 after line-ending normalisation for
//! text) and checked against the hash the source claims; a disagreement is reported and the
//! real hash is used. Content is stored once per hash, as a delta against the file's previous
//! version where that is smaller. A version whose `origin` is in the store already is not added
//! again, so a re-run after an interruption (or a second import of the same source) completes
//! the history without duplicates. A dry run does the reading and checking and writes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rusqlite::params;

use super::stopgap::{content_hash, is_text, line_count, line_stats};
use super::{ChangeKind, Content, ImportError, Item, Note, Notice, Observer};
use crate::paths::RelPath;
use crate::store::blob::Base;
use crate::store::{Batch, NewVersion, Store};

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

struct Prev {
    hash: String,
    content: Option<Arc<Vec<u8>>>,
    depth: i64,
}

/// Where changes go: a writing batch, or (dry run) a read-only store to check origins against.
enum Sink<'s> {
    Write(Batch<'s>),
    DryRun(&'s Store),
}

impl Sink<'_> {
    fn has_origin(&self, table: &str, origin: &str) -> Result<bool, ImportError> {
        let store = match self {
            Self::Write(b) => b.store(),
            Self::DryRun(s) => s,
        };
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
    let mut report = ImportReport::default();
    let mut state: HashMap<RelPath, Prev> = HashMap::new();
    let mut files: HashSet<RelPath> = HashSet::new();
    for item in items {
        if obs.should_stop() {
            report.interrupted = true;
            break;
        }
        let c = match item? {
            Item::Change(c) => c,
            Item::Note(note) => {
                if sink.has_origin("notes", &note.origin)? {
                    report.summaries_already_imported += 1;
                } else {
                    report.summaries += 1;
                    if let Sink::Write(batch) = &mut sink {
                        write_note(batch, &note)?;
                    }
                }
                continue;
            }
        };
        let prev = match (&c.old_path, c.change) {
            (Some(old), ChangeKind::Renamed) => state.remove(old),
            _ => state.remove(&c.path),
        };
        let prev_content = prev.as_ref().and_then(|p| p.content.clone());
        let (hash, content, lines, text) = match &c.content {
            Content::Bytes(bytes) => {
                let text = is_text(bytes);
                let hash = content_hash(bytes, text);
                if let Some(claimed) =
                    c.claimed_hash.as_deref().filter(|h| !h.eq_ignore_ascii_case(&hash))
                {
                    report.hash_mismatches += 1;
                    obs.notice(Notice::HashMismatch {
                        path: c.path.clone(),
                        recorded: claimed.to_owned(),
                        actual: hash.clone(),
                    });
                }
                report.content_bytes += bytes.len() as u64;
                let stats = line_stats(prev_content.as_deref().map_or(&[][..], |v| v), bytes);
                (Some(hash), Some(Arc::new(bytes.clone())), stats, text)
            }
            Content::Missing => {
                report.null_content += 1;
                obs.notice(Notice::NullContent { path: c.path.clone(), row: c.origin.clone() });
                (c.claimed_hash.clone(), None, (0, 0), true)
            }
            Content::None => {
                let removed = prev_content.as_deref().map_or(0, |v| line_count(v));
                (None, None, (0, removed), true)
            }
        };
        let dry = matches!(sink, Sink::DryRun(_));
        let added = if dry {
            if let Some(h) = &hash {
                state.insert(c.path.clone(), Prev { hash: h.clone(), content, depth: 0 });
            }
            !sink.has_origin("versions", &c.origin)?
        } else if let Sink::Write(batch) = &mut sink {
            {
                let mut depth = 0;
                if let Some(h) = &hash {
                    if let Some(bytes) = &content {
                        let base = prev.as_ref().and_then(|p| {
                            p.content.as_deref().map(|pc| Base {
                                hash: &p.hash,
                                content: pc,
                                depth: p.depth,
                            })
                        });
                        let lines = text.then(|| line_count(bytes));
                        report.stored_bytes += batch.put_blob(h, bytes, text, lines, base)? as u64;
                        depth = batch.blob_depth(h)?.unwrap_or(0);
                    } else {
                        batch.put_absent_blob(h, 0, true)?;
                    }
                }
                let size = content.as_ref().map(|b| b.len() as u64);
                let v = NewVersion {
                    path: &c.path,
                    change: c.change.as_str(),
                    kind: &c.kind,
                    hash: hash.as_deref(),
                    old_path: c.old_path.as_ref(),
                    size,
                    mtime_ns: None,
                    recorded_at: c.recorded_at,
                    lines_added: lines.0,
                    lines_removed: lines.1,
                    origin: Some(&c.origin),
                };
                let added = batch.add_version(&v)?.is_some();
                if let Some(h) = &hash {
                    state.insert(
                        c.path.clone(),
                        Prev { hash: h.clone(), content: content.clone(), depth },
                    );
                }
                added
            }
        } else {
            false
        };
        obs.version(&c.path, c.change.as_str(), c.recorded_at, added);
        if added {
            report.versions += 1;
            files.insert(c.path);
        } else {
            report.already_imported += 1;
        }
        obs.progress(1);
    }
    report.files = files.len() as u64;
    if let Sink::Write(batch) = sink {
        batch.finish()?;
    }
    Ok(report)
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
