//! Phase three of a run: write the results in path order on the one writer thread while the
//! pool hashes the next windows; pair deletions with new paths of the same content (renames);
//! commit at file boundaries every `batch_rows` rows.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rusqlite::OptionalExtension as _;

use super::scan::{Cache, Candidate, Plan};
use super::sketch::Sketch;
use super::work::{self, Changed, Outcome};
use super::{ChangeKind, ChangeRecord, TrackError, TrackOptions, TrackSink, TrackSummary};
use crate::paths::RelPath;
use crate::scope::Scope;
use crate::store::blob::{self, Base, Codec, Encoded};
use crate::store::{Batch, NewVersion, StatInfo, Store, StoreError};

/// File-type bits of a symlink in `st_mode`.
const S_IFLNK: u32 = 0o120_000;
const S_IFMT: u32 = 0o170_000;

/// How many earlier files of one name are considered as a delta base (git's pack window is 10).
const NAME_WINDOW: usize = 8;
/// Smaller text is not tried against files of its name: the store's dictionary already
/// compresses it well, and the tries cost the writer more than they save (20k registry files:
/// trying all sizes saved 0.1 MB more and cost about 0.3 s of a 4.4 s first track).
const NAME_MIN_SIZE: u64 = 2048;
/// How many earlier sketched files of one extension are compared with a new one.
const SIMILAR_WINDOW: usize = 64;
/// The least sketch similarity (in `sketch::K`ths, 16) worth trying a delta for. On 20k registry
/// files: 10 saved 2.2 MB for 0.17 s more CPU, 8 saved 2.4 MB for 0.3 s, 6 saved 2.6 MB for 0.4 s.
const SIMILAR_MIN: usize = 8;

/// A stat that never matches a real one: the entry is hashed again next time (racy clean).
fn smudged(stat: StatInfo, racy: bool) -> StatInfo {
    if racy { StatInfo { ctime_ns: -1, ..stat } } else { stat }
}

fn kind_of(mode: u32) -> &'static str {
    if mode & S_IFMT == S_IFLNK { "symlink" } else { "file" }
}

struct Writer<'s, 'c> {
    batch: Batch<'s>,
    cache: &'c Cache,
    rows: usize,
    batch_rows: usize,
    /// Deleted paths by their last content hash, for rename pairing.
    gone: HashMap<&'c str, VecDeque<RelPath>>,
    renamed_from: HashSet<RelPath>,
    /// Content written in this run by family key (see [`family_key`]), for cross-file deltas.
    families: HashMap<Vec<u8>, String>,
    /// Text written in this run by file name: the last [`NAME_WINDOW`] (hash, size) pairs of
    /// each name, for deltas between files of one name in different directories.
    names: HashMap<Vec<u8>, VecDeque<(String, u64)>>,
    /// Sketched text written in this run by extension: the last [`SIMILAR_WINDOW`] of each.
    similar: HashMap<Vec<u8>, VecDeque<(String, Sketch)>>,
    /// The store's zstd dictionary (hash, bytes), to decode what workers compressed with it.
    dict_bytes: Option<(String, Vec<u8>)>,
    now: i64,
}

/// What the store knows about a blob.
struct BlobInfo {
    is_text: bool,
    depth: i64,
    lines: Option<u64>,
}

impl Writer<'_, '_> {
    fn blob_info(&self, hash: &str) -> Result<Option<BlobInfo>, StoreError> {
        let store = self.batch.store();
        store
            .conn()
            .prepare_cached("SELECT is_text, depth, lines FROM blobs WHERE hash = ?1")
            .and_then(|mut s| {
                s.query_row([hash], |r| {
                    Ok(BlobInfo {
                        is_text: r.get(0)?,
                        depth: r.get(1)?,
                        lines: r.get::<_, Option<i64>>(2)?.map(|l| u64::try_from(l).unwrap_or(0)),
                    })
                })
                .optional()
            })
            .map_err(|e| store.err(e))
    }

    fn maybe_commit(&mut self) -> Result<(), StoreError> {
        if self.rows >= self.batch_rows {
            self.batch.commit()?;
            self.rows = 0;
        }
        Ok(())
    }

    fn write(
        &mut self,
        c: &Candidate,
        outcome: Outcome,
        sink: &mut dyn TrackSink,
        summary: &mut TrackSummary,
    ) -> Result<(), TrackError> {
        match outcome {
            Outcome::Error { path, message } => {
                summary.errors += 1;
                sink.item_error(&path, &message)?;
            }
            Outcome::Same { stat, racy, read } => {
                summary.hashed += 1;
                summary.bytes_hashed += read;
                self.batch.touch_state(&c.rel, &smudged(stat, racy))?;
                self.rows += 1;
            }
            Outcome::Changed(changed) => {
                summary.hashed += 1;
                summary.bytes_hashed += changed.hashed.raw_size;
                let record = self.write_changed(c, *changed)?;
                summary.count(record.change);
                sink.change(&record)?;
            }
        }
        self.maybe_commit()?;
        Ok(())
    }

