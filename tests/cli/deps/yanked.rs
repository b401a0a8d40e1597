//! `deps audit --check-yanked` against a fake sparse index served from a thread of the test
//! (no network): yanked findings, policy, ETag and Last-Modified revalidation, kept copies when
//! the index is unreachable, crates the index does not know.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::project;

const LOCK: &str = r#"version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["yankme", "fine", "gone", "local"]

[[package]]
name = "yankme"
version = "1.0.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "fine"
version = "2.0.0"
source = "sparse+https://index.crates.io/"

[[package]]
name = "gone"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "local"
version = "0.3.0"
source = "git+https://example.com/local?rev=1#0123456789abcdef"
"#;

/// A sparse index on 127.0.0.1: `yankme` (with an ETag) and `fine` (with a Last-Modified date).
struct FakeIndex {
    url: String,
    requests: Arc<AtomicUsize>,
    not_modified: Arc<AtomicUsize>,
    /// When set, connections are closed without an answer.
    down: Arc<AtomicBool>,
}

fn serve() -> FakeIndex {
    let mut files: HashMap<&str, (&str, &str, &str)> = HashMap::new();
    files.insert(
        "/ya/nk/yankme",
        (
            "etag",
            "\"y1\"",
            concat!(
                "{\"name\":\"yankme\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\n",
                "{\"name\":\"yankme\",\"vers\":\"1.0.1\",\"deps\":[],\"yanked\":true}\n",
                "{\"name\":\"yankme\",\"vers\":\"1.0.2\",\"deps\":[],\"yanked\":true}\n",
                "{\"name\":\"yankme\",\"vers\":\"1.1.0\",\"deps\":[],\"yanked\":false}\n",
            ),
        ),
    );
    files.insert(
        "/fi/ne/fine",
        (
            "last-modified",
            "Tue, 01 Sep 2026 10:00:00 GMT",
            "{\"name\":\"fine\",\"vers\":\"2.0.0\",\"deps\":[],\"yanked\":false}\n",
        ),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let not_modified = Arc::new(AtomicUsize::new(0));
    let down = Arc::new(AtomicBool::new(false));
    let (r, n, d) = (requests.clone(), not_modified.clone(), down.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            if d.load(Ordering::SeqCst) {
                continue;
            }
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let mut validators = Vec::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    validators.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            r.fetch_add(1, Ordering::SeqCst);
            let response = match files.get(path.as_str()) {
                Some((kind, value, body)) => {
                    let asked = if *kind == "etag" { "if-none-match" } else { "if-modified-since" };
                    if validators.iter().any(|(k, v)| k == asked && v == value) {
                        n.fetch_add(1, Ordering::SeqCst);
                        "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n".to_owned()
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\n{kind}: {value}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                    }
                }
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    FakeIndex { url, requests, not_modified, down }
}

/// A port nothing listens on.
fn closed_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", l.local_addr().unwrap());
    drop(l);
    url
}

#[test]
fn check_yanked_reports_yanked_releases_and_revalidates_its_kept_copies() {
    let env = project();
    env.write("yank/Cargo.lock", LOCK);
    let index = serve();
    let audit = |extra: &[&str], url: &str| {
        let mut args = vec!["deps", "audit", "yank", "--json"];
        args.extend_from_slice(extra);
        env.obby(&args).env("OBBY_DEPS_INDEX_URL", url).run()
    };

    // Without the flag nothing is asked and nothing is yanked.
    let out = audit(&[], &index.url);
    out.code(0);
    assert!(out.records("finding").iter().all(|f| f["kind"] != "yanked"));
    assert_eq!(index.requests.load(Ordering::SeqCst), 0);

    let out = audit(&["--check-yanked"], &index.url);
    out.code(0);
    let findings = out.records("finding");
    let yanked: Vec<_> = findings.iter().filter(|f| f["kind"] == "yanked").collect();
    assert_eq!(yanked.len(), 1, "{findings:#?}");
    let f = yanked[0];
    assert_eq!((f["package"].as_str(), f["version"].as_str()), (Some("yankme"), Some("1.0.1")));
    assert_eq!(f["advisory"], "yanked");
    assert_eq!(f["decision"], "warn");
    assert_eq!(f["fixed"], "1.1.0", "the next release that is not yanked");
    assert_eq!(f["direct"], true);
    let summary = &out.records("summary")[0];
    assert_eq!(summary["yanked_checked"], 2);
    assert_eq!(summary["yanked_unknown"], 1);
    out.stderr_has("yanked status unknown for 1 package(s)").stderr_has("gone");
    // One request per crates.io crate: the git package is not asked about.
    assert_eq!(index.requests.load(Ordering::SeqCst), 3);

    // Again: the kept copies are revalidated (ETag and Last-Modified), and still answer.
    let out = audit(&["--check-yanked", "--policy", "yanked=deny"], &index.url);
    out.code(1);
    assert_eq!(index.requests.load(Ordering::SeqCst), 6);
    assert_eq!(index.not_modified.load(Ordering::SeqCst), 2);
    let findings = out.records("finding");
    let f = findings.iter().find(|f| f["kind"] == "yanked").unwrap();
    assert_eq!(f["decision"], "fail");

    // The index unreachable: the kept copies answer, with a warning.
    index.down.store(true, Ordering::SeqCst);
    let out = audit(&["--check-yanked"], &index.url);
    out.code(0);
    assert!(out.records("finding").iter().any(|f| f["kind"] == "yanked"));
    out.stderr_has("could not be asked about 2 package(s)");

    // The table shows it too.
    index.down.store(false, Ordering::SeqCst);
    env.obby(&["deps", "audit", "yank", "--check-yanked"])
        .env("OBBY_DEPS_INDEX_URL", &index.url)
        .run()
        .code(0)
        .stdout_has("yankme 1.0.1")
        .stdout_has("release yanked from the registry");
}

#[test]
fn check_yanked_without_any_copy_and_no_index_is_unknown_never_clean() {
    let env = project();
    env.write("yank/Cargo.lock", LOCK);
    let out = env
        .obby(&["deps", "audit", "yank", "--check-yanked", "--json"])
        .env("OBBY_DEPS_INDEX_URL", closed_url())
        .run();
    out.code(0);
    let summary = &out.records("summary")[0];
    assert_eq!(summary["yanked_checked"], 0);
    assert_eq!(summary["yanked_unknown"], 3);
    out.stderr_has("yanked status unknown for 3 package(s)");
}
