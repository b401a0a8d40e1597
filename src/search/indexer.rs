//! The incremental indexer.
//!
//! The index follows the working tree in scope. A manifest beside it (`obby-manifest`: one
//! `(path, size, mtime_ns, inode)` per indexed file, plus the highest store version id seen)
//! makes an update cheap: [`Indexer::update`] stats the tree and re-reads only files whose stat
//! changed; [`update_paths`] (what `watch --track` calls) looks at the given paths only; and
//! [`Indexer::sync_store`] asks the store which paths got new versions since the last update
//! and indexes their past versions for `--history`. Every write replaces a path's documents
//! (delete by key, then add), so repeating an update after a crash is harmless: the manifest is
//! written after the index commit, and a stale manifest only makes the next update re-read a
//! few files.

use std::collections::HashMap;
use std::io::Read as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use rusqlite::Connection;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::{FLAG_BINARY, FLAG_TRUNCATED, Fields, SearchIndex};
use super::{SearchError, history, lang};
use crate::paths::RelPath;
use crate::scope::Scope;

/// The manifest file name inside the index directory.
const MANIFEST: &str = "obby-manifest";
const MANIFEST_MAGIC: &[u8; 8] = b"obbyman1";
/// A tiny file holding the highest store version id followed, so a search can tell whether the
/// store moved on without reading the manifest.
const SYNCED: &str = "obby-synced";
/// Bytes read to tell text from binary.
const SNIFF: usize = 8000;
/// Past versions indexed per file (newest first).
const MAX_HISTORY_PER_FILE: usize = 200;

/// How to index.
#[derive(Clone, Copy, Debug)]
pub struct IndexOptions {
    /// Content indexed per file; the rest is noted as truncated.
    pub max_file_size: u64,
    /// Indexing threads.
    pub threads: usize,
    /// Content indexed between two commits of an update (a full build commits once).
    pub chunk_bytes: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self { max_file_size: 4 << 20, threads: 2, chunk_bytes: CHUNK_BYTES }
    }
}

/// What an update did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct UpdateStats {
    /// Files looked at.
    pub scanned: usize,
    /// Files (re)indexed.
    pub indexed: usize,
    /// Files removed from the index.
    pub removed: usize,
    /// Bytes of content indexed.
    pub bytes: u64,
    /// Past versions indexed for `--history`.
    pub history: usize,
    /// Files indexed by path only (binary).
    pub binary: usize,
    /// Files indexed up to the size limit only.
    pub truncated: usize,
    /// Files that could not be read: path and error.
    #[serde(skip)]
    pub errors: Vec<(RelPath, String)>,
}

/// The stat of an indexed file, as kept in the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns.
    pub mtime_ns: i64,
    /// Inode.
    pub ino: u64,
}

impl Stamp {
    fn of(md: &std::fs::Metadata) -> Self {
        Self {
            size: md.len(),
            mtime_ns: md.mtime().saturating_mul(1_000_000_000).saturating_add(md.mtime_nsec()),
            ino: md.ino(),
        }
    }
}

/// The manifest: what is indexed, and how far the store was followed.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Indexed files.
    pub files: HashMap<RelPath, Stamp>,
    /// Highest `versions.id` whose paths were looked at.
    pub store_version: i64,
}

impl Manifest {
    /// Reads the manifest; a missing or unreadable one is empty (everything is re-read).
    #[must_use]
    pub fn load(dir: &Path) -> Self {
        std::fs::read(dir.join(MANIFEST)).ok().and_then(|b| Self::decode(&b)).unwrap_or_default()
    }

    fn decode(b: &[u8]) -> Option<Self> {
        let rest = b.strip_prefix(MANIFEST_MAGIC)?;
        let mut r = rest;
        let mut take = |n: usize| -> Option<&[u8]> {
            let (a, b) = r.split_at_checked(n)?;
            r = b;
            Some(a)
        };
        let num = |s: &[u8]| -> Option<u64> { Some(u64::from_le_bytes(s.try_into().ok()?)) };
        let store_version = num(take(8)?)? as i64;
        let count = num(take(8)?)? as usize;
        let mut files = HashMap::with_capacity(count.min(1 << 20));
        for _ in 0..count {
            let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
            let path = RelPath::from_bytes(take(len)?.to_vec());
            let size = num(take(8)?)?;
            let mtime_ns = num(take(8)?)? as i64;
            let ino = num(take(8)?)?;
            files.insert(path, Stamp { size, mtime_ns, ino });
        }
        Some(Self { files, store_version })
    }

