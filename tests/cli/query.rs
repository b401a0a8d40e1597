//! `obby query`: built-in and user queries, typed parameters, output formats, read-only guards,
//! and every bad-input case of the issue.

use obby::paths::RelPath;
use obby::store::{NewVersion, Store};

use crate::harness::Env;

/// 2026-01-01T00:00:00Z.
const T0: i64 = 1_767_225_600_000;
const HOUR: i64 = 3_600_000;

/// A store with a small, known history:
/// - `notes/todo.md`: created, then a line added (hour 1), then a line changed (hour 2);
/// - `src/main.rs`: created (hour 1);
/// - `old.txt`: created, then deleted (hour 3).
fn history() -> Env {
    let env = Env::new();
    let mut store = Store::init(env.path()).unwrap();
    let mut batch = store.batch("test").unwrap();
    let mut put = |path: &str, change: &str, content: Option<&str>, at: i64, added: u64| {
        // Any unique text serves as the hash here: the content in hex.
        let hash = content.map(|c| {
            c.bytes().fold(String::new(), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            })
        });
        if let (Some(h), Some(c)) = (&hash, content) {
            batch.put_blob(h, c.as_bytes(), true, Some(c.lines().count() as u64), None).unwrap();
        }
        let rel = RelPath::from_bytes(path.as_bytes().to_vec());
        let id = batch
            .add_version(&NewVersion {
                path: &rel,
                change,
                kind: "file",
                hash: hash.as_deref(),
                old_path: None,
                size: content.map(|c| c.len() as u64),
                mtime_ns: Some(at * 1_000_000),
                recorded_at: at,
                lines_added: added,
                lines_removed: 0,
                origin: None,
            })
            .unwrap()
            .unwrap();
        match &hash {
            Some(h) => {
                let stat = obby::store::StatInfo {
                    size: 1,
                    mtime_ns: 1,
                    ctime_ns: 1,
                    ino: 1,
                    mode: 0o644,
                };
                batch.set_state(&rel, &stat, h, id).unwrap();
            }
            None => batch.remove_state(&rel).unwrap(),
        }
    };
    put("notes/todo.md", "created", Some("buy milk\n"), T0, 1);
    put("old.txt", "created", Some("temporary\n"), T0, 1);
    put("notes/todo.md", "modified", Some("buy milk\nwrite the invoice\n"), T0 + HOUR, 1);
    put("src/main.rs", "created", Some("fn main() {}\n"), T0 + HOUR, 1);
    put("notes/todo.md", "modified", Some("buy oat milk\nwrite the invoice\n"), T0 + 2 * HOUR, 1);
    put("old.txt", "deleted", None, T0 + 3 * HOUR, 0);
    batch.finish().unwrap();
    env
}

#[test]
fn list_shows_the_builtin_queries() {
    let env = Env::new();
    env.obby(&["query", "--list"])
        .run()
        .code(0)
        .stdout_has("recent-diffs")
        .stdout_has("limit: int = 50");
    let out = env.obby(&["query", "--list", "--json"]).run();
    let queries = out.code(0).records("query");
    let names: Vec<&str> = queries.iter().filter_map(|q| q["name"].as_str()).collect();
    for name in [
        "recent-diffs",
        "diffs-since",
        "file-versions",
        "time-analysis",
        "activity-stats",
        "topic-files",
        "largest-files",
        "deleted-files",
    ] {
        assert!(names.contains(&name), "{name} not listed: {names:?}");
    }
    let recent = queries.iter().find(|q| q["name"] == "recent-diffs").unwrap();
    assert_eq!(recent["params"][0]["type"], "int");
}

