//! Line diffs: the one implementation behind `obby track`'s line stats and `obby diff`.
//!
//! Lines are interned to integer ids first (with `--ignore-whitespace`, by their content with all
//! whitespace removed), the common prefix and suffix are cut off, and only the middle is handed to
//! `similar`'s Myers diff, after dropping the lines that occur on one side only, as git's xdiff
//! does (`reduce`, on the ids rather than through `similar`'s own hash table). Comparing `u32`s instead of byte strings is what makes a 50 MB file with
//! scattered edits diff in a fraction of a second. A line keeps its terminator for comparison,
//! so a missing newline at the end of a file is a change (shown as in `diff -u`).
//!
//! [`unified`] renders hunks as unified diff text or JSON; [`dirs`] pairs the files of two
//! directory trees.

pub mod dirs;
mod reduce;
pub mod unified;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

use similar::DiffOp;

/// How long the diff may search for a minimal edit script before settling for a good one.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// Options of a diff.
#[derive(Clone, Copy, Debug)]
pub struct DiffOptions {
    /// Lines of context around each change.
    pub context: usize,
    /// Compare lines with all whitespace removed.
    pub ignore_whitespace: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self { context: 3, ignore_whitespace: false }
    }
}

/// True when content looks binary (NUL or invalid UTF-8 in its first 8 KiB), as the hasher
/// decides.
#[must_use]
pub fn is_binary(content: &[u8]) -> bool {
    let head = &content[..content.len().min(crate::hash::SNIFF_LEN)];
    !crate::hash::looks_like_text(head)
}

/// Splits text into lines, each with its `\n` (the last one may lack it).
#[must_use]
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    // Counting first (memchr runs at memory speed) sizes the list exactly.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text).count() + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text) {
        out.push(&text[start..=i]);
        start = i + 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// FxHash-style hasher: lines (and the stat cache's paths) are hashed once each, so a cheap mix
/// beats SipHash by far.
#[derive(Default)]
pub(crate) struct LineHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for LineHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        w[..rest.len()].copy_from_slice(rest);
        self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Interns lines to ids shared by both sides (ids start at 1).
///
/// An open-addressing table of `(hash tag, id)` pairs, 8 bytes a slot, instead of a map keyed by
/// line slices: on a 50 MB file the table is a sixth of the size, so far fewer lookups miss the
/// CPU cache, and memory stays a fraction of the input.
struct Interner<'a> {
    slots: Vec<u64>,
    shift: u32,
    /// The first line seen with each id (`id - 1`).
    lines: Vec<&'a [u8]>,
    scratch: HashMap<Vec<u8>, u32, BuildHasherDefault<LineHasher>>,
    ignore_ws: bool,
}

fn line_hash(line: &[u8]) -> u64 {
    let mut h = LineHasher::default();
    h.write(line);
    // The multiply leaves the low bits weak: fold the high ones in.
    let x = h.finish();
    x ^ (x >> 29)
}

impl<'a> Interner<'a> {
    fn new(capacity: usize, ignore_ws: bool) -> Self {
        let (slots, shift) = Self::table(capacity);
        Self {
            slots,
            shift,
            lines: Vec::with_capacity(capacity.min(1 << 20)),
            scratch: HashMap::default(),
            ignore_ws,
        }
    }

    /// A table for `distinct` lines at most half full.
    fn table(distinct: usize) -> (Vec<u64>, u32) {
        let size = (distinct.max(8) * 2).next_power_of_two();
        (vec![0; size], 64 - size.trailing_zeros())
    }

    fn id(&mut self, line: &'a [u8]) -> u32 {
        if self.ignore_ws {
            let key: Vec<u8> = line.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            let next = self.lines.len() + self.scratch.len() + 1;
            return *self.scratch.entry(key).or_insert(u32::try_from(next).unwrap_or(u32::MAX));
        }
        let h = line_hash(line);
        // The index comes from the high bits, the tag from the low ones.
        let tag = h << 32;
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                self.lines.push(line);
                let id = u32::try_from(self.lines.len()).unwrap_or(u32::MAX);
                self.slots[i] = tag | u64::from(id);
                if self.lines.len() * 4 > self.slots.len() * 3 {
                    self.grow();
                }
                return id;
            }
            if slot & 0xffff_ffff_0000_0000 == tag {
                let id = (slot & 0xffff_ffff) as u32;
                if self.lines[id as usize - 1] == line {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let (mut slots, shift) = Self::table(self.lines.len() * 2);
        let mask = slots.len() - 1;
        for (n, line) in self.lines.iter().enumerate() {
            let h = line_hash(line);
            let mut i = (h >> shift) as usize;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (h << 32) | (n as u64 + 1);
        }
        self.slots = slots;
        self.shift = shift;
    }
}

/// The diff of two texts: their lines and the edit script between them.
#[derive(Debug)]
pub struct TextDiff<'a> {
    /// Lines of the old side (with terminators).
    pub old: Vec<&'a [u8]>,
    /// Lines of the new side.
    pub new: Vec<&'a [u8]>,
    /// The edit script over the whole of both sides.
    pub ops: Vec<DiffOp>,
}

impl<'a> TextDiff<'a> {
    /// Diffs two texts line by line.
    #[must_use]
    pub fn new(old_text: &'a [u8], new_text: &'a [u8], opts: &DiffOptions) -> Self {
        let old = split_lines(old_text);
        let new = split_lines(new_text);
        let ops = diff_ops(&old, &new, opts.ignore_whitespace);
        Self { old, new, ops }
    }

