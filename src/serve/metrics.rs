//! The counters behind `GET /metrics`, and their Prometheus text rendering.
//!
//! One [`Metrics`] value is shared (in an `Arc`) by the watcher, the tracker and the event
//! server; everything in it is an atomic, so updating a counter costs one relaxed add and never
//! takes a lock. The watcher and tracker update theirs through the `add_*`/`set_*`/`observe_*`
//! methods; events are counted by kind by [`crate::serve::Publisher::publish`] itself; the
//! server's own figures (subscribers, rescans, responses, broadcast latency) are updated by the
//! event loop. [`Metrics::render`] writes them all in the Prometheus text format (version 0.0.4),
//! together with the process's resident memory read from `/proc/self/statm`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Event kinds counted separately; anything else is counted as `other`.
const KINDS: [&str; 6] = ["created", "modified", "deleted", "renamed", "rescan", "other"];
/// HTTP statuses counted by `obby_serve_responses_total`; anything else is counted as `other`.
pub(crate) const CODES: [u16; 9] = [200, 400, 401, 404, 405, 408, 414, 431, 503];
/// Latency buckets, in seconds.
const BUCKETS: [f64; 15] = [
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0,
];

/// A latency histogram with fixed buckets (100 µs to 5 s), lock-free.
pub struct Histogram {
    counts: [AtomicU64; BUCKETS.len() + 1],
    sum_ns: AtomicU64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self { counts: std::array::from_fn(|_| AtomicU64::new(0)), sum_ns: AtomicU64::new(0) }
    }
}

impl Histogram {
    /// Records one observation.
    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        let slot = BUCKETS.iter().position(|&b| secs <= b).unwrap_or(BUCKETS.len());
        self.counts[slot].fetch_add(1, Ordering::Relaxed);
        self.sum_ns.fetch_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Observations so far.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.counts[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_ns.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {cumulative}");
    }
}

/// Counters of a watching (and tracking, and serving) run; see the module documentation.
pub struct Metrics {
    started: Instant,
    events: [AtomicU64; KINDS.len()],
    coalesced: AtomicU64,
    watch_overflows: AtomicU64,
    watches: AtomicU64,
    track_batches: AtomicU64,
    track_versions: AtomicU64,
    track_bytes: AtomicU64,
    store_write: Histogram,
    pub(crate) clients: AtomicU64,
    pub(crate) connections: AtomicU64,
    pub(crate) client_rescans: AtomicU64,
    pub(crate) events_skipped: AtomicU64,
    pub(crate) publish_dropped: AtomicU64,
    pub(crate) responses: [AtomicU64; CODES.len() + 1],
    pub(crate) broadcast: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// All counters at zero.
    #[must_use]
    pub fn new() -> Self {
        fn zeros<const N: usize>() -> [AtomicU64; N] {
            std::array::from_fn(|_| AtomicU64::new(0))
        }
        Self {
            started: Instant::now(),
            events: zeros(),
            coalesced: AtomicU64::new(0),
            watch_overflows: AtomicU64::new(0),
            watches: AtomicU64::new(0),
            track_batches: AtomicU64::new(0),
            track_versions: AtomicU64::new(0),
            track_bytes: AtomicU64::new(0),
            store_write: Histogram::default(),
            clients: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            client_rescans: AtomicU64::new(0),
            events_skipped: AtomicU64::new(0),
            publish_dropped: AtomicU64::new(0),
            responses: zeros(),
            broadcast: Histogram::default(),
        }
    }

