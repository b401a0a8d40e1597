//! Content identity: streaming SHA-256 with line-ending normalisation, and text/binary sniffing.
//!
//! A file is *text* when its first [`SNIFF_LEN`] bytes hold no NUL and are valid UTF-8 (a
//! multi-byte character cut by the sniff window still counts as valid). Text is hashed with
//! `\r\n` and lone `\r` turned into `\n`, so a file that only changed its line endings keeps its
//! identity; binary content is hashed as it is. The hash is the lowercase hex SHA-256 of that
//! (normalised) content, and it is what the store keys blobs by.
//!
//! Files are read in fixed [`CHUNK_LEN`] chunks, so memory does not grow with the file size; the
//! normalised content is also collected (for storing it) only while it stays under the caller's
//! `keep_limit`. The `sha2` crate picks the CPU's SHA extensions at run time.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

/// Bytes inspected to decide text or binary (as git does).
pub const SNIFF_LEN: usize = 8 * 1024;
/// Read size; large enough to amortise syscalls, small enough to stay in cache.
pub const CHUNK_LEN: usize = 256 * 1024;

/// The identity of some content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashed {
    /// Lowercase hex SHA-256 of the (normalised) content.
    pub hash: String,
    /// Size of the normalised content (the raw size for binary content).
    pub size: u64,
    /// Bytes read from the source.
    pub raw_size: u64,
    /// Text (normalised, line-diffable) or binary.
    pub is_text: bool,
    /// Number of lines of text content (`None` for binary).
    pub lines: Option<u64>,
    /// The normalised content, when it fit under the keep limit.
    pub content: Option<Vec<u8>>,
}

/// Why a file could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The file disappeared between being listed and being read.
    #[error("vanished before it could be read")]
    Vanished {
        /// The file.
        path: PathBuf,
    },
    /// The file kept changing while it was read.
    #[error("changed while being read (try again once it is quiet)")]
    Unstable {
        /// The file.
        path: PathBuf,
    },
    /// Any other I/O error (permission denied, a directory, a device error).
    #[error("{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
}

impl HashError {
    /// The file concerned.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            Self::Vanished { path } | Self::Unstable { path } | Self::Io { path, .. } => path,
        }
    }

    /// Classifies an I/O error on `path` (not found: [`HashError::Vanished`]).
    #[must_use]
    pub fn from_io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::NotFound {
            Self::Vanished { path: path.to_path_buf() }
        } else {
            Self::Io { path: path.to_path_buf(), source }
        }
    }
}

