//! How content is kept: once per SHA-256, zstd-compressed, and for text that changes a little at
//! a time, as a zstd delta against the file's previous version (the previous content loaded as a
//! raw-content dictionary, so zstd copies unchanged runs from it). Delta chains are capped at
//! [`MAX_DELTA_DEPTH`] so reading any version decodes at most that many blobs.

use std::io;

/// Blob codecs, as stored in `blobs.codec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// Stored as is (tiny or incompressible content).
    Raw = 0,
    /// zstd.
    Zstd = 1,
    /// zstd with the base blob's content as a raw dictionary.
    Delta = 2,
    /// Content not kept (larger than the store's limit): the hash and size are recorded only.
    Absent = 3,
}

impl Codec {
    /// The codec for a stored number.
    #[must_use]
    pub fn from_i64(n: i64) -> Option<Self> {
        match n {
            0 => Some(Self::Raw),
            1 => Some(Self::Zstd),
            2 => Some(Self::Delta),
            3 => Some(Self::Absent),
            _ => None,
        }
    }
}

/// A delta at most `1 / CLEAR_DELTA` of its content's size is taken without trying the whole
/// compression (the usual edit of a text file: a few lines of a page).
pub const CLEAR_DELTA: usize = 8;

/// Longest chain of deltas before a version is stored whole again.
pub const MAX_DELTA_DEPTH: i64 = 24;
/// zstd level for stored content: fast to write, still small.
pub const LEVEL: i32 = 3;
/// Content below this size is stored raw (compression would not pay for its framing).
const MIN_COMPRESS: usize = 48;

/// Content encoded for the `blobs` table.
#[derive(Debug)]
pub struct Encoded {
    /// The codec used.
    pub codec: Codec,
    /// The bytes to store.
    pub data: Vec<u8>,
    /// The delta base's hash, for [`Codec::Delta`].
    pub base_hash: Option<String>,
    /// Length of the delta chain (0 when not a delta).
    pub depth: i64,
}

/// A previous version that content may be stored as a delta against.
#[derive(Clone, Copy, Debug)]
pub struct Base<'a> {
    /// Its hash.
    pub hash: &'a str,
    /// Its content.
    pub content: &'a [u8],
    /// Its own delta depth.
    pub depth: i64,
}

/// Encodes content, picking the smallest of raw, zstd and (when `base` is given and the chain is
/// short enough) a delta against `base`; a delta within [`CLEAR_DELTA`] is taken at once.
///
/// # Errors
/// zstd errors (out of memory).
pub fn encode(content: &[u8], base: Option<Base<'_>>) -> io::Result<Encoded> {
    encode_level(content, base, LEVEL)
}

/// [`encode`] at a given zstd level (`track` compresses new content on its worker threads at a
/// higher level than the writer thread can afford).
///
/// # Errors
/// zstd errors (out of memory).
pub fn encode_level(content: &[u8], base: Option<Base<'_>>, level: i32) -> io::Result<Encoded> {
    if content.len() < MIN_COMPRESS {
        return Ok(Encoded {
            codec: Codec::Raw,
            data: content.to_vec(),
            base_hash: None,
            depth: 0,
        });
    }
    // A delta must save real space to be worth the extra decode on read. One within
    // [`CLEAR_DELTA`] of the content is kept without compressing the whole content to compare:
    // that would have to shrink text more than nine times to win.
    let delta = match base {
        Some(b) => delta_only(content, b, level)?,
        None => None,
    };
    let delta = match delta {
        Some(d) if d.data.len() <= content.len() / CLEAR_DELTA => return Ok(d),
        other => other,
    };
    let full = compress(content, &[], level)?;
    if let Some(d) = delta
        && d.data.len() + d.data.len() / 8 < full.len()
    {
        return Ok(d);
    }
    if full.len() >= content.len() {
        return Ok(Encoded {
            codec: Codec::Raw,
            data: content.to_vec(),
            base_hash: None,
            depth: 0,
        });
    }
    Ok(Encoded { codec: Codec::Zstd, data: full, base_hash: None, depth: 0 })
}

/// A delta of `content` against `base` alone (no whole-content alternative), when the chain is
/// short enough: for callers that already hold a whole-content encoding to compare with.
///
/// # Errors
/// zstd errors (out of memory).
pub fn delta_only(content: &[u8], base: Base<'_>, level: i32) -> io::Result<Option<Encoded>> {
    if base.depth >= MAX_DELTA_DEPTH || base.content.is_empty() || content.len() < MIN_COMPRESS {
        return Ok(None);
    }
    let data = compress(content, base.content, level)?;
    Ok(Some(Encoded {
        codec: Codec::Delta,
        data,
        base_hash: Some(base.hash.to_owned()),
        depth: base.depth + 1,
    }))
}