    /// Counts one event of `kind` (done by [`crate::serve::Publisher::publish`]).
    pub fn count_event(&self, kind: &str) {
        let slot = KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len() - 1);
        self.events[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// Events of `kind` counted so far (`other` for kinds outside the five of the event model).
    #[must_use]
    pub fn events(&self, kind: &str) -> u64 {
        KINDS.iter().position(|k| *k == kind).map_or(0, |i| self.events[i].load(Ordering::Relaxed))
    }

    /// Raw changes merged away by debouncing and coalescing.
    pub fn add_coalesced(&self, n: u64) {
        self.coalesced.fetch_add(n, Ordering::Relaxed);
    }

    /// One kernel event-queue overflow (it became a `rescan` event).
    pub fn add_watch_overflow(&self) {
        self.watch_overflows.fetch_add(1, Ordering::Relaxed);
    }

    /// Kernel watches held now.
    pub fn set_watches(&self, n: u64) {
        self.watches.store(n, Ordering::Relaxed);
    }

    /// One tracker batch committed, with the versions it recorded and the content bytes it read.
    pub fn add_tracker_batch(&self, versions: u64, bytes: u64) {
        self.track_batches.fetch_add(1, Ordering::Relaxed);
        self.track_versions.fetch_add(versions, Ordering::Relaxed);
        self.track_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// How long one store write (one batch commit) took.
    pub fn observe_store_write(&self, d: Duration) {
        self.store_write.observe(d);
    }

    /// Event-stream subscribers connected now.
    #[must_use]
    pub fn clients(&self) -> u64 {
        self.clients.load(Ordering::Relaxed)
    }

    /// Times a subscriber fell behind and skipped ahead with a `rescan` event.
    #[must_use]
    pub fn client_rescans(&self) -> u64 {
        self.client_rescans.load(Ordering::Relaxed)
    }

    /// The time from publishing an event to its write to every subscriber that could take it.
    #[must_use]
    pub fn broadcast(&self) -> &Histogram {
        &self.broadcast
    }

    pub(crate) fn count_response(&self, code: u16) {
        let slot = CODES.iter().position(|c| *c == code).unwrap_or(CODES.len());
        self.responses[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every counter.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8192);
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP obby_watch_events_total Events published, by kind.\n\
             # TYPE obby_watch_events_total counter"
        );
        for (kind, n) in KINDS.iter().zip(&self.events) {
            let _ = writeln!(out, "obby_watch_events_total{{kind=\"{kind}\"}} {}", get(n));
        }
        let simple: [(&str, &str, &str, u64); 12] = [
            (
                "obby_watch_coalesced_total",
                "counter",
                "Raw changes merged away by debouncing and coalescing.",
                get(&self.coalesced),
            ),
            (
                "obby_watch_overflows_total",
                "counter",
                "Kernel event-queue overflows (each became a rescan).",
                get(&self.watch_overflows),
            ),
            ("obby_watch_watches", "gauge", "Kernel watches held.", get(&self.watches)),
            (
                "obby_track_batches_total",
                "counter",
                "Tracker batches committed.",
                get(&self.track_batches),
            ),
            (
                "obby_track_versions_total",
                "counter",
                "Versions recorded by the tracker.",
                get(&self.track_versions),
            ),
            (
                "obby_track_bytes_total",
                "counter",
                "Content bytes read by the tracker.",
                get(&self.track_bytes),
            ),
            (
                "obby_serve_clients",
                "gauge",
                "Event-stream subscribers connected.",
                get(&self.clients),
            ),
            (
                "obby_serve_connections",
                "gauge",
                "HTTP connections open (subscribers included).",
                get(&self.connections),
            ),
            (
                "obby_serve_client_rescans_total",
                "counter",
                "Times a subscriber fell behind and skipped ahead with a rescan event.",
                get(&self.client_rescans),
            ),
            (
                "obby_serve_events_skipped_total",
                "counter",
                "Events skipped by subscribers that fell behind.",
                get(&self.events_skipped),
            ),
            (
                "obby_serve_publish_dropped_total",
                "counter",
                "Events dropped because the event loop was far behind (announced as a rescan).",
                get(&self.publish_dropped),
            ),
            (
                "process_resident_memory_bytes",
                "gauge",
                "Resident set size of the obby process.",
                rss_bytes().unwrap_or(0),
            ),
        ];
        for (name, kind, help, value) in simple {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        let _ = writeln!(
            out,
            "# HELP obby_serve_responses_total HTTP responses, by status code.\n\
             # TYPE obby_serve_responses_total counter"
        );
        for (i, n) in self.responses.iter().enumerate() {
            let code = CODES.get(i).map_or_else(|| "other".to_owned(), u16::to_string);
            let _ = writeln!(out, "obby_serve_responses_total{{code=\"{code}\"}} {}", get(n));
        }
        self.store_write.render(
            &mut out,
            "obby_store_write_seconds",
            "Time of one store write (a batch commit).",
        );
        self.broadcast.render(
            &mut out,
            "obby_serve_broadcast_seconds",
            "Time from publishing an event to its write to every subscriber that could take it.",
        );
        let uptime = self.started.elapsed().as_secs_f64();
        let _ = writeln!(
            out,
            "# HELP obby_uptime_seconds Seconds since the server started.\n\
             # TYPE obby_uptime_seconds gauge\nobby_uptime_seconds {uptime:.3}"
        );
        out
    }
}

/// Resident set size of this process, from `/proc/self/statm` (pages) times the page size.
#[must_use]
pub fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok().filter(|p| *p > 0).unwrap_or(4096))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(50));
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_secs(60));
        let mut out = String::new();
        h.render(&mut out, "x", "help");
        assert!(out.contains("x_bucket{le=\"0.0001\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"0.005\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"5\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("x_count 3\n"), "{out}");
        assert_eq!(h.count(), 3);
    }

    #[test]
    fn events_are_counted_by_kind() {
        let m = Metrics::new();
        m.count_event("modified");
        m.count_event("modified");
        m.count_event("weird");
        assert_eq!(m.events("modified"), 2);
        assert_eq!(m.events("other"), 1);
        let text = m.render();
        assert!(text.contains("obby_watch_events_total{kind=\"modified\"} 2\n"));
        assert!(rss_bytes().unwrap_or(0) > 0);
    }
}
