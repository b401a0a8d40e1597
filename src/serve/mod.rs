//! The live-event server behind `obby watch --serve`: Server-Sent Events, metrics and health
//! checks over HTTP/1.1, built to hold thousands of subscribers on a small machine.
//!
//! The watcher hands each finished event to a [`Publisher`]; one event-loop thread (epoll through
//! `mio`) owns every socket: it accepts, parses requests incrementally, and writes to
//! non-blocking sockets. Publishing never blocks the watcher: events go through a bounded channel
//! and a waker, and a full channel becomes a `rescan` event rather than a stall. Writing a
//! broadcast to many subscribers (nearly all of it the kernel's send path) is shared by
//! [`ServeOptions::writers`] threads, the loop's included, so it uses every core (`writers.rs`).
//!
//! Each published event is encoded once into an SSE frame and kept in a ring buffer
//! (`ring.rs`); a subscriber is only a cursor into that ring plus a few bytes of its own
//! (`conn.rs`), so 10,000 subscribers cost a few megabytes, and one `writev` per subscriber per
//! wake-up sends every frame it is owed without copying. A subscriber that falls more than
//! [`ServeOptions::client_queue`] events behind (it reads too slowly, or never) skips ahead to
//! the newest event and receives one `rescan` event instead, so it can never hold memory or slow
//! anyone else; a reconnecting subscriber that sends `Last-Event-ID` is replayed what it missed
//! from the last [`ServeOptions::replay`] events, or gets a `rescan` when they are gone.
//!
//! Endpoints (see `docs/serve.md`): `GET /events` (`?path=GLOB`, `?kind=KIND`), `GET /metrics`
//! (Prometheus text, [`Metrics`]), `GET /healthz`, `GET /readyz`. With a token every request
//! needs `Authorization: Bearer TOKEN` (compared in constant time) or gets 401.

mod conn;
mod event_loop;
mod filter;
mod http;
mod metrics;
mod ring;
#[cfg(test)]
mod tests;
mod writers;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError};

pub use metrics::{Histogram, Metrics};

/// Events a subscriber that reconnects can be replayed, by default.
pub const DEFAULT_REPLAY: usize = 1024;
/// Events a subscriber may fall behind before it skips ahead with a `rescan`, by default.
pub const DEFAULT_CLIENT_QUEUE: usize = 4096;
/// Interval of the keep-alive comments on idle event streams, by default.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(15);
/// Most writer threads [`ServeOptions::new`] picks, however many cores there are.
pub const MAX_WRITERS: usize = 8;
/// Events the publisher may queue ahead of the event loop before they become a `rescan`.
const CHANNEL_CAPACITY: usize = 65_536;

/// How the server listens and treats its subscribers.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Allow a non-loopback address (anyone who can reach it can read the events).
    pub public: bool,
    /// When set, every request needs `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// How many recent events a reconnecting subscriber can be replayed (`Last-Event-ID`).
    pub replay: usize,
    /// How many events a subscriber may fall behind before it skips ahead with a `rescan`.
    pub client_queue: usize,
    /// Interval of the keep-alive comments on idle event streams.
    pub keepalive: Duration,
    /// Threads that write a broadcast to subscribers together (the event loop's and
    /// `writers - 1` helpers); 1 writes from the event loop alone.
    pub writers: usize,
}

impl ServeOptions {
    /// Options with the defaults for `addr`: loopback only, no token, [`DEFAULT_REPLAY`],
    /// [`DEFAULT_CLIENT_QUEUE`], [`DEFAULT_KEEPALIVE`], one writer thread per core (at most
    /// [`MAX_WRITERS`]).
    #[must_use]
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            public: false,
            token: None,
            replay: DEFAULT_REPLAY,
            client_queue: DEFAULT_CLIENT_QUEUE,
            keepalive: DEFAULT_KEEPALIVE,
            writers: std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WRITERS)),
        }
    }
}

/// The server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Another process listens on the address.
    #[error("cannot listen on `{addr}`: the address is already in use")]
    AddrInUse {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// Binding failed for another reason (no such local address, permission).
    #[error("cannot listen on `{addr}`")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A non-loopback address without [`ServeOptions::public`].
    #[error("refusing to serve events on the non-loopback address `{addr}`")]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The event loop could not be set up (epoll, eventfd, thread).
    #[error("cannot start the event server")]
    Start(#[source] std::io::Error),
}

impl ServeError {
    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::AddrInUse { .. } => {
                Some("pick another port with `--serve ADDR`, or stop the process that uses it")
            }
            Self::NotLoopback { .. } => Some(
                "add `--serve-public` to serve other machines (and consider `--serve-token`), \
                 or serve on 127.0.0.1",
            ),
            Self::Bind { .. } | Self::Start(_) => None,
        }
    }
}

/// One event on its way from a publisher to the event loop.
pub(crate) struct Published {
    pub kind: Box<str>,
    pub path: Box<[u8]>,
    pub data: String,
    pub at: Instant,
}

/// What publishers tell the event loop.
pub(crate) enum Msg {
    Event(Published),
    Shutdown(Option<Published>),
}