    fn write_changed(&mut self, c: &Candidate, ch: Changed) -> Result<ChangeRecord, TrackError> {
        let Changed { hashed, stat, racy, encoded, sketch } = ch;
        let hash = hashed.hash.as_str();
        let mut change = ChangeKind::Created;
        let mut old_path = None;
        let (mut added, mut removed) = (hashed.lines.unwrap_or(0), 0);
        if let Some(prev) = self.cache.get(&c.rel) {
            change = ChangeKind::Modified;
            let (a, r) = self.store_modified(&prev.hash, &hashed)?;
            (added, removed) = (a, r);
        } else if let Some(from) = self.gone.get_mut(hash).and_then(VecDeque::pop_front) {
            change = ChangeKind::Renamed;
            (added, removed) = (0, 0);
            let old_kind = self.cache.get(&from).map_or("file", |e| kind_of(e.stat.mode));
            self.add(&from, ChangeKind::Deleted, old_kind, None, None, None, (0, 0))?;
            self.batch.remove_state(&from)?;
            self.renamed_from.insert(from.clone());
            old_path = Some(from);
        } else if let Some(enc) = encoded {
            let enc = self.family_delta(&c.rel, hash, &hashed, enc, sketch)?;
            self.batch.put_encoded(hash, hashed.size, hashed.is_text, hashed.lines, &enc)?;
        } else if !self.batch.has_blob(hash)? {
            self.batch.put_absent_blob(hash, hashed.size, hashed.is_text)?;
        }
        let id = self.add(
            &c.rel,
            change,
            c.kind.as_str(),
            Some(hash),
            old_path.as_ref(),
            Some((hashed.size, stat.mtime_ns)),
            (added, removed),
        )?;
        self.batch.set_state(&c.rel, &smudged(stat, racy), hash, id)?;
        self.rows += 3;
        Ok(ChangeRecord {
            path: c.rel.clone(),
            change,
            old_path,
            version_id: id,
            hash: Some(hashed.hash),
            size: Some(hashed.size),
            lines_added: added,
            lines_removed: removed,
        })
    }

    /// New text is stored as a delta against similar content written earlier in this run when
    /// that is clearly smaller, as git's packs do for similar files. The base is, in this order:
    /// the text of the same extension whose line sketch is most alike (see [`Sketch`]); the same
    /// path up to version suffixes (`serde-1.0.1/src/de.rs` for `serde-1.0.2/src/de.rs`); the
    /// file of the same name (`Cargo.toml`, `mod.rs`, `README.md`) closest in size among the last
    /// few written, within a factor of two. One delta is tried, at the writer's zstd level
    /// ([`blob::LEVEL`]): this runs on the one writer thread.
    fn family_delta(
        &mut self,
        rel: &RelPath,
        hash: &str,
        hashed: &crate::hash::Hashed,
        enc: Encoded,
        sketch: Option<Sketch>,
    ) -> Result<Encoded, TrackError> {
        if !hashed.is_text || enc.codec == Codec::Raw {
            return Ok(enc);
        }
        let key = family_key(rel.as_bytes());
        let family = if key.as_slice() == rel.as_bytes() {
            None
        } else {
            self.families.insert(key, hash.to_owned()).filter(|b| b != hash)
        };
        let same_name = if family.is_none() && hashed.size >= NAME_MIN_SIZE {
            self.same_name_base(rel, hash, hashed.size)
        } else {
            None
        };
        let similar = sketch.and_then(|s| self.similar_base(rel, hash, s));
        let base_hash = similar.or(family).or(same_name);
        let Some(base_hash) = base_hash else { return Ok(enc) };
        let Some(info) = self.blob_info(&base_hash)? else { return Ok(enc) };
        let conn = self.batch.store().conn();
        let Ok(base) = crate::store::blob_content(conn, &base_hash) else { return Ok(enc) };
        let size = usize::try_from(hashed.size).unwrap_or(usize::MAX);
        let dict = self
            .dict_bytes
            .as_ref()
            .filter(|(h, _)| enc.base_hash.as_deref() == Some(h.as_str()))
            .map(|(_, bytes)| bytes.as_slice());
        let Ok(content) = blob::decode(enc.codec, &enc.data, size, dict) else { return Ok(enc) };
        let b = Base { hash: &base_hash, content: &base, depth: info.depth };
        match blob::delta_only(&content, b, blob::LEVEL) {
            Ok(Some(delta)) if delta.data.len() + delta.data.len() / 8 < enc.data.len() => {
                Ok(delta)
            }
            _ => Ok(enc),
        }
    }

