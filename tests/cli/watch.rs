//! `obby watch`: events, coalescing, scope, bursts, the event log, and the ways a run ends.
//!
//! Each test starts the watcher with a test limit (`--max-events`, `--timeout`), waits for its
//! `ready` record before touching the tree, and reads stdout line by line; no test sleeps to
//! wait for the watcher.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::os::unix::ffi::OsStrExt as _;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::harness::Env;

const READY_WAIT: Duration = Duration::from_secs(20);

/// A running `obby watch --json`.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

/// Starts `obby watch --json ARGS` in `env` and returns once it printed `ready`.
fn start(env: &Env, args: &[&str]) -> Watch {
    let mut all = vec!["watch", "--json"];
    all.extend_from_slice(args);
    let mut cmd = env.obby(&all).command();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn obby watch");
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr = std::thread::spawn(move || std::io::read_to_string(err).unwrap_or_default());
    let first = rx.recv_timeout(READY_WAIT).expect("no ready record");
    let v: Value = serde_json::from_str(&first).expect("json");
    assert_eq!(v["type"], "ready", "first record is not ready: {first}");
    Watch { child, lines: rx, stderr }
}

/// What a finished watch printed.
struct Done {
    code: i32,
    records: Vec<Value>,
    stderr: String,
}

impl Done {
    fn events(&self) -> Vec<&Value> {
        self.records.iter().filter(|r| r["type"] == "event").map(|r| &r["data"]).collect()
    }

    /// `kind rel/path` per event, relative to `env`.
    fn kinds(&self, env: &Env) -> Vec<String> {
        let root = env.path().canonicalize().unwrap();
        self.events()
            .iter()
            .map(|e| {
                let path = e["path"].as_str().unwrap_or("?");
                let rel = path
                    .strip_prefix(root.to_str().unwrap())
                    .or_else(|| path.strip_prefix(env.path().to_str().unwrap()))
                    .unwrap_or(path)
                    .trim_start_matches('/');
                format!("{} {rel}", e["kind"].as_str().unwrap())
            })
            .collect()
    }
}

impl Watch {
    /// Waits for the process to end and parses everything it printed.
    fn finish(mut self) -> Done {
        let mut records = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(60)) {
            records.push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}")));
        }
        let status = self.child.wait().expect("wait");
        let stderr = self.stderr.join().unwrap_or_default();
        let last: &Value = records.last().expect("no output");
        assert_eq!(last["type"], "summary", "no closing summary; stderr:\n{stderr}");
        Done { code: status.code().unwrap_or(-1), records, stderr }
    }
}

