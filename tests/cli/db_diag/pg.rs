//! `obby db-diag` against a real PostgreSQL server.
//!
//! The server is `OBBY_TEST_PG_DSN` when set; otherwise this test binary starts a throw-away
//! cluster once (`scripts/pg-test.sh start`, which installs Debian's postgresql when absent), and
//! the script stops and removes it when the test process exits. When no server can be started the
//! tests print a loud SKIP with the reason, unless `OBBY_REQUIRE_PG=1` (CI), where they fail.

use std::process::Command;
use std::sync::OnceLock;

use crate::harness::Env;

static SERVER: OnceLock<Result<String, String>> = OnceLock::new();

fn start() -> Result<String, String> {
    if let Ok(dsn) = std::env::var("OBBY_TEST_PG_DSN")
        && !dsn.is_empty()
    {
        return Ok(dsn);
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-test.sh");
    let dir = std::env::temp_dir().join(format!("obby-pg-test-{}", std::process::id()));
    let out = Command::new("bash")
        .arg(script)
        .arg("start")
        .arg(&dir)
        .arg(std::process::id().to_string())
        .output()
        .map_err(|e| format!("cannot run {script}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{script} failed: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("no output")
        ));
    }
    let dsn = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_owned();
    if dsn.starts_with("postgres://") { Ok(dsn) } else { Err(format!("no DSN from {script}")) }
}

/// The test server's DSN, or `None` (after a loud SKIP) when none can be had.
fn dsn() -> Option<String> {
    match SERVER.get_or_init(start) {
        Ok(dsn) => Some(dsn.clone()),
        Err(reason) => {
            let required = std::env::var("OBBY_REQUIRE_PG").is_ok_and(|v| v == "1");
            assert!(!required, "PostgreSQL is required (OBBY_REQUIRE_PG=1) but: {reason}");
            eprintln!("\n*** SKIP: PostgreSQL tests not run: {reason} ***\n");
            None
        }
    }
}

fn with_db(dsn: &str, db: &str) -> String {
    let base = dsn.rsplit_once('/').map_or(dsn, |(b, _)| b);
    format!("{base}/{db}")
}

fn port(dsn: &str) -> String {
    dsn.rsplit_once(':').and_then(|(_, p)| p.split('/').next()).unwrap_or("5432").to_owned()
}

fn findings(out: &crate::harness::Output, check: &str) -> Vec<serde_json::Value> {
    out.records("finding").into_iter().filter(|f| f["check"] == check).collect()
}

fn objects(out: &crate::harness::Output, check: &str) -> Vec<String> {
    findings(out, check).iter().filter_map(|f| f["object"].as_str().map(str::to_owned)).collect()
}

#[test]
fn pg_runs_the_same_checks_with_the_same_ids() {
    let Some(dsn) = dsn() else { return };
    let env = Env::new();
    let out = env.obby(&["db-diag", &dsn, "--json"]).run();
    out.code(1); // the sequence near its maximum is an error
    let checks = out.records("check");
    let sqlite_ids: Vec<_> = env
        .obby(&["db-diag", "--list-checks", "--json"])
        .run()
        .records("check_def")
        .iter()
        .map(|d| d["id"].clone())
        .collect();
    let ids: Vec<_> = checks.iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, sqlite_ids);
    let status = |id: &str| {
        checks.iter().find(|c| c["id"] == id).map(|c| c["status"].clone()).unwrap_or_default()
    };
    assert_eq!(status("pragmas"), "skipped");
    assert_eq!(status("xid_wraparound"), "ok");
    assert_eq!(status("cache_hit_rate"), "ok");
    assert_eq!(status("slow_queries"), "ok", "pg_stat_statements is preloaded");
    assert!(objects(&out, "fk_without_index").contains(&"projects(owner_id)".to_owned()));
    let dup = objects(&out, "duplicate_index");
    assert!(
        dup.contains(&"tasks_project_again".to_owned()) && dup.contains(&"users_email".to_owned()),
        "{dup:?}"
    );
    assert!(objects(&out, "redundant_index").contains(&"tasks_project".to_owned()));
    assert!(objects(&out, "stale_stats").contains(&"tasks".to_owned()));
    let seq = findings(&out, "sequence_exhaustion");
    assert_eq!(seq[0]["object"], "public.ticket_seq");
    assert_eq!(seq[0]["severity"], "error");
    let n1 = findings(&out, "n_plus_one");
    assert!(n1.iter().any(|f| f["object"] == "select name from users where id = ?"), "{n1:?}");
    let target = &out.records("target")[0];
    assert_eq!(target["engine"], "postgres");
}

