//! A git packfile written directly, the way `git fast-import` writes one: every object is
//! either whole or a delta against the previous object written under the same name (the
//! previous version of a file, the previous state of a directory's tree), in the same pack.
//!
//! libgit2's pack builder searches a window of ten candidates for every object, on every flush;
//! for a history this is wasted work, since obby already knows which object each one is a new
//! version of. File deltas follow the line diff (unchanged runs of lines become copies); tree
//! deltas copy the common prefix and suffix (a commit usually changes one entry). Chains are cut
//! at [`MAX_DEPTH`], and a delta that would not be smaller than half the object is not used.
//!
//! Format (git's `Documentation/gitformat-pack.txt`): `PACK`, version 2, object count; per
//! object a type-and-size header, then zlib data (for an `OFS_DELTA` the distance back to its
//! base first); a SHA-1 of everything before it at the end.

use std::collections::{HashMap, HashSet};

use flate2::{Compress, Compression, FlushCompress, Status};
use git2::{ObjectType, Oid};
use sha1::Digest as _;

/// Longest delta chain written (git's default depth).
pub const MAX_DEPTH: u32 = 50;

/// Objects smaller than this are always written whole.
const MIN_DELTA_SIZE: usize = 64;

/// Pack entry type of a delta against an earlier object of the same pack.
const OFS_DELTA: u8 = 6;

/// The previous object written under a name.
struct Last {
    kind: ObjectType,
    offset: usize,
    depth: u32,
    data: Vec<u8>,
}

/// A pack being assembled in memory.
pub struct PackWriter {
    /// One deflate state for every object (creating one costs more than a small object).
    z: Compress,
    buf: Vec<u8>,
    count: u32,
    written: HashSet<Oid>,
    last: HashMap<Vec<u8>, Last>,
}

impl Default for PackWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl PackWriter {
    /// An empty pack.
    #[must_use]
    pub fn new() -> Self {
        let mut buf = Vec::with_capacity(1 << 20);
        buf.extend_from_slice(b"PACK\0\0\0\x02\0\0\0\0");
        Self {
            z: Compress::new(Compression::fast(), true),
            buf,
            count: 0,
            written: HashSet::new(),
            last: HashMap::new(),
        }
    }

    /// Objects in the pack.
    #[must_use]
    pub fn len(&self) -> u32 {
        self.count
    }

    /// True when no object was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds an object (once: an object already in the pack is not written again) and returns
    /// its id. `name` groups versions of one thing: the next object added under the same name
    /// may be written as a delta against this one.
    ///
    /// # Errors
    /// libgit2 failing to hash (it does not in practice).
    pub fn add(&mut self, kind: ObjectType, data: &[u8], name: &[u8]) -> Result<Oid, git2::Error> {
        let oid = Oid::hash_object(kind, data)?;
        if !self.written.insert(oid) {
            return Ok(oid);
        }
        let offset = self.buf.len();
        let base = self
            .last
            .get(name)
            .filter(|b| b.kind == kind && b.depth < MAX_DEPTH && data.len() >= MIN_DELTA_SIZE);
        let delta = base.map(|b| {
            let by_lines = kind == ObjectType::Blob;
            let d = delta(&b.data, data, by_lines);
            // Long lines (minified text, binary data): the prefix and suffix may still match.
            if by_lines && d.len() >= data.len() / 2 {
                (b, delta(&b.data, data, false))
            } else {
                (b, d)
            }
        });
        let depth = match delta {
            Some((b, d)) if d.len() < data.len() / 2 => {
                let (distance, depth) = (offset - b.offset, b.depth + 1);
                entry_header(&mut self.buf, OFS_DELTA, d.len());
                offset_encoding(&mut self.buf, distance);
                deflate_into(&mut self.z, &mut self.buf, &d)?;
                depth
            }
            _ => {
                entry_header(&mut self.buf, type_code(kind), data.len());
                deflate_into(&mut self.z, &mut self.buf, data)?;
                0
            }
        };
        self.count += 1;
        self.last.insert(name.to_vec(), Last { kind, offset, depth, data: data.to_vec() });
        Ok(oid)
    }

