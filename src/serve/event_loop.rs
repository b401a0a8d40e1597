//! The event loop: one thread, one epoll set (`mio`), every socket non-blocking (a long write
//! queue is written together with helper threads, `writers.rs`).
//!
//! Each turn: accept new connections; read request heads and answer them (a plain endpoint gets
//! its response and is closed; `/events` becomes a subscriber); drain the publishers' channel
//! into the ring and queue every subscriber that can take data; write to the next slice of the
//! queue (about a millisecond's worth of subscribers), at most 32 KiB each (a subscriber with
//! more goes to the back), so accepts and scrapes are answered in the middle of a large
//! broadcast (a new connection's request is read as soon as it is accepted); move subscribers
//! that cannot take data and fell more than their queue bound behind to the newest event (they
//! are owed a `rescan`); every half second, time out silent request heads, finish closing
//! connections, and send keep-alive comments when due. A subscriber whose socket is full is not written again until epoll says it
//! is writable, so a client that never reads costs one check per broadcast and nothing more.

use std::collections::VecDeque;
use std::io::{self, Read as _};
use std::net::Shutdown;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

use super::conn::{Conn, OwedRescan, Phase};
use super::filter::Filter;
use super::http::{self, Parsed, Request};
use super::ring::{RescanReason, Ring, dropped_data};
use super::writers::{CLOCK_EVERY, Outcome, PIECE, WRITE_BUDGET, Writers};
use super::{Msg, ServeOptions, Shared};

pub(crate) const LISTENER: Token = Token(0);
pub(crate) const WAKER: Token = Token(1);
const FIRST_CONN: usize = 2;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a closing connection waits for the peer to close.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a shutdown waits for subscribers to take their last events.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How often timers are checked.
const TICK: Duration = Duration::from_millis(500);
/// How long the loop writes to queued subscribers before it polls again while the write queue
/// is long, so new connections and scrapes are answered during a large broadcast.
const QUEUE_SLICE: Duration = Duration::from_millis(1);
/// Subscribers handed to the writer threads in one shared pass.
const PASS_MAX: usize = 16 * PIECE;

pub(crate) struct Loop {
    poll: Poll,
    listener: Option<TcpListener>,
    rx: Receiver<Msg>,
    shared: Arc<Shared>,
    opts: ServeOptions,
    conns: Vec<Option<Conn>>,
    free: Vec<usize>,
    ring: Ring,
    clients: u64,
    last_tick: Instant,
    tick_every: Duration,
    fan_out_every: usize,
    /// Subscribers with something to write, served a slice at a time between polls.
    queue: VecDeque<usize>,
    /// Publish times of events not yet written to every subscriber.
    in_flight: VecDeque<(u64, Instant)>,
    last_keepalive: Instant,
    stopping: Option<Instant>,
    scratch: Vec<u8>,
    /// Threads that share the writing of a long queue.
    writers: Writers,
}

impl Loop {
    pub fn new(
        poll: Poll,
        mut listener: TcpListener,
        rx: Receiver<Msg>,
        shared: Arc<Shared>,
        opts: ServeOptions,
    ) -> io::Result<Self> {
        poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
        let now = Instant::now();
        let ring_capacity = opts.replay.max(opts.client_queue).max(1);
        let tick_every = TICK.min(opts.keepalive).max(Duration::from_millis(5));
        let opts_writers = opts.writers;
        Ok(Self {
            poll,
            listener: Some(listener),
            rx,
            shared,
            ring: Ring::new(ring_capacity),
            opts,
            conns: Vec::new(),
            free: Vec::new(),
            clients: 0,
            last_tick: now,
            tick_every,
            fan_out_every: (ring_capacity / 2).max(1),
            queue: VecDeque::new(),
            in_flight: VecDeque::new(),
            last_keepalive: now,
            stopping: None,
            scratch: vec![0; 16 * 1024],
            writers: Writers::new(opts_writers)?,
        })
    }

    pub fn run(mut self) {
        let mut events = Events::with_capacity(1024);
        loop {
            let timeout = if self.queue.is_empty() { self.tick_every } else { Duration::ZERO };
            if let Err(e) = self.poll.poll(&mut events, Some(timeout)) {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                break;
            }
            for event in &events {
                match event.token() {
                    LISTENER => self.accept(),
                    WAKER => {}
                    Token(t) => {
                        let idx = t - FIRST_CONN;
                        if event.is_writable() || event.is_write_closed() || event.is_error() {
                            if let Some(c) = self.conns.get_mut(idx).and_then(Option::as_mut) {
                                c.blocked = false;
                            }
                            self.write(idx);
                        }
                        if event.is_readable() || event.is_read_closed() {
                            self.read(idx);
                        }
                    }
                }
            }
            self.drain();
            self.run_queue(Some(QUEUE_SLICE));
            let now = Instant::now();
            if now.duration_since(self.last_tick) >= self.tick_every {
                self.last_tick = now;
                self.tick(now);
            }
            if let Some(since) = self.stopping {
                self.reap_finished();
                if self.conns.iter().all(Option::is_none) || since.elapsed() >= SHUTDOWN_GRACE {
                    break;
                }
            }
        }
        for idx in 0..self.conns.len() {
            self.close(idx);
        }
    }

