//! `obby track`: changes, output, `--stdin`, and every bad input the issue names.

use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::harness::{Env, Output};

/// Sets a file's mtime a minute back, out of the racy window, so the stat cache trusts it.
fn settle(path: &Path) {
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(old).unwrap();
}

fn db(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(env.join(".obby/obby.db")).unwrap()
}

fn count(env: &Env, sql: &str) -> i64 {
    db(env).query_row(sql, [], |r| r.get(0)).unwrap()
}

fn many_files(env: &Env, n: usize) {
    for i in 0..n {
        env.write(&format!("d{}/f{i}.txt", i % 20), format!("file {i}\n").repeat(20));
    }
}

#[test]
fn records_created_modified_renamed_and_deleted_files() {
    let env = Env::with_store();
    env.write("a.txt", "one\n").write("notes/b.md", "bee\n").write("old.txt", "moving\n");
    env.obby(&["track"])
        .run()
        .code(0)
        .stdout_has("A a.txt\nA notes/b.md\nA old.txt\n")
        .stderr_has("3 created");
    env.write("a.txt", "one\ntwo\n");
    std::fs::rename(env.join("old.txt"), env.join("new.txt")).unwrap();
    env.remove("notes/b.md");
    let out = env.obby(&["track"]).run();
    out.code(0);
    assert_eq!(out.stdout, "M a.txt\nR old.txt -> new.txt\nD notes/b.md\n");
    env.obby(&["log", "a.txt"]).run().code(0).stdout_has("modified").stdout_has("+1 -0");
}

#[test]
fn an_unchanged_tree_reads_nothing_and_writes_nothing() {
    let env = Env::with_store();
    env.write("a.txt", "a\n").write("b.txt", "b\n");
    settle(&env.join("a.txt"));
    settle(&env.join("b.txt"));
    env.obby(&["track", "-q"]).run().code(0);
    let versions = count(&env, "SELECT count(*) FROM versions");
    let out = env.obby(&["track", "--json"]).run();
    out.code(0);
    let summary = &out.records("summary")[0];
    assert_eq!(summary["files"], 2);
    assert_eq!(summary["hashed"], 0, "the stat cache vouched for both files");
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), versions);
}

