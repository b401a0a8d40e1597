//! Load generator for the event server (`obby::serve`), run by `benches/serve.sh`.
//!
//! `serve_load [--clients N] [--events N] [--latency-clients N] [--latency-events N]
//! [--max-seconds S]` starts itself again as a server process (`serve_load server`: a `Server`
//! on 127.0.0.1 fed a synthetic publisher, driven by commands on stdin), then, from this process
//! and on loopback only:
//!
//! 1. broadcast latency: `--latency-clients` subscribers, `--latency-events` events published
//!    `--latency-gaps-us` apart (a comma-separated list, one measurement each; by default 2 ms,
//!    a sustained 500 events/s, then 20 ms, events that do not queue behind each other); per event, the time until the *last* subscriber has it (client side), and the
//!    server's own publish-to-written histogram (`obby_serve_broadcast_seconds`);
//! 2. scale: subscribers up to `--clients`, `/metrics` scraped at that load, a burst of
//!    `--events` events published back to back; every subscriber must receive every event (0
//!    missed, 0 rescans); delivery latency (publish -> client has read it) p50/p99; server RSS;
//! 3. graceful shutdown: every subscriber gets the final event.
//!
//! Everything is bounded by `--max-seconds`; the server child exits when its stdin closes, so
//! it never outlives this process.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("server") {
        return server();
    }
    let opt = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let cfg = Config {
        clients: opt("--clients", 10_000) as usize,
        events: opt("--events", 1_000),
        latency_clients: opt("--latency-clients", 1_000) as usize,
        latency_events: opt("--latency-events", 200),
        latency_gaps_us: args
            .iter()
            .position(|a| a == "--latency-gaps-us")
            .and_then(|i| args.get(i + 1))
            .map_or_else(
                || vec![2000, 20_000],
                |v| v.split(',').filter_map(|g| g.parse().ok()).collect(),
            ),
        deadline: Instant::now() + Duration::from_secs(opt("--max-seconds", 240)),
    };
    bench(&cfg)
}

/// CLOCK_MONOTONIC in nanoseconds: comparable between the two processes.
fn mono_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &raw mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

// ---------------------------------------------------------------- server process