    fn save(&self, dir: &Path, complete: bool) -> Result<(), SearchError> {
        let mut out = Vec::with_capacity(32 + self.files.len() * 64);
        out.extend_from_slice(MANIFEST_MAGIC);
        out.extend_from_slice(&(self.store_version as u64).to_le_bytes());
        out.extend_from_slice(&(self.files.len() as u64).to_le_bytes());
        for (path, s) in &self.files {
            out.extend_from_slice(&(path.as_bytes().len() as u32).to_le_bytes());
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(&s.size.to_le_bytes());
            out.extend_from_slice(&(s.mtime_ns as u64).to_le_bytes());
            out.extend_from_slice(&s.ino.to_le_bytes());
        }
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        let io = |source| SearchError::Io { path: tmp.clone(), source };
        std::fs::write(&tmp, &out).map_err(io)?;
        std::fs::rename(&tmp, dir.join(MANIFEST)).map_err(io)?;
        if !complete {
            // An interrupted walk: the next run walks again (re-reading only what is missing).
            return match std::fs::remove_file(dir.join(SYNCED)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
                _ => Ok(()),
            };
        }
        std::fs::write(&tmp, self.store_version.to_string()).map_err(io)?;
        std::fs::rename(&tmp, dir.join(SYNCED)).map_err(io)
    }
}

/// True when the last walk of the index in `dir` completed (an interrupted build leaves a
/// partial index that the next run completes).
#[must_use]
pub fn is_complete(dir: &Path) -> bool {
    dir.join(SYNCED).is_file()
}

/// The highest store version id the index in `dir` has followed (0 when unknown).
#[must_use]
pub fn synced_store_version(dir: &Path) -> i64 {
    std::fs::read_to_string(dir.join(SYNCED)).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

/// The delete key of a path's working-tree document.
fn file_key(path: &RelPath) -> Vec<u8> {
    let mut k = b"f:".to_vec();
    k.extend_from_slice(path.as_bytes());
    k
}

/// The delete key of a path's past-version documents.
fn hist_key(path: &RelPath) -> Vec<u8> {
    let mut k = b"h:".to_vec();
    k.extend_from_slice(path.as_bytes());
    k
}

/// Content read for indexing.
struct Loaded {
    text: Option<String>,
    flags: u64,
    size: u64,
}

/// Reads at most `max` bytes of a file; binary files give no text.
fn load(path: &Path, size: u64, max: u64) -> std::io::Result<Loaded> {
    let file = std::fs::File::open(path)?;
    let mut buf = Vec::with_capacity(size.min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut buf)?;
    Ok(decode_content(buf, size, max))
}

fn decode_content(mut buf: Vec<u8>, size: u64, max: u64) -> Loaded {
    let head = &buf[..buf.len().min(SNIFF)];
    if head.contains(&0) {
        return Loaded { text: None, flags: FLAG_BINARY, size };
    }
    let mut flags = 0;
    if buf.len() as u64 > max || size > max {
        flags |= FLAG_TRUNCATED;
        buf.truncate(max as usize);
        // Cut at the last line end so no word is split.
        if let Some(nl) = buf.iter().rposition(|&b| b == b'\n') {
            buf.truncate(nl + 1);
        }
    }
    let text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Loaded { text: Some(text), flags, size }
}

/// Builds the document of one working-tree file or past version.
#[allow(clippy::too_many_arguments)]
fn make_doc(
    f: &Fields,
    key: &[u8],
    path: &RelPath,
    loaded: &Loaded,
    recency: i64,
    hist: Option<(i64, i64, &str)>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_bytes(f.key, key);
    doc.add_bytes(f.path, path.as_bytes());
    let path_str = String::from_utf8_lossy(path.as_bytes());
    doc.add_text(f.path_text, &path_str);
    doc.add_text(f.path_prefix, &path_str);
    if let Some(ext) = path.extension() {
        doc.add_text(f.ext, String::from_utf8_lossy(ext));
    }
    let head = loaded.text.as_deref().map_or(&b""[..], |t| &t.as_bytes()[..t.len().min(256)]);
    let language = lang::detect(&path_str, head);
    if let Some(l) = language {
        doc.add_text(f.lang, l);
    }
    if let Some(text) = &loaded.text {
        if let Some(l) = language {
            let (defs, imports) = lang::structure(l, &path_str, text, hist.is_none());
            if !defs.is_empty() {
                let names: Vec<&str> = defs.iter().map(|d| d.1.as_str()).collect();
                doc.add_text(f.defs, names.join(" "));
            }
            for key in imports {
                doc.add_text(f.imports, key);
            }
        }
        doc.add_text(f.content, text);
    }
    if hist.is_none() {
        for key in lang::module_keys(&path_str) {
            doc.add_text(f.modkeys, key);
        }
    }
    doc.add_text(f.kind, if hist.is_some() { "hist" } else { "file" });
    doc.add_i64(f.recency, recency);
    if let Some((version, at, hash)) = hist {
        doc.add_i64(f.version, version);
        doc.add_i64(f.recorded_at, at);
        doc.add_text(f.hash, hash);
    }
    doc.add_u64(f.size, loaded.size);
    doc.add_u64(f.flags, loaded.flags);
    doc
}

/// A writing session on the index: open it, update, then [`Indexer::commit`].
pub struct Indexer {
    index: SearchIndex,
    writer: IndexWriter,
    manifest: Manifest,
    opts: IndexOptions,
    root: std::path::PathBuf,
    /// Last change times from git and the store, filled by a full build only.
    recency: HashMap<RelPath, i64>,
    /// False after an interrupted walk.
    complete: bool,
    /// A full build: segments are merged once at the end instead of while indexing.
    fresh: bool,
    /// True once [`Indexer::sync_store`] may have added past versions in this session.
    history_added: bool,
}

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer").field("index", &self.index).finish_non_exhaustive()
    }
}

