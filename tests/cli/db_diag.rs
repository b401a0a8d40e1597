//! Tests of `obby db-diag` on SQLite: targets, profiles, check selection, output formats, exit
//! codes, the index advisor, N+1 detection, declared indexes, and every bad input of the issue.
//! The PostgreSQL tests are in `db_diag_pg`.

use std::path::Path;

use crate::harness::Env;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/db_diag");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// A directory with `app.db` built from `app.sql`.
fn app() -> Env {
    let env = Env::new();
    build(&env.join("app.db"), "");
    env
}

fn build(path: &Path, extra: &str) {
    let sql = std::fs::read_to_string(fixture("app.sql")).expect("fixture");
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&sql).expect("load fixture");
    conn.execute_batch(extra).expect("extra sql");
}

fn findings(out: &crate::harness::Output, check: &str) -> Vec<serde_json::Value> {
    out.records("finding").into_iter().filter(|f| f["check"] == check).collect()
}

#[test]
fn quick_profile_reports_every_check_with_stable_ids() {
    let env = app();
    let out = env.obby(&["db-diag", "app.db", "--json"]).run();
    out.code(0);
    let checks = out.records("check");
    let ids: Vec<&str> = checks.iter().filter_map(|c| c["id"].as_str()).collect();
    for id in [
        "table_stats",
        "space",
        "integrity",
        "stale_stats",
        "missing_index",
        "fk_without_index",
        "duplicate_index",
        "redundant_index",
        "unused_index",
        "connections",
        "sequence_exhaustion",
        "xid_wraparound",
        "cache_hit_rate",
        "slow_queries",
        "top_queries",
        "n_plus_one",
        "pragmas",
        "declared_indexes",
    ] {
        assert!(ids.contains(&id), "missing check {id}: {ids:?}");
    }
    let by_id = |id: &str| checks.iter().find(|c| c["id"] == id).cloned().unwrap_or_default();
    assert_eq!(by_id("integrity")["status"], "skipped");
    assert_eq!(by_id("xid_wraparound")["status"], "skipped");
    assert_eq!(by_id("xid_wraparound")["reason"], "PostgreSQL only");
    assert_eq!(by_id("fk_without_index")["status"], "findings");
    let fk = findings(&out, "fk_without_index");
    assert_eq!(fk[0]["object"], "projects(owner_id)");
    assert_eq!(fk[0]["severity"], "warning");
    assert!(fk[0]["suggestion"].as_str().unwrap_or_default().contains("ON projects(owner_id)"));
    let dup: Vec<_> =
        findings(&out, "duplicate_index").iter().map(|f| f["object"].clone()).collect();
    assert!(
        dup.contains(&"tasks_project_again".into()) && dup.contains(&"users_email".into()),
        "{dup:?}"
    );
    assert!(!findings(&out, "redundant_index").is_empty());
    assert_eq!(findings(&out, "stale_stats")[0]["severity"], "warning");
    let summary = out.json().pop().unwrap_or_default();
    assert_eq!(summary["data"]["profile"], "quick");
    assert_eq!(summary["data"]["engine"], "sqlite");
    assert!(summary["data"]["findings"]["warning"].as_u64().unwrap_or(0) >= 3);
    assert!(summary["data"]["checks"]["space"].is_number());
}

#[test]
fn fail_on_sets_the_exit_status() {
    let env = app();
    env.obby(&["db-diag", "app.db", "--fail-on", "warning"])
        .run()
        .code(1)
        .stdout_has("fk_without_index");
    env.obby(&["db-diag", "app.db", "--fail-on", "never", "-q"]).run().code(0);
    env.obby(&["db-diag", "app.db", "--check", "space", "--fail-on", "info"]).run().code(0);
}