    /// The finished pack (count and checksum in place); the writer is empty again.
    #[must_use]
    pub fn finish(&mut self) -> Vec<u8> {
        let count = self.count;
        let mut out = std::mem::take(self).buf;
        out[8..12].copy_from_slice(&count.to_be_bytes());
        let sum = sha1::Sha1::digest(&out);
        out.extend_from_slice(&sum);
        out
    }
}

fn type_code(kind: ObjectType) -> u8 {
    match kind {
        ObjectType::Commit => 1,
        ObjectType::Tree => 2,
        ObjectType::Tag => 4,
        _ => 3,
    }
}

/// Type and inflated size: 3 bits of type, then the size 4 bits first, 7 bits a byte after.
fn entry_header(buf: &mut Vec<u8>, code: u8, size: usize) {
    let mut size = size;
    let mut byte = (code << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        buf.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    buf.push(byte);
}

/// The distance back to a delta's base: big-endian 7-bit groups, each but the last with its top
/// bit set, and one added at every continuation (so no distance has two encodings).
fn offset_encoding(buf: &mut Vec<u8>, distance: usize) {
    let mut bytes = [0u8; 10];
    let mut pos = bytes.len() - 1;
    let mut d = distance;
    bytes[pos] = (d & 0x7f) as u8;
    d >>= 7;
    while d > 0 {
        d -= 1;
        pos -= 1;
        bytes[pos] = 0x80 | (d & 0x7f) as u8;
        d >>= 7;
    }
    buf.extend_from_slice(&bytes[pos..]);
}

/// Appends `data` zlib-compressed to `buf`.
fn deflate_into(z: &mut Compress, buf: &mut Vec<u8>, data: &[u8]) -> Result<(), git2::Error> {
    z.reset();
    buf.reserve(data.len() / 2 + 64);
    loop {
        let done = usize::try_from(z.total_in()).unwrap_or(usize::MAX).min(data.len());
        match z.compress_vec(&data[done..], buf, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return Ok(()),
            Ok(_) => buf.reserve(buf.capacity().max(4096)),
            Err(e) => return Err(git2::Error::from_str(&format!("deflate: {e}"))),
        }
    }
}

/// Sizes in a delta header: 7 bits a byte, least significant first.
fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A git delta turning `base` into `target`: line-diff copies for text (`lines`), else the
/// common prefix and suffix copied around one insert.
#[must_use]
pub fn delta(base: &[u8], target: &[u8], lines: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    varint(&mut out, base.len());
    varint(&mut out, target.len());
    if lines {
        let diff = crate::diff::TextDiff::new(base, target, &crate::diff::DiffOptions::default());
        let (old_at, new_at) = (line_starts(&diff.old), line_starts(&diff.new));
        let mut pending = 0..0;
        for op in &diff.ops {
            let (tag, old, new) = op.as_tag_tuple();
            let new_range = new_at[new.start]..new_at[new.end];
            if tag == similar::DiffTag::Equal {
                if pending.start < pending.end {
                    insert(&mut out, &target[pending.clone()]);
                }
                pending = new_range.end..new_range.end;
                copy(&mut out, old_at[old.start], old_at[old.end] - old_at[old.start]);
            } else if !new_range.is_empty() {
                if pending.start == pending.end {
                    pending = new_range;
                } else {
                    pending.end = new_range.end;
                }
            }
        }
        if pending.start < pending.end {
            insert(&mut out, &target[pending]);
        }
        return out;
    }
    let prefix = base.iter().zip(target).take_while(|(a, b)| a == b).count();
    let max_suffix = base.len().min(target.len()) - prefix;
    let suffix = base
        .iter()
        .rev()
        .zip(target.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    copy(&mut out, 0, prefix);
    insert(&mut out, &target[prefix..target.len() - suffix]);
    copy(&mut out, base.len() - suffix, suffix);
    out
}

/// Byte offset of every line's start, plus the end (from the diff's own split).
fn line_starts(lines: &[&[u8]]) -> Vec<usize> {
    let mut at = Vec::with_capacity(lines.len() + 1);
    at.push(0);
    for line in lines {
        at.push(at[at.len() - 1] + line.len());
    }
    at
}

/// Copy instructions for `len` bytes at `offset` of the base (at most 64 KiB each).
fn copy(out: &mut Vec<u8>, offset: usize, len: usize) {
    let (mut offset, mut left) = (offset, len);
    while left > 0 {
        let n = left.min(0x10000);
        let mut op = 0x80u8;
        let at = out.len();
        out.push(0);
        for i in 0..4 {
            let byte = ((offset >> (8 * i)) & 0xff) as u8;
            if byte != 0 {
                op |= 1 << i;
                out.push(byte);
            }
        }
        // A size of 0x10000 is written as no size bytes at all.
        if n != 0x10000 {
            for i in 0..3 {
                let byte = ((n >> (8 * i)) & 0xff) as u8;
                if byte != 0 {
                    op |= 0x10 << i;
                    out.push(byte);
                }
            }
        }
        out[at] = op;
        offset += n;
        left -= n;
    }
}

/// Insert instructions for `data` (at most 127 bytes each).
fn insert(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(0x7f) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// Writes `pack` into a fresh repository and returns it.
    fn load(pack: &[u8]) -> (tempfile::TempDir, git2::Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        {
            let odb = repo.odb().unwrap();
            let mut pw = odb.packwriter().unwrap();
            pw.write_all(pack).unwrap();
            pw.commit().unwrap();
        }
        (dir, repo)
    }

    #[test]
    fn versions_become_deltas_that_git_reads_back_exactly() {
        let mut text: Vec<u8> =
            (0..3000).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let mut versions = vec![text.clone()];
        for v in 0..60 {
            // Scattered edits, an insert, and a line without its newline at the end.
            let at = (v * 977) % (text.len() - 10);
            text[at] = b'#';
            text.splice(at / 2..at / 2, format!("new {v}\n").into_bytes());
            versions.push(text.clone());
        }
        versions.push(b"no newline at the end".repeat(10));
        let mut w = PackWriter::new();
        let mut ids = Vec::new();
        for v in &versions {
            ids.push(w.add(ObjectType::Blob, v, b"notes/a.md").unwrap());
        }
        // A tree-like binary object under another name: prefix/suffix deltas.
        let mut tree = vec![7u8; 70_000];
        let t1 = w.add(ObjectType::Tree, &tree, b"dir/").unwrap_or_else(|e| panic!("{e}"));
        tree[35_000] = 9;
        let t2 = w.add(ObjectType::Tree, &tree, b"dir/").unwrap();
        // The same object again is not written twice.
        let count = w.len();
        assert_eq!(w.add(ObjectType::Blob, &versions[3], b"other").unwrap(), ids[3]);
        assert_eq!(w.len(), count);
        let whole: usize = versions.iter().map(Vec::len).sum::<usize>() + 2 * tree.len();
        let pack = w.finish();
        assert!(w.is_empty());
        assert!(pack.len() < whole / 20, "{} bytes for {whole}", pack.len());
        let (_dir, repo) = load(&pack);
        let odb = repo.odb().unwrap();
        for (id, v) in ids.iter().zip(&versions) {
            let obj = odb.read(*id).unwrap();
            assert_eq!(obj.kind(), ObjectType::Blob);
            assert_eq!(obj.data(), &v[..]);
        }
        assert_eq!(odb.read(t2).unwrap().data(), &tree[..]);
        assert_eq!(odb.read(t1).unwrap().data().len(), tree.len());
    }

    #[test]
    fn delta_instructions_cover_long_copies_and_inserts() {
        let base = vec![b'a'; 200_000];
        let mut target = base.clone();
        target.splice(100_000..100_000, vec![b'b'; 300]);
        let d = delta(&base, &target, false);
        assert!(d.len() < 400, "{}", d.len());
        let mut w = PackWriter::new();
        let a = w.add(ObjectType::Blob, &base, b"x").unwrap();
        let b = w.add(ObjectType::Blob, &target, b"x").unwrap();
        let (_dir, repo) = load(&w.finish());
        assert_eq!(repo.odb().unwrap().read(a).unwrap().data(), &base[..]);
        assert_eq!(repo.odb().unwrap().read(b).unwrap().data(), &target[..]);
    }
}