    fn accept(&mut self) {
        let Some(listener) = &self.listener else { return };
        let mut accepted = Vec::new();
        loop {
            match listener.accept() {
                Ok((mut sock, _)) => {
                    let _ = sock.set_nodelay(true);
                    let idx = self.free.pop().unwrap_or_else(|| {
                        self.conns.push(None);
                        self.conns.len() - 1
                    });
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if self
                        .poll
                        .registry()
                        .register(&mut sock, Token(idx + FIRST_CONN), interest)
                        .is_err()
                    {
                        self.free.push(idx);
                        continue;
                    }
                    self.conns[idx] = Some(Conn::new(sock, Instant::now()));
                    self.shared.metrics.connections.fetch_add(1, Ordering::Relaxed);
                    accepted.push(idx);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => {}
                // WouldBlock, or out of descriptors: the rest wait in the backlog.
                Err(_) => break,
            }
        }
        // A client usually sends its request right after connecting: answer it now rather than
        // a poll later (a scrape in the middle of a broadcast waits one write slice less).
        for idx in accepted {
            self.read(idx);
        }
    }

    fn close(&mut self, idx: usize) {
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::take) else { return };
        if conn.phase == Phase::Stream {
            self.clients -= 1;
            self.shared.metrics.clients.store(self.clients, Ordering::Relaxed);
        }
        self.shared.metrics.connections.fetch_sub(1, Ordering::Relaxed);
        let mut sock = conn.sock;
        let _ = self.poll.registry().deregister(&mut sock);
        self.free.push(idx);
    }