#[test]
fn check_and_skip_select_checks() {
    let env = app();
    let out = env.obby(&["db-diag", "app.db", "--json", "--check", "space,pragmas"]).run();
    let ids: Vec<_> = out.records("check").iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, ["space", "pragmas"]);
    let out = env.obby(&["db-diag", "app.db", "--json", "--skip", "space"]).run();
    assert!(!out.records("check").iter().any(|c| c["id"] == "space"));
    env.obby(&["db-diag", "app.db", "--check", "nope"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("unknown check `nope`")
        .stderr_has("--list-checks");
}

#[test]
fn list_checks() {
    let env = Env::new();
    env.obby(&["db-diag", "--list-checks"]).run().code(0).stdout_has("sequence_exhaustion");
    let defs = env.obby(&["db-diag", "--list-checks", "--json"]).run().records("check_def");
    assert_eq!(defs.len(), 18);
    assert!(defs.iter().any(|d| d["id"] == "n_plus_one" && d["engines"][0] == "sqlite"));
}

#[test]
fn standard_profile_counts_rows_and_measures_space() {
    let env = app();
    let out = env.obby(&["db-diag", "app.db", "--json", "--profile", "standard"]).run();
    out.code(0);
    let checks = out.records("check");
    let stats = checks.iter().find(|c| c["id"] == "table_stats").cloned().unwrap_or_default();
    let rows = stats["table"]["rows"].as_array().cloned().unwrap_or_default();
    let tasks = rows.iter().find(|r| r[0] == "tasks").cloned().unwrap_or_default();
    assert_eq!(tasks[1], 3000, "{tasks}");
    let space = checks.iter().find(|c| c["id"] == "space").cloned().unwrap_or_default();
    let objects: Vec<_> =
        space["table"]["rows"].as_array().unwrap_or(&vec![]).iter().map(|r| r[0].clone()).collect();
    assert!(objects.contains(&"tasks_project_status".into()), "{objects:?}");
}

#[test]
fn stale_statistics_are_found_in_standard() {
    let env = Env::new();
    build(
        &env.join("app.db"),
        "ANALYZE; WITH RECURSIVE n(i) AS (SELECT 3001 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
         INSERT INTO tasks SELECT i, 1, 't', 'open', 1, i FROM n;",
    );
    let out = env
        .obby(&["db-diag", "app.db", "--json", "--profile", "standard", "--check", "stale_stats"])
        .run();
    let f = findings(&out, "stale_stats");
    assert!(
        f.iter().any(
            |f| f["object"] == "tasks" && f["message"].as_str().unwrap_or("").contains("12000")
        ),
        "{f:?}"
    );
}

#[test]
fn deep_and_full_profiles_run_integrity_checks() {
    let env = app();
    let out = env
        .obby(&["db-diag", "app.db", "--json", "--profile", "full", "--check", "integrity"])
        .run();
    out.code(0);
    assert_eq!(out.records("check")[0]["status"], "ok");
    // A dangling foreign key is found by foreign_key_check (full only).
    let conn = rusqlite::Connection::open(env.join("app.db")).expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; INSERT INTO projects VALUES (999, 4242, 'orphan');",
    )
    .expect("insert");
    drop(conn);
    let out = env
        .obby(&["db-diag", "app.db", "--json", "--profile", "full", "--check", "integrity"])
        .run();
    out.code(1);
    assert!(findings(&out, "integrity")[0]["message"].as_str().unwrap_or("").contains("users"));
    env.obby(&["db-diag", "app.db", "--profile", "deep", "--check", "integrity"]).run().code(0);
}

#[test]
fn advisor_suggests_the_composite_index_from_queries_yaml() {
    let env = app();
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "missing_index",
            "--queries",
            &fixture("queries.yaml"),
        ])
        .run();
    out.code(0);
    let f = findings(&out, "missing_index");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["object"], "open-by-priority");
    assert_eq!(
        f[0]["suggestion"],
        "CREATE INDEX IF NOT EXISTS tasks_status_priority_created_at_idx ON tasks(status, priority, created_at);"
    );
}

#[test]
fn advisor_is_silent_where_an_index_serves() {
    let env = Env::new();
    build(
        &env.join("app.db"),
        "CREATE INDEX t_spc ON tasks(status, priority, created_at); ANALYZE;",
    );
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "missing_index,unused_index",
            "--queries",
            &fixture("queries.yaml"),
        ])
        .run();
    assert!(findings(&out, "missing_index").is_empty(), "{}", out.stdout);
    // The workload uses t_spc and tasks_project*, so they are not reported unused.
    let unused: Vec<_> =
        findings(&out, "unused_index").iter().map(|f| f["object"].clone()).collect();
    assert!(!unused.contains(&"t_spc".into()), "{unused:?}");
    assert!(unused.contains(&"users_email".into()), "{unused:?}");
}