    /// The text of `rel`'s file name written last in this run closest in size to `size` (within
    /// a factor of two); remembers this one for the next files of that name.
    fn same_name_base(&mut self, rel: &RelPath, hash: &str, size: u64) -> Option<String> {
        let seen = self.names.entry(rel.file_name().to_vec()).or_default();
        let best = seen
            .iter()
            .filter(|(h, s)| {
                h != hash && *s <= size.saturating_mul(2) && size <= s.saturating_mul(2)
            })
            .min_by_key(|(_, s)| s.abs_diff(size))
            .map(|(h, _)| h.clone());
        remember(seen, (hash.to_owned(), size), NAME_WINDOW);
        best
    }

    /// The text among the last [`SIMILAR_WINDOW`] of `rel`'s extension whose lines are most like
    /// this one's, if at least [`SIMILAR_MIN`] of `sketch::K` alike; remembers this one.
    fn similar_base(&mut self, rel: &RelPath, hash: &str, sketch: Sketch) -> Option<String> {
        let ext = rel.extension().unwrap_or_default();
        let seen = self.similar.entry(ext.to_vec()).or_default();
        let best = seen
            .iter()
            .filter(|(h, _)| h != hash)
            .map(|(h, s)| (s.similarity(&sketch), h))
            .filter(|(score, _)| *score >= SIMILAR_MIN)
            .max_by_key(|(score, _)| *score)
            .map(|(_, h)| h.clone());
        remember(seen, (hash.to_owned(), sketch), SIMILAR_WINDOW);
        best
    }

    /// Stores the new content of a known path, as a delta against its previous version where
    /// that pays; returns the line stats against it.
    fn store_modified(
        &mut self,
        prev_hash: &str,
        hashed: &crate::hash::Hashed,
    ) -> Result<(u64, u64), TrackError> {
        let hash = hashed.hash.as_str();
        let prev = self.blob_info(prev_hash)?;
        let old = match &prev {
            Some(info) if info.is_text && hashed.is_text => {
                crate::store::blob_content(self.batch.store().conn(), prev_hash).ok()
            }
            _ => None,
        };
        let stats = match (&old, &hashed.content) {
            (Some(old), Some(new)) => crate::diff::line_stats(old, new),
            _ if hashed.is_text => {
                (hashed.lines.unwrap_or(0), prev.as_ref().and_then(|p| p.lines).unwrap_or(0))
            }
            _ => (0, 0),
        };
        if self.batch.has_blob(hash)? {
            return Ok(stats);
        }
        match &hashed.content {
            Some(content) => {
                let base = old.as_deref().zip(prev.as_ref()).map(|(content, info)| Base {
                    hash: prev_hash,
                    content,
                    depth: info.depth,
                });
                let enc = crate::store::blob::encode(content, base).map_err(|e| {
                    StoreError::Blob { hash: hash.to_owned(), reason: e.to_string() }
                })?;
                self.batch.put_encoded(hash, hashed.size, hashed.is_text, hashed.lines, &enc)?;
            }
            None => self.batch.put_absent_blob(hash, hashed.size, hashed.is_text)?,
        }
        Ok(stats)
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        path: &RelPath,
        change: ChangeKind,
        kind: &str,
        hash: Option<&str>,
        old_path: Option<&RelPath>,
        size_mtime: Option<(u64, i64)>,
        (added, removed): (u64, u64),
    ) -> Result<i64, StoreError> {
        let v = NewVersion {
            path,
            change: change.as_str(),
            kind,
            hash,
            old_path,
            size: size_mtime.map(|s| s.0),
            mtime_ns: size_mtime.map(|s| s.1),
            recorded_at: self.now,
            lines_added: added,
            lines_removed: removed,
            origin: None,
        };
        self.rows += 1;
        // Without an origin the insert always happens.
        Ok(self.batch.add_version(&v)?.unwrap_or_default())
    }

    fn write_deleted(
        &mut self,
        rel: &RelPath,
        sink: &mut dyn TrackSink,
        summary: &mut TrackSummary,
    ) -> Result<(), TrackError> {
        let Some(entry) = self.cache.get(rel) else { return Ok(()) };
        let removed = self.blob_info(&entry.hash)?.and_then(|b| b.lines).unwrap_or(0);
        let kind = kind_of(entry.stat.mode);
        let id = self.add(rel, ChangeKind::Deleted, kind, None, None, None, (0, removed))?;
        self.batch.remove_state(rel)?;
        self.rows += 1;
        summary.count(ChangeKind::Deleted);
        sink.change(&ChangeRecord {
            path: rel.clone(),
            change: ChangeKind::Deleted,
            old_path: None,
            version_id: id,
            hash: None,
            size: None,
            lines_added: 0,
            lines_removed: removed,
        })?;
        self.maybe_commit()?;
        Ok(())
    }
}