    fn read(&mut self, idx: usize) {
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { return };
        let mut eof = false;
        let mut failed = false;
        loop {
            match conn.sock.read(&mut self.scratch) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    if conn.phase == Phase::Request {
                        conn.inbuf.extend_from_slice(&self.scratch[..n]);
                        if conn.inbuf.len() > http::MAX_HEAD + 4 {
                            break;
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            return self.close(idx);
        }
        if conn.phase == Phase::Request && !conn.inbuf.is_empty() {
            match http::parse(&conn.inbuf) {
                Parsed::Incomplete if eof => return self.close(idx),
                Parsed::Incomplete => {}
                Parsed::Bad(code, why) => {
                    self.respond(idx, code, &http::error_response(code, why));
                    return;
                }
                Parsed::Done(req) => {
                    conn.inbuf = Vec::new();
                    self.handle(idx, &req);
                    return;
                }
            }
        }
        if eof {
            self.close(idx);
        }
    }

    /// Writes what the connection is owed, up to [`WRITE_BUDGET`] bytes; a subscriber with more
    /// to send goes (back) into the write queue, behind everyone else.
    fn write(&mut self, idx: usize) {
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { return };
        let result = conn.flush(&self.ring, WRITE_BUDGET);
        self.wrote((idx, result));
    }

    /// Applies what a write did: requeue a subscriber with more to send, count an overflow,
    /// finish a closing connection, close a broken one.
    fn wrote(&mut self, (idx, result): Outcome) {
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { return };
        match result {
            Ok((overflowed, more)) => {
                if overflowed {
                    self.shared.metrics.client_rescans.fetch_add(1, Ordering::Relaxed);
                }
                if more && !conn.queued {
                    conn.queued = true;
                    self.queue.push_back(idx);
                }
                if conn.phase == Phase::Closing && conn.out_is_empty() && !conn.shut {
                    conn.shut = true;
                    let _ = conn.sock.shutdown(Shutdown::Write);
                }
            }
            Err(_) => self.close(idx),
        }
    }

    /// Writes to queued subscribers for about `slice` (all of them with `None`); when the queue
    /// empties, every event published before has been written to every subscriber that could
    /// take it.
    fn run_queue(&mut self, slice: Option<Duration>) {
        let until = slice.map(|s| Instant::now() + s);
        // A long queue is written by every writer thread at once, a pass at a time (a pass
        // requeues subscribers with more to send, behind the ones not reached).
        while self.writers.worth_sharing(self.queue.len()) {
            // At most a pass's worth: connections are lent out whole, so lending 10,000 when a
            // slice writes a few hundred would cost more than the writing.
            let take = self.queue.len().min(PASS_MAX);
            let batch: Vec<usize> = self.queue.drain(..take).collect();
            let (outcomes, left) =
                self.writers.write_shared(&mut self.conns, &self.ring, &batch, until);
            for idx in left.into_iter().rev() {
                self.queue.push_front(idx);
            }
            for outcome in outcomes {
                self.wrote(outcome);
            }
            if until.is_some_and(|t| Instant::now() >= t) {
                self.observe_broadcast();
                return;
            }
        }
        let mut written = 0;
        while let Some(idx) = self.queue.pop_front() {
            let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { continue };
            conn.queued = false;
            if !conn.blocked {
                self.write(idx);
                written += 1;
                if written % CLOCK_EVERY == 0 && until.is_some_and(|t| Instant::now() >= t) {
                    break;
                }
            }
        }
        self.observe_broadcast();
    }

    /// Records the broadcast latency of every event now written to every subscriber that can
    /// take data (its cursor is past the event; blocked subscribers are not waited for).
    fn observe_broadcast(&mut self) {
        if self.in_flight.is_empty() {
            return;
        }
        let min = if self.queue.is_empty() {
            u64::MAX
        } else {
            self.conns
                .iter()
                .flatten()
                .filter(|c| c.phase == Phase::Stream && !c.blocked)
                .map(|c| c.cursor)
                .min()
                .unwrap_or(u64::MAX)
        };
        let now = Instant::now();
        while let Some(&(seq, at)) = self.in_flight.front() {
            if seq >= min {
                break;
            }
            self.shared.metrics.broadcast.observe(now.duration_since(at));
            self.in_flight.pop_front();
        }
    }

    /// Sends a complete response, then closes once the peer has read it.
    fn respond(&mut self, idx: usize, code: u16, bytes: &[u8]) {
        self.shared.metrics.count_response(code);
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { return };
        conn.phase = Phase::Closing;
        conn.since = Instant::now();
        conn.inbuf = Vec::new();
        conn.push_out(bytes);
        self.write(idx);
    }

    fn handle(&mut self, idx: usize, req: &Request) {
        if let Some(token) = &self.opts.token
            && !http::request_authorized(req, token.as_bytes())
        {
            let body = http::error_response(401, "missing or bad bearer token");
            return self.respond(idx, 401, &body);
        }
        let known = matches!(req.path.as_str(), "/events" | "/metrics" | "/healthz" | "/readyz");
        if !known {
            return self.respond(idx, 404, &http::error_response(404, "no such endpoint"));
        }
        if req.method != "GET" {
            return self.respond(idx, 405, &http::error_response(405, "only GET is served"));
        }
        let json = "application/json";
        match req.path.as_str() {
            "/events" => self.subscribe(idx, req),
            "/metrics" => {
                let body = self.shared.metrics.render();
                let ct = "text/plain; version=0.0.4; charset=utf-8";
                self.respond(idx, 200, &http::response(200, ct, "", body.as_bytes()));
            }
            "/healthz" => {
                let body = serde_json::json!({
                    "status": "ok",
                    "clients": self.clients,
                    "last_event_id": self.ring.next_seq() - 1,
                })
                .to_string();
                self.respond(idx, 200, &http::response(200, json, "", body.as_bytes()));
            }
            _ => {
                let ready = self.shared.ready.load(Ordering::Relaxed) && self.stopping.is_none();
                let (code, status) = if ready { (200, "ready") } else { (503, "not_ready") };
                let body = serde_json::json!({ "status": status }).to_string();
                self.respond(idx, code, &http::response(code, json, "", body.as_bytes()));
            }
        }
    }

    fn subscribe(&mut self, idx: usize, req: &Request) {
        let filter = match Filter::parse(&req.query) {
            Ok(f) => f,
            Err(e) => return self.respond(idx, 400, &http::error_response(400, &e.0)),
        };
        if self.stopping.is_some() {
            return self.respond(idx, 503, &http::error_response(503, "shutting down"));
        }
        self.shared.metrics.count_response(200);
        let Some(conn) = self.conns.get_mut(idx).and_then(Option::as_mut) else { return };
        conn.phase = Phase::Stream;
        conn.filter = filter;
        conn.push_out(http::STREAM_HEAD);
        conn.cursor = self.ring.next_seq();
        if let Some(raw) = &req.last_event_id {
            let next = self.ring.next_seq();
            let oldest = self.ring.first_seq().max(next.saturating_sub(self.opts.replay as u64));
            let resume = std::str::from_utf8(raw).ok().and_then(|s| s.trim().parse::<u64>().ok());
            match resume {
                Some(last) if last < next && last + 1 >= oldest => conn.cursor = last + 1,
                // Gone from the replay window, from a previous run, or unreadable.
                _ => {
                    let skipped = resume.map_or(0, |last| next.saturating_sub(last + 1));
                    conn.rescan = Some(OwedRescan {
                        last_seq: next - 1,
                        reason: RescanReason::ReplayGone,
                        skipped,
                    });
                }
            }
        }
        self.clients += 1;
        self.shared.metrics.clients.store(self.clients, Ordering::Relaxed);
        self.write(idx);
    }

    /// Takes everything the publishers sent into the ring, then writes to the subscribers.
    fn drain(&mut self) {
        self.shared.clear_wake();
        let mut stamps: Vec<(u64, Instant)> = Vec::new();
        let mut stop = false;
        let dropped = self.shared.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            self.shared.metrics.publish_dropped.fetch_add(dropped, Ordering::Relaxed);
        }
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                Msg::Event(p) => {
                    let seq = self.ring.push(&p.kind, p.path, &p.data);
                    stamps.push((seq, p.at));
                    // A burst larger than the ring is written out in halves, so subscribers
                    // that keep up never lose events to the ring wrapping under them.
                    if stamps.len().is_multiple_of(self.fan_out_every) {
                        self.fan_out();
                        while !self.queue.is_empty() {
                            self.run_queue(None);
                        }
                    }
                }
                Msg::Shutdown(last) => {
                    if let Some(p) = last {
                        self.ring.push(&p.kind, p.path, &p.data);
                    }
                    stop = true;
                    break;
                }
            }
        }
        if dropped > 0 {
            self.ring.push("rescan", Box::default(), &dropped_data(dropped));
        }
        if stop {
            self.begin_stop();
        }
        if stamps.is_empty() && dropped == 0 && !stop {
            return;
        }
        self.in_flight.extend(stamps);
        self.fan_out();
        self.run_queue(Some(QUEUE_SLICE));
    }

    /// Queues every subscriber for writing and moves those that cannot take data and fell
    /// more than their queue bound behind to the newest event.
    fn fan_out(&mut self) {
        let limit = self.opts.client_queue as u64;
        for idx in 0..self.conns.len() {
            let Some(conn) = self.conns[idx].as_mut() else { continue };
            if conn.phase != Phase::Stream {
                continue;
            }
            if !conn.blocked {
                if !conn.queued {
                    conn.queued = true;
                    self.queue.push_back(idx);
                }
                continue;
            }
            let behind = self.ring.next_seq().saturating_sub(conn.cursor);
            if behind > limit || conn.cursor < self.ring.first_seq() {
                let skipped = conn.skip_ahead(&self.ring, RescanReason::Overflow);
                let m = &self.shared.metrics;
                m.client_rescans.fetch_add(1, Ordering::Relaxed);
                m.events_skipped.fetch_add(skipped, Ordering::Relaxed);
            }
        }
    }

    fn begin_stop(&mut self) {
        self.stopping = Some(Instant::now());
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
        }
        for idx in 0..self.conns.len() {
            if self.conns[idx].as_ref().is_some_and(|c| c.phase == Phase::Request) {
                self.close(idx);
            }
        }
    }

    /// While stopping: subscribers that took everything are closed.
    fn reap_finished(&mut self) {
        for idx in 0..self.conns.len() {
            let done = self.conns[idx].as_ref().is_some_and(|c| c.caught_up(&self.ring));
            if done {
                if let Some(c) = self.conns[idx].as_mut() {
                    let _ = c.sock.shutdown(Shutdown::Write);
                }
                self.close(idx);
            }
        }
    }

    fn tick(&mut self, now: Instant) {
        // Accepting stops when descriptors run out; epoll reports the listener only on the next
        // connection, so connections left in the backlog are retried here.
        self.accept();
        let keepalive = now.duration_since(self.last_keepalive) >= self.opts.keepalive;
        if keepalive {
            self.last_keepalive = now;
        }
        for idx in 0..self.conns.len() {
            let Some(conn) = self.conns[idx].as_mut() else { continue };
            match conn.phase {
                Phase::Request if now.duration_since(conn.since) >= HEAD_TIMEOUT => {
                    self.respond(idx, 408, &http::error_response(408, "request head timed out"));
                }
                Phase::Closing if now.duration_since(conn.since) >= CLOSE_TIMEOUT => {
                    self.close(idx);
                }
                Phase::Stream if keepalive => {
                    if conn.idle && conn.out_is_empty() && !conn.blocked {
                        conn.push_out(b": keepalive\n\n");
                        self.write(idx);
                    }
                    if let Some(conn) = self.conns[idx].as_mut() {
                        conn.idle = true;
                    }
                }
                _ => {}
            }
        }
    }
}
