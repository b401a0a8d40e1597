//! One connection: its phase, its few private bytes, and (for a subscriber) its cursor into the
//! event ring.
//!
//! What a subscriber is sent, in order: `out` (its own bytes: the response head, the rest of a
//! frame a partial write cut, keep-alive comments), then a pending `rescan` if it skipped ahead,
//! then the ring's frames from `cursor` on that its filter accepts. Frames are never copied to a
//! subscriber except for the tail of one cut by a partial write, so `out` stays a few hundred
//! bytes however far behind the subscriber is; how far behind it may fall is bounded by the
//! event loop, which moves a lagging cursor to the newest event and leaves a `rescan`.

use std::io::{self, IoSlice, Write as _};
use std::time::Instant;

use mio::net::TcpStream;

use super::filter::Filter;
use super::ring::{RescanReason, Ring, encode_rescan};

/// Frames gathered into one `writev` (enough for a write budget's worth of small frames: a
/// burst costs one system call per subscriber per turn, and the reader fewer, larger reads).
const MAX_IOV: usize = 256;
/// Slices gathered for a subscriber owed only a few frames (its private bytes and up to
/// `FEW_IOV - 1` frames).
const FEW_IOV: usize = 8;
/// Bytes gathered into one `writev`.
const MAX_WRITE: usize = 256 * 1024;

/// Where a connection is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Reading the request head.
    Request,
    /// An event stream.
    Stream,
    /// Sending a final response, then waiting for the peer to close.
    Closing,
}

/// A rescan owed to a subscriber, sent once its private bytes are out.
#[derive(Clone, Copy)]
pub(crate) struct OwedRescan {
    pub last_seq: u64,
    pub reason: RescanReason,
    pub skipped: u64,
}

pub(crate) struct Conn {
    pub sock: TcpStream,
    pub phase: Phase,
    /// When the connection was accepted, or when it started closing.
    pub since: Instant,
    /// The request head read so far (empty once parsed).
    pub inbuf: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    /// The next event to consider sending.
    pub cursor: u64,
    pub filter: Filter,
    /// The last write hit `WouldBlock`: wait for a writable event before trying again.
    pub blocked: bool,
    /// Wrote nothing since the last keep-alive round.
    pub idle: bool,
    /// The write side was shut down (closing connections).
    pub shut: bool,
    pub rescan: Option<OwedRescan>,
    /// Waiting in the loop's write queue.
    pub queued: bool,
}

impl Conn {
    pub fn new(sock: TcpStream, now: Instant) -> Self {
        Self {
            sock,
            phase: Phase::Request,
            since: now,
            inbuf: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            cursor: 0,
            filter: Filter::default(),
            blocked: false,
            idle: true,
            shut: false,
            rescan: None,
            queued: false,
        }
    }

    /// Queues private bytes (sent before any further frame).
    pub fn push_out(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// True when nothing of this connection's own is waiting to be written.
    pub fn out_is_empty(&self) -> bool {
        self.out_pos == self.out.len() && self.rescan.is_none()
    }

    /// True when everything owed, frames included, has been written.
    pub fn caught_up(&self, ring: &Ring) -> bool {
        self.out_is_empty() && (self.phase != Phase::Stream || self.cursor >= ring.next_seq())
    }

    /// Moves the cursor to the newest event and owes the subscriber a `rescan` for the events
    /// it skips; returns how many it skipped.
    pub fn skip_ahead(&mut self, ring: &Ring, reason: RescanReason) -> u64 {
        let skipped = ring.next_seq().saturating_sub(self.cursor);
        self.cursor = ring.next_seq();
        let last_seq = ring.next_seq() - 1;
        let total = self.rescan.map_or(0, |r| r.skipped) + skipped;
        self.rescan = Some(OwedRescan { last_seq, reason, skipped: total });
        skipped
    }

    /// Writes as much as the socket takes, up to about `budget` bytes (so one subscriber with a
    /// large backlog cannot hold up the loop). Returns (the subscriber lost events because its
    /// cursor fell out of the ring, so the caller counts it; more is left to write within the
    /// socket's reach); errors mean the peer is gone.
    pub fn flush(&mut self, ring: &Ring, budget: usize) -> io::Result<(bool, bool)> {
        // The gathering arrays are zeroed on every call: a subscriber owed a few frames (the
        // usual case once it keeps up) gets small ones.
        if ring.next_seq().saturating_sub(self.cursor) < FEW_IOV as u64 {
            self.flush_with::<FEW_IOV>(ring, budget)
        } else {
            self.flush_with::<MAX_IOV>(ring, budget)
        }
    }

    /// [`Conn::flush`] gathering up to `N` slices per `writev`.
    fn flush_with<const N: usize>(
        &mut self,
        ring: &Ring,
        budget: usize,
    ) -> io::Result<(bool, bool)> {
        let mut overflowed = false;
        let mut spent = 0;
        if self.phase == Phase::Stream && self.cursor < ring.first_seq() {
            self.skip_ahead(ring, RescanReason::Overflow);
            overflowed = true;
        }
        loop {
            if self.out_pos == self.out.len() {
                self.out.clear();
                self.out_pos = 0;
                if self.out.capacity() > 64 * 1024 {
                    self.out = Vec::new();
                }
                if let Some(r) = self.rescan.take() {
                    self.out = encode_rescan(r.last_seq, r.reason, r.skipped);
                }
            }
            let mut iov = [IoSlice::new(&[]); N];
            let mut sent: [(u64, usize); N] = [(0, 0); N];
            let mut n_iov = 0;
            let mut n_frames = 0;
            let mut total = 0;
            if self.out_pos < self.out.len() {
                iov[0] = IoSlice::new(&self.out[self.out_pos..]);
                total = self.out.len() - self.out_pos;
                n_iov = 1;
            }
            let mut scan = self.cursor;
            // An owed rescan goes out between the private bytes and the next frame: no frame
            // may pass it while the tail of a cut frame is still being written.
            if self.phase == Phase::Stream && self.rescan.is_none() {
                while scan < ring.next_seq() && n_iov < N && total < MAX_WRITE {
                    let Some(frame) = ring.get(scan) else { break };
                    if self.filter.matches(frame) {
                        iov[n_iov] = IoSlice::new(&frame.bytes);
                        sent[n_frames] = (scan, frame.bytes.len());
                        n_iov += 1;
                        n_frames += 1;
                        total += frame.bytes.len();
                    }
                    scan += 1;
                }
            }
            if total == 0 {
                self.cursor = scan;
                return Ok((overflowed, false));
            }
            if spent >= budget {
                return Ok((overflowed, true));
            }
            let written = match self.sock.write_vectored(&iov[..n_iov]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.blocked = true;
                    return Ok((overflowed, false));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.idle = false;
            spent += written;
            let mut left = written;
            let own = (self.out.len() - self.out_pos).min(left);
            self.out_pos += own;
            left -= own;
            let mut all = true;
            for &(seq, len) in &sent[..n_frames] {
                if left >= len {
                    left -= len;
                    self.cursor = seq + 1;
                } else {
                    if left > 0 {
                        // The tail of a cut frame becomes private bytes: frames from the cursor
                        // on are always whole.
                        if let Some(frame) = ring.get(seq) {
                            self.out.clear();
                            self.out_pos = 0;
                            self.out.extend_from_slice(&frame.bytes[left..]);
                        }
                        self.cursor = seq + 1;
                    } else {
                        self.cursor = seq;
                    }
                    all = false;
                    break;
                }
            }
            if all && written == total {
                self.cursor = scan;
            }
        }
    }
}