#[test]
fn a_workload_query_that_does_not_parse_is_a_finding_and_the_rest_goes_on() {
    let env = app();
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "missing_index",
            "--queries",
            &fixture("workload.sql"),
        ])
        .run();
    out.code(0);
    let f = findings(&out, "missing_index");
    let broken = f.iter().find(|f| f["object"] == "workload.sql:5").cloned().unwrap_or_default();
    assert!(broken["message"].as_str().unwrap_or("").contains("no_such_table"), "{f:?}");
    assert!(
        f.iter().any(|f| f["suggestion"].as_str().unwrap_or("").contains("ON projects(owner_id)")),
        "{f:?}"
    );
    assert!(f.iter().any(|f| f["object"] == "workload.sql:2"), "{f:?}");
}

#[test]
fn n_plus_one_from_a_statement_log() {
    let env = app();
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "n_plus_one",
            "--log",
            &fixture("statements.log"),
        ])
        .run();
    let f = findings(&out, "n_plus_one");
    let users = f.iter().find(|f| f["object"] == "select id, email, name from users where id = ?");
    let users = users.cloned().unwrap_or_else(|| panic!("{f:?}"));
    assert!(users["message"].as_str().unwrap_or("").contains("12 times"));
    assert!(users["suggestion"].as_str().unwrap_or("").contains("where id in (?, ?, ...)"));
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "n_plus_one",
            "--log",
            &fixture("statements.log"),
            "--n-plus-one-min",
            "13",
        ])
        .run();
    assert!(findings(&out, "n_plus_one").is_empty());
}

#[test]
fn sarif_output_is_one_document_with_stable_rule_ids() {
    let env = app();
    let out = env.obby(&["db-diag", "app.db", "--format", "sarif", "--fail-on", "warning"]).run();
    out.code(1);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "obby db-diag");
    let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == "fk_without_index"));
    let results = run["results"].as_array().cloned().unwrap_or_default();
    let fk =
        results.iter().find(|r| r["ruleId"] == "fk_without_index").cloned().unwrap_or_default();
    assert_eq!(fk["level"], "warning");
    assert_eq!(fk["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app.db");
    env.obby(&["db-diag", "app.db", "--format", "sarif", "--json"]).run().code(2).clean_error();
}

#[test]
fn format_json_is_json_lines() {
    let env = app();
    let out = env.obby(&["db-diag", "app.db", "--format", "json", "--check", "space"]).run();
    out.code(0);
    assert_eq!(out.records("check")[0]["id"], "space");
    let out = env.obby(&["db-diag", "missing.db", "--format", "json"]).run();
    out.code(2);
    assert!(!out.records("error").is_empty());
}

#[test]
fn text_report_has_sections_and_suggestions() {
    let env = app();
    env.obby(&["db-diag", "sqlite:app.db"])
        .run()
        .code(0)
        .stdout_has("fk_without_index")
        .stdout_has("fix: CREATE INDEX IF NOT EXISTS projects_owner_id_idx ON projects(owner_id);")
        .stdout_has("skipped: PostgreSQL only");
}

#[test]
fn no_target_diagnoses_the_obby_store() {
    let env = Env::with_store();
    let out = env.obby(&["db-diag", "--json", "--check", "table_stats"]).run();
    out.code(0);
    assert!(out.records("target")[0]["target"].as_str().unwrap_or("").ends_with("obby.db"));
    let empty = Env::new();
    empty.obby(&["db-diag"]).run().code(2).clean_error().stderr_has("obby init");
}

#[test]
fn a_missing_file_is_an_error_and_is_not_created() {
    let env = Env::new();
    env.obby(&["db-diag", "nope.db"]).run().code(2).clean_error().stderr_has("does not exist");
    assert!(!env.join("nope.db").exists());
    env.obby(&[
        "db-diag",
        "sqlite:nope.db",
        "--apply",
        "--allow-write",
        "--indexes",
        &fixture("indexes.yaml"),
    ])
    .run()
    .code(2)
    .clean_error();
    assert!(!env.join("nope.db").exists());
}

