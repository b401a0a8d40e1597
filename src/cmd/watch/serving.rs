//! `obby watch --serve`: hands every emitted event to the SSE server (`crate::serve`) beside
//! stdout, keeps its metrics current, and shuts it down gracefully with a final event.

use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;
use std::time::Duration;

use crate::Context;
use crate::cli::watch::WatchArgs;
use crate::error::with_hint;
use crate::serve::{Metrics, Publisher, ServeOptions, Server};
use crate::watch::Event;

use super::output::EventRecord;

/// A running server and what feeds it.
pub(super) struct Serving {
    server: Server,
    publisher: Publisher,
    metrics: Arc<Metrics>,
    root_len: usize,
}

impl Serving {
    /// Starts the server when `--serve` was given.
    ///
    /// # Errors
    /// The address is in use, not loopback without `--serve-public`, or cannot be bound.
    pub(super) fn start(
        args: &WatchArgs,
        ctx: &Context,
        root: &std::path::Path,
    ) -> anyhow::Result<Option<Self>> {
        let Some(addr) = args.serve else { return Ok(None) };
        let mut opts = ServeOptions::new(addr);
        opts.public = args.serve_public;
        opts.token = args.serve_token.clone().filter(|t| !t.is_empty());
        opts.replay = args.serve_replay.max(1);
        let metrics = Arc::new(Metrics::new());
        let server = Server::start(opts, Arc::clone(&metrics)).map_err(|e| match e.hint() {
            Some(h) => with_hint(&e, h),
            None => anyhow::Error::new(e),
        })?;
        if args.serve_public && !addr.ip().is_loopback() {
            ctx.printer.warn(format!(
                "serving events on the public address `{}`: anyone who can reach it can read them{}",
                server.local_addr(),
                if args.serve_token.is_some() { "" } else { " (consider --serve-token)" }
            ));
        }
        ctx.printer.info(format!("serving events on http://{}/events", server.local_addr()));
        let publisher = server.publisher();
        Ok(Some(Self { server, publisher, metrics, root_len: root.as_os_str().len() }))
    }

    /// Publishes one event; never blocks.
    pub(super) fn publish(&self, e: &Event, seq: Option<i64>) {
        let data = serde_json::to_string(&EventRecord::new(e, seq)).unwrap_or_default();
        let abs = e.path.as_os_str().as_bytes();
        let rel = abs.get(self.root_len + 1..).filter(|_| abs.len() > self.root_len).unwrap_or(abs);
        self.publisher.publish(e.kind.as_str(), rel, data);
    }

    /// Marks the server ready (every watch in place, the store writable when tracking).
    pub(super) fn ready(&self, watches: u64) {
        self.metrics.set_watches(watches);
        self.server.set_ready(true);
    }

    /// Updates the gauges and counters the watcher owns.
    pub(super) fn observe(&self, watches: u64, coalesced_delta: u64, overflow_delta: u64) {
        self.metrics.set_watches(watches);
        if coalesced_delta > 0 {
            self.metrics.add_coalesced(coalesced_delta);
        }
        for _ in 0..overflow_delta {
            self.metrics.add_watch_overflow();
        }
    }

    /// Counts one tracking batch and its write time.
    pub(super) fn tracked(&self, versions: u64, bytes: u64, took: Duration) {
        self.metrics.add_tracker_batch(versions, bytes);
        self.metrics.observe_store_write(took);
    }

    /// Sends subscribers a final `shutdown` event and stops.
    pub(super) fn shutdown(self, reason: &str) {
        let data = serde_json::json!({ "reason": reason, "time": crate::timeparse::format_ms(crate::timeparse::now_ms()) });
        self.server.shutdown(Some(("shutdown", data.to_string())));
    }
}
