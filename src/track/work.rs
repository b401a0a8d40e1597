//! Phase two of a run: read and hash the candidates on a bounded pool, in windows of files (so
//! at most a few windows of content are in memory), and compress new content there too, so the
//! single writer thread only talks to SQLite.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use super::scan::{Cache, Candidate, EntryKind};
use super::{RACY_WINDOW_NS, TrackOptions};
use crate::hash::{self, HashError, Hashed};
use crate::store::StatInfo;
use crate::store::blob::{Codec, Encoded};

/// zstd level for new content, compressed on the worker threads (level 6 stores source code
/// about 7% smaller than level 3 and still runs at over 100 MB/s per core).
pub const NEW_CONTENT_LEVEL: i32 = 6;

/// New files at least this large are compressed while they are read, never whole in memory.
pub const STREAM_MIN: u64 = 1 << 20;

/// Files per window at most.
pub const WINDOW_FILES: usize = 256;
/// Bytes (by stat size) per window at most; a single larger file is a window of its own.
pub const WINDOW_BYTES: u64 = 2 << 20;

/// What reading one candidate gave.
#[derive(Debug)]
pub enum Outcome {
    /// The content is that of the live version; only the stat changed.
    Same {
        /// The new stat.
        stat: StatInfo,
        /// Modified too recently to trust the stat next time.
        racy: bool,
        /// Bytes read.
        read: u64,
    },
    /// New content.
    Changed(Box<Changed>),
    /// The file could not be read.
    Error {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// New content of one candidate.
#[derive(Debug)]
pub struct Changed {
    /// Its identity; `content` is kept only for paths that had a live version (the writer diffs
    /// and deltas it against that).
    pub hashed: Hashed,
    /// The stat of what was read.
    pub stat: StatInfo,
    /// Modified too recently to trust the stat next time.
    pub racy: bool,
    /// Compressed content of a new path (none for a rename or content over the size limit).
    pub encoded: Option<Encoded>,
    /// The line sketch of new text that may pay as a delta against a similar file.
    pub sketch: Option<super::sketch::Sketch>,
}

/// New text in this size range gets a [`super::sketch::Sketch`]: smaller files are compressed
/// well by the store's dictionary alone, larger ones are rare and costly to delta.
pub const SKETCH_SIZES: std::ops::RangeInclusive<usize> = 2048..=(1 << 20);

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Reads, hashes and (for new paths) compresses one candidate.
#[must_use]
pub fn process(
    c: &Candidate,
    cache: &Cache,
    rename_hashes: &HashSet<&str, impl std::hash::BuildHasher>,
    opts: &TrackOptions,
    comp: &mut Compressors<'_>,
) -> Outcome {
    process_with(c, cache, rename_hashes, opts, Some(comp))
}

/// zstd contexts reused across the files a worker compresses (creating one per file would
/// allocate and free megabytes each time).
pub struct Compressors<'d> {
    plain: Option<zstd::bulk::Compressor<'static>>,
    dict: Option<(zstd::bulk::Compressor<'d>, &'d str)>,
}

impl<'d> Compressors<'d> {
    /// Contexts at [`NEW_CONTENT_LEVEL`], one using the store's dictionary when there is one.
    #[must_use]
    pub fn new(dict: Option<&'d super::dict::Dictionary>) -> Self {
        Self {
            plain: zstd::bulk::Compressor::new(NEW_CONTENT_LEVEL).ok(),
            dict: dict.and_then(|d| {
                zstd::bulk::Compressor::with_prepared_dictionary(&d.prepared)
                    .ok()
                    .map(|c| (c, d.hash.as_str()))
            }),
        }
    }