#[test]
fn recent_diffs_has_the_diff_of_each_change() {
    let env = history();
    let out = env.obby(&["query", "recent-diffs", "--json"]).run();
    let rows = out.code(0).records("row");
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["change"], "deleted");
    assert_eq!(rows[0]["path"], "old.txt");
    let todo = &rows[1];
    assert_eq!(todo["path"], "notes/todo.md");
    let diff = todo["diff"].as_str().unwrap();
    assert!(diff.contains("-buy milk\n+buy oat milk\n"), "{diff}");
    assert_eq!(out.records("summary")[0]["rows"], 6);
    // --limit is the shorthand of limit=N; positional and --param assignments work alike.
    assert_eq!(
        env.obby(&["query", "recent-diffs", "--limit", "2", "--json"]).run().records("row").len(),
        2
    );
    assert_eq!(
        env.obby(&["query", "recent-diffs", "limit=3", "--json"]).run().records("row").len(),
        3
    );
    let md =
        env.obby(&["query", "recent-diffs", "--param", "path=*.md", "--json"]).run().records("row");
    assert_eq!(md.len(), 3);
}

#[test]
fn table_output_for_humans() {
    let env = history();
    env.obby(&["query", "recent-diffs", "-n", "1"])
        .run()
        .code(0)
        .stdout_has("old.txt")
        .stdout_has("deleted");
}

#[test]
fn typed_parameters_reach_the_sql() {
    let env = history();
    let rows = env
        .obby(&["query", "diffs-since", "since=2026-01-01T01:30:00Z", "--json"])
        .run()
        .records("row");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let rows = env.obby(&["query", "time-analysis", "bucket=hour", "--json"]).run().records("row");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["bucket"], "2026-01-01 00:00");
    assert_eq!(rows[0]["changes"], 2);
    let stats = env.obby(&["query", "activity-stats", "--json"]).run().records("row");
    assert_eq!(stats[0]["changes"], 6);
    assert_eq!(stats[0]["most_changed"], "notes/todo.md");
    let deleted = env.obby(&["query", "deleted-files", "--json"]).run().records("row");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["path"], "old.txt");
    let topic =
        env.obby(&["query", "topic-files", "keyword=INVOICE", "--json"]).run().records("row");
    assert_eq!(topic.len(), 1);
    assert_eq!(topic[0]["matched"], "content");
    let content = env
        .obby(&["query", "file-at", "path=notes/todo.md", "at=2026-01-01T01:30:00Z", "--json"])
        .run()
        .records("row");
    assert_eq!(content[0]["content"], "buy milk\nwrite the invoice\n");
}

#[test]
fn path_parameters_are_relative_to_the_current_directory() {
    let env = history();
    std::fs::create_dir_all(env.join("notes")).unwrap();
    let rows = env
        .obby(&["query", "file-versions", "path=todo.md", "diff=yes", "--json"])
        .current_dir(env.join("notes"))
        .run()
        .records("row");
    assert_eq!(rows.len(), 3);
    assert!(rows[0]["diff"].as_str().unwrap().contains("+buy oat milk"));
}

#[test]
fn no_rows_is_a_negative_answer() {
    let env = history();
    let out = env.obby(&["query", "file-versions", "path=nothing.md", "--json"]).run();
    out.code(1);
    assert_eq!(out.records("summary")[0]["rows"], 0);
    env.obby(&["query", "file-versions", "path=nothing.md"]).run().code(1).stderr_has("no rows");
}

#[test]
fn csv_and_tsv_have_a_header_and_escape_fields() {
    let env = history();
    let out = env
        .obby(&["query", "--sql", "SELECT path, 'a,b' AS x FROM files ORDER BY path", "--csv"])
        .run();
    out.code(0);
    assert_eq!(out.stdout, "path,x\nnotes/todo.md,\"a,b\"\nold.txt,\"a,b\"\nsrc/main.rs,\"a,b\"\n");
    let out = env.obby(&["query", "--sql", "SELECT 'a' || char(9) || 'b' AS t", "--tsv"]).run();
    assert_eq!(out.stdout, "t\na\\tb\n");
}