#[test]
fn a_file_that_is_not_a_database() {
    let env = Env::new();
    env.write("notes.txt", "hello, this is plain text and not a database at all\n".repeat(100));
    env.obby(&["db-diag", "notes.txt"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("is not a SQLite database");
}

#[test]
fn an_encrypted_database_is_not_readable() {
    let env = Env::new();
    // What SQLCipher writes: no plain header, random-looking pages.
    let bytes: Vec<u8> =
        (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    env.write("secret.db", bytes);
    env.obby(&["db-diag", "secret.db"]).run().code(2).clean_error().stderr_has("encrypted");
}

#[test]
fn a_truncated_database_gives_integrity_findings_not_a_panic() {
    let env = app();
    let path = env.join("app.db");
    let len = std::fs::metadata(&path).expect("meta").len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).expect("open");
    file.set_len(len / 3).expect("truncate");
    drop(file);
    let out = env.obby(&["db-diag", "app.db", "--json"]).run();
    out.code(1);
    assert!(!out.stderr.contains("panicked"));
    let errors: Vec<_> =
        out.records("finding").into_iter().filter(|f| f["severity"] == "error").collect();
    assert!(
        errors.iter().any(|f| f["message"].as_str().unwrap_or("").contains("truncated")),
        "{errors:?}"
    );
    let out = env.obby(&["db-diag", "app.db", "--json", "--profile", "deep"]).run();
    out.code(1);
    assert!(!findings(&out, "integrity").is_empty(), "{}", out.stdout);
}

#[test]
fn a_corrupt_page_is_found_by_quick_check() {
    let env = app();
    let path = env.join("app.db");
    let mut bytes = std::fs::read(&path).expect("read");
    // Scribble over the middle pages (table and index b-trees), keep the header and schema.
    for b in &mut bytes[4096 * 20..4096 * 40] {
        *b = 0x5a;
    }
    std::fs::write(&path, bytes).expect("write");
    let out = env.obby(&["db-diag", "app.db", "--json", "--profile", "deep"]).run();
    out.code(1);
    assert!(!out.stderr.contains("panicked"));
    assert!(
        out.records("finding")
            .iter()
            .any(|f| f["check"] == "integrity" && f["severity"] == "error")
    );
}

#[test]
fn a_locked_database_waits_then_fails_clearly() {
    let env = app();
    let conn = rusqlite::Connection::open(env.join("app.db")).expect("open");
    conn.execute_batch("BEGIN EXCLUSIVE; UPDATE users SET name = 'x' WHERE id = 1;").expect("lock");
    env.obby(&["db-diag", "app.db", "--busy-timeout", "100ms"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("is locked")
        .stderr_has("--busy-timeout");
    conn.execute_batch("COMMIT").expect("unlock");
    env.obby(&["db-diag", "app.db", "--busy-timeout", "100ms"]).run().code(0);
    env.obby(&["db-diag", "app.db", "--busy-timeout", "soon"]).run().code(2).clean_error();
}

#[test]
fn an_open_write_transaction_is_reported_by_connections() {
    let env = app();
    let conn = rusqlite::Connection::open(env.join("app.db")).expect("open");
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE users SET name = 'x' WHERE id = 1;")
        .expect("write");
    let out = env.obby(&["db-diag", "app.db", "--json", "--check", "connections"]).run();
    out.code(0);
    let f = findings(&out, "connections");
    assert!(f.iter().any(|f| f["message"].as_str().unwrap_or("").contains("RESERVED")), "{f:?}");
    conn.execute_batch("COMMIT").expect("commit");
    let out = env.obby(&["db-diag", "app.db", "--json", "--check", "connections"]).run();
    assert!(findings(&out, "connections").is_empty());
}

#[test]
fn malformed_queries_yaml_points_at_the_line() {
    let env = app();
    env.write("queries.yaml", "good:\n  sql: SELECT 1\nbad:\n  sql: [unclosed\n");
    env.obby(&["db-diag", "app.db", "--queries", "queries.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("queries.yaml:4:");
    env.write("q2.yaml", "only:\n  description: no sql here\n");
    env.obby(&["db-diag", "app.db", "--queries", "q2.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("q2.yaml:");
}

#[test]
fn malformed_indexes_yaml_points_at_the_line() {
    let env = app();
    env.write("indexes.yaml", "- table: tasks\n  name: a\n  columns: [status]\n- table: tasks\n  name: b\n  colums: [x]\n");
    env.obby(&["db-diag", "app.db", "--indexes", "indexes.yaml"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("indexes.yaml:")
        .stderr_has("colums");
}

#[test]
fn declared_indexes_are_compared_both_ways() {
    let env = app();
    let out = env
        .obby(&[
            "db-diag",
            "app.db",
            "--json",
            "--check",
            "declared_indexes",
            "--indexes",
            &fixture("indexes.yaml"),
        ])
        .run();
    out.code(0);
    let f = findings(&out, "declared_indexes");
    let msg = |name: &str| {
        f.iter()
            .find(|x| x["object"] == name)
            .and_then(|x| x["message"].as_str())
            .unwrap_or("")
            .to_owned()
    };
    assert!(msg("tasks_status_priority_created").starts_with("missing"), "{f:?}");
    assert!(msg("projects_owner").starts_with("missing"));
    assert!(msg("tasks_project_status").starts_with("extra"));
    assert!(msg("tasks_project").is_empty(), "declared and present: no finding");
}

#[test]
fn apply_needs_allow_write_dry_run_prints_ddl_and_apply_is_idempotent() {
    let env = app();
    let idx = fixture("indexes.yaml");
    env.obby(&["db-diag", "app.db", "--indexes", &idx, "--apply"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("--allow-write");
    let before = std::fs::read(env.join("app.db")).expect("read");
    env.obby(&["db-diag", "app.db", "--indexes", &idx, "--dry-run"])
        .run()
        .code(0)
        .stdout_has("CREATE INDEX IF NOT EXISTS tasks_status_priority_created ON tasks(status, priority, created_at);")
        .stdout_has("CREATE INDEX IF NOT EXISTS projects_owner ON projects(owner_id);");
    assert_eq!(before, std::fs::read(env.join("app.db")).expect("read"), "dry run wrote");
    let out = env
        .obby(&["db-diag", "app.db", "--json", "--indexes", &idx, "--apply", "--allow-write"])
        .run();
    out.code(0);
    assert_eq!(out.records("ddl").len(), 2);
    assert!(out.records("ddl").iter().all(|d| d["applied"] == true));
    assert!(
        !findings(&out, "declared_indexes")
            .iter()
            .any(|f| f["message"].as_str().unwrap_or("").starts_with("missing"))
    );
    let again = env
        .obby(&["db-diag", "app.db", "--json", "--indexes", &idx, "--apply", "--allow-write"])
        .run();
    again.code(0);
    assert!(again.records("ddl").is_empty(), "second apply is a no-op");
}

#[test]
fn an_unreachable_postgres_dsn_is_one_line_without_the_password() {
    let env = Env::new();
    let out = env
        .obby(&[
            "db-diag",
            "postgres://app:hunter2secret@127.0.0.1:1/app",
            "--statement-timeout",
            "1s",
        ])
        .run();
    out.code(2)
        .clean_error()
        .stderr_has("cannot connect to PostgreSQL at postgres://app@127.0.0.1:1/app");
    assert!(!out.stderr.contains("hunter2secret"), "{}", out.stderr);
    assert!(!out.stdout.contains("hunter2secret"));
    let out =
        env.obby(&["db-diag", "postgres://app:hunter2secret@127.0.0.1:1/app", "--json"]).run();
    out.code(2);
    assert!(!out.stdout.contains("hunter2secret"));
}

#[test]
fn the_builtin_obby_queries_plan_on_the_store_without_advice() {
    // queries.yaml in the `obby query` format, with obby's own SQL functions (stubbed to plan).
    let env = Env::with_store();
    let builtin = concat!(env!("CARGO_MANIFEST_DIR"), "/src/query/builtin.yaml");
    let out =
        env.obby(&["db-diag", "--json", "--check", "missing_index", "--queries", builtin]).run();
    out.code(0);
    let check = out.records("check")[0].clone();
    assert!(check["table"]["rows"].as_array().is_some_and(|r| r.len() > 3), "{check}");
    assert!(findings(&out, "missing_index").is_empty(), "{}", out.stdout);
}

mod pg;