    /// Encodes new content: with the dictionary for text of moderate size, else alone.
    ///
    /// # Errors
    /// zstd errors.
    pub fn encode(&mut self, content: &[u8], is_text: bool) -> std::io::Result<Encoded> {
        if content.len() < 48 {
            return Ok(Encoded {
                codec: Codec::Raw,
                data: content.to_vec(),
                base_hash: None,
                depth: 0,
            });
        }
        if is_text
            && content.len() as u64 <= super::dict::MAX_FILE
            && let Some((c, hash)) = &mut self.dict
        {
            let data = c.compress(content)?;
            return Ok(Encoded {
                codec: Codec::Delta,
                data,
                base_hash: Some((*hash).to_owned()),
                depth: 1,
            });
        }
        let data = match &mut self.plain {
            Some(c) => c.compress(content)?,
            None => zstd::bulk::compress(content, NEW_CONTENT_LEVEL)?,
        };
        if data.len() >= content.len() {
            return Ok(Encoded {
                codec: Codec::Raw,
                data: content.to_vec(),
                base_hash: None,
                depth: 0,
            });
        }
        Ok(Encoded { codec: Codec::Zstd, data, base_hash: None, depth: 0 })
    }
}

/// Reads and hashes one candidate; without compressors nothing is kept or compressed (a
/// preview).
#[must_use]
pub fn process_with(
    c: &Candidate,
    cache: &Cache,
    rename_hashes: &HashSet<&str, impl std::hash::BuildHasher>,
    opts: &TrackOptions,
    comp: Option<&mut Compressors<'_>>,
) -> Outcome {
    let keep = comp.is_some();
    let started = now_ns();
    let cached = cache.get(&c.rel);
    // A large new file goes through a streaming compressor as it is read.
    if c.kind == EntryKind::File
        && cached.is_none()
        && keep
        && (STREAM_MIN..=opts.max_blob_size).contains(&c.stat.size)
    {
        return process_streaming(c, rename_hashes, started);
    }
    let (hashed, stat) = match c.kind {
        EntryKind::Symlink => match std::fs::read_link(&c.path) {
            Ok(target) => {
                use std::os::unix::ffi::OsStrExt;
                (hash::hash_bytes(target.as_os_str().as_bytes(), usize::MAX), c.stat)
            }
            Err(e) => return error(&c.path, &HashError::from_io(&c.path, e)),
        },
        EntryKind::File => {
            let keep = if keep && c.stat.size <= opts.max_blob_size {
                usize::try_from(opts.max_blob_size).unwrap_or(usize::MAX)
            } else {
                0
            };
            match hash::hash_file(&c.path, keep) {
                Ok(f) => (f.hashed, StatInfo::from_metadata(&f.metadata)),
                Err(e) => return error(&c.path, &e),
            }
        }
    };
    let racy = stat.mtime_ns >= started.saturating_sub(RACY_WINDOW_NS);
    if cached.is_some_and(|e| e.hash == hashed.hash) {
        return Outcome::Same { stat, racy, read: hashed.raw_size };
    }
    let mut hashed = hashed;
    let mut encoded = None;
    let mut sketch = None;
    if cached.is_none()
        && let Some(comp) = comp
    {
        let content = hashed.content.take();
        if !rename_hashes.contains(hashed.hash.as_str())
            && let Some(content) = content
        {
            match comp.encode(&content, hashed.is_text) {
                Ok(enc) => encoded = Some(enc),
                Err(e) => return error(&c.path, &e),
            }
            if hashed.is_text && SKETCH_SIZES.contains(&content.len()) {
                sketch = super::sketch::Sketch::of(&content);
            }
        }
    }
    Outcome::Changed(Box::new(Changed { hashed, stat, racy, encoded, sketch }))
}

/// Reads, hashes and compresses a large new file in one streaming pass (a file that changes
/// while it is read is read again from a fresh compressor).
fn process_streaming(
    c: &Candidate,
    rename_hashes: &HashSet<&str, impl std::hash::BuildHasher>,
    started: i64,
) -> Outcome {
    let mut encoder: Option<zstd::stream::Encoder<'static, Vec<u8>>> = None;
    let mut sink = |chunk: Option<&[u8]>| -> std::io::Result<()> {
        use std::io::Write as _;
        match (chunk, encoder.as_mut()) {
            (Some(data), Some(e)) => e.write_all(data),
            (Some(_), None) => Err(std::io::Error::other("content before the compressor")),
            (None, _) => {
                encoder = Some(zstd::stream::Encoder::new(Vec::new(), NEW_CONTENT_LEVEL)?);
                Ok(())
            }
        }
    };
    let file = match hash::hash_file_streaming(&c.path, &mut sink) {
        Ok(f) => f,
        Err(e) => return error(&c.path, &e),
    };
    let stat = StatInfo::from_metadata(&file.metadata);
    let racy = stat.mtime_ns >= started.saturating_sub(RACY_WINDOW_NS);
    let hashed = file.hashed;
    // A rename keeps the content the store has already.
    let encoded = match encoder.filter(|_| !rename_hashes.contains(hashed.hash.as_str())) {
        Some(e) => match e.finish() {
            Ok(data) => Some(Encoded { codec: Codec::Zstd, data, base_hash: None, depth: 0 }),
            Err(e) => return error(&c.path, &e),
        },
        None => None,
    };
    Outcome::Changed(Box::new(Changed { hashed, stat, racy, encoded, sketch: None }))
}

fn error(path: &std::path::Path, err: &dyn std::fmt::Display) -> Outcome {
    Outcome::Error { path: path.to_path_buf(), message: err.to_string() }
}

/// The pool that hashes and compresses a run's candidates, sized by `opts`.
///
/// # Errors
/// The threads cannot be started.
pub fn hash_pool(opts: &TrackOptions) -> std::io::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(opts.worker_threads())
        .thread_name(|i| format!("obby-hash-{i}"))
        .build()
        .map_err(std::io::Error::other)
}

/// Splits the candidates into windows of at most [`WINDOW_FILES`] files and [`WINDOW_BYTES`].
#[must_use]
pub fn windows(candidates: &[Candidate]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0u64;
    for (i, c) in candidates.iter().enumerate() {
        if i > start && (i - start >= WINDOW_FILES || bytes + c.stat.size > WINDOW_BYTES) {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += c.stat.size;
    }
    if start < candidates.len() {
        out.push(start..candidates.len());
    }
    out
}