/// Content indexed between two commits of a large update (default of
/// [`IndexOptions::chunk_bytes`]).
const CHUNK_BYTES: u64 = 32 << 20;

/// Memory of the writer per indexing thread for an update: tantivy's minimum is 15 MB.
const BUDGET_PER_THREAD: usize = 20_000_000;

/// Memory of the writer per indexing thread for a full build: every flush of a thread's buffer
/// writes a segment (sorting its terms, building its term dictionary), so a larger buffer means
/// fewer, larger segments and less work per byte; 100 MB makes about one segment per 80 MB of
/// source.
const BUILD_BUDGET_PER_THREAD: usize = 100_000_000;

/// A full build that made more segments than this merges them into one at the end.
const MAX_BUILD_SEGMENTS: usize = 8;

impl Indexer {
    /// Opens the index in `dir` for writing (creating it, or recreating it when `rebuild` is
    /// set or it is of another schema version). Fails fast when another process is writing.
    ///
    /// # Errors
    /// [`SearchError::Locked`], [`SearchError::Corrupt`] (rebuild it), I/O errors.
    pub fn open(
        dir: &Path,
        root: &Path,
        opts: IndexOptions,
        rebuild: bool,
    ) -> Result<Self, SearchError> {
        let fresh = rebuild || !SearchIndex::exists(dir);
        let index = if fresh {
            // Take the writer lock of the old index first, so a rebuild never pulls the
            // directory from under another writer.
            if dir.join("meta.json").is_file()
                && let Ok(old) = tantivy::Index::open_in_dir(dir)
            {
                let w = old.writer_with_num_threads::<TantivyDocument>(1, 15_000_000);
                if let Err(e) = w {
                    return Err(SearchError::tantivy(dir, &e));
                }
            }
            SearchIndex::create(dir)?
        } else {
            SearchIndex::open(dir)?
        };
        let threads = opts.threads.clamp(1, 8);
        let threads = if fresh { threads } else { 1 };
        let budget = if fresh { BUILD_BUDGET_PER_THREAD } else { BUDGET_PER_THREAD };
        let writer = index
            .index
            .writer_with_num_threads(threads, budget * threads)
            .map_err(|e| SearchError::tantivy(dir, &e))?;
        if fresh {
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        let manifest = if fresh { Manifest::default() } else { Manifest::load(dir) };
        Ok(Self {
            index,
            writer,
            manifest,
            opts,
            root: root.to_path_buf(),
            recency: HashMap::new(),
            complete: true,
            fresh,
            history_added: false,
        })
    }

    /// True when the index was empty when opened (a first build or a rebuild).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.manifest.files.is_empty()
    }