fn server() -> Res<()> {
    use obby::serve::{Metrics, ServeOptions, Server};
    let metrics = Arc::new(Metrics::new());
    let server = Server::start(ServeOptions::new("127.0.0.1:0".parse()?), metrics)?;
    server.set_ready(true);
    let publisher = server.publisher();
    let mut out = std::io::stdout().lock();
    writeln!(out, "addr {}", server.local_addr())?;
    out.flush()?;
    let mut n = 0u64;
    let publish = |n: &mut u64| {
        *n += 1;
        let path = format!("bench/dir{}/file{:05}.txt", *n % 16, *n);
        let data = format!(
            r#"{{"kind":"modified","path":"{path}","is_dir":false,"time":1763900000000,"t":{}}}"#,
            mono_ns()
        );
        publisher.publish("modified", path.as_bytes(), data);
    };
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["burst", count] => {
                for _ in 0..count.parse::<u64>()? {
                    publish(&mut n);
                }
            }
            ["spaced", count, micros] => {
                let gap = Duration::from_micros(micros.parse()?);
                for _ in 0..count.parse::<u64>()? {
                    publish(&mut n);
                    std::thread::sleep(gap);
                }
            }
            ["quit"] => break,
            _ => {}
        }
        writeln!(out, "ok")?;
        out.flush()?;
    }
    server.shutdown(Some(("shutdown", r#"{"reason":"bench over"}"#.to_owned())));
    Ok(())
}

// ---------------------------------------------------------------- load generator

struct Config {
    clients: usize,
    events: u64,
    latency_clients: usize,
    latency_events: u64,
    /// Gaps between the events of phase 1, one measurement per gap (µs).
    latency_gaps_us: Vec<u64>,
    deadline: Instant,
}

struct ServerProc {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl ServerProc {
    fn command(&mut self, cmd: &str) -> Res<()> {
        writeln!(self.stdin, "{cmd}")?;
        self.stdin.flush()?;
        Ok(())
    }

    fn wait_ok(&mut self) -> Res<()> {
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        if line.trim() != "ok" {
            return Err(format!("server said {line:?}").into());
        }
        Ok(())
    }

    /// CPU time (user + system) the server has used, in milliseconds.
    fn cpu_ms(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
        let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
        let ticks: f64 =
            rest.split(' ').skip(11).take(2).filter_map(|v| v.parse::<f64>().ok()).sum();
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        ticks * 1000.0 / hz.max(1.0)
    }

    /// (VmRSS, VmHWM) of the server in MiB.
    fn rss_mib(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .map_or(0.0, |kib| kib / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

#[derive(PartialEq)]
enum St {
    Connecting,
    Head,
    Stream,
    Closed,
}

struct Client {
    sock: TcpStream,
    st: St,
    buf: Vec<u8>,
    /// The id expected next (0: none seen yet).
    expect: u64,
    missed: u64,
    rescans: u64,
    got: u64,
    saw_final: bool,
}

struct Load {
    poll: Poll,
    clients: Vec<Client>,
    addr: SocketAddr,
    /// Per event id: (latest arrival - publish time, receivers).
    per_event: HashMap<u64, (u64, u32)>,
    /// Delivery latencies (µs) of events with ids in `record`.
    latencies: Vec<u32>,
    record: std::ops::RangeInclusive<u64>,
    final_id: u64,
    connect_errors: u64,
    scratch: Vec<u8>,
}

impl Load {
    fn add_clients(&mut self, n: usize, deadline: Instant) -> Res<()> {
        let target = self.clients.len() + n;
        let mut events = Events::with_capacity(4096);
        while self.clients.len() < target || self.pending() > 0 {
            // At most 256 handshakes in flight: the listen backlog stays short.
            while self.clients.len() < target && self.pending() < 256 {
                let mut sock = TcpStream::connect(self.addr)?;
                let token = Token(self.clients.len());
                self.poll.registry().register(
                    &mut sock,
                    token,
                    Interest::READABLE | Interest::WRITABLE,
                )?;
                self.clients.push(Client {
                    sock,
                    st: St::Connecting,
                    buf: Vec::new(),
                    expect: 0,
                    missed: 0,
                    rescans: 0,
                    got: 0,
                    saw_final: false,
                });
            }
            self.turn(&mut events, deadline)?;
        }
        Ok(())
    }

    fn pending(&self) -> usize {
        self.clients.iter().filter(|c| matches!(c.st, St::Connecting | St::Head)).count()
    }

    fn turn(&mut self, events: &mut Events, deadline: Instant) -> Res<()> {
        if Instant::now() > deadline {
            return Err("out of time (--max-seconds)".into());
        }
        self.poll.poll(events, Some(Duration::from_millis(100)))?;
        for ev in events.iter() {
            let idx = ev.token().0;
            if self.clients[idx].st == St::Connecting && ev.is_writable() {
                let c = &mut self.clients[idx];
                if c.sock.peer_addr().is_ok() {
                    c.sock.write_all(b"GET /events HTTP/1.1\r\nHost: bench\r\n\r\n")?;
                    c.st = St::Head;
                } else {
                    c.st = St::Closed;
                    self.connect_errors += 1;
                }
            }
            if ev.is_readable() {
                self.read(idx);
            }
        }
        Ok(())
    }

    fn read(&mut self, idx: usize) {
        loop {
            let n = match self.clients[idx].sock.read(&mut self.scratch) {
                Ok(0) => {
                    self.clients[idx].st = St::Closed;
                    return;
                }
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.clients[idx].st = St::Closed;
                    return;
                }
            };
            let now = mono_ns();
            let client = &mut self.clients[idx];
            client.buf.extend_from_slice(&self.scratch[..n]);
            if client.st == St::Head {
                let Some(end) = find(&client.buf, b"\r\n\r\n") else { continue };
                client.buf.drain(..end + 4);
                client.st = St::Stream;
            }
            let mut start = 0;
            while let Some(end) = find(&client.buf[start..], b"\n\n") {
                let msg = &client.buf[start..start + end];
                start += end + 2;
                let (mut id, mut kind, mut sent_at) = (None, &b""[..], None);
                for line in msg.split(|b| *b == b'\n') {
                    if let Some(v) = line.strip_prefix(b"id: ") {
                        id = std::str::from_utf8(v).ok().and_then(|s| s.parse::<u64>().ok());
                    } else if let Some(v) = line.strip_prefix(b"event: ") {
                        kind = v;
                    } else if let Some(v) = line.strip_prefix(b"data: ") {
                        sent_at = find(v, b"\"t\":").map(|p| {
                            v[p + 4..]
                                .iter()
                                .take_while(|b| b.is_ascii_digit())
                                .fold(0u64, |a, b| a * 10 + u64::from(b - b'0'))
                        });
                    }
                }
                let Some(id) = id else { continue };
                if kind == b"rescan" {
                    client.rescans += 1;
                }
                if id == self.final_id {
                    client.saw_final = true;
                }
                if client.expect != 0 && id > client.expect {
                    client.missed += id - client.expect;
                }
                client.expect = id + 1;
                client.got += 1;
                if let Some(at) = sent_at {
                    let lat = now.saturating_sub(at);
                    let e = self.per_event.entry(id).or_insert((0, 0));
                    e.0 = e.0.max(lat);
                    e.1 += 1;
                    if self.record.contains(&id) {
                        self.latencies.push((lat / 1000).min(u64::from(u32::MAX)) as u32);
                    }
                }
            }
            client.buf.drain(..start);
            // Epoll is edge-triggered and signals every arrival: a short read drained the
            // socket, and a second read would only say `WouldBlock`.
            if n < self.scratch.len() {
                return;
            }
        }
    }

    /// Runs until every open subscriber has seen event `id` (or the deadline passes).
    fn until_all_have(&mut self, id: u64, deadline: Instant) -> Res<()> {
        let mut events = Events::with_capacity(4096);
        // Checking every subscriber after each turn would cost more than the reading; arrival
        // times are taken as messages are read, so checking less often changes no figure.
        let mut checked = Instant::now();
        while self.clients.iter().any(|c| c.st == St::Stream && c.expect <= id) {
            while checked.elapsed() < Duration::from_millis(5) {
                self.turn(&mut events, deadline)?;
            }
            checked = Instant::now();
        }
        Ok(())
    }

    fn streaming(&self) -> usize {
        self.clients.iter().filter(|c| c.st == St::Stream).count()
    }
}

/// CPU time (user + system) this process has used, in seconds.
fn own_cpu_secs() -> f64 {
    // SAFETY: an all-zero rusage is valid, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &raw mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// The first occurrence of `needle` (not empty) in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = hay.get(from..)?.iter().position(|b| *b == needle[0]) {
        let at = from + p;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// One `/metrics` scrape: (milliseconds, body).
fn scrape(addr: SocketAddr) -> Res<(f64, String)> {
    let start = Instant::now();
    let mut s = std::net::TcpStream::connect(addr)?;
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n")?;
    let mut body = String::new();
    s.read_to_string(&mut body)?;
    Ok((start.elapsed().as_secs_f64() * 1000.0, body))
}

/// (le, cumulative count) of the broadcast histogram in a scrape.
fn broadcast_buckets(body: &str) -> Vec<(f64, f64)> {
    body.lines()
        .filter_map(|l| l.strip_prefix("obby_serve_broadcast_seconds_bucket{le=\""))
        .filter_map(|rest| {
            let (le, count) = rest.split_once("\"} ")?;
            let le = if le == "+Inf" { f64::INFINITY } else { le.parse().ok()? };
            Some((le, count.parse().ok()?))
        })
        .collect()
}

/// The p-quantile of the observations between two scrapes, interpolated within its bucket.
fn histogram_quantile(before: &[(f64, f64)], after: &[(f64, f64)], p: f64) -> f64 {
    let diff: Vec<(f64, f64)> = after.iter().zip(before).map(|(a, b)| (a.0, a.1 - b.1)).collect();
    let total = diff.last().map_or(0.0, |d| d.1);
    let rank = total * p;
    let mut lower = (0.0, 0.0);
    for &(le, count) in &diff {
        if count >= rank {
            if le.is_infinite() {
                return lower.0;
            }
            let span = count - lower.1;
            let frac = if span > 0.0 { (rank - lower.1) / span } else { 1.0 };
            return lower.0 + (le - lower.0) * frac;
        }
        lower = (le, count);
    }
    f64::NAN
}

fn bench(cfg: &Config) -> Res<()> {
    let exe = std::env::current_exe()?;
    let mut child =
        Command::new(exe).arg("server").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut server = ServerProc { child, stdin, stdout };
    let mut line = String::new();
    server.stdout.read_line(&mut line)?;
    let addr: SocketAddr = line.trim().strip_prefix("addr ").ok_or("no address")?.parse()?;
    let result = run(cfg, &mut server, addr);
    let _ = server.command("quit");
    drop(server.stdin);
    let _ = server.child.wait();
    result
}

fn run(cfg: &Config, server: &mut ServerProc, addr: SocketAddr) -> Res<()> {
    let mut load = Load {
        poll: Poll::new()?,
        clients: Vec::with_capacity(cfg.clients),
        addr,
        per_event: HashMap::new(),
        latencies: Vec::new(),
        record: u64::MAX..=u64::MAX,
        final_id: u64::MAX,
        connect_errors: 0,
        scratch: vec![0; 256 * 1024],
    };
    let (rss0, _) = server.rss_mib();
    println!("server: {addr}, RSS at start {rss0:.1} MiB");

    // 1. Broadcast latency with `latency_clients` subscribers.
    let t = Instant::now();
    load.add_clients(cfg.latency_clients.min(cfg.clients), cfg.deadline)?;
    println!(
        "phase 1: {} subscribers connected in {:.2}s",
        load.streaming(),
        t.elapsed().as_secs_f64()
    );
    let mut published = 0;
    for &gap_us in &cfg.latency_gaps_us {
        let before = broadcast_buckets(&scrape(addr)?.1);
        let cpu0 = server.cpu_ms();
        let own0 = own_cpu_secs();
        server.command(&format!("spaced {} {gap_us}", cfg.latency_events))?;
        load.until_all_have(published + cfg.latency_events, cfg.deadline)?;
        server.wait_ok()?;
        let after = broadcast_buckets(&scrape(addr)?.1);
        let cpu_per_event = (server.cpu_ms() - cpu0) / cfg.latency_events as f64;
        let own_per_event = (own_cpu_secs() - own0) * 1000.0 / cfg.latency_events as f64;
        let mut last_ms: Vec<f64> = (published + 1..=published + cfg.latency_events)
            .filter_map(|id| load.per_event.get(&id))
            .map(|(ns, _)| *ns as f64 / 1e6)
            .collect();
        last_ms.sort_by(f64::total_cmp);
        published += cfg.latency_events;
        println!(
            "phase 1: broadcast to {} subscribers, {} events {:.0} ms apart: server \
             publish->written-to-all p50 {:.3} ms p99 {:.3} ms (histogram estimate); client side, \
             until the last subscriber has read it: p50 {:.3} ms p99 {:.3} ms; CPU per event: \
             server {cpu_per_event:.2} ms, load generator {own_per_event:.2} ms",
            load.streaming(),
            cfg.latency_events,
            gap_us as f64 / 1000.0,
            histogram_quantile(&before, &after, 0.5) * 1000.0,
            histogram_quantile(&before, &after, 0.99) * 1000.0,
            percentile(&last_ms, 0.5),
            percentile(&last_ms, 0.99)
        );
    }

    // 2. Scale: all subscribers, a burst.
    let t = Instant::now();
    load.add_clients(cfg.clients.saturating_sub(load.clients.len()), cfg.deadline)?;
    let connected = load.streaming();
    let (rss_idle, _) = server.rss_mib();
    println!(
        "phase 2: {connected} subscribers connected in {:.2}s ({} connect errors); server RSS {rss_idle:.1} MiB",
        t.elapsed().as_secs_f64(),
        load.connect_errors
    );
    let mut idle_scrapes: Vec<f64> =
        (0..20).map(|_| scrape(addr).map(|s| s.0)).collect::<Res<Vec<f64>>>()?;
    idle_scrapes.sort_by(f64::total_cmp);
    for c in &mut load.clients {
        c.got = 0;
        c.missed = 0;
        c.rescans = 0;
    }
    let first = published + 1;
    let last = published + cfg.events;
    load.record = first..=last;
    // Scrapes while the burst is delivered, from another thread.
    let busy = Arc::new(AtomicBool::new(true));
    let scraper = std::thread::spawn({
        let busy = Arc::clone(&busy);
        move || {
            let mut times = Vec::new();
            while busy.load(Ordering::Relaxed) {
                if let Ok((ms, _)) = scrape(addr) {
                    times.push(ms);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            times
        }
    });
    let t = Instant::now();
    let cpu0 = server.cpu_ms();
    let own0 = own_cpu_secs();
    server.command(&format!("burst {}", cfg.events))?;
    let delivered = load.until_all_have(last, cfg.deadline);
    let burst_secs = t.elapsed().as_secs_f64();
    let burst_cpu = (server.cpu_ms() - cpu0) / 1000.0;
    let own_cpu = own_cpu_secs() - own0;
    busy.store(false, Ordering::Relaxed);
    let mut busy_scrapes = scraper.join().map_err(|_| "scraper thread")?;
    busy_scrapes.sort_by(f64::total_cmp);
    server.wait_ok()?;
    delivered?;
    let (rss, hwm) = server.rss_mib();
    let complete = load
        .clients
        .iter()
        .filter(|c| c.st == St::Stream && c.got == cfg.events && c.missed == 0 && c.rescans == 0)
        .count();
    let missed: u64 = load.clients.iter().map(|c| c.missed).sum();
    let rescans: u64 = load.clients.iter().map(|c| c.rescans).sum();
    let mut lat: Vec<f64> = load.latencies.iter().map(|us| f64::from(*us) / 1000.0).collect();
    lat.sort_by(f64::total_cmp);
    println!(
        "phase 2: burst of {} events to {connected} subscribers delivered in {burst_secs:.2}s \
         ({:.2} M messages/s); CPU: server {burst_cpu:.2}s, load generator {own_cpu:.2}s",
        cfg.events,
        (cfg.events as f64 * connected as f64) / burst_secs / 1e6
    );
    println!(
        "phase 2: subscribers with every event: {complete}/{connected}; missed {missed}; rescans {rescans}"
    );
    println!(
        "phase 2: delivery latency (publish -> client has read it): p50 {:.1} ms p99 {:.1} ms max {:.1} ms",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN)
    );
    println!("phase 2: server RSS {rss:.1} MiB now, {hwm:.1} MiB peak");
    println!(
        "phase 2: /metrics scrape with {connected} subscribers: idle p50 {:.2} ms max {:.2} ms; \
         during the burst p50 {:.2} ms max {:.2} ms ({} scrapes)",
        percentile(&idle_scrapes, 0.5),
        idle_scrapes.last().copied().unwrap_or(f64::NAN),
        percentile(&busy_scrapes, 0.5),
        busy_scrapes.last().copied().unwrap_or(f64::NAN),
        busy_scrapes.len()
    );

    // 3. Graceful shutdown: every subscriber gets the final event, then EOF.
    load.final_id = last + 1;
    server.command("quit")?;
    let mut events = Events::with_capacity(4096);
    let end = Instant::now() + Duration::from_secs(10);
    while load.clients.iter().any(|c| c.st != St::Closed) && Instant::now() < end.min(cfg.deadline)
    {
        load.turn(&mut events, cfg.deadline)?;
    }
    let finals = load.clients.iter().filter(|c| c.saw_final).count();
    println!("phase 3: shutdown: {finals}/{connected} subscribers got the final event");
    if complete != connected || connected != cfg.clients {
        return Err(format!("{} subscribers missed events", cfg.clients - complete).into());
    }
    Ok(())
}