#[test]
fn pg_standard_profile_counts_rows() {
    let Some(dsn) = dsn() else { return };
    let out = Env::new()
        .obby(&["db-diag", &dsn, "--json", "--profile", "standard", "--check", "table_stats"])
        .run();
    out.code(0);
    let rows = out.records("check")[0]["table"]["rows"].clone();
    let tasks = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r[0] == "tasks"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(tasks[1], 3000, "{rows}");
}

#[test]
fn pg_index_advice_for_a_workload() {
    let Some(dsn) = dsn() else { return };
    let out = Env::new()
        .obby(&[
            "db-diag",
            &dsn,
            "--json",
            "--check",
            "missing_index",
            "--queries",
            &super::fixture("workload.sql"),
        ])
        .run();
    out.code(0);
    let f = findings(&out, "missing_index");
    let first = f.iter().find(|f| f["object"] == "workload.sql:2").cloned().unwrap_or_default();
    assert!(
        first["message"].as_str().unwrap_or("").contains("tasks(status, priority, created_at)"),
        "{f:?}"
    );
    assert!(
        f.iter().any(|f| f["object"] == "workload.sql:5"
            && f["message"].as_str().unwrap_or("").contains("no_such_table")),
        "{f:?}"
    );
    let yaml = Env::new()
        .obby(&[
            "db-diag",
            &dsn,
            "--json",
            "--check",
            "missing_index",
            "--queries",
            &super::fixture("queries.yaml"),
        ])
        .run();
    let f = findings(&yaml, "missing_index");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["object"], "open-by-priority");
}

#[test]
fn pg_apply_creates_concurrently_and_twice_is_a_no_op() {
    let Some(dsn) = dsn() else { return };
    let dsn = with_db(&dsn, "obby_apply");
    let env = Env::new();
    let idx = super::fixture("indexes.yaml");
    env.obby(&["db-diag", &dsn, "--indexes", &idx, "--dry-run"]).run().code(0).stdout_has(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS projects_owner ON projects(owner_id);",
    );
    env.obby(&["db-diag", &dsn, "--indexes", &idx, "--apply"])
        .run()
        .code(2)
        .stderr_has("--allow-write");
    let out =
        env.obby(&["db-diag", &dsn, "--json", "--indexes", &idx, "--apply", "--allow-write"]).run();
    out.code(0);
    assert_eq!(out.records("ddl").len(), 2, "{}", out.stdout);
    assert!(
        !findings(&out, "declared_indexes")
            .iter()
            .any(|f| f["message"].as_str().unwrap_or("").starts_with("missing"))
    );
    let again =
        env.obby(&["db-diag", &dsn, "--json", "--indexes", &idx, "--apply", "--allow-write"]).run();
    again.code(0);
    assert!(again.records("ddl").is_empty());
}

#[test]
fn pg_session_is_read_only() {
    let Some(dsn) = dsn() else { return };
    // The workload planner PREPAREs statements; a writing statement must still not run.
    let env = Env::new();
    env.write("w.sql", "DELETE FROM users WHERE id = 1;");
    env.obby(&["db-diag", &dsn, "--check", "missing_index", "--queries", "w.sql"]).run().code(0);
    let out = env
        .obby(&["db-diag", &dsn, "--json", "--profile", "standard", "--check", "table_stats"])
        .run();
    let rows = out.records("check")[0]["table"]["rows"].clone();
    let users = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r[0] == "users"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(users[1], 200);
}

