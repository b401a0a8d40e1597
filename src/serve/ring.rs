//! The ring of recent events, each encoded once as an SSE frame.
//!
//! Every subscriber reads from this one ring through its own cursor (a sequence number), so an
//! event costs its bytes once however many subscribers there are, and a subscriber costs no
//! per-event memory at all. The ring keeps the last `capacity` events: enough for the replay
//! window (`Last-Event-ID`) and for the most a subscriber may fall behind (its queue bound).
//!
//! Frame format (one SSE message):
//!
//! ```text
//! id: 42
//! event: modified
//! data: {"kind":"modified","path":"src/main.rs",...}
//!
//! ```

use std::collections::VecDeque;
use std::sync::Arc;

/// One published event and its encoded frame.
pub(crate) struct Frame {
    pub seq: u64,
    pub kind: Box<str>,
    pub path: Box<[u8]>,
    pub bytes: Box<[u8]>,
}

/// The last `capacity` frames, numbered from 1 (shared, so a writer thread can be handed the
/// frames it needs without copying their bytes).
pub(crate) struct Ring {
    frames: VecDeque<Arc<Frame>>,
    capacity: usize,
    next_seq: u64,
}

impl Ring {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self { frames: VecDeque::with_capacity(capacity.min(4096)), capacity, next_seq: 1 }
    }

    /// Appends an event and returns its sequence number (the SSE `id`).
    pub fn push(&mut self, kind: &str, path: Box<[u8]>, data: &str) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.frames.len() == self.capacity {
            self.frames.pop_front();
        }
        let kind = sanitize_kind(kind);
        let bytes = encode(Some(seq), &kind, data).into_boxed_slice();
        self.frames.push_back(Arc::new(Frame { seq, kind: kind.into(), path, bytes }));
        seq
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The sequence number of the oldest frame still held (`next_seq` when empty).
    pub fn first_seq(&self) -> u64 {
        self.frames.front().map_or(self.next_seq, |f| f.seq)
    }

    /// The frame numbered `seq`, if still held.
    pub fn get(&self, seq: u64) -> Option<&Frame> {
        let first = self.first_seq();
        if seq < first {
            return None;
        }
        self.frames.get(usize::try_from(seq - first).ok()?).map(|f| &**f)
    }

    /// A ring holding the frames from `from` on (those still held), for a writer thread that
    /// only serves subscribers whose cursors are at `from` or later: to them it is the same
    /// ring, down to `first_seq` being no later than any of their cursors.
    pub fn tail(&self, from: u64) -> Ring {
        let skip = usize::try_from(from.saturating_sub(self.first_seq())).unwrap_or(usize::MAX);
        let frames: VecDeque<Arc<Frame>> = self.frames.iter().skip(skip).cloned().collect();
        Ring { frames, capacity: self.capacity, next_seq: self.next_seq }
    }
}

/// A kind usable as an SSE event name: no line breaks, not empty.
fn sanitize_kind(kind: &str) -> String {
    if kind.is_empty() {
        return "message".to_owned();
    }
    kind.chars().map(|c| if c == '\n' || c == '\r' { '_' } else { c }).collect()
}

/// Encodes one SSE message; `data` is split into one `data:` line per line it holds (compact
/// JSON holds none, but a stray line break must not end the message early).
pub(crate) fn encode(id: Option<u64>, kind: &str, data: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + kind.len() + 32);
    if let Some(id) = id {
        out.extend_from_slice(format!("id: {id}\n").as_bytes());
    }
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(kind.as_bytes());
    out.push(b'\n');
    let normalized;
    let data = if data.contains('\r') {
        normalized = data.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        data
    };
    for line in data.split('\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// Why a subscriber is told to rescan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RescanReason {
    /// It fell more than its queue bound behind.
    Overflow,
    /// It asked to resume from an event no longer held (or from an unknown one).
    ReplayGone,
}

impl RescanReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Overflow => "client_overflow",
            Self::ReplayGone => "replay_gone",
        }
    }
}

/// The `rescan` message a subscriber gets instead of events it cannot have; its `id` is the
/// newest event it skipped, so a reconnect with `Last-Event-ID` resumes after it.
pub(crate) fn encode_rescan(last_seq: u64, reason: RescanReason, skipped: u64) -> Vec<u8> {
    let data = format!(
        r#"{{"kind":"rescan","path":"","is_dir":true,"reason":"{}","skipped":{skipped}}}"#,
        reason.as_str()
    );
    encode(Some(last_seq), "rescan", &data)
}

/// The data of the `rescan` event broadcast when publishers outran the event loop.
pub(crate) fn dropped_data(dropped: u64) -> String {
    format!(
        r#"{{"kind":"rescan","path":"","is_dir":true,"reason":"server_overflow","skipped":{dropped}}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_numbered_and_bounded() {
        let mut ring = Ring::new(3);
        for i in 0..5 {
            ring.push("modified", b"a".to_vec().into(), &format!("{{\"i\":{i}}}"));
        }
        assert_eq!(ring.first_seq(), 3);
        assert_eq!(ring.next_seq(), 6);
        assert!(ring.get(2).is_none());
        let f = ring.get(4).unwrap();
        assert_eq!(f.seq, 4);
        assert_eq!(&*f.bytes, b"id: 4\nevent: modified\ndata: {\"i\":3}\n\n");
    }

    #[test]
    fn a_tail_holds_the_newer_frames_and_the_same_next_seq() {
        let mut ring = Ring::new(4);
        for i in 0..6 {
            ring.push("modified", b"a".to_vec().into(), &format!("{{\"i\":{i}}}"));
        }
        let tail = ring.tail(5);
        assert_eq!((tail.first_seq(), tail.next_seq()), (5, 7));
        assert_eq!(tail.get(6).map(|f| &f.bytes), ring.get(6).map(|f| &f.bytes));
        assert!(tail.get(4).is_none());
        let old = ring.tail(1);
        assert_eq!((old.first_seq(), old.next_seq()), (3, 7));
        let none = ring.tail(7);
        assert_eq!((none.first_seq(), none.next_seq()), (7, 7));
    }

    #[test]
    fn line_breaks_in_data_become_data_lines() {
        let f = encode(None, "x", "a\r\nb\rc");
        assert_eq!(f, b"event: x\ndata: a\ndata: b\ndata: c\n\n");
        assert_eq!(sanitize_kind("a\nb"), "a_b");
    }
}
