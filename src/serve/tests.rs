//! The server end to end, through real sockets: a `Server` on 127.0.0.1:0 fed synthetic events,
//! and plain `std::net::TcpStream` clients.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::*;

/// Long enough that a broken server fails the test instead of hanging it; never waited out.
const IO_TIMEOUT: Duration = Duration::from_secs(20);

fn opts() -> ServeOptions {
    ServeOptions::new("127.0.0.1:0".parse().unwrap())
}

fn start(opts: ServeOptions) -> (Server, Arc<Metrics>) {
    let metrics = Arc::new(Metrics::new());
    let server = Server::start(opts, Arc::clone(&metrics)).unwrap();
    (server, metrics)
}

fn data(i: usize) -> String {
    format!(r#"{{"kind":"modified","path":"src/f{i}.rs","i":{i}}}"#)
}

/// One SSE message as a client sees it.
#[derive(Debug, Default)]
struct Msg {
    id: Option<u64>,
    event: String,
    data: String,
}

struct Sse {
    reader: BufReader<TcpStream>,
    status: u16,
    comments: Vec<String>,
}

impl Sse {
    fn connect(addr: SocketAddr, target: &str, headers: &str) -> Sse {
        let mut sock = TcpStream::connect(addr).unwrap();
        sock.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        write!(sock, "GET {target} HTTP/1.1\r\nHost: test\r\n{headers}\r\n").unwrap();
        let mut reader = BufReader::new(sock);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).unwrap();
        let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
        }
        Sse { reader, status, comments: Vec::new() }
    }

    /// The next message (comments and `retry:` lines are set aside).
    fn next(&mut self) -> Msg {
        let mut msg = Msg::default();
        let mut seen = false;
        loop {
            let mut line = String::new();
            assert!(self.reader.read_line(&mut line).unwrap() > 0, "stream ended");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if seen {
                    return msg;
                }
                continue;
            }
            if let Some(c) = line.strip_prefix(':') {
                self.comments.push(c.trim().to_owned());
                continue;
            }
            let (field, value) = line.split_once(": ").unwrap_or((line, ""));
            match field {
                "id" => msg.id = value.parse().ok(),
                "event" => msg.event = value.to_owned(),
                "data" => msg.data.push_str(value),
                _ => continue,
            }
            seen = true;
        }
    }
}

