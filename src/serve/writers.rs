//! The write pass shared with helper threads, so one broadcast can use every core.
//!
//! Nearly all the cost of a broadcast is the kernel's send path, one `writev` per subscriber
//! (on loopback it also runs the receiving side), so one thread writing to 1,000 subscribers is
//! bound to one core. The event loop still owns every connection and does everything else
//! (accepting, requests, timers, the ring); only the writing of a long queue is shared: the
//! queued subscribers are lent out in pieces of [`PIECE`] (taken out of the connection table,
//! in queue order) together with the tail of the ring they need (frames are shared, not
//! copied), and the loop thread and the helpers each take the next piece until none is left.
//!
//! The loop never waits for a helper that has not started: a helper the scheduler has not run
//! yet finds nothing left when it does, and the loop only waits for pieces a helper is in the
//! middle of. So on a busy machine a pass costs what one thread writing alone would, and any
//! free core makes it shorter. What each write did is handed back to the loop, which applies it
//! (requeueing, counting, closing); a subscriber is in one piece at a time, so its frames stay in
//! order.

use std::io;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use super::conn::{Conn, Phase};
use super::ring::Ring;

/// Subscribers written between two looks at the clock.
pub(crate) const CLOCK_EVERY: usize = 8;
/// Bytes written to one subscriber before the next one's turn.
pub(crate) const WRITE_BUDGET: usize = 32 * 1024;
/// Subscribers in one piece of a shared pass.
pub(crate) const PIECE: usize = 32;

/// What a write did to one connection: `Conn::flush`'s answer.
pub(crate) type Outcome = (usize, io::Result<(bool, bool)>);

/// Subscribers lent out together: (table index, the connection).
type Piece = Vec<(usize, Conn)>;

/// What came back from one piece: its number, the outcomes, the subscribers not reached
/// before the deadline (still queued), and the connections to put back.
struct Done {
    number: usize,
    outcomes: Vec<Outcome>,
    left: Vec<usize>,
    conns: Piece,
}

/// One shared write pass.
struct Pass {
    ring: Ring,
    until: Option<Instant>,
    state: Mutex<PassState>,
    idle: Condvar,
}

struct PassState {
    /// Pieces not taken yet, numbered, the next one last.
    todo: Vec<(usize, Piece)>,
    /// Pieces being written by some thread.
    busy: usize,
    done: Vec<Done>,
}

impl Pass {
    fn lock(&self) -> std::sync::MutexGuard<'_, PassState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes and writes pieces until none is left (or the deadline passed: the rest go back
    /// untouched).
    fn work(&self) {
        loop {
            let (number, piece) = {
                let mut st = self.lock();
                let past = self.until.is_some_and(|t| Instant::now() >= t);
                let next = if past { None } else { st.todo.pop() };
                let Some(next) = next else { return };
                st.busy += 1;
                next
            };
            let done = self.write_piece(number, piece);
            let mut st = self.lock();
            st.done.push(done);
            st.busy -= 1;
            if st.busy == 0 {
                self.idle.notify_all();
            }
        }
    }

    /// Writes to the subscribers of a piece as the loop would one by one: each is taken out of
    /// the queue, and written unless its socket is full.
    fn write_piece(&self, number: usize, mut conns: Piece) -> Done {
        let mut outcomes = Vec::with_capacity(conns.len());
        let mut left = Vec::new();
        let mut written = 0;
        let mut past = false;
        for (idx, conn) in &mut conns {
            if past {
                left.push(*idx);
                continue;
            }
            conn.queued = false;
            if conn.blocked {
                continue;
            }
            outcomes.push((*idx, conn.flush(&self.ring, WRITE_BUDGET)));
            written += 1;
            past = written % CLOCK_EVERY == 0 && self.until.is_some_and(|t| Instant::now() >= t);
        }
        Done { number, outcomes, left, conns }
    }
}

/// The helper threads; none when there is one writer.
pub(crate) struct Writers {
    tx: Option<Sender<Arc<Pass>>>,
    helpers: Vec<JoinHandle<()>>,
}

impl Writers {
    /// `writers` writing threads in all: the loop thread and `writers - 1` helpers.
    pub fn new(writers: usize) -> io::Result<Self> {
        let mut helpers = Vec::new();
        if writers <= 1 {
            return Ok(Self { tx: None, helpers });
        }
        let (tx, rx): (Sender<Arc<Pass>>, Receiver<Arc<Pass>>) = crossbeam_channel::unbounded();
        for i in 1..writers {
            let rx = rx.clone();
            let helper =
                std::thread::Builder::new().name(format!("obby-serve-w{i}")).spawn(move || {
                    for pass in rx {
                        pass.work();
                    }
                })?;
            helpers.push(helper);
        }
        Ok(Self { tx: Some(tx), helpers })
    }

    /// True when a queue this long is worth sharing.
    pub fn worth_sharing(&self, queued: usize) -> bool {
        self.tx.is_some() && queued >= 2 * PIECE
    }