#[test]
fn ad_hoc_sql_binds_parameters_and_limits_rows() {
    let env = history();
    let rows = env
        .obby(&[
            "query",
            "--sql",
            "SELECT id FROM files WHERE path = :p",
            "p=src/main.rs",
            "--json",
        ])
        .run()
        .records("row");
    assert_eq!(rows.len(), 1);
    let out =
        env.obby(&["query", "--sql", "SELECT * FROM versions", "--limit", "2", "--json"]).run();
    assert_eq!(out.records("row").len(), 2);
    assert_eq!(out.records("summary")[0]["truncated"], true);
    // Repeated column names are made unique so JSON objects keep every value.
    let rows = env
        .obby(&[
            "query",
            "--sql",
            "SELECT f.id, v.id FROM files f JOIN versions v ON v.file_id = f.id LIMIT 1",
            "--json",
        ])
        .run()
        .records("row");
    assert!(rows[0].get("id_2").is_some(), "{rows:?}");
}

#[test]
fn user_queries_add_and_override() {
    let env = history();
    env.write(
        ".obby/queries.yaml",
        "queries:\n  file-count:\n    description: how many files\n    sql: SELECT count(*) AS n FROM files\n",
    );
    let rows = env.obby(&["query", "file-count", "--json"]).run().records("row");
    assert_eq!(rows[0]["n"], 3);
    env.write(
        "more.yaml",
        "queries:\n  file-count:\n    params:\n      like: { type: string, default: '%.md' }\n    sql: SELECT count(*) AS n FROM files WHERE path LIKE :like\n",
    );
    let rows =
        env.obby(&["query", "file-count", "--queries", "more.yaml", "--json"]).run().records("row");
    assert_eq!(rows[0]["n"], 1);
    env.obby(&["query", "--list", "--queries", "more.yaml"]).run().code(0).stdout_has("more.yaml");
}

#[test]
fn explain_shows_the_plan() {
    let env = history();
    env.obby(&["query", "file-versions", "path=notes/todo.md", "--explain"])
        .run()
        .code(0)
        .stdout_has("versions_file");
}

#[test]
fn a_query_runs_while_a_writer_holds_the_store() {
    let env = history();
    let mut store =
        Store::open(&obby::store::Location::at_root(env.path()), std::time::Duration::from_secs(1))
            .unwrap();
    let mut batch = store.batch("writer").unwrap();
    batch.put_blob("pending", b"not committed", true, Some(1), None).unwrap();
    let rows = env.obby(&["query", "recent-diffs", "--json"]).run().records("row");
    assert_eq!(rows.len(), 6);
    drop(batch);
}

#[test]
fn non_utf8_paths_are_bytes_in_json() {
    let env = Env::new();
    let mut store = Store::init(env.path()).unwrap();
    let mut batch = store.batch("test").unwrap();
    batch.put_blob("h1", b"x\n", true, Some(1), None).unwrap();
    let rel = RelPath::from_bytes(b"caf\xe9.txt".to_vec());
    batch
        .add_version(&NewVersion {
            path: &rel,
            change: "created",
            kind: "file",
            hash: Some("h1"),
            old_path: None,
            size: Some(2),
            mtime_ns: None,
            recorded_at: T0,
            lines_added: 1,
            lines_removed: 0,
            origin: None,
        })
        .unwrap();
    batch.finish().unwrap();
    let rows = env.obby(&["query", "recent-diffs", "--json"]).run().records("row");
    assert_eq!(rows[0]["path"]["bytes"], "Y2Fm6S50eHQ=");
    env.obby(&["query", "recent-diffs", "--csv"]).run().code(0).stdout_has("caf\\xE9.txt");
}

// Bad input, each case of the issue.