/// A plain request; returns (status, body).
fn get(addr: SocketAddr, raw: &[u8]) -> (u16, String) {
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    let _ = sock.write_all(raw);
    let mut text = Vec::new();
    let _ = sock.read_to_end(&mut text);
    let text = String::from_utf8_lossy(&text).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

fn get_path(addr: SocketAddr, path: &str) -> (u16, String) {
    get(addr, format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
}

/// Polls `/metrics` until `pred` holds (the server learns of closed sockets asynchronously).
fn wait_metrics(addr: SocketAddr, pred: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..500 {
        last = get_path(addr, "/metrics").1;
        if pred(&last) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("metrics never matched:\n{last}");
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(u64::MAX, |v| v as u64)
}

#[test]
fn events_arrive_in_order_with_ids() {
    let (server, _) = start(opts());
    let mut a = Sse::connect(server.local_addr(), "/events", "");
    let mut b = Sse::connect(server.local_addr(), "/events", "");
    assert_eq!(a.status, 200);
    let publisher = server.publisher();
    for i in 0..200 {
        publisher.publish("modified", format!("src/f{i}.rs").as_bytes(), data(i));
    }
    for client in [&mut a, &mut b] {
        for i in 0..200 {
            let m = client.next();
            assert_eq!(m.id, Some(i as u64 + 1));
            assert_eq!(m.event, "modified");
            assert_eq!(m.data, data(i));
        }
    }
    server.shutdown(Some(("shutdown", r#"{"reason":"test"}"#.to_owned())));
    let last = a.next();
    assert_eq!((last.id, last.event.as_str()), (Some(201), "shutdown"));
    let mut rest = String::new();
    assert_eq!(a.reader.read_to_string(&mut rest).unwrap(), 0, "closed after the final event");
}

#[test]
fn filters_by_kind_and_path() {
    let (server, _) = start(opts());
    let addr = server.local_addr();
    let mut rs = Sse::connect(addr, "/events?path=*.rs", "");
    let mut created = Sse::connect(addr, "/events?kind=created,deleted&path=docs%2F**", "");
    let p = server.publisher();
    p.publish("created", b"docs/a.md", r#"{"n":1}"#.into());
    p.publish("modified", b"src/x/y.rs", r#"{"n":2}"#.into());
    p.publish("modified", b"docs/b.md", r#"{"n":3}"#.into());
    p.publish("deleted", b"docs/c/d.rs", r#"{"n":4}"#.into());
    p.publish("rescan", b"", r#"{"n":5}"#.into());
    let got: Vec<_> = (0..3).map(|_| rs.next().data).collect();
    assert_eq!(got, [r#"{"n":2}"#, r#"{"n":4}"#, r#"{"n":5}"#]);
    let got: Vec<_> = (0..3).map(|_| created.next().data).collect();
    assert_eq!(got, [r#"{"n":1}"#, r#"{"n":4}"#, r#"{"n":5}"#]);
    let (code, body) = get_path(addr, "/events?path=a%5B");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("bad path glob"), "{body}");
}

#[test]
fn last_event_id_replays_or_rescans() {
    let mut o = opts();
    o.replay = 10;
    o.client_queue = 10;
    let (server, _) = start(o);
    let addr = server.local_addr();
    let p = server.publisher();
    let mut first = Sse::connect(addr, "/events", "");
    for i in 0..5 {
        p.publish("modified", b"a", data(i));
    }
    for _ in 0..5 {
        first.next();
    }
    // Missed 3..5: replayed.
    let mut back = Sse::connect(addr, "/events", "Last-Event-ID: 2\r\n");
    for want in 3..=5 {
        assert_eq!(back.next().id, Some(want));
    }
    // Nothing missed: nothing replayed, the next event is the next one.
    let mut same = Sse::connect(addr, "/events", "Last-Event-ID: 5\r\n");
    for i in 5..20 {
        p.publish("modified", b"a", data(i));
    }
    assert_eq!(same.next().id, Some(6));
    assert_eq!(back.next().id, Some(6));
    for _ in 0..15 {
        first.next();
    }
    // Event 3 is out of the 10-event window (11..=20 are held): a rescan instead.
    let mut gone = Sse::connect(addr, "/events", "Last-Event-ID: 3\r\n");
    let m = gone.next();
    assert_eq!((m.event.as_str(), m.id), ("rescan", Some(20)));
    assert!(m.data.contains(r#""reason":"replay_gone","skipped":17"#), "{}", m.data);
    // An id from another run (ahead of this one) also gets a rescan.
    let mut future = Sse::connect(addr, "/events", "Last-Event-ID: 999\r\n");
    assert_eq!(future.next().event, "rescan");
    p.publish("created", b"b", data(99));
    assert_eq!(gone.next().id, Some(21));
    assert_eq!(future.next().id, Some(21));
}

#[test]
fn a_client_that_never_reads_gets_a_rescan_and_slows_no_one() {
    let mut o = opts();
    o.client_queue = 200;
    o.replay = 200;
    let (server, metrics) = start(o);
    let addr = server.local_addr();
    let mut stuck = Sse::connect(addr, "/events", "");
    let mut reader = Sse::connect(addr, "/events", "");
    let p = server.publisher();
    let payload = "x".repeat(8000);
    let mut seq = 0;
    // Rounds of 100 events of 8 kB: the stuck client's socket buffers fill, then it falls more
    // than 200 events behind; the reading client takes every event of every round.
    for round in 0..60 {
        for i in 0..100 {
            p.publish("modified", b"big", format!(r#"{{"r":{round},"i":{i},"p":"{payload}"}}"#));
        }
        for _ in 0..100 {
            seq += 1;
            let m = reader.next();
            assert_eq!((m.id, m.event.as_str()), (Some(seq), "modified"));
        }
        if metrics.client_rescans() > 0 && round > 5 {
            break;
        }
    }
    assert!(metrics.client_rescans() > 0, "the stuck client never overflowed");
    // When it finally reads: whole events in order, then a rescan, then the newest events.
    let mut last = 0;
    let rescan = loop {
        let m = stuck.next();
        if m.event == "rescan" {
            break m;
        }
        assert_eq!(m.id, Some(last + 1));
        last += 1;
    };
    assert!(rescan.data.contains(r#""reason":"client_overflow""#), "{}", rescan.data);
    let resumed = rescan.id.unwrap();
    assert!(resumed > last);
    p.publish("created", b"new", data(0));
    // After the rescan: every event numbered after it, in order, up to the new one.
    for want in resumed + 1..=seq + 1 {
        assert_eq!(stuck.next().id, Some(want));
    }
    assert_eq!(reader.next().id, Some(seq + 1));
    let text = get_path(addr, "/metrics").1;
    assert!(metric(&text, "obby_serve_client_rescans_total") >= 1, "{text}");
}

#[test]
fn tokens_are_checked() {
    let mut o = opts();
    o.token = Some("s3cret".into());
    let (server, _) = start(o);
    let addr = server.local_addr();
    for headers in ["", "Authorization: Bearer wrong\r\n", "Authorization: Basic s3cret\r\n"] {
        let raw = format!("GET /events HTTP/1.1\r\n{headers}\r\n");
        let (code, body) = get(addr, raw.as_bytes());
        assert_eq!(code, 401, "{headers}: {body}");
    }
    let (code, _) = get(addr, b"GET /healthz HTTP/1.1\r\n\r\n");
    assert_eq!(code, 401);
    let (code, body) = get(addr, b"GET /healthz HTTP/1.1\r\nauthorization: bearer s3cret\r\n\r\n");
    assert_eq!(code, 200, "{body}");
    let mut sse = Sse::connect(addr, "/events", "Authorization: Bearer s3cret\r\n");
    assert_eq!(sse.status, 200);
    server.publisher().publish("created", b"a", data(1));
    assert_eq!(sse.next().id, Some(1));
}

#[test]
fn the_token_may_come_as_a_query_parameter() {
    let mut o = opts();
    o.token = Some("s3cret".into());
    let (server, _) = start(o);
    let addr = server.local_addr();
    for target in ["/events?token=wrong", "/events?token=", "/events?kind=created&token=s3cre"] {
        let raw = format!("GET {target} HTTP/1.1\r\n\r\n");
        assert_eq!(get(addr, raw.as_bytes()).0, 401, "{target}");
    }
    let (code, body) = get(addr, b"GET /metrics?token=s3cret HTTP/1.1\r\n\r\n");
    assert_eq!(code, 200, "{body}");
    // The `token` parameter is not a filter: the subscriber gets the kinds it asked for.
    let mut sse = Sse::connect(addr, "/events?token=s3cret&kind=deleted", "");
    assert_eq!(sse.status, 200);
    let p = server.publisher();
    p.publish("created", b"a", data(1));
    p.publish("deleted", b"a", data(2));
    let msg = sse.next();
    assert_eq!((msg.id, msg.event.as_str()), (Some(2), "deleted"));
}

#[test]
fn bad_requests_get_4xx_and_the_server_goes_on() {
    let (server, metrics) = start(opts());
    let addr = server.local_addr();
    let mut sse = Sse::connect(addr, "/events", "");
    let mut huge = b"GET /events HTTP/1.1\r\nX-Big: ".to_vec();
    huge.resize(64 * 1024, b'a');
    huge.extend_from_slice(b"\r\n\r\n");
    let cases: [(&[u8], u16); 8] = [
        (b"hello there\r\n\r\n", 400),
        (b"GET /events\r\n\r\n", 400),
        (b"GET /events HTTP/1.1\r\nbroken header\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400),
        (&huge, 431),
        (b"GET /nope HTTP/1.1\r\n\r\n", 404),
        (b"POST /events HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405),
        (b"GET /healthz HTTP/1.1\r\n\r\n", 200),
    ];
    for (raw, want) in cases {
        let (code, body) = get(addr, raw);
        assert_eq!(code, want, "{}: {body}", String::from_utf8_lossy(&raw[..raw.len().min(40)]));
    }
    // A client that connects and says nothing holds no one up.
    let _silent = TcpStream::connect(addr).unwrap();
    server.publisher().publish("created", b"a", data(1));
    assert_eq!(sse.next().id, Some(1));
    assert_eq!(get_path(addr, "/healthz").0, 200);
    assert!(metrics.render().contains("obby_serve_responses_total{code=\"431\"} 1\n"));
}

#[test]
fn port_in_use_names_the_address() {
    let (server, _) = start(opts());
    let mut o = opts();
    o.addr = server.local_addr();
    let err = Server::start(o, Arc::new(Metrics::new())).err().unwrap();
    assert!(matches!(err, ServeError::AddrInUse { .. }));
    assert!(err.to_string().contains(&server.local_addr().to_string()), "{err}");
    assert!(err.hint().is_some());
}

#[test]
fn non_loopback_needs_public() {
    let mut o = opts();
    o.addr = "0.0.0.0:0".parse().unwrap();
    let err = Server::start(o.clone(), Arc::new(Metrics::new())).err().unwrap();
    assert!(matches!(err, ServeError::NotLoopback { .. }), "{err}");
    o.public = true;
    assert!(Server::start(o, Arc::new(Metrics::new())).is_ok());
}

#[test]
fn a_thousand_clients_come_and_go() {
    let (server, _) = start(opts());
    let addr = server.local_addr();
    let p = server.publisher();
    let mut seq = 0;
    for round in 0..10 {
        let mut clients: Vec<Sse> = (0..100).map(|_| Sse::connect(addr, "/events", "")).collect();
        seq += 1;
        p.publish("modified", b"a", data(round));
        // Half read their event and leave, half leave without reading; some mid-request.
        for (i, c) in clients.iter_mut().enumerate() {
            if i % 2 == 0 {
                assert_eq!(c.next().id, Some(seq));
            }
        }
        for _ in 0..10 {
            let mut s = TcpStream::connect(addr).unwrap();
            let _ = s.write_all(b"GET /eve");
        }
    }
    let text = wait_metrics(addr, |t| {
        metric(t, "obby_serve_clients") == 0 && metric(t, "obby_serve_connections") <= 1
    });
    assert_eq!(metric(&text, "obby_serve_clients"), 0);
    let mut last = Sse::connect(addr, "/events", "");
    p.publish("created", b"b", data(0));
    assert_eq!(last.next().id, Some(seq + 1));
}

#[test]
fn metrics_health_and_readiness() {
    let (server, metrics) = start(opts());
    let addr = server.local_addr();
    metrics.add_coalesced(3);
    metrics.add_watch_overflow();
    metrics.set_watches(12);
    metrics.add_tracker_batch(5, 1000);
    metrics.observe_store_write(Duration::from_millis(2));
    let _sub = Sse::connect(addr, "/events", "");
    server.publisher().publish("created", b"a", data(0));
    let (code, text) = get_path(addr, "/metrics");
    assert_eq!(code, 200);
    // Every line is a comment or `name{labels} value` with a numeric value.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        assert!(name.starts_with("obby_") || name.starts_with("process_"), "{line}");
    }
    for (name, want) in [
        ("obby_watch_events_total{kind=\"created\"}", 1),
        ("obby_watch_coalesced_total", 3),
        ("obby_watch_overflows_total", 1),
        ("obby_watch_watches", 12),
        ("obby_track_versions_total", 5),
        ("obby_track_bytes_total", 1000),
        ("obby_store_write_seconds_count", 1),
        ("obby_serve_clients", 1),
    ] {
        assert_eq!(metric(&text, name), want, "{name}");
    }
    assert!(metric(&text, "process_resident_memory_bytes") > 0);
    let (code, body) = get_path(addr, "/healthz");
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "ok");
    let (code, body) = get_path(addr, "/readyz");
    assert_eq!((code, body.as_str()), (503, r#"{"status":"not_ready"}"#));
    server.set_ready(true);
    let (code, body) = get_path(addr, "/readyz");
    assert_eq!((code, body.as_str()), (200, r#"{"status":"ready"}"#));
}

#[test]
fn idle_streams_get_keepalive_comments() {
    let mut o = opts();
    o.keepalive = Duration::from_millis(20);
    let (server, _) = start(o);
    let mut sse = Sse::connect(server.local_addr(), "/events", "");
    // Read raw lines until a comment shows up (the server sends one per interval).
    let mut line = String::new();
    while !line.starts_with(": keepalive") {
        line.clear();
        assert!(sse.reader.read_line(&mut line).unwrap() > 0);
    }
    server.publisher().publish("created", b"a", data(0));
    assert_eq!(sse.next().id, Some(1));
}

/// A server with `writers` writer threads, and its address.
fn start_with_writers(writers: usize) -> (Server, std::net::SocketAddr) {
    let mut o = opts();
    o.writers = writers;
    let (server, _) = start(o);
    let addr = server.local_addr();
    (server, addr)
}

#[test]
fn shared_writing_reaches_every_subscriber_in_order() {
    // Three writers and more subscribers than one piece per writer: every broadcast pass is
    // shared (see `writers.rs`); each subscriber must still get its events whole and in order,
    // filtered, and the final event at shutdown.
    let (server, addr) = start_with_writers(3);
    let mut all: Vec<Sse> = (0..90).map(|_| Sse::connect(addr, "/events", "")).collect();
    let mut created: Vec<Sse> =
        (0..30).map(|_| Sse::connect(addr, "/events?kind=created", "")).collect();
    wait_metrics(addr, |t| metric(t, "obby_serve_clients") == 120);
    let p = server.publisher();
    // One by one, then a burst (several frames per write).
    for i in 0..300 {
        let kind = if i % 3 == 0 { "created" } else { "modified" };
        p.publish(kind, format!("f{i}").as_bytes(), data(i));
        if i < 20 {
            std::thread::yield_now();
        }
    }
    server.shutdown(Some(("shutdown", r#"{"reason":"test"}"#.to_owned())));
    for c in &mut all {
        for i in 0..300 {
            let m = c.next();
            assert_eq!(m.id, Some(i as u64 + 1));
            assert_eq!(m.data, data(i));
        }
        assert_eq!(c.next().event, "shutdown");
    }
    for c in &mut created {
        for i in (0..300).step_by(3) {
            let m = c.next();
            assert_eq!((m.id, m.event.as_str()), (Some(i as u64 + 1), "created"));
        }
        // The final event is not of the kind asked for: the stream just ends.
        let mut rest = String::new();
        c.reader.read_to_string(&mut rest).unwrap();
        assert!(rest.trim().is_empty(), "{rest}");
    }
}

#[test]
fn one_writer_is_allowed() {
    let (server, addr) = start_with_writers(1);
    let mut clients: Vec<Sse> = (0..70).map(|_| Sse::connect(addr, "/events", "")).collect();
    wait_metrics(addr, |t| metric(t, "obby_serve_clients") == 70);
    server.publisher().publish("modified", b"a", data(1));
    for c in &mut clients {
        assert_eq!(c.next().data, data(1));
    }
}