#[test]
fn quiet_prints_no_change_lines() {
    let env = Env::with_store();
    env.write("a.txt", "a\n");
    let out = env.obby(&["track", "-q"]).run();
    out.code(0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn json_has_change_records_and_counters() {
    let env = Env::with_store();
    env.write("a.txt", "a\nb\n");
    let out = env.obby(&["track", "--json"]).run();
    out.code(0);
    let changes = out.records("change");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["path"], "a.txt");
    assert_eq!(changes[0]["change"], "created");
    assert_eq!(changes[0]["lines_added"], 2);
    assert_eq!(changes[0]["hash"].as_str().unwrap().len(), 64);
    let summary = &out.records("summary")[0];
    for key in ["files", "bytes_hashed", "created", "modified", "deleted", "renamed", "errors"] {
        assert!(summary.get(key).is_some(), "summary lacks {key}: {summary}");
    }
    assert_eq!(summary["created"], 1);
}

#[test]
fn paths_limit_the_run_and_a_missing_path_is_an_error() {
    let env = Env::with_store();
    env.write("in/a.txt", "a\n").write("out/b.txt", "b\n");
    env.obby(&["track", "in"]).run().code(0).stdout_has("A in/a.txt").stdout_lacks("out/b.txt");
    env.obby(&["track", "nope.txt"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("nope.txt")
        .stderr_has("hint:");
    // A tracked path that is gone is a deletion, not an error.
    env.remove("in/a.txt");
    env.obby(&["track", "in/a.txt"]).run().code(0).stdout_has("D in/a.txt");
}

#[test]
fn a_path_outside_the_store_root_is_refused() {
    let env = Env::with_store();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("x.txt"), "x").unwrap();
    env.obby(&["track"])
        .arg(other.path().join("x.txt"))
        .run()
        .code(2)
        .clean_error()
        .stderr_has("outside the store root")
        .stderr_has("hint:");
}

#[test]
fn no_store_is_a_hinted_error() {
    let env = Env::new();
    env.obby(&["track"]).run().code(2).clean_error().stderr_has("obby init");
}

/// Runs obby as an unprivileged user when the tests run as root (root reads files whatever
/// their mode, so `chmod 000` alone denies nothing).
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// As root: opens the test directory to the unprivileged user the runs will use.
fn share_with_nobody(env: &Env) {
    if is_root() {
        let status = std::process::Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(env.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn run_unprivileged(env: &Env, args: &[&str]) -> Output {
    let mut cmd = env.obby(args).command();
    if is_root() {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

#[test]
fn permission_denied_is_reported_and_the_rest_is_recorded() {
    let env = Env::with_store();
    env.write("ok.txt", "fine\n").write("secret.txt", "no\n").write("locked/inner.txt", "in\n");
    share_with_nobody(&env);
    let out = run_unprivileged(&env, &["track"]);
    out.code(0);
    std::fs::set_permissions(
        env.join("secret.txt"),
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(
        env.join("locked"),
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    env.write("new.txt", "new\n");
    let out = run_unprivileged(&env, &["track"]);
    std::fs::set_permissions(
        env.join("locked"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    out.code(2).stdout_has("A new.txt").stderr_has("secret.txt").stderr_has("locked");
    // Unreadable is not deleted.
    assert!(!out.stdout.contains("D "), "{}", out.stdout);
}

#[test]
fn symlinks_are_links_and_loops_do_not_hang() {
    let env = Env::with_store();
    env.write("target.txt", "t\n");
    std::os::unix::fs::symlink("target.txt", env.join("link")).unwrap();
    std::os::unix::fs::symlink("loop", env.join("loop")).unwrap();
    std::fs::create_dir(env.join("dir")).unwrap();
    std::os::unix::fs::symlink("..", env.join("dir/up")).unwrap();
    env.obby(&["track"])
        .run()
        .code(0)
        .stdout_has("A link")
        .stdout_has("A loop")
        .stdout_has("A dir/up");
    let kind: String = db(&env)
        .query_row(
            "SELECT kind FROM versions v JOIN files f ON f.id = v.file_id WHERE f.path = 'link'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "symlink");
    // Following links: the loop is reported, the rest is recorded, the run ends.
    let env = Env::with_store();
    env.write("target.txt", "t\n");
    std::os::unix::fs::symlink("loop", env.join("loop")).unwrap();
    std::fs::create_dir(env.join("dir")).unwrap();
    std::os::unix::fs::symlink("..", env.join("dir/up")).unwrap();
    env.obby(&["track", "--follow"]).run().code(2).stdout_has("A target.txt").stderr_has("loop");
}

#[test]
fn non_utf8_names_are_recorded_exactly_and_shown_escaped() {
    let env = Env::with_store();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.path().join(name), "x\n").unwrap();
    env.obby(&["track"]).run().code(0).stdout_has("A caf\\xE9.txt");
    let out = env.obby(&["log", "--json"]).run();
    let v = out.records("version");
    assert!(v[0]["path"]["bytes"].is_string(), "{}", v[0]);
    let stored: Vec<u8> = db(&env).query_row("SELECT path FROM files", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, b"caf\xe9.txt");
}

#[test]
fn an_empty_file_is_a_version() {
    let env = Env::with_store();
    env.write("empty.txt", "");
    let out = env.obby(&["track", "--json"]).run();
    out.code(0);
    let c = &out.records("change")[0];
    assert_eq!(c["size"], 0);
    assert_eq!(c["lines_added"], 0);
}

#[test]
fn a_large_file_streams_in_flat_memory() {
    let env = Env::with_store();
    // Over the default 256 MiB `store.max_blob_size`: hashed, versioned, content not kept.
    let f = std::fs::File::create(env.join("big.bin")).unwrap();
    f.set_len(300 << 20).unwrap();
    drop(f);
    let out = env.obby(&["track", "--json"]).run();
    out.code(0);
    assert_eq!(out.records("change")[0]["size"], 300u64 << 20);
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage) };
    // ru_maxrss is in KiB: the largest child stayed far below the file's size.
    assert!(usage.ru_maxrss < 150 * 1024, "peak RSS {} KiB", usage.ru_maxrss);
}

/// A new file over 1 MiB is compressed while it is read: what the store gives back is its
/// normalised content, and the next version deltas against it as usual.
#[test]
fn a_large_new_file_is_stored_whole_and_diffs_against_its_next_version() {
    let env = Env::with_store();
    let lines: Vec<String> =
        (0..60_000).map(|i| format!("line {i} of a large text file")).collect();
    let crlf = lines.join("\r\n") + "\r\n";
    assert!(crlf.len() > 1 << 20);
    env.write("big.txt", &crlf);
    env.obby(&["track"]).run().code(0);
    let at = env
        .obby(&["query", "file-at", "path=big.txt", "at=now", "--json"])
        .run()
        .code(0)
        .records("row");
    let lf = lines.join("\n") + "\n";
    assert_eq!(at[0]["content"].as_str().map(str::len), Some(lf.len()));
    assert!(at[0]["content"] == lf.as_str(), "stored content differs from the normalised file");
    env.write("big.txt", crlf.replace("line 30000 of", "line 30000 (edited) of"));
    env.obby(&["track"]).run().code(0);
    env.obby(&["diff", "big.txt", "--from", "~1"])
        .run()
        .code(1)
        .stdout_has("-line 30000 of a large text file")
        .stdout_has("+line 30000 (edited) of a large text file");
}

#[test]
fn a_newer_or_corrupt_store_is_refused() {
    let env = Env::with_store();
    db(&env).pragma_update(None, "user_version", 99).unwrap();
    env.write("a.txt", "a\n");
    env.obby(&["track"]).run().code(2).clean_error().stderr_has("newer");
    let env = Env::with_store();
    for f in ["obby.db-wal", "obby.db-shm"] {
        let _ = std::fs::remove_file(env.join(".obby").join(f));
    }
    std::fs::write(env.join(".obby/obby.db"), vec![b'x'; 4096]).unwrap();
    env.obby(&["track"]).run().code(2).clean_error();
}

#[test]
fn kill_9_leaves_a_store_that_the_next_track_completes() {
    let env = Env::with_store();
    many_files(&env, 1200);
    let mut child =
        env.obby(&["track", "-q", "-j", "1"]).env("OBBY_TRACK_BATCH_ROWS", "50").command();
    let mut child = child.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    let ok: String = db(&env).query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    env.obby(&["track", "-q"]).run().code(0);
    assert_eq!(count(&env, "SELECT count(*) FROM file_state"), 1200);
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), 1200, "no file recorded twice");
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM versions WHERE blob_hash NOT IN (SELECT hash FROM blobs)"
        ),
        0
    );
}

#[test]
fn ctrl_c_exits_130_and_keeps_committed_batches() {
    let env = Env::with_store();
    many_files(&env, 1200);
    let mut cmd =
        env.obby(&["track", "-q", "-j", "1"]).env("OBBY_TRACK_BATCH_ROWS", "50").command();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(150));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(i32::try_from(child.id()).unwrap(), libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    if code == 0 {
        eprintln!("note: the track finished before Ctrl-C arrived; nothing to interrupt");
    } else {
        assert_eq!(code, 130, "{}", String::from_utf8_lossy(&out.stderr));
    }
    let ok: String = db(&env).query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    env.obby(&["track", "-q"]).run().code(0);
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), 1200);
}

#[test]
fn two_concurrent_tracks_both_succeed_without_duplicates() {
    let env = Env::with_store();
    many_files(&env, 400);
    let spawn = || {
        env.obby(&["track", "-q"])
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), 400);
}

#[test]
fn stdin_takes_lines_nul_separated_paths_and_watch_events() {
    let env = Env::with_store();
    env.write("a.txt", "a\n").write("b.txt", "b\n").write("c.txt", "c\n");
    env.obby(&["track", "--stdin"])
        .stdin("a.txt\n")
        .run()
        .code(0)
        .stdout_has("A a.txt")
        .stdout_lacks("b.txt");
    env.obby(&["track", "--stdin", "-0"]).stdin("b.txt\0").run().code(0).stdout_has("A b.txt");
    let abs = env.join("c.txt");
    let events = format!(
        "{{\"type\":\"ready\",\"data\":{{}}}}\n{{\"type\":\"event\",\"data\":{{\"kind\":\"created\",\"path\":\"{}\",\"old_path\":null,\"is_dir\":false,\"time\":\"2026-11-23T10:00:00Z\"}}}}\n",
        abs.display()
    );
    env.obby(&["track", "--stdin"]).stdin(events).run().code(0).stdout_has("A c.txt");
    // A rename event pairs the deletion with the new path.
    std::fs::rename(env.join("c.txt"), env.join("d.txt")).unwrap();
    let ev = r#"{"type":"event","data":{"kind":"renamed","path":"d.txt","old_path":"c.txt","is_dir":false}}"#;
    env.obby(&["track", "--stdin"]).stdin(ev).run().code(0).stdout_has("R c.txt -> d.txt");
    // A rescan records the whole tree.
    env.write("e.txt", "e\n");
    let ev =
        r#"{"type":"event","data":{"kind":"rescan","path":null,"old_path":null,"is_dir":true}}"#;
    env.obby(&["track", "--stdin"]).stdin(ev).run().code(0).stdout_has("A e.txt");
    // Non-UTF-8 names come as base64 bytes.
    std::fs::write(env.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")), "x\n").unwrap();
    let ev = r#"{"type":"event","data":{"kind":"created","path":{"bytes":"Y2Fm6S5tZA=="}}}"#;
    env.obby(&["track", "--stdin"]).stdin(ev).run().code(0).stdout_has("A caf\\xE9.md");
    // Garbage is reported per line; the run goes on.
    env.write("f.txt", "f\n");
    env.obby(&["track", "--stdin"])
        .stdin("{oops\nf.txt\n")
        .run()
        .code(2)
        .stdout_has("A f.txt")
        .stderr_has("line 1");
}

#[test]
fn ignore_rules_apply_and_no_ignore_overrides_them() {
    let env = Env::with_store();
    env.write(".gitignore", "*.log\n").write("a.txt", "a\n").write("x.log", "log\n");
    env.obby(&["track"]).run().code(0).stdout_has("A a.txt").stdout_lacks("x.log");
    env.obby(&["track", "--no-ignore"]).run().code(0).stdout_has("A x.log");
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let env = Env::with_store();
    env.write("a.txt", "a\n");
    env.obby(&["track", "--dry-run"])
        .run()
        .code(0)
        .stdout_has("A a.txt")
        .stderr_has("would record");
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), 0);
    env.obby(&["track", "-q"]).run().code(0);
    env.remove("a.txt");
    env.obby(&["track", "-n"]).run().code(0).stdout_has("D a.txt");
    assert_eq!(count(&env, "SELECT count(*) FROM versions"), 1);
}