    /// Lines added and removed.
    #[must_use]
    pub fn stats(&self) -> (u64, u64) {
        let (mut added, mut removed) = (0u64, 0u64);
        for op in &self.ops {
            match *op {
                DiffOp::Insert { new_len, .. } => added += new_len as u64,
                DiffOp::Delete { old_len, .. } => removed += old_len as u64,
                DiffOp::Replace { old_len, new_len, .. } => {
                    added += new_len as u64;
                    removed += old_len as u64;
                }
                DiffOp::Equal { .. } => {}
            }
        }
        (added, removed)
    }

    /// True when the sides differ (under the options the diff was made with).
    #[must_use]
    pub fn has_changes(&self) -> bool {
        self.ops.iter().any(|op| !matches!(op, DiffOp::Equal { .. }))
    }

    /// The hunks with `context` lines around each change.
    #[must_use]
    pub fn hunks(&self, context: usize) -> Vec<unified::Hunk<'a>> {
        unified::hunks(self, context)
    }
}

/// The edit script between two line lists.
fn diff_ops(old: &[&[u8]], new: &[&[u8]], ignore_ws: bool) -> Vec<DiffOp> {
    // Common prefix and suffix by plain comparison (cheap, and the usual case for edits).
    let eq = |a: &[u8], b: &[u8]| if ignore_ws { ws_eq(a, b) } else { a == b };
    let prefix = old.iter().zip(new).take_while(|(a, b)| eq(a, b)).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| eq(a, b))
        .count();
    let old_mid = &old[prefix..old.len() - suffix];
    let new_mid = &new[prefix..new.len() - suffix];
    let mut ops = Vec::new();
    if prefix > 0 {
        ops.push(DiffOp::Equal { old_index: 0, new_index: 0, len: prefix });
    }
    if !old_mid.is_empty() || !new_mid.is_empty() {
        // Sized for the old side: edits add few distinct lines, and the table grows if not.
        let mut interner = Interner::new(old_mid.len() + new_mid.len() / 8, ignore_ws);
        let old_ids: Vec<u32> = old_mid.iter().map(|l| interner.id(l)).collect();
        // Most new lines equal the old line across from them (the line after the last match):
        // comparing with that one first skips the table lookup, a likely cache miss, for them.
        let mut new_ids = Vec::with_capacity(new_mid.len());
        for (across, line) in new_mid.iter().enumerate() {
            let id = match old_mid.get(across) {
                Some(old) if !ignore_ws && old == line => old_ids[across],
                _ => interner.id(line),
            };
            new_ids.push(id);
        }
        let distinct = interner.lines.len() + interner.scratch.len();
        drop(interner);
        let deadline = Instant::now() + DEADLINE;
        let mid = reduce::diff(&old_ids, &new_ids, distinct, deadline);
        ops.extend(mid.into_iter().map(|op| shift(op, prefix)));
    }
    if suffix > 0 {
        ops.push(DiffOp::Equal {
            old_index: old.len() - suffix,
            new_index: new.len() - suffix,
            len: suffix,
        });
    }
    ops
}

fn ws_eq(old: &[u8], new: &[u8]) -> bool {
    let mut olds = old.iter().filter(|c| !c.is_ascii_whitespace());
    let mut news = new.iter().filter(|c| !c.is_ascii_whitespace());
    loop {
        match (olds.next(), news.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

fn shift(op: DiffOp, by: usize) -> DiffOp {
    match op {
        DiffOp::Equal { old_index, new_index, len } => {
            DiffOp::Equal { old_index: old_index + by, new_index: new_index + by, len }
        }
        DiffOp::Delete { old_index, old_len, new_index } => {
            DiffOp::Delete { old_index: old_index + by, old_len, new_index: new_index + by }
        }
        DiffOp::Insert { old_index, new_index, new_len } => {
            DiffOp::Insert { old_index: old_index + by, new_index: new_index + by, new_len }
        }
        DiffOp::Replace { old_index, old_len, new_index, new_len } => DiffOp::Replace {
            old_index: old_index + by,
            old_len,
            new_index: new_index + by,
            new_len,
        },
    }
}

/// The plain unified diff of two texts under `--- old_label` / `+++ new_label` headers, `git
/// diff` style: empty when they are equal, one `Binary files ... differ` line when either side
/// is binary. Queries use it for their diff columns.
#[must_use]
pub fn unified_text(
    old: &[u8],
    new: &[u8],
    old_label: &str,
    new_label: &str,
    context: usize,
) -> String {
    if old == new {
        return String::new();
    }
    if is_binary(old) || is_binary(new) {
        return format!("Binary files {old_label} and {new_label} differ\n");
    }
    let diff = TextDiff::new(old, new, &DiffOptions::default());
    let mut out = format!("--- {old_label}\n+++ {new_label}\n").into_bytes();
    for hunk in diff.hunks(context) {
        hunk.write_to(&mut out, crate::output::Palette::new(false), false);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lines added and removed going from `old` to `new` (the stats `track` records).
#[must_use]
pub fn line_stats(old: &[u8], new: &[u8]) -> (u64, u64) {
    if old == new {
        return (0, 0);
    }
    TextDiff::new(old, new, &DiffOptions::default()).stats()
}

#[cfg(test)]
mod tests;