thread_local! {
    /// One zstd context per thread, reused: creating a context per blob costs more than
    /// compressing a small text file.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// zstd at `level`, with `dict` (raw content) as the dictionary when not empty.
fn compress(content: &[u8], dict: &[u8], level: i32) -> io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match slot.as_mut() {
            Some(c) => c,
            None => slot.insert(zstd::bulk::Compressor::new(level)?),
        };
        compressor.set_dictionary(level, dict)?;
        compressor.compress(content)
    })
}

/// Decodes stored bytes back to content of `size` bytes; `base` is the delta base's content.
///
/// # Errors
/// Corrupt data, a missing base for a delta, or [`Codec::Absent`] content.
pub fn decode(codec: Codec, data: &[u8], size: usize, base: Option<&[u8]>) -> io::Result<Vec<u8>> {
    thread_local! {
        /// One zstd context per thread: creating one per blob cost more than decoding it.
        static DCTX: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    let dictionary = match codec {
        Codec::Raw => return Ok(data.to_vec()),
        Codec::Zstd => &[][..],
        Codec::Delta => base.ok_or_else(|| io::Error::other("delta blob without its base"))?,
        Codec::Absent => {
            return Err(io::Error::other(
                "content was not kept (larger than the store's size limit)",
            ));
        }
    };
    DCTX.with(|cell| {
        let mut slot = cell.borrow_mut();
        let d = match slot.take() {
            Some(d) => slot.insert(d),
            None => slot.insert(zstd::bulk::Decompressor::new()?),
        };
        d.set_dictionary(dictionary)?;
        d.decompress(data, size.max(1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_delta_is_taken_and_a_poor_one_loses_to_the_whole() {
        use std::fmt::Write as _;
        let mut base = String::new();
        for i in 0..400 {
            let _ = writeln!(base, "line {i} of some text");
        }
        let b = Base { hash: "h0", content: base.as_bytes(), depth: 3 };
        // A small edit: the delta is a sliver of the content.
        let edited = base.replacen("line 7 ", "line seven ", 1);
        let enc = encode(edited.as_bytes(), Some(b)).unwrap();
        assert_eq!((enc.codec, enc.depth), (Codec::Delta, 4));
        assert!(enc.data.len() <= edited.len() / CLEAR_DELTA);
        let back = decode(enc.codec, &enc.data, edited.len(), Some(base.as_bytes())).unwrap();
        assert_eq!(back, edited.as_bytes());
        // Unrelated content: the delta saves nothing, the whole compression wins.
        let (mut other, mut x) = (String::new(), 1u64);
        for _ in 0..400 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let _ = writeln!(other, "{:x}", x >> 4);
        }
        let enc = encode(other.as_bytes(), Some(b)).unwrap();
        assert_eq!((enc.codec, enc.depth), (Codec::Zstd, 0));
    }

    #[test]
    fn small_edit_becomes_a_small_delta() {
        let base: String = (0..2000).fold(String::new(), |mut s, i| {
            s.push_str(&i.to_string());
            s.push_str(" is the number of this line of a long text file\n");
            s
        });
        let mut next = base.clone();
        next.insert_str(5000, "an inserted line\n");
        let b = Base { hash: "h0", content: base.as_bytes(), depth: 0 };
        let enc = encode(next.as_bytes(), Some(b)).unwrap();
        assert_eq!(enc.codec, Codec::Delta);
        assert!(enc.data.len() < next.len() / 100, "delta was {} bytes", enc.data.len());
        let back = decode(enc.codec, &enc.data, next.len(), Some(base.as_bytes())).unwrap();
        assert_eq!(back, next.as_bytes());
    }

    #[test]
    fn round_trips_raw_and_zstd() {
        for content in [&b"tiny"[..], &[b'a'; 10_000][..]] {
            let enc = encode(content, None).unwrap();
            assert_eq!(decode(enc.codec, &enc.data, content.len(), None).unwrap(), content);
        }
    }

    #[test]
    fn deep_chains_are_cut() {
        let content = vec![b'x'; 1000];
        let b = Base { hash: "h", content: &content, depth: MAX_DELTA_DEPTH };
        assert_ne!(encode(&content, Some(b)).unwrap().codec, Codec::Delta);
    }
}