/// True when `head` (the first bytes of some content) looks like text.
#[must_use]
pub fn looks_like_text(head: &[u8]) -> bool {
    if memchr::memchr(0, head).is_some() {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // A character cut by the end of the window is fine; a bad byte before it is not.
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Streaming hasher over chunks of content; see the module docs for the rules.
pub struct Hasher {
    sha: Sha256,
    is_text: Option<bool>,
    head: Vec<u8>,
    prev_cr: bool,
    size: u64,
    raw_size: u64,
    newlines: u64,
    last: Option<u8>,
    keep_limit: usize,
    content: Option<Vec<u8>>,
}

impl Hasher {
    /// A hasher that keeps the normalised content while it is at most `keep_limit` bytes.
    #[must_use]
    pub fn new(keep_limit: usize) -> Self {
        Self {
            sha: Sha256::new(),
            is_text: None,
            head: Vec::new(),
            prev_cr: false,
            size: 0,
            raw_size: 0,
            newlines: 0,
            last: None,
            keep_limit,
            content: Some(Vec::new()),
        }
    }

    /// Reserves room for `n` bytes of kept content (up to the keep limit).
    pub fn reserve(&mut self, n: usize) {
        if let Some(buf) = &mut self.content {
            buf.reserve(n.min(self.keep_limit));
        }
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, mut data: &[u8]) {
        self.raw_size += data.len() as u64;
        if self.is_text.is_none() {
            // Collect the sniff window before deciding how to hash anything.
            let want = SNIFF_LEN - self.head.len();
            let take = want.min(data.len());
            self.head.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.head.len() < SNIFF_LEN {
                return;
            }
            self.decide();
        }
        self.feed(data);
    }

    fn decide(&mut self) {
        let text = looks_like_text(&self.head);
        self.is_text = Some(text);
        let head = std::mem::take(&mut self.head);
        self.feed(&head);
    }

    fn feed(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        if self.is_text != Some(true) {
            self.emit(data);
            return;
        }
        let mut rest = data;
        if self.prev_cr {
            // The `\n` of a `\r\n` split across chunks: the `\r` was emitted as `\n` already.
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
            self.prev_cr = false;
        }
        while let Some(i) = memchr::memchr(b'\r', rest) {
            self.emit(&rest[..i]);
            self.emit(b"\n");
            match rest.get(i + 1) {
                Some(b'\n') => rest = &rest[i + 2..],
                Some(_) => rest = &rest[i + 1..],
                None => {
                    self.prev_cr = true;
                    rest = &[];
                }
            }
        }
        self.emit(rest);
    }

    fn emit(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.sha.update(data);
        self.size += data.len() as u64;
        if self.is_text == Some(true) {
            self.newlines += count_newlines(data);
        }
        self.last = data.last().copied();
        if let Some(buf) = &mut self.content {
            if buf.len() + data.len() > self.keep_limit {
                self.content = None;
            } else {
                buf.extend_from_slice(data);
            }
        }
    }

    /// Ends the stream.
    #[must_use]
    pub fn finish(mut self) -> Hashed {
        if self.is_text.is_none() {
            self.decide();
        }
        let digest = self.sha.finalize();
        let mut hash = String::with_capacity(64);
        for b in &digest {
            hash.push(char::from(HEX[usize::from(b >> 4)]));
            hash.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        let is_text = self.is_text == Some(true);
        let lines =
            is_text.then(|| self.newlines + u64::from(self.last.is_some_and(|b| b != b'\n')));
        Hashed {
            hash,
            size: self.size,
            raw_size: self.raw_size,
            is_text,
            lines,
            content: self.content,
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Counts `\n` bytes. Matches are summed in 32 byte-wide lanes, at most 255 blocks at a time
/// before widening, which compiles to compare-and-subtract vector code. The naive
/// `filter().count()` widens every byte to a 64-bit lane and cost a third of hashing's CPU.
#[must_use]
pub fn count_newlines(data: &[u8]) -> u64 {
    const LANES: usize = 32;
    let mut total = 0u64;
    let mut blocks = data.chunks_exact(LANES);
    loop {
        let mut lanes = [0u8; LANES];
        let mut n = 0;
        for block in blocks.by_ref().take(255) {
            for (lane, &b) in lanes.iter_mut().zip(block) {
                *lane += u8::from(b == b'\n');
            }
            n += 1;
        }
        total += lanes.iter().map(|&c| u64::from(c)).sum::<u64>();
        if n < 255 {
            break;
        }
    }
    total + blocks.remainder().iter().map(|&b| u64::from(b == b'\n')).sum::<u64>()
}

/// Hashes bytes in memory (symlink targets, content read back from the store).
#[must_use]
pub fn hash_bytes(data: &[u8], keep_limit: usize) -> Hashed {
    let mut h = Hasher::new(keep_limit);
    h.update(data);
    h.finish()
}

/// Hashes everything `reader` yields, in [`CHUNK_LEN`] chunks.
///
/// # Errors
/// Read errors.
pub fn hash_reader(reader: impl Read, keep_limit: usize) -> io::Result<Hashed> {
    hash_into(reader, Hasher::new(keep_limit), None)
}

thread_local! {
    /// One read buffer per thread: allocating a chunk per file would cost a page-faulting
    /// `mmap` for every small file.
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Receives normalised content as it is read (see [`hash_file_streaming`]).
pub type ContentSink<'a> = &'a mut dyn FnMut(Option<&[u8]>) -> io::Result<()>;

/// Files at least this large are read on a second thread while this one hashes, so the
/// kernel's copy into user memory overlaps SHA-256 instead of adding to it (a 576 MB file:
/// 505 → 450 ms, hyperfine mean of 15; the copy was 14% of the samples).
pub const READ_AHEAD_MIN: u64 = 16 << 20;

/// Feeds one chunk and hands what the hasher kept to the sink, if there is one.
fn consume(h: &mut Hasher, sink: &mut Option<ContentSink<'_>>, data: &[u8]) -> io::Result<()> {
    h.update(data);
    if let (Some(sink), Some(kept)) = (sink.as_mut(), h.content.as_mut())
        && !kept.is_empty()
    {
        sink(Some(kept))?;
        kept.clear();
    }
    Ok(())
}

/// One read into `buf`, retried when interrupted.
fn read_retrying(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            r => return r,
        }
    }
}

fn hash_into(
    mut reader: impl Read,
    mut h: Hasher,
    mut sink: Option<ContentSink<'_>>,
) -> io::Result<Hashed> {
    BUF.with_borrow_mut(|buf| {
        buf.resize(CHUNK_LEN, 0);
        loop {
            match read_retrying(&mut reader, buf)? {
                0 => return Ok::<(), io::Error>(()),
                n => consume(&mut h, &mut sink, &buf[..n])?,
            }
        }
    })?;
    finish_into(h, sink)
}

/// [`hash_into`] for a large file: a reader thread fills a few chunks ahead of the hasher and
/// gets them back once hashed. An error on either side ends both. Without a thread to spare,
/// the file is read here.
fn hash_read_ahead(
    file: &File,
    mut h: Hasher,
    mut sink: Option<ContentSink<'_>>,
) -> io::Result<Hashed> {
    const AHEAD: usize = 3;
    const AHEAD_CHUNK_LEN: usize = 2 << 20;
    let (full_tx, full_rx) = crossbeam_channel::bounded::<io::Result<(Vec<u8>, usize)>>(AHEAD);
    let (empty_tx, empty_rx) = crossbeam_channel::bounded::<Vec<u8>>(AHEAD);
    for _ in 0..AHEAD {
        empty_tx.send(vec![0; AHEAD_CHUNK_LEN]).map_err(io::Error::other)?;
    }
    let ran = std::thread::scope(|s| {
        let reader =
            std::thread::Builder::new().name("obby-read".to_owned()).spawn_scoped(s, move || {
                let mut reader = file;
                for mut buf in &empty_rx {
                    let read = read_retrying(&mut reader, &mut buf);
                    let last = !matches!(read, Ok(n) if n > 0);
                    if full_tx.send(read.map(|n| (buf, n))).is_err() || last {
                        return;
                    }
                }
            });
        if reader.is_err() {
            return Ok(false);
        }
        // Both ends live in this closure: returning early drops them, which ends the reader
        // before the scope waits for it.
        let (full_rx, empty_tx) = (full_rx, empty_tx);
        for chunk in &full_rx {
            let (buf, n) = chunk?;
            if n == 0 {
                break;
            }
            consume(&mut h, &mut sink, &buf[..n])?;
            // The reader may have stopped already; a buffer it does not take is dropped.
            let _ = empty_tx.send(buf);
        }
        Ok::<_, io::Error>(true)
    })?;
    if ran { finish_into(h, sink) } else { hash_into(file, h, sink) }
}

fn finish_into(h: Hasher, sink: Option<ContentSink<'_>>) -> io::Result<Hashed> {
    let mut hashed = h.finish();
    if let Some(sink) = sink {
        // What the sniff window still held (a file shorter than it).
        if let Some(rest) = hashed.content.take().filter(|r| !r.is_empty()) {
            sink(Some(&rest))?;
        }
    }
    Ok(hashed)
}

/// A hashed file with the stat data it had while it was read.
#[derive(Clone, Debug)]
pub struct HashedFile {
    /// The content's identity.
    pub hashed: Hashed,
    /// The file's metadata, taken from the open file after reading it.
    pub metadata: std::fs::Metadata,
}

/// How many times a file that changes under the reader is read again before giving up.
const RETRIES: usize = 2;

/// Hashes a file, streaming. A file that changes while it is read (size or mtime differ before
/// and after) is read again, up to twice, then reported as [`HashError::Unstable`].
///
/// # Errors
/// [`HashError::Vanished`] when it is gone, [`HashError::Unstable`], [`HashError::Io`].
pub fn hash_file(path: &Path, keep_limit: usize) -> Result<HashedFile, HashError> {
    hash_file_with(path, keep_limit, None)
}

/// Hashes a file like [`hash_file`], handing its normalised content to `sink` chunk by chunk
/// instead of keeping it, so a large file is never whole in memory. `sink(None)` opens each
/// attempt: a file that changes while it is read is read again, and the sink drops what it got.
///
/// # Errors
/// As [`hash_file`]; an error of the sink is [`HashError::Io`].
pub fn hash_file_streaming(path: &Path, sink: ContentSink<'_>) -> Result<HashedFile, HashError> {
    hash_file_with(path, usize::MAX, Some(sink))
}

fn hash_file_with(
    path: &Path,
    keep_limit: usize,
    mut sink: Option<ContentSink<'_>>,
) -> Result<HashedFile, HashError> {
    for _ in 0..=RETRIES {
        let file = File::open(path).map_err(|e| HashError::from_io(path, e))?;
        let before = file.metadata().map_err(|e| HashError::from_io(path, e))?;
        if before.is_dir() {
            return Err(HashError::Io {
                path: path.to_path_buf(),
                source: io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
            });
        }
        let mut hasher = Hasher::new(keep_limit);
        if let Some(sink) = sink.as_mut() {
            sink(None).map_err(|e| HashError::from_io(path, e))?;
        } else {
            hasher.reserve(usize::try_from(before.len()).unwrap_or(0));
        }
        let sink = sink.as_mut().map(|s| &mut **s as _);
        let hashed = if before.len() >= READ_AHEAD_MIN {
            hash_read_ahead(&file, hasher, sink)
        } else {
            hash_into(&file, hasher, sink)
        }
        .map_err(|e| HashError::from_io(path, e))?;
        let after = file.metadata().map_err(|e| HashError::from_io(path, e))?;
        if stable(&before, &after, hashed.raw_size) {
            return Ok(HashedFile { hashed, metadata: after });
        }
    }
    Err(HashError::Unstable { path: path.to_path_buf() })
}

fn stable(before: &std::fs::Metadata, after: &std::fs::Metadata, read: u64) -> bool {
    use std::os::unix::fs::MetadataExt;
    // Only regular files have a meaningful size to compare with what was read.
    let size_ok = !after.is_file() || after.size() == read;
    size_ok
        && before.size() == after.size()
        && before.mtime() == after.mtime()
        && before.mtime_nsec() == after.mtime_nsec()
}

#[cfg(test)]
mod tests;
