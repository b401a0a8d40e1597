//! The stages of an import around the writer: reading and hashing the source on a thread of its
//! own ([`read_ahead`]), and the per-change work of the compression pool ([`prepare`]).
//!
//! The writer (the thread that owns the store) only chains each change to its file's previous
//! content and writes; reading the source (SQLite or JSON Lines), hashing and normalising the
//! content, diffing and compressing all happen elsewhere, so the three overlap. Chunks travel
//! through a bounded channel ([`READ_AHEAD`] chunks of [`CHUNK`] items), which bounds memory.

use std::sync::Arc;

use crossbeam_channel::Sender;

use super::{Change, ChangeKind, Content, ImportError, Item, Note};
use crate::hash::{Hashed, hash_bytes};
use crate::store::blob::{self, Base, Encoded};

/// Items (changes and notes) read, prepared and written together.
pub(super) const CHUNK: usize = 1024;

/// Chunks read ahead of the one being chained.
pub(super) const READ_AHEAD: usize = 2;

/// The last content of a path, as the next version's delta base.
#[derive(Clone)]
pub(super) struct Prev {
    /// Its hash.
    pub hash: String,
    /// Its (normalised) content, when the source had it.
    pub content: Option<Arc<Vec<u8>>>,
    /// Text or binary.
    pub is_text: bool,
    /// Its line count.
    pub lines: u64,
    /// An upper bound of its delta depth (exact once written).
    pub depth_bound: i64,
}

/// A change on its way into the store.
pub(super) struct Prepared {
    /// The change (its `content` moved out into `content` once hashed).
    pub change: Change,
    /// The content's identity, when it has content.
    pub hashed: Option<Hashed>,
    /// The normalised content.
    pub content: Option<Arc<Vec<u8>>>,
    /// The file's previous content.
    pub prev: Option<Prev>,
    /// Lines added and removed against `prev`.
    pub stats: (u64, u64),
    /// The content encoded for the store (by the pool).
    pub enc: Option<Encoded>,
    /// A rename whose old path is still live: record its deletion first.
    pub delete_old: bool,
}

impl Prepared {
    /// A change with its content hashed (and normalised).
    fn hashed(mut change: Change) -> Self {
        let (hashed, content) = match &mut change.content {
            Content::Bytes(bytes) => {
                let bytes = std::mem::take(bytes);
                let mut hashed = hash_bytes(&bytes, usize::MAX);
                let content = Arc::new(hashed.content.take().unwrap_or(bytes));
                (Some(hashed), Some(content))
            }
            _ => (None, None),
        };
        Self { change, hashed, content, prev: None, stats: (0, 0), enc: None, delete_old: false }
    }

    /// The hash the version records: the content's, or the source's for missing content.
    pub fn hash(&self) -> Option<&str> {
        match (&self.hashed, &self.change.content) {
            (Some(h), _) => Some(&h.hash),
            (None, Content::Missing) => self.change.claimed_hash.as_deref(),
            _ => None,
        }
    }
}

/// One chunk of the source, read and hashed.
#[derive(Default)]
pub(super) struct Staged {
    /// The changes, in order.
    pub changes: Vec<Prepared>,
    /// The notes that came with them.
    pub notes: Vec<Note>,
    /// The source failed after these items: nothing more follows.
    pub error: Option<ImportError>,
}

/// Reads `items` in chunks of [`CHUNK`], hashing each change's content, and sends the chunks
/// until the source ends, fails (the chunk carrying the error is the last) or the receiver is
/// gone (the writer stopped).
pub(super) fn read_ahead<I>(mut items: I, tx: &Sender<Staged>)
where
    I: Iterator<Item = Result<Item, ImportError>>,
{
    loop {
        let mut staged = Staged { changes: Vec::with_capacity(CHUNK), ..Staged::default() };
        let mut n = 0;
        for item in items.by_ref() {
            match item {
                Ok(Item::Change(c)) => staged.changes.push(Prepared::hashed(c)),
                Ok(Item::Note(note)) => staged.notes.push(note),
                Err(e) => {
                    staged.error = Some(e);
                    break;
                }
            }
            n += 1;
            if n == CHUNK {
                break;
            }
        }
        // A short chunk is the last one: the source ended or failed.
        let last = n < CHUNK;
        if (n == 0 && staged.error.is_none()) || tx.send(staged).is_err() || last {
            return;
        }
    }
}

/// Line statistics against the previous content, and (unless dry) the encoded content.
pub(super) fn prepare(p: &mut Prepared, dry: bool) {
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