    /// Loads last-change times from git and the store, used as the recency of files indexed
    /// afterwards (a full build: checkouts give every file the same mtime).
    pub fn load_recency(&mut self, store: Option<&Connection>) {
        self.recency = history::last_change_times(&self.root, store);
    }

    fn recency_of(&self, rel: &RelPath, stamp: Stamp) -> i64 {
        let mtime_ms = stamp.mtime_ns / 1_000_000;
        self.recency.get(rel).copied().unwrap_or(mtime_ms)
    }

    /// Indexes `entries` (path and its current metadata) whose stamp differs from the manifest.
    fn index_files(
        &mut self,
        entries: Vec<(RelPath, std::fs::Metadata)>,
        stats: &mut UpdateStats,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<(), SearchError> {
        let changed: Vec<(RelPath, Stamp)> = entries
            .into_iter()
            .filter_map(|(rel, md)| {
                let stamp = Stamp::of(&md);
                (self.manifest.files.get(&rel) != Some(&stamp)).then_some((rel, stamp))
            })
            .collect();
        // The writer queues up to 10,000 documents; committing every `chunk_bytes` of content
        // bounds the memory a large update holds in that queue. A full build commits once, at
        // the end: each commit flushes every thread's buffer into a small segment.
        let max = self.opts.max_file_size;
        let mut chunks: Vec<&[(RelPath, Stamp)]> = Vec::new();
        let (mut from, mut acc) = (0usize, 0u64);
        for (k, (_, stamp)) in changed.iter().enumerate() {
            acc += stamp.size.min(max);
            if acc >= self.opts.chunk_bytes {
                chunks.push(&changed[from..=k]);
                from = k + 1;
                acc = 0;
            }
        }
        chunks.push(&changed[from..]);
        let n_chunks = chunks.len();
        for (c, chunk) in chunks.into_iter().enumerate() {
            let (s, done) = self.index_chunk(chunk)?;
            stats.indexed += s.indexed;
            stats.bytes += s.bytes;
            stats.binary += s.binary;
            stats.truncated += s.truncated;
            stats.errors.extend(s.errors);
            self.manifest.files.extend(done);
            if interrupted() {
                self.complete = false;
                return Err(SearchError::Interrupted);
            }
            if c + 1 < n_chunks && !self.fresh {
                self.writer.commit().map_err(|e| SearchError::tantivy(&self.index.dir, &e))?;
            }
        }
        Ok(())
    }

    /// Reads and adds one chunk of files in parallel.
    fn index_chunk(
        &self,
        chunk: &[(RelPath, Stamp)],
    ) -> Result<(UpdateStats, Vec<(RelPath, Stamp)>), SearchError> {
        let fields = self.index.fields;
        let max = self.opts.max_file_size;
        let out: Mutex<(UpdateStats, Vec<(RelPath, Stamp)>)> = Mutex::default();
        let failed: Mutex<Option<SearchError>> = Mutex::new(None);
        chunk.par_iter().for_each(|(rel, stamp)| {
            let loaded = match load(&rel.to_path(&self.root), stamp.size, max) {
                Ok(l) => l,
                Err(e) => {
                    let mut o = out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    o.0.errors.push((rel.clone(), e.to_string()));
                    return;
                }
            };
            let key = file_key(rel);
            // A fresh index holds no document of a path this session has not added: no
            // delete (each one costs a term lookup in every segment the writer flushes).
            if !self.fresh || self.manifest.files.contains_key(rel) {
                self.writer.delete_term(Term::from_field_bytes(fields.key, &key));
            }
            let doc = make_doc(&fields, &key, rel, &loaded, self.recency_of(rel, *stamp), None);
            if let Err(e) = self.writer.add_document(doc) {
                *failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(SearchError::tantivy(&self.index.dir, &e));
                return;
            }
            let mut o = out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            o.0.indexed += 1;
            o.0.bytes += loaded.text.as_ref().map_or(0, |t| t.len() as u64);
            o.0.binary += usize::from(loaded.flags & FLAG_BINARY != 0);
            o.0.truncated += usize::from(loaded.flags & FLAG_TRUNCATED != 0);
            o.1.push((rel.clone(), *stamp));
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
            return Err(e);
        }
        Ok(out.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn remove(&mut self, rel: &RelPath) {
        if self.manifest.files.remove(rel).is_some() {
            self.writer.delete_term(Term::from_field_bytes(self.index.fields.key, &file_key(rel)));
        }
    }

    /// Walks the scope and brings the index up to date: new and changed files are (re)read,
    /// files gone from the tree or the scope are removed.
    ///
    /// # Errors
    /// tantivy errors; [`SearchError::Interrupted`].
    pub fn update(
        &mut self,
        scope: &Scope,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<UpdateStats, SearchError> {
        let found: Mutex<Vec<(RelPath, std::fs::Metadata)>> = Mutex::default();
        let errors: Mutex<Vec<(RelPath, String)>> = Mutex::default();
        scope.walk(&[], self.opts.threads.max(1), |entry| match entry {
            Ok(e) if e.file_type.is_file() => match std::fs::metadata(&e.path) {
                Ok(md) => found
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((e.rel, md)),
                Err(err) => errors
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((e.rel, err.to_string())),
            },
            Ok(_) => {}
            Err(err) => errors
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((RelPath::default(), err.to_string())),
        });
        let found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut stats = UpdateStats {
            scanned: found.len(),
            errors: errors.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner),
            ..UpdateStats::default()
        };
        let present: std::collections::HashSet<&RelPath> = found.iter().map(|(r, _)| r).collect();
        let gone: Vec<RelPath> =
            self.manifest.files.keys().filter(|p| !present.contains(p)).cloned().collect();
        for rel in &gone {
            self.remove(rel);
        }
        stats.removed = gone.len();
        self.index_files(found, &mut stats, interrupted)?;
        Ok(stats)
    }

    /// Brings the given paths up to date (a path that is gone or out of scope is removed).
    ///
    /// # Errors
    /// tantivy errors.
    pub fn update_paths(
        &mut self,
        scope: &Scope,
        paths: &[RelPath],
    ) -> Result<UpdateStats, SearchError> {
        let mut stats = UpdateStats { scanned: paths.len(), ..UpdateStats::default() };
        let mut entries = Vec::new();
        for rel in paths {
            let md = std::fs::metadata(rel.to_path(&self.root));
            match md {
                Ok(md) if md.is_file() && scope.contains(rel, false) => {
                    entries.push((rel.clone(), md));
                }
                _ => {
                    if self.manifest.files.contains_key(rel) {
                        stats.removed += 1;
                    }
                    self.remove(rel);
                }
            }
        }
        self.index_files(entries, &mut stats, &|| false)?;
        Ok(stats)
    }

    /// Follows the store: paths with versions newer than the last update are updated, and
    /// their past versions indexed for `--history`.
    ///
    /// # Errors
    /// Store and tantivy errors.
    pub fn sync_store(
        &mut self,
        conn: &Connection,
        scope: &Scope,
    ) -> Result<UpdateStats, SearchError> {
        let since = self.manifest.store_version;
        let (top, touched) = history::touched_since(conn, since)?;
        if touched.is_empty() {
            self.manifest.store_version = top.max(since);
            return Ok(UpdateStats::default());
        }
        let paths: Vec<RelPath> = touched.iter().map(|t| t.0.clone()).collect();
        let mut stats = self.update_paths(scope, &paths)?;
        let fields = self.index.fields;
        let max = self.opts.max_file_size;
        let had_history = !self.fresh || self.history_added;
        self.history_added = true;
        for (path, file_id) in &touched {
            let key = hist_key(path);
            if had_history {
                self.writer.delete_term(Term::from_field_bytes(fields.key, &key));
            }
            for past in history::past_versions(conn, *file_id, MAX_HISTORY_PER_FILE)? {
                let content = crate::store::blob_content(conn, &past.hash)?;
                let size = content.len() as u64;
                let loaded = decode_content(content, size, max);
                if loaded.text.is_none() {
                    continue;
                }
                let doc = make_doc(
                    &fields,
                    &key,
                    path,
                    &loaded,
                    past.recorded_at,
                    Some((past.id, past.recorded_at, &past.hash)),
                );
                self.writer
                    .add_document(doc)
                    .map_err(|e| SearchError::tantivy(&self.index.dir, &e))?;
                stats.history += 1;
            }
        }
        self.manifest.store_version = top;
        Ok(stats)
    }

    /// Commits the changes and writes the manifest; the indexer stays open for more batches
    /// (`watch --track` commits once per batch).
    ///
    /// # Errors
    /// tantivy and I/O errors.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        let dir = self.index.dir.clone();
        self.writer.commit().map_err(|e| SearchError::tantivy(&dir, &e))?;
        self.manifest.save(&dir, self.complete)
    }

    /// Ends a session that changed nothing: no index commit, only the manifest's sync state is
    /// saved (the store may have moved on without touching indexed content).
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish_unchanged(self) -> Result<(), SearchError> {
        self.manifest.save(&self.index.dir, self.complete)
    }

    /// Commits, waits for background segment merges and releases the writer lock.
    ///
    /// # Errors
    /// tantivy and I/O errors.
    pub fn finish(mut self) -> Result<(), SearchError> {
        self.commit()?;
        let dir = self.index.dir.clone();
        if self.fresh && self.complete {
            // A full build added segments without merging. With the build budget a tree of a
            // few hundred MB makes a handful of segments, which search as fast as one: merging
            // them would cost a third of the build. Only a tree that made many is merged.
            let ids = self
                .index
                .index
                .searchable_segment_ids()
                .map_err(|e| SearchError::tantivy(&dir, &e))?;
            if ids.len() > MAX_BUILD_SEGMENTS {
                self.writer.merge(&ids).wait().map_err(|e| SearchError::tantivy(&dir, &e))?;
            }
        }
        self.writer.wait_merging_threads().map_err(|e| SearchError::tantivy(&dir, &e))
    }
}

/// Updates `paths` in the index and commits: what `watch --track` calls after each batch, with
/// an [`Indexer`] it keeps open (`Indexer::open(&location.index_dir(), &location.root, opts,
/// false)`), then [`Indexer::finish`] when it stops.
///
/// # Errors
/// See [`Indexer::update_paths`] and [`Indexer::commit`].
pub fn update_paths(
    indexer: &mut Indexer,
    scope: &Scope,
    paths: &[RelPath],
) -> Result<UpdateStats, SearchError> {
    let stats = indexer.update_paths(scope, paths)?;
    indexer.commit()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_including_non_utf8_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let mut m = Manifest { store_version: 42, ..Manifest::default() };
        m.files.insert(
            RelPath::from_bytes(b"caf\xe9.txt".to_vec()),
            Stamp { size: 1, mtime_ns: -5, ino: 9 },
        );
        m.save(tmp.path(), true).unwrap();
        let back = Manifest::load(tmp.path());
        assert_eq!(back.store_version, 42);
        assert_eq!(back.files, m.files);
        std::fs::write(tmp.path().join(MANIFEST), b"garbage").unwrap();
        assert!(Manifest::load(tmp.path()).files.is_empty());
    }

    #[test]
    fn binary_and_huge_content_are_flagged() {
        let bin = decode_content(b"ab\0cd".to_vec(), 5, 100);
        assert!(bin.text.is_none() && bin.flags & FLAG_BINARY != 0);
        let big = decode_content(b"line one\nline two\nline three".to_vec(), 100, 20);
        assert_eq!(big.text.as_deref(), Some("line one\nline two\n"));
        assert!(big.flags & FLAG_TRUNCATED != 0);
    }
}