#[test]
fn created_modified_deleted_and_renamed() {
    let env = Env::new();
    env.write("keep.txt", "1").write("gone.txt", "1").write("old.txt", "1");
    let w = start(&env, &["--debounce", "300ms", "--max-events", "4", "--timeout", "30s"]);
    env.write("new.txt", "hello");
    env.write("keep.txt", "2");
    env.remove("gone.txt");
    std::fs::rename(env.join("old.txt"), env.join("moved.txt")).unwrap();
    let done = w.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let got: BTreeSet<String> = done.kinds(&env).into_iter().collect();
    let want: BTreeSet<String> =
        ["created new.txt", "modified keep.txt", "deleted gone.txt", "renamed moved.txt"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(got, want);
    let renamed = done.events().into_iter().find(|e| e["kind"] == "renamed").unwrap().clone();
    assert!(renamed["old_path"].as_str().unwrap().ends_with("/old.txt"));
    assert!(renamed["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(renamed["is_dir"], false);
    let summary = &done.records.last().unwrap()["data"];
    assert_eq!(summary["emitted"], 4);
}

#[test]
fn changes_within_the_window_coalesce() {
    let env = Env::new();
    env.write("existing.txt", "1");
    let w = start(&env, &["--debounce", "1s", "--max-events", "2", "--timeout", "30s"]);
    env.write("born.txt", "a");
    env.write("born.txt", "ab");
    env.write("brief.txt", "a");
    env.remove("brief.txt");
    env.write("existing.txt", "2");
    env.remove("existing.txt");
    let done = w.finish();
    let got: BTreeSet<String> = done.kinds(&env).into_iter().collect();
    assert_eq!(
        got,
        ["created born.txt", "deleted existing.txt"].into_iter().map(String::from).collect()
    );
}

#[test]
fn an_atomic_save_is_one_modified_of_the_real_path() {
    let env = Env::new();
    env.write("doc.md", "v1");
    let w = start(&env, &["--debounce", "300ms", "--max-events", "1", "--timeout", "30s"]);
    env.write(".doc.md.swp", "v2");
    std::fs::rename(env.join(".doc.md.swp"), env.join("doc.md")).unwrap();
    let done = w.finish();
    assert_eq!(done.kinds(&env), vec!["modified doc.md"]);
}

#[test]
fn files_written_into_a_new_directory_at_once_are_all_reported() {
    let env = Env::new();
    let w = start(&env, &["--debounce", "300ms", "--max-events", "23", "--timeout", "30s"]);
    std::fs::create_dir_all(env.join("n/a/b")).unwrap();
    for i in 0..20 {
        env.write(&format!("n/a/b/f{i}.txt"), "x");
    }
    let done = w.finish();
    let got: BTreeSet<String> = done.kinds(&env).into_iter().collect();
    let mut want: BTreeSet<String> = (0..20).map(|i| format!("created n/a/b/f{i}.txt")).collect();
    for d in ["n", "n/a", "n/a/b"] {
        want.insert(format!("created {d}"));
    }
    assert_eq!(got, want);
    assert!(done.events().iter().filter(|e| e["is_dir"] == true).count() == 3);
}

#[test]
fn a_burst_of_two_thousand_files_loses_none() {
    let env = Env::new();
    let w = start(
        &env,
        &[
            "--debounce",
            "100ms",
            "--ext",
            "txt",
            "--kinds",
            "created",
            "--max-events",
            "2000",
            "--timeout",
            "60s",
        ],
    );
    for d in 0..20 {
        std::fs::create_dir(env.join(&format!("d{d}"))).unwrap();
        for f in 0..100 {
            std::fs::write(env.join(&format!("d{d}/f{f}.txt")), b"x").unwrap();
        }
    }
    let done = w.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let got: BTreeSet<String> = done.kinds(&env).into_iter().collect();
    assert_eq!(got.len(), 2000, "duplicates or losses");
    for d in 0..20 {
        for f in 0..100 {
            assert!(got.contains(&format!("created d{d}/f{f}.txt")), "missing d{d}/f{f}.txt");
        }
    }
}

#[test]
fn ignore_rules_and_dot_obby_are_honoured() {
    let env = Env::with_store();
    env.write(".gitignore", "*.log\nbuild/\n");
    env.write(".obbyignore", "secret.txt\n");
    std::fs::create_dir(env.join("build")).unwrap();
    let w = start(&env, &["--debounce", "100ms", "--max-events", "1", "--timeout", "30s"]);
    env.write("debug.log", "x");
    env.write("build/out.txt", "x");
    env.write("secret.txt", "x");
    env.write(".obby/scratch", "x");
    env.write(".git/HEAD", "x");
    env.write("kept.txt", "x");
    let done = w.finish();
    assert_eq!(done.kinds(&env), vec!["created kept.txt"]);
}

#[test]
fn filters_by_kind_glob_and_extension() {
    let env = Env::new();
    env.write("a.md", "1");
    let w = start(
        &env,
        &[
            "--debounce",
            "100ms",
            "--kinds",
            "created",
            "--glob",
            "notes/**",
            "--max-events",
            "1",
            "--timeout",
            "30s",
        ],
    );
    env.write("a.md", "2");
    env.write("other.md", "x");
    env.write("notes/b.md", "x");
    let done = w.finish();
    assert_eq!(done.kinds(&env), vec!["created notes/b.md"]);
}

#[test]
fn track_records_events_with_a_sequence_and_since_replays_them() {
    let env = Env::with_store();
    let w =
        start(&env, &["--track", "--debounce", "50ms", "--max-events", "2", "--timeout", "30s"]);
    env.write("one.txt", "1");
    env.write("two.txt", "2");
    let done = w.finish();
    let seqs: Vec<i64> = done.events().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs.len(), 2);
    assert!(seqs[1] > seqs[0]);
    // Replay from before the first event: both come back with the same numbers, before `ready`.
    let out = env
        .obby(&["watch", "--json", "--since", &(seqs[0] - 1).to_string(), "--max-events", "2"])
        .run();
    out.code(0);
    let replayed: Vec<i64> =
        out.records("event").iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(replayed, seqs);
    // Changed while nobody watched: found by the reconcile scan.
    env.write("later.txt", "3");
    let out = env
        .obby(&["watch", "--json", "--since", "now", "--timeout", "200ms", "--debounce", "0"])
        .run();
    out.code(0);
    let found: Vec<String> = out
        .records("event")
        .iter()
        .map(|e| format!("{} {}", e["kind"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert!(
        found.iter().any(|f| f.starts_with("created ") && f.ends_with("/later.txt")),
        "{found:?}"
    );
    assert!(!found.iter().any(|f| f.ends_with("/one.txt")), "{found:?}");
}

#[test]
fn a_missing_path_is_an_error() {
    let env = Env::new();
    env.obby(&["watch", "nope", "--timeout", "1s"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("nope")
        .stderr_has("hint:");
}

#[test]
fn bad_flags_are_errors() {
    let env = Env::new();
    env.obby(&["watch", "--kinds", "exploded", "--timeout", "1s"]).run().code(2).clean_error();
    env.obby(&["watch", "--format", "{colour}", "--timeout", "1s"]).run().code(2).clean_error();
    env.obby(&["watch", "--debounce", "soon", "--timeout", "1s"]).run().code(2).clean_error();
    env.obby(&["watch", "--track", "--timeout", "1s"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("obby init");
}

#[test]
fn deleting_the_watched_root_reports_it_and_exits_2() {
    let env = Env::new();
    env.write("w/sub/a.txt", "x");
    let w = start(&env, &["w", "--debounce", "50ms", "--timeout", "30s"]);
    std::fs::remove_dir_all(env.join("w")).unwrap();
    let done = w.finish();
    assert_eq!(done.code, 2);
    assert!(done.stderr.contains("was deleted"), "{}", done.stderr);
    let kinds = done.kinds(&env);
    assert_eq!(kinds.last().map(String::as_str), Some("deleted w"), "{kinds:?}");
}

#[test]
fn non_utf8_names_are_exact_bytes_in_json() {
    let env = Env::new();
    let w = start(&env, &["--debounce", "50ms", "--max-events", "1", "--timeout", "30s"]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.path().join(name), b"x").unwrap();
    let done = w.finish();
    let ev = done.events()[0].clone();
    let b64 = ev["path"]["bytes"].as_str().expect("bytes form");
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    assert!(raw.ends_with(b"/caf\xe9.txt"));
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_watch_with_0() {
    let env = Env::new();
    let w = start(&env, &["--debounce", "0", "--timeout", "30s"]);
    let Watch { mut child, lines, stderr } = w;
    drop(lines); // the reader thread stops and closes its end at the next line
    for i in 0..50 {
        env.write(&format!("f{i}"), "x");
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{}", stderr.join().unwrap_or_default());
}

#[test]
fn ctrl_c_flushes_pending_events_and_exits_130() {
    let env = Env::new();
    let w = start(&env, &["--debounce", "10s", "--timeout", "60s", "--stats"]);
    env.write("pending.txt", "x");
    // The event waits out its 10 s window; give the watcher a moment to take it in.
    std::thread::sleep(Duration::from_millis(300));
    let pid = libc::pid_t::try_from(w.child.id()).unwrap();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let done = w.finish();
    assert_eq!(done.code, 130, "{}", done.stderr);
    assert_eq!(done.kinds(&env), vec!["created pending.txt"]);
    assert!(done.stderr.contains("stats:"), "{}", done.stderr);
}

#[test]
fn polling_sees_changes_and_the_watch_limit_falls_back_to_it() {
    let env = Env::new();
    let w =
        start(&env, &["--poll=50ms", "--debounce", "0", "--max-events", "1", "--timeout", "30s"]);
    env.write("p.txt", "x");
    assert_eq!(w.finish().kinds(&env), vec!["created p.txt"]);

    env.write("a/b/c/old.txt", "x");
    let w = start(
        &env,
        &["--max-watches", "2", "--debounce", "0", "--max-events", "1", "--timeout", "30s"],
    );
    env.write("a/b/c/deep.txt", "x");
    let done = w.finish();
    assert_eq!(done.kinds(&env), vec!["created a/b/c/deep.txt"]);
    assert!(done.stderr.contains("fs.inotify.max_user_watches"), "{}", done.stderr);
}

#[test]
fn polling_sees_same_size_edits_new_files_in_old_directories_and_deleted_trees() {
    let env = Env::new();
    env.write("a/f.txt", "x").write("a/b/old.txt", "1").write("gone/sub/g.txt", "1");
    let w =
        start(&env, &["--poll=50ms", "--debounce", "0", "--max-events", "5", "--timeout", "30s"]);
    env.write("a/f.txt", "y");
    env.write("a/b/new.txt", "1");
    std::fs::remove_dir_all(env.join("gone")).unwrap();
    let done = w.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let got: BTreeSet<String> = done.kinds(&env).into_iter().collect();
    let want = [
        "modified a/f.txt",
        "created a/b/new.txt",
        "deleted gone/sub/g.txt",
        "deleted gone/sub",
        "deleted gone",
    ];
    assert_eq!(got, want.into_iter().map(String::from).collect());
}

#[test]
fn symlink_loops_are_not_followed() {
    let env = Env::new();
    std::fs::create_dir(env.join("d")).unwrap();
    std::os::unix::fs::symlink("..", env.join("d/loop")).unwrap();
    let w = start(&env, &["--debounce", "50ms", "--max-events", "1", "--timeout", "30s"]);
    env.write("d/x.txt", "x");
    assert_eq!(w.finish().kinds(&env), vec!["created d/x.txt"]);
}

#[test]
fn permission_denied_subdirectories_are_reported_once() {
    // SAFETY: plain getter.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: running as root, which reads every directory");
        return;
    }
    let env = Env::new();
    std::fs::create_dir(env.join("locked")).unwrap();
    std::fs::set_permissions(
        env.join("locked"),
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    let w = start(&env, &["--debounce", "50ms", "--max-events", "1", "--timeout", "30s"]);
    env.write("open.txt", "x");
    let done = w.finish();
    assert_eq!(done.kinds(&env), vec!["created open.txt"]);
    assert_eq!(done.stderr.matches("locked").count(), 1, "{}", done.stderr);
    assert_eq!(done.code, 2);
}

#[test]
fn human_print0_and_template_output() {
    let env = Env::new();
    let run = |extra: &[&str]| {
        let mut args = vec!["watch", "--debounce", "50ms", "--max-events", "1", "--timeout", "30s"];
        args.extend_from_slice(extra);
        let mut cmd = env.obby(&args).command();
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while err.read_line(&mut line).unwrap() > 0 && !line.contains("ready") {
            line.clear();
        }
        assert!(line.contains("ready:"), "no ready line on stderr");
        env.write(extra.last().map_or("plain.txt", |_| "t.txt"), "x");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    let human = String::from_utf8(run(&[])).unwrap();
    assert!(human.contains("created") && human.ends_with("plain.txt\n"), "{human:?}");
    env.remove("plain.txt");
    assert_eq!(run(&["-0"]), b"t.txt\0");
    env.remove("t.txt");
    let templ = String::from_utf8(run(&["--format", "{kind}:{path}:{{x}}"])).unwrap();
    assert_eq!(templ, "created:t.txt:{x}\n");
}

#[test]
fn a_polled_root_that_is_deleted_ends_the_watch_too() {
    let env = Env::new();
    env.write("w/a.txt", "x");
    let w = start(&env, &["w", "--poll=50ms", "--debounce", "0", "--timeout", "30s"]);
    std::fs::remove_dir_all(env.join("w")).unwrap();
    let done = w.finish();
    assert_eq!(done.code, 2, "{}", done.stderr);
    assert!(done.kinds(&env).contains(&"deleted w".to_owned()));
}

#[test]
fn json_and_print0_do_not_mix() {
    let env = Env::new();
    env.obby(&["watch", "--json", "-0", "--timeout", "1s"]).run().code(2);
}

fn versions(env: &Env) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(env.join(".obby/obby.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT f.path, v.change FROM versions v JOIN files f ON f.id = v.file_id ORDER BY v.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn track_leaves_every_version_of_a_burst_in_the_store() {
    let env = Env::with_store();
    let w =
        start(&env, &["--track", "--debounce", "50ms", "--max-events", "200", "--timeout", "60s"]);
    for i in 0..200 {
        env.write(&format!("b/f{i:03}.txt"), format!("content {i}\n"));
    }
    let done = w.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let v = versions(&env);
    let paths: BTreeSet<&str> = v.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths.len(), 200, "{v:?}");
    assert!(v.iter().all(|(_, c)| c == "created"));
    let summary = &done.records.last().unwrap()["data"];
    assert_eq!(summary["versions_recorded"], 200);

    // A second session: each file modified once more, the store gets the new versions.
    let w =
        start(&env, &["--track", "--debounce", "50ms", "--max-events", "10", "--timeout", "60s"]);
    for i in 0..10 {
        env.write(&format!("b/f{i:03}.txt"), format!("changed {i}\n"));
    }
    w.finish();
    let modified = versions(&env).iter().filter(|(_, c)| c == "modified").count();
    assert_eq!(modified, 10);
}

#[test]
fn watch_json_piped_into_track_stdin_records_everything() {
    use std::io::Write as _;
    let env = Env::with_store();
    env.write("old.txt", "x\n");
    env.obby(&["track"]).run().code(0);
    let w = start(&env, &["--debounce", "50ms", "--timeout", "60s"]);
    let mut track = env.obby(&["track", "--stdin"]).command();
    track.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
    let mut track = track.spawn().unwrap();
    let mut pipe = track.stdin.take().unwrap();
    for i in 0..50 {
        env.write(&format!("p/f{i}.txt"), format!("{i}\n"));
    }
    std::fs::rename(env.join("old.txt"), env.join("new.txt")).unwrap();
    env.write("nö\u{308}.txt", "unicode\n");
    env.write("zz-end.txt", "the last write\n");
    let Watch { mut child, lines, stderr } = w;
    // Forward until the last write's event went through, then stop the watcher (Ctrl-C).
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(60)) {
        writeln!(pipe, "{line}").unwrap();
        if line.contains("zz-end.txt") {
            let pid = libc::pid_t::try_from(child.id()).unwrap();
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
    }
    drop(pipe);
    assert_eq!(child.wait().unwrap().code(), Some(130), "{}", stderr.join().unwrap());
    let out = track.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = versions(&env);
    let created = v.iter().filter(|(p, c)| p.starts_with("p/") && c == "created").count();
    assert_eq!(created, 50, "{v:?}");
    assert!(v.iter().any(|(p, _)| p == "new.txt"), "{v:?}");
    assert!(v.iter().any(|(p, _)| p == "nö\u{308}.txt"), "{v:?}");
}

#[test]
fn a_root_given_as_a_symlink_is_followed() {
    let env = Env::new();
    std::fs::create_dir(env.join("real")).unwrap();
    std::os::unix::fs::symlink("real", env.join("link")).unwrap();
    let w = start(&env, &["link", "--debounce", "50ms", "--max-events", "1", "--timeout", "30s"]);
    env.write("real/x.txt", "x");
    assert_eq!(w.finish().kinds(&env), vec!["created link/x.txt"]);
}

/// A loopback port nothing listens on (bound and released; the race is harmless in tests).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn serve_streams_the_same_events_over_sse_and_says_goodbye() {
    use std::io::{Read as _, Write as _};
    let env = Env::new();
    let addr = format!("127.0.0.1:{}", free_port());
    let w = start(
        &env,
        &["--serve", &addr, "--debounce", "0", "--max-events", "1", "--timeout", "30s"],
    );
    let mut sse = std::net::TcpStream::connect(&addr).expect("connect to the event server");
    sse.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    sse.write_all(b"GET /events HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
    // Once the response head arrives the subscription is in place; only then change the tree.
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sse.read(&mut buf).expect("response head");
        assert!(n > 0, "server closed before answering");
        seen.extend_from_slice(&buf[..n]);
    }
    assert!(seen.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&seen));
    env.write("hello.md", "hi\n");
    let done = w.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let stdout_event = done.events()[0].clone();
    loop {
        let n = sse.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&seen);
    assert!(body.contains("event: created"), "{body}");
    // The data line is exactly the `data` of the --json event record.
    let data_line =
        body.lines().find(|l| l.starts_with("data: ") && l.contains("hello.md")).expect(&body);
    let data: Value = serde_json::from_str(&data_line["data: ".len()..]).unwrap();
    assert_eq!(data, stdout_event);
    assert!(body.contains("event: shutdown"), "no final event: {body}");
}

#[test]
fn serve_on_a_port_in_use_names_the_address() {
    let env = Env::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    env.obby(&["watch", "--serve", &addr, "--timeout", "1s"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has(&addr);
    env.obby(&["watch", "--serve", "0.0.0.0:0", "--timeout", "1s"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("hint:");
}