/// State shared by the server handle, its publishers and the event loop.
pub(crate) struct Shared {
    tx: Sender<Msg>,
    waker: mio::Waker,
    /// Set by a publisher that woke the loop, cleared by the loop before it drains the channel:
    /// a burst of events costs one wake-up, not one per event.
    wake_pending: AtomicBool,
    pub ready: AtomicBool,
    /// Events lost because the channel was full, not yet announced as a `rescan`.
    pub dropped: AtomicU64,
    pub metrics: Arc<Metrics>,
}

impl Shared {
    fn wake(&self) {
        if !self.wake_pending.swap(true, Ordering::SeqCst) {
            let _ = self.waker.wake();
        }
    }

    /// Called by the loop before it drains the channel.
    pub(crate) fn clear_wake(&self) {
        self.wake_pending.store(false, Ordering::SeqCst);
    }
}

/// Hands events to the server; cheap to clone, never blocks.
#[derive(Clone)]
pub struct Publisher {
    shared: Arc<Shared>,
}

impl Publisher {
    /// Publishes one event to every subscriber whose filters match.
    ///
    /// `kind` is the SSE `event:` name and what `?kind=` matches, `path` (store-relative bytes)
    /// is what `?path=GLOB` matches, and `data_json` is the event's `data` object exactly as
    /// `obby watch --json` prints it. Also counts the event in [`Metrics`] by kind. Returns at
    /// once: when the event loop is far behind, the event is dropped and subscribers get a
    /// `rescan` event instead.
    pub fn publish(&self, kind: &str, path: &[u8], data_json: String) {
        self.shared.metrics.count_event(kind);
        let msg = Msg::Event(Published {
            kind: kind.into(),
            path: path.into(),
            data: data_json,
            at: Instant::now(),
        });
        match self.shared.tx.try_send(msg) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
        self.shared.wake();
    }
}

/// A running event server: owns the listener and the event-loop thread.
///
/// Dropping it stops the loop (without a final event); [`Server::shutdown`] is the graceful way.
pub struct Server {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    local_addr: SocketAddr,
}

impl Server {
    /// Binds the address and starts the event loop.
    ///
    /// # Errors
    /// [`ServeError::NotLoopback`] for a non-loopback address without `opts.public`,
    /// [`ServeError::AddrInUse`] / [`ServeError::Bind`] naming the address, [`ServeError::Start`].
    pub fn start(opts: ServeOptions, metrics: Arc<Metrics>) -> Result<Server, ServeError> {
        let addr = opts.addr;
        if !addr.ip().is_loopback() && !opts.public {
            return Err(ServeError::NotLoopback { addr });
        }
        let listener = mio::net::TcpListener::bind(addr).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                ServeError::AddrInUse { addr }
            } else {
                ServeError::Bind { addr, source }
            }
        })?;
        let local_addr = listener.local_addr().map_err(ServeError::Start)?;
        let poll = mio::Poll::new().map_err(ServeError::Start)?;
        let waker =
            mio::Waker::new(poll.registry(), event_loop::WAKER).map_err(ServeError::Start)?;
        let (tx, rx): (Sender<Msg>, Receiver<Msg>) = crossbeam_channel::bounded(CHANNEL_CAPACITY);
        let shared = Arc::new(Shared {
            tx,
            waker,
            wake_pending: AtomicBool::new(false),
            ready: AtomicBool::new(false),
            dropped: AtomicU64::new(0),
            metrics,
        });
        let looped = event_loop::Loop::new(poll, listener, rx, Arc::clone(&shared), opts)
            .map_err(ServeError::Start)?;
        let thread = std::thread::Builder::new()
            .name("obby-serve".into())
            .spawn(move || looped.run())
            .map_err(ServeError::Start)?;
        Ok(Server { shared, thread: Some(thread), local_addr })
    }

    /// The address the server listens on (with the port the system picked for port 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle to publish events with.
    #[must_use]
    pub fn publisher(&self) -> Publisher {
        Publisher { shared: Arc::clone(&self.shared) }
    }

    /// What `GET /readyz` answers: 200 when ready (watches set up, store writable), else 503.
    pub fn set_ready(&self, ready: bool) {
        self.shared.ready.store(ready, Ordering::Relaxed);
    }

    /// Stops gracefully: every subscriber is sent the events published so far and then
    /// `final_event` (`kind`, `data_json`), if given, for up to two seconds; then every
    /// connection is closed and the loop thread ends.
    pub fn shutdown(mut self, final_event: Option<(&str, String)>) {
        let final_event = final_event.map(|(kind, data)| Published {
            kind: kind.into(),
            path: Box::default(),
            data,
            at: Instant::now(),
        });
        self.stop(final_event);
    }

    fn stop(&mut self, final_event: Option<Published>) {
        let Some(thread) = self.thread.take() else { return };
        // A blocking send: the loop drains the channel, and the final event must not be lost.
        if self.shared.tx.send(Msg::Shutdown(final_event)).is_ok() {
            self.shared.wake();
        }
        let _ = thread.join();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop(None);
    }
}