/// Appends `item` to a window of the last `cap` items, dropping the oldest when full.
fn remember<T>(window: &mut VecDeque<T>, item: T, cap: usize) {
    if window.len() == cap {
        window.pop_front();
    }
    window.push_back(item);
}

/// A path with version suffixes cut from its directory names (`serde-1.0.219/src/de.rs` ->
/// `serde/src/de.rs`): paths of one family hold versions of the same file.
#[must_use]
pub fn family_key(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    for (i, comp) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        if i + 1 == parts.len() {
            out.extend_from_slice(comp);
            break;
        }
        let cut =
            comp.windows(2).position(|w| w[0] == b'-' && w[1].is_ascii_digit()).filter(|&at| {
                comp[..at].iter().any(u8::is_ascii_alphabetic)
                    && comp[at + 1..].iter().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_')
                    })
                    && comp[at + 1..].contains(&b'.')
            });
        out.extend_from_slice(&comp[..cut.unwrap_or(comp.len())]);
    }
    out
}

/// Hashes the plan's candidates on the pool and writes everything.
///
/// # Errors
/// Store errors, the sink failing, [`TrackError::Interrupted`] (after committing what was
/// written).
#[allow(clippy::too_many_arguments)]
pub fn write_plan(
    store: &mut Store,
    _scope: &Scope,
    cache: &Cache,
    plan: Plan,
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
    summary: &mut TrackSummary,
) -> Result<(), TrackError> {
    let Plan { candidates, deleted, dropped } = plan;
    if candidates.is_empty() && deleted.is_empty() && dropped.is_empty() {
        return Ok(());
    }
    let gone = cache.deleted_by_hash(&deleted);
    let rename_hashes: HashSet<&str> = gone.keys().copied().collect();
    let pool = work::hash_pool(opts)?;
    let mut batch = store.batch("track")?;
    batch.set_rows_per_commit(usize::MAX);
    // 4 MiB: a first track of 20,000 files peaked at 49 MB instead of 61 with the bulk writers'
    // 16 MiB, for no measurable loss of speed.
    batch.set_page_cache_kib(4096)?;
    let mut w = Writer {
        batch,
        cache,
        rows: 0,
        batch_rows: opts.batch_rows.max(1),
        gone,
        renamed_from: HashSet::new(),
        families: HashMap::new(),
        names: HashMap::new(),
        similar: HashMap::new(),
        dict_bytes: None,
        now: crate::timeparse::now_ms(),
    };
    let dict = super::dict::prepare(&mut w.batch, &candidates, cache, work::NEW_CONTENT_LEVEL)?;
    if let Some(d) = &dict {
        w.dict_bytes = crate::store::blob_content(w.batch.store().conn(), &d.hash)
            .ok()
            .map(|bytes| (d.hash.clone(), bytes));
    }
    let dict = dict.as_ref();
    let total = candidates.len() as u64;
    let windows = work::windows(&candidates);
    let result = std::thread::scope(|s| -> Result<(), TrackError> {
        let (tx, rx) = crossbeam_channel::bounded::<(std::ops::Range<usize>, Vec<Outcome>)>(1);
        let (candidates, rename_hashes, pool) = (&candidates, &rename_hashes, &pool);
        s.spawn(move || {
            for range in windows {
                if interrupted.load(Ordering::Relaxed) {
                    break;
                }
                let out: Vec<Outcome> = pool.install(|| {
                    candidates[range.clone()]
                        .par_iter()
                        .map_init(
                            || work::Compressors::new(dict),
                            |comp, c| work::process(c, cache, rename_hashes, opts, comp),
                        )
                        .collect()
                });
                if tx.send((range, out)).is_err() {
                    break;
                }
            }
        });
        let mut done = 0u64;
        for (range, outcomes) in rx {
            for (c, outcome) in candidates[range].iter().zip(outcomes) {
                w.write(c, outcome, sink, summary)?;
                done += 1;
            }
            sink.progress(done, total);
            if interrupted.load(Ordering::Relaxed) {
                return Err(TrackError::Interrupted);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        if matches!(e, TrackError::Interrupted) {
            // Keep what was written: every file's rows are complete.
            w.batch.finish()?;
        }
        return Err(e);
    }
    if interrupted.load(Ordering::Relaxed) {
        w.batch.finish()?;
        return Err(TrackError::Interrupted);
    }
    for rel in &deleted {
        if !w.renamed_from.contains(rel) {
            w.write_deleted(rel, sink, summary)?;
        }
    }
    for rel in &dropped {
        w.batch.remove_state(rel)?;
    }
    w.batch.finish()?;
    Ok(())
}