#[test]
fn pg_auth_failure_is_one_line_without_the_password() {
    let Some(dsn) = dsn() else { return };
    let bad = format!("postgres://app_pw:wrong-secret-pw@127.0.0.1:{}/obby_test", port(&dsn));
    let out = Env::new().obby(&["db-diag", &bad]).run();
    out.code(2).clean_error().stderr_has("password authentication failed");
    assert!(!out.stderr.contains("wrong-secret-pw") && !out.stdout.contains("wrong-secret-pw"));
}

#[test]
fn pg_from_environment_variables() {
    let Some(dsn) = dsn() else { return };
    let out = Env::new()
        .obby(&["db-diag", "--pg", "--json", "--check", "xid_wraparound"])
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", port(&dsn))
        .env("PGUSER", "postgres")
        .env("PGDATABASE", "obby_test")
        .run();
    out.code(0);
    assert_eq!(out.records("check")[0]["status"], "ok");
}

/// A check's findings and table as one comparable value (durations left out).
fn content(out: &crate::harness::Output, id: &str) -> (Vec<serde_json::Value>, serde_json::Value) {
    let check = out.records("check").into_iter().find(|c| c["id"] == id).unwrap_or_default();
    (findings(out, id), check["table"].clone())
}

#[test]
fn pg_a_check_run_alone_reports_what_the_full_run_reports() {
    // The full run fetches every catalog query in one batch; `--check ID` fetches only that
    // check's queries. Both must say the same. Tables that move while other tests run (session
    // counts, cache hits, statement times, xid ages) are compared by their findings only.
    let Some(dsn) = dsn() else { return };
    let env = Env::new();
    let full = env.obby(&["db-diag", &dsn, "--json", "--fail-on", "never"]).run();
    full.code(0);
    let moving = ["connections", "cache_hit_rate", "slow_queries", "top_queries", "xid_wraparound"];
    for check in full.records("check") {
        let id = check["id"].as_str().unwrap_or_default().to_owned();
        if check["status"] == "skipped" {
            continue;
        }
        let alone =
            env.obby(&["db-diag", &dsn, "--json", "--fail-on", "never", "--check", &id]).run();
        alone.code(0);
        assert_eq!(alone.records("check")[0]["status"], check["status"], "{id}");
        let (full_findings, full_table) = content(&full, &id);
        let (alone_findings, alone_table) = content(&alone, &id);
        assert_eq!(alone_findings, full_findings, "{id}");
        if !moving.contains(&id.as_str()) {
            assert_eq!(alone_table, full_table, "{id}");
        }
    }
}

#[test]
fn pg_without_pg_stat_statements_the_other_checks_still_run() {
    // The `postgres` database of the test cluster has no pg_stat_statements extension: the batch
    // reading it fails and is sent again without it.
    let Some(dsn) = dsn() else { return };
    let out = Env::new().obby(&["db-diag", &with_db(&dsn, "postgres"), "--json"]).run();
    out.code(0);
    for check in out.records("check") {
        let id = check["id"].as_str().unwrap_or_default();
        match id {
            "slow_queries" | "top_queries" | "n_plus_one" => {
                assert_eq!(check["status"], "skipped", "{id}");
                let reason = check["reason"].as_str().unwrap_or_default();
                assert!(reason.contains("pg_stat_statements is not installed"), "{id}: {reason}");
            }
            _ => assert_ne!(check["status"], "error", "{id}: {check}"),
        }
    }
    let xid = out.records("check").into_iter().find(|c| c["id"] == "xid_wraparound");
    let rows = xid.map(|c| c["table"]["rows"].clone()).unwrap_or_default();
    assert!(rows.as_array().is_some_and(|r| r.iter().any(|r| r[0] == "obby_test")), "{rows}");
}