#[test]
fn unknown_query_lists_the_closest_names() {
    let env = history();
    env.obby(&["query", "recent-dif"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("no query named `recent-dif`")
        .stderr_has("`recent-diffs`");
    let out = env.obby(&["query", "nonsense-zz", "--json"]).run();
    out.code(2);
    assert!(out.records("error")[0]["message"].as_str().unwrap().contains("nonsense-zz"));
}

#[test]
fn missing_required_parameter() {
    let env = history();
    env.obby(&["query", "file-versions"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("needs parameter `path` (path)");
}

#[test]
fn wrong_type_or_unknown_parameter() {
    let env = history();
    env.obby(&["query", "recent-diffs", "limit=ten"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("parameter `limit`")
        .stderr_has("an integer (int)");
    env.obby(&["query", "diffs-since", "since=someday"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("(timestamp)");
    env.obby(&["query", "time-analysis", "bucket=year"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("hour, day, week, month");
    env.obby(&["query", "recent-diffs", "colour=red"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("no parameter `colour`")
        .stderr_has("limit, path");
    env.obby(&["query", "recent-diffs", "oops"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("NAME=VALUE");
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let env = history();
    env.write("bad.yaml", "queries:\n  a:\n    sql: [unclosed\n");
    env.obby(&["query", "a", "--queries", "bad.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("bad.yaml")
        .stderr_has("line");
    env.write("typo.yaml", "queries:\n  a:\n    sqll: SELECT 1\n");
    env.obby(&["query", "--list", "--queries", "typo.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("unknown field `sqll`");
}

#[test]
fn a_name_defined_twice_in_one_file() {
    let env = history();
    env.write("twice.yaml", "queries:\n  a:\n    sql: SELECT 1\n  a:\n    sql: SELECT 2\n");
    env.obby(&["query", "a", "--queries", "twice.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("`a` is defined twice at line 4");
}

#[test]
fn sql_error_in_a_user_query_names_query_and_file() {
    let env = history();
    env.write(".obby/queries.yaml", "queries:\n  broken:\n    sql: SELEC path FROM files\n");
    env.obby(&["query", "broken"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("query `broken`")
        .stderr_has("queries.yaml")
        .stderr_has("syntax error");
    env.write(".obby/queries.yaml", "queries:\n  undeclared:\n    sql: SELECT :who\n");
    env.obby(&["query", "undeclared"]).run().code(2).clean_error().stderr_has("`:who`");
}

#[test]
fn no_store_or_a_newer_store() {
    let env = Env::new();
    env.obby(&["query", "recent-diffs"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("hint: run `obby init`");
    let env = history();
    let conn = rusqlite::Connection::open(env.join(".obby/obby.db")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    env.obby(&["query", "recent-diffs"]).run().code(2).clean_error().stderr_has("newer");
}

#[test]
fn writes_are_refused_and_change_nothing() {
    let env = history();
    for sql in [
        "DELETE FROM versions",
        "UPDATE files SET path = 'x'",
        "ATTACH DATABASE 'other.db' AS other",
        "PRAGMA query_only = 0",
        "SELECT 1; DELETE FROM versions",
    ] {
        env.obby(&["query", "--sql", sql]).run().code(2).clean_error();
    }
    env.obby(&["query", "--sql", "DELETE FROM versions"])
        .run()
        .stderr_has("would delete from `versions`; queries are read-only");
    env.obby(&["query", "--sql", "ATTACH DATABASE 'other.db' AS other"]).run().stderr_has("ATTACH");
    assert!(!env.join("other.db").exists());
    let rows = env
        .obby(&["query", "--sql", "SELECT count(*) AS n FROM versions", "--json"])
        .run()
        .records("row");
    assert_eq!(rows[0]["n"], 6);
}

#[test]
fn a_rename_diffs_against_the_old_paths_content() {
    let env = crate::harness::Env::with_store();
    env.write("old.md", "one\ntwo\n");
    env.obby(&["track", "-q"]).run().code(0);
    std::fs::rename(env.join("old.md"), env.join("new.md")).unwrap();
    env.obby(&["track", "-q"]).run().code(0);
    for args in [&["recent-diffs"][..], &["diffs-since", "since=@0"][..]] {
        let mut all = vec!["query"];
        all.extend_from_slice(args);
        all.push("--json");
        let out = env.obby(&all).run();
        let rows = out.records("row");
        let renamed = rows.iter().find(|r| r["change"] == "renamed").expect("a renamed row");
        assert_eq!(renamed["path"], "new.md");
        // Same content under a new name: nothing added, not the whole file as new.
        let diff = renamed["diff"].as_str().unwrap_or("");
        assert!(!diff.contains("+one"), "{args:?}: {diff}");
    }
}