    /// Writes to the subscribers in `batch` (queue order, each index once), shared with the
    /// helpers, until `until`. Returns the outcomes of the writes made and the subscribers not
    /// reached (still queued, in their order); every connection is back in `conns`.
    pub fn write_shared(
        &self,
        conns: &mut [Option<Conn>],
        ring: &Ring,
        batch: &[usize],
        until: Option<Instant>,
    ) -> (Vec<Outcome>, Vec<usize>) {
        let mut lent: Vec<(usize, Conn)> = Vec::with_capacity(batch.len());
        for &idx in batch {
            if let Some(conn) = conns.get_mut(idx).and_then(Option::take) {
                lent.push((idx, conn));
            }
        }
        // Only event streams read the ring (a closing connection's cursor means nothing).
        let from = lent
            .iter()
            .filter(|(_, c)| c.phase == Phase::Stream)
            .map(|(_, c)| c.cursor)
            .min()
            .unwrap_or(ring.next_seq());
        let mut todo: Vec<(usize, Piece)> = Vec::new();
        let mut lent = lent.into_iter().peekable();
        while lent.peek().is_some() {
            todo.push((todo.len(), lent.by_ref().take(PIECE).collect()));
        }
        let pieces = todo.len();
        todo.reverse();
        let pass = Arc::new(Pass {
            ring: ring.tail(from),
            until,
            state: Mutex::new(PassState { todo, busy: 0, done: Vec::with_capacity(pieces) }),
            idle: Condvar::new(),
        });
        if let Some(tx) = &self.tx {
            for _ in &self.helpers {
                let _ = tx.send(Arc::clone(&pass));
            }
        }
        pass.work();
        let (mut done, todo) = {
            let mut st = pass.lock();
            while st.busy > 0 {
                st = pass.idle.wait(st).unwrap_or_else(PoisonError::into_inner);
            }
            (std::mem::take(&mut st.done), std::mem::take(&mut st.todo))
        };
        // Pieces nobody took (the deadline passed) are still queued, whole.
        done.extend(todo.into_iter().map(|(number, conns)| Done {
            number,
            outcomes: Vec::new(),
            left: conns.iter().map(|(i, _)| *i).collect(),
            conns,
        }));
        done.sort_unstable_by_key(|d| d.number);
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut left = Vec::new();
        for d in done {
            for (idx, conn) in d.conns {
                conns[idx] = Some(conn);
            }
            outcomes.extend(d.outcomes);
            left.extend(d.left);
        }
        (outcomes, left)
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        self.tx = None;
        for helper in self.helpers.drain(..) {
            let _ = helper.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;
    use std::net::{TcpListener, TcpStream};

    use super::*;

    /// `n` queued subscribers on real loopback sockets, and the peers that read them.
    fn subscribers(n: usize) -> (Vec<Option<Conn>>, Vec<TcpStream>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut conns = Vec::new();
        let mut peers = Vec::new();
        for _ in 0..n {
            let peer = TcpStream::connect(addr).unwrap();
            let (sock, _) = listener.accept().unwrap();
            sock.set_nonblocking(true).unwrap();
            let mut conn = Conn::new(mio::net::TcpStream::from_std(sock), Instant::now());
            conn.phase = Phase::Stream;
            conn.cursor = 1;
            conn.queued = true;
            conns.push(Some(conn));
            peers.push(peer);
        }
        (conns, peers)
    }

    fn ring(events: usize) -> Ring {
        let mut ring = Ring::new(16);
        for i in 0..events {
            ring.push("modified", b"a".to_vec().into(), &format!("{{\"i\":{i}}}"));
        }
        ring
    }

    #[test]
    fn a_shared_pass_writes_every_subscriber_once_in_order() {
        let (mut conns, mut peers) = subscribers(100);
        let ring = ring(3);
        let writers = Writers::new(3).unwrap();
        assert!(writers.worth_sharing(100));
        let batch: Vec<usize> = (0..100).rev().collect();
        let (outcomes, left) = writers.write_shared(&mut conns, &ring, &batch, None);
        assert!(left.is_empty());
        let mut written: Vec<usize> = outcomes.iter().map(|(i, _)| *i).collect();
        assert_eq!(written, batch, "outcomes come back in queue order");
        written.sort_unstable();
        assert_eq!(written, (0..100).collect::<Vec<_>>());
        let want: Vec<u8> = (1..=3).flat_map(|s| ring.get(s).unwrap().bytes.to_vec()).collect();
        for (conn, peer) in conns.iter().zip(&mut peers) {
            let conn = conn.as_ref().expect("every connection is put back");
            assert!(!conn.queued && conn.cursor == 4);
            let mut got = vec![0; want.len()];
            peer.read_exact(&mut got).unwrap();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_pass_past_its_deadline_leaves_everyone_queued() {
        let (mut conns, _peers) = subscribers(70);
        let writers = Writers::new(2).unwrap();
        let batch: Vec<usize> = (0..70).collect();
        let past = Some(Instant::now());
        let (outcomes, left) = writers.write_shared(&mut conns, &ring(1), &batch, past);
        assert!(outcomes.is_empty());
        assert_eq!(left, batch);
        assert!(conns.iter().all(|c| c.as_ref().is_some_and(|c| c.queued && c.cursor == 1)));
    }
}
