//! `obby deps`: import (directory, git), status, audit, check, report, update, and every bad
//! input the issue names. Fixtures under tests/fixtures/deps/ are small records written from the
//! facts of real advisories, plus lockfiles of each ecosystem.

use std::path::{Path, PathBuf};

use crate::harness::Env;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps")
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A project with lockfiles of every ecosystem (under `project/`) and all fixture data imported.
fn project() -> Env {
    let env = Env::new();
    copy_dir(&fixtures().join("project"), &env.join("project"));
    let adv = fixtures().join("advisories");
    env.obby(&["deps", "db", "import", adv.to_str().unwrap(), "--name", "fixtures"]).run().code(0);
    env
}

fn finding<'a>(records: &'a [serde_json::Value], package: &str, id: &str) -> &'a serde_json::Value {
    records
        .iter()
        .find(|f| f["package"] == package && f["advisory"] == id)
        .unwrap_or_else(|| panic!("no finding {package} {id} in {records:#?}"))
}

#[test]
fn import_counts_records_skips_malformed_and_withdrawn_and_status_shows_them() {
    let env = Env::new();
    let adv = fixtures().join("advisories");
    let out = env.obby(&["deps", "db", "import", adv.to_str().unwrap(), "--json"]).run();
    out.code(0);
    let import = out.records("import");
    assert_eq!(import[0]["records"], 15, "{import:?}");
    assert_eq!(import[0]["skipped"], 3);
    assert_eq!(import[0]["withdrawn"], 1);
    assert!(out.stderr.contains("3 malformed record(s) skipped"));
    let status = env.obby(&["deps", "db", "status", "--json"]).run();
    let sources = status.records("source");
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["name"], "advisories");
    assert_eq!(sources[0]["ecosystems"]["crates.io"], 9);
    assert_eq!(sources[0]["ecosystems"]["PyPI"], 2);
    env.obby(&["deps", "db", "status"]).run().code(0).stdout_has("advisories").stdout_has("Go 2");
}

#[test]
fn import_from_a_local_git_repository_records_the_commit_and_update_fetches_new_records() {
    let env = Env::new();
    let repo = env.join("advisory-db");
    copy_dir(&fixtures().join("advisories/rustsec"), &repo);
    let git = |args: &[&str]| {
        let st = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(&repo)
            .output()
            .expect("git");
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
        String::from_utf8_lossy(&st.stdout).trim().to_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "advisories"]);
    let head = git(&["rev-parse", "HEAD"]);
    let url = format!("file://{}", repo.display());
    let out = env.obby(&["deps", "db", "import", &url, "--json"]).run();
    out.code(0);
    let import = out.records("import");
    assert_eq!(import[0]["kind"], "git");
    assert_eq!(import[0]["revision"], head.as_str());
    assert_eq!(import[0]["records"], 8);
    // A new advisory lands upstream; `db update` fetches it.
    std::fs::create_dir_all(repo.join("crates/h2")).unwrap();
    std::fs::write(
        repo.join("crates/h2/RUSTSEC-2023-0034.md"),
        "```toml\n[advisory]\nid = \"RUSTSEC-2023-0034\"\npackage = \"h2\"\ndate = \"2023-04-14\"\n\n[versions]\npatched = [\">= 0.3.17\"]\n```\n\n# Resource exhaustion vulnerability in h2 may lead to Denial of Service (DoS)\n",
    )
    .unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "h2"]);
    env.obby(&["deps", "db", "update"]).run().code(0).stderr_has("imported 9 advisories");
    let status = env.obby(&["deps", "db", "status", "--json"]).run().records("source");
    assert_eq!(status[0]["revision"], git(&["rev-parse", "HEAD"]).as_str());
}

#[test]
fn import_of_a_missing_path_or_a_non_repository_is_a_clean_error() {
    let env = Env::new();
    env.obby(&["deps", "db", "import", "nope"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("does not exist")
        .stderr_has("hint:");
    std::fs::create_dir_all(env.join("plain")).unwrap();
    let url = format!("file://{}", env.join("plain").display());
    env.obby(&["deps", "db", "import", &url])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("is not a git repository");
}

#[test]
fn audit_without_data_says_how_to_import() {
    let env = Env::new();
    copy_dir(&fixtures().join("project"), &env.join("project"));
    env.obby(&["deps", "audit", "project"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("no advisory data imported")
        .stderr_has("obby deps db import");
}

#[test]
fn audit_finds_vulnerabilities_in_every_ecosystem_with_paths_scopes_and_fixes() {
    let env = project();
    let out = env.obby(&["deps", "audit", "project", "--json"]).run();
    out.code(1);
    let f = out.records("finding");
    let hyper = finding(&f, "hyper", "RUSTSEC-2021-0079");
    assert_eq!(hyper["severity"], "CRITICAL");
    assert_eq!(hyper["fixed"], "0.14.10");
    assert_eq!(hyper["path"], serde_json::json!(["app", "hyper"]));
    // The GHSA record of the same vulnerability is merged, not reported twice.
    assert!(hyper["aliases"].as_array().unwrap().iter().any(|a| a == "GHSA-5h46-h7hh-c6x9"));
    assert!(!f.iter().any(|x| x["advisory"] == "GHSA-5h46-h7hh-c6x9"));
    assert_eq!(
        finding(&f, "time", "RUSTSEC-2020-0071")["path"],
        serde_json::json!(["app", "chrono", "time"])
    );
    assert_eq!(finding(&f, "time", "RUSTSEC-2020-0071")["direct"], false);
    assert_eq!(finding(&f, "smallvec", "RUSTSEC-2021-0003")["fixed"], "1.6.1");
    // The git-sourced smallvec 0.6.5 is not matched against registry advisories.
    assert_eq!(f.iter().filter(|x| x["package"] == "smallvec").count(), 1);
    assert_eq!(finding(&f, "atty", "RUSTSEC-2024-0375")["decision"], "warn");
    // Two records of one database sharing aliases stay two findings.
    assert_eq!(finding(&f, "failure", "RUSTSEC-2019-0036")["kind"], "unsound");
    assert_eq!(finding(&f, "failure", "RUSTSEC-2020-0036")["kind"], "unmaintained");
    assert_eq!(finding(&f, "lodash", "GHSA-35jh-r3h4-6jhm")["severity"], "HIGH");
    let minimist = finding(&f, "minimist", "GHSA-xvch-5gv4-984h");
    assert_eq!(minimist["scope"], "dev");
    assert_eq!(minimist["path"], serde_json::json!(["web", "mkdirp", "minimist"]));
    assert_eq!(finding(&f, "django", "PYSEC-2021-98")["fixed"], "3.2.4");
    assert_eq!(finding(&f, "jinja2", "PYSEC-2019-217")["fixed"], "2.10.1");
    let yaml = finding(&f, "gopkg.in/yaml.v3", "GO-2022-0603");
    assert_eq!(yaml["severity"], "UNKNOWN");
    assert_eq!(yaml["direct"], false);
    assert_eq!(finding(&f, "golang.org/x/net", "GO-2023-1571")["fixed"], "0.7.0");
    assert!(!f.iter().any(|x| x["package"] == "requests"));
    assert_eq!(out.records("lockfile").len(), 4);
    let summary = out.records("summary");
    assert_eq!(summary[0]["result"], "vulnerable");
    // The human table groups by package.
    env.obby(&["deps", "audit", "project/rust"])
        .run()
        .code(1)
        .stdout_has("hyper 0.14.9")
        .stdout_has("RUSTSEC-2021-0079")
        .stdout_has("app -> chrono -> time");
}

#[test]
fn a_malformed_lockfile_is_reported_with_its_position_and_the_others_are_still_audited() {
    let env = project();
    env.write("project/bad/package-lock.json", "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/x\": { \"version\": }\n  }\n}\n");
    env.write("project/bad2/Cargo.lock", "version = 9\n");
    let out = env.obby(&["deps", "audit", "project", "--json"]).run();
    out.code(2);
    assert!(out.stderr.contains("project/bad/package-lock.json:4:"), "{}", out.stderr);
    assert!(out.stderr.contains("unsupported Cargo.lock version 9"));
    assert!(out.records("finding").iter().any(|f| f["package"] == "hyper"));
    assert_eq!(out.records("summary")[0]["errors"], 2);
}

#[test]
fn malformed_lockfiles_of_every_format_give_line_and_column() {
    let env = project();
    let cases = [
        ("Cargo.lock", "[[package]]\nname = \"a\"\nversion = \n", ":3:"),
        ("package-lock.json", "{\"lockfileVersion\": 3,\n\"packages\": {,}}", ":2:"),
        ("yarn.lock", "a@^1:\n  version \"1.0.0\"\n        x\n", ":3:"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: [\n", ":"),
        ("poetry.lock", "[[package]]\nname = \"x\"\n= 1\n", ":3:"),
        ("uv.lock", "version = 1\n[[package]\n", ":2:"),
        ("Pipfile.lock", "{\"_meta\": {}, \"default\": {\"a\": }}", ":1:"),
        ("requirements.txt", "a==1.0\nb===\n", ":2:"),
        ("go.mod", "module a\nrequire (\n\tx\n)\n", ":3:"),
    ];
    for (name, text, pos) in cases {
        let rel = format!("bad-{}/{name}", name.replace('.', "-"));
        env.write(&rel, text);
        let out = env.obby(&["deps", "audit", &rel]).run();
        out.code(2);
        assert!(out.stderr.contains(&format!("{rel}{pos}")), "{name}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
}

#[test]
fn check_ci_mode_exit_codes_follow_fail_on_and_the_summary_carries_them() {
    let env = project();
    // Defaults: fail on critical; the fixture data is years old, so allow its age here.
    let out = env
        .obby(&["deps", "check", "--ci-mode", "project/web", "--max-db-age", "100000d", "--json"])
        .run();
    out.code(1);
    let f = out.records("finding");
    assert_eq!(finding(&f, "minimist", "GHSA-xvch-5gv4-984h")["decision"], "fail");
    let lodash = finding(&f, "lodash", "GHSA-35jh-r3h4-6jhm");
    assert_eq!(lodash["decision"], "warn");
    assert_eq!(out.records("summary")[0]["exit_code"], 1);
    // Only HIGH findings and a CRITICAL threshold: success.
    env.obby(&[
        "deps",
        "check",
        "--ci-mode",
        "project/web",
        "--omit",
        "dev",
        "--max-db-age",
        "100000d",
        "--json",
    ])
    .run()
    .code(0)
    .json();
    // Unknown severity (Go) counts as failing even at `critical`.
    let out = env
        .obby(&["deps", "check", "--ci-mode", "project/go", "--max-db-age", "100000d", "--json"])
        .run();
    out.code(1);
    assert_eq!(
        finding(&out.records("finding"), "gopkg.in/yaml.v3", "GO-2022-0603")["decision"],
        "fail"
    );
}

#[test]
fn check_fails_on_stale_data() {
    let env = project();
    env.obby(&["deps", "check", "--ci-mode", "project/web", "--omit", "dev"])
        .run()
        .code(1)
        .stderr_has("days old");
}

#[test]
fn an_ecosystem_without_data_is_not_checked_and_an_error_in_ci_mode() {
    let env = Env::new();
    copy_dir(&fixtures().join("project"), &env.join("project"));
    let adv = fixtures().join("advisories/rustsec");
    env.obby(&["deps", "db", "import", adv.to_str().unwrap()]).run().code(0);
    let out = env
        .obby(&["deps", "check", "--ci-mode", "project/py", "--max-db-age", "100000d", "--json"])
        .run();
    out.code(2);
    let nc = out.records("not_checked");
    assert_eq!(nc[0]["packages"], 3);
    assert!(nc[0]["reason"].as_str().unwrap().contains("no PyPI advisory data"));
    let summary = &out.records("summary")[0];
    assert_eq!(summary["result"], "not checked");
    assert_eq!(summary["exit_code"], 2);
    assert!(!out.stderr.contains("no known vulnerabilities"));
    // Outside CI mode it is reported, not an error, and never called clean.
    let out = env.obby(&["deps", "audit", "project/py"]).run();
    out.code(0).stdout_has("not checked");
    assert!(!out.stderr.contains("no known vulnerabilities"), "{}", out.stderr);
}

#[test]
fn unparseable_versions_and_unpinned_requirements_are_not_checked() {
    let env = project();
    env.write("p/requirements.txt", "django==3.2.x\nflask>=2.0\n");
    let out =
        env.obby(&["deps", "check", "--ci-mode", "p", "--max-db-age", "100000d", "--json"]).run();
    out.code(2);
    let nc = out.records("not_checked");
    assert!(nc.iter().any(|n| n["package"] == "django"
        && n["reason"].as_str().unwrap().contains("not a valid PyPI version")));
    assert!(
        nc.iter().any(
            |n| n["package"] == "flask" && n["reason"].as_str().unwrap().contains("not pinned")
        )
    );
}

#[test]
fn no_lockfile_is_an_error_unless_allowed() {
    let env = project();
    std::fs::create_dir_all(env.join("empty")).unwrap();
    env.obby(&["deps", "check", "--ci-mode", "empty"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("no lockfile found")
        .stderr_has("--allow-empty");
    env.obby(&["deps", "check", "--ci-mode", "empty", "--allow-empty", "--json"])
        .run()
        .code(0)
        .json();
}

#[test]
fn the_ignore_file_ignores_with_reason_reports_expired_entries_and_warns_about_unused_ones() {
    let env = project();
    env.write(
        ".obby/deps-ignore.yaml",
        "- id: CVE-2021-32714\n  reason: we never parse chunked bodies\n- id: RUSTSEC-2021-0003\n  reason: old\n  expires: 2020-01-01\n- id: RUSTSEC-1999-0001\n  reason: nothing\n",
    );
    let out = env.obby(&["deps", "audit", "project/rust", "--json"]).run();
    out.code(1);
    let f = out.records("finding");
    let hyper = finding(&f, "hyper", "RUSTSEC-2021-0079");
    assert_eq!(hyper["decision"], "ignored");
    assert_eq!(hyper["reason"], "we never parse chunked bodies");
    assert_eq!(finding(&f, "smallvec", "RUSTSEC-2021-0003")["decision"], "fail");
    assert!(
        out.stderr.contains("RUSTSEC-2021-0003") && out.stderr.contains("expired on 2020-01-01")
    );
    assert!(out.stderr.contains("RUSTSEC-1999-0001") && out.stderr.contains("matches nothing"));
    // --ignore on the command line.
    let out = env
        .obby(&["deps", "audit", "project/rust", "--ignore", "RUSTSEC-2021-0078", "--json"])
        .run();
    assert_eq!(
        finding(&out.records("finding"), "hyper", "RUSTSEC-2021-0078")["reason"],
        "--ignore"
    );
}

#[test]
fn an_ignore_file_with_a_bad_date_is_a_clean_error_naming_the_line() {
    let env = project();
    env.write(
        ".obby/deps-ignore.yaml",
        "- id: RUSTSEC-2021-0003\n  reason: x\n  expires: 31/12/2026\n",
    );
    env.obby(&["deps", "audit", "project/rust"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("deps-ignore.yaml:3:")
        .stderr_has("not a date");
}

#[test]
fn policy_per_kind_and_direct_only() {
    let env = project();
    // Only informational findings remain once vulnerabilities are allowed.
    env.obby(&["deps", "audit", "project/rust", "--policy", "vulnerability=allow"])
        .run()
        .code(0)
        .stdout_has("unmaintained");
    env.obby(&[
        "deps",
        "audit",
        "project/rust",
        "--policy",
        "vulnerability=allow",
        "--policy",
        "unmaintained=deny",
    ])
    .run()
    .code(1);
    // Deny vulnerabilities on direct dependencies only: `time` (via chrono) becomes a warning.
    let out = env
        .obby(&["deps", "audit", "project/rust", "--policy", "vulnerability=deny:direct", "--json"])
        .run();
    let f = out.records("finding");
    assert_eq!(finding(&f, "time", "RUSTSEC-2020-0071")["decision"], "warn");
    assert_eq!(finding(&f, "hyper", "RUSTSEC-2021-0079")["decision"], "fail");
    env.obby(&["deps", "audit", "project/rust", "--policy", "stale=deny"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("invalid policy");
}

#[test]
fn severity_filter_and_omit_dev() {
    let env = project();
    let out = env.obby(&["deps", "audit", "project/rust", "--severity", "HIGH", "--json"]).run();
    let f = out.records("finding");
    assert_eq!(finding(&f, "hyper", "RUSTSEC-2021-0078")["decision"], "filtered");
    assert_eq!(finding(&f, "time", "RUSTSEC-2020-0071")["decision"], "filtered");
    // chrono has no CVSS: unknown severity is never filtered away.
    assert_eq!(finding(&f, "chrono", "RUSTSEC-2020-0159")["decision"], "fail");
    let out = env.obby(&["deps", "audit", "project/web", "--omit", "dev", "--json"]).run();
    assert!(!out.records("finding").iter().any(|f| f["package"] == "minimist"));
}

#[test]
fn results_are_cached_by_lockfile_and_data_version() {
    let env = project();
    let first = env.obby(&["deps", "audit", "project/rust", "--json"]).run().records("lockfile");
    assert_eq!(first[0]["cached"], false);
    let second = env.obby(&["deps", "audit", "project/rust", "--json"]).run().records("lockfile");
    assert_eq!(second[0]["cached"], true);
    // New data: the key changes.
    let adv = fixtures().join("advisories/ghsa");
    env.obby(&["deps", "db", "import", adv.to_str().unwrap()]).run().code(0);
    let third = env.obby(&["deps", "audit", "project/rust", "--json"]).run().records("lockfile");
    assert_eq!(third[0]["cached"], false);
    // A changed lockfile: the key changes too.
    let lock = env.read("project/rust/Cargo.lock").replace("0.14.9", "0.14.10");
    env.write("project/rust/Cargo.lock", lock);
    let out = env.obby(&["deps", "audit", "project/rust", "--json"]).run();
    assert_eq!(out.records("lockfile")[0]["cached"], false);
    assert!(!out.records("finding").iter().any(|f| f["package"] == "hyper"));
}

#[test]
fn reports_in_every_format() {
    let env = project();
    let out = env.obby(&["deps", "report", "project", "--format", "json"]).run();
    out.code(0);
    let packages = out.records("package");
    assert!(
        packages.iter().any(|p| p["name"] == "lodash" && p["purl"] == "pkg:npm/lodash@4.17.20")
    );
    assert!(!out.records("finding").is_empty());
    assert_eq!(out.records("summary")[0]["schema"], 1);
    let sarif: serde_json::Value = serde_json::from_str(
        &env.obby(&["deps", "report", "project", "--format", "sarif"]).run().stdout,
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "RUSTSEC-2021-0079" && r["level"] == "error"));
    env.obby(&["deps", "report", "project", "--format", "cyclonedx", "--output", "sbom.json"])
        .run()
        .code(0);
    let bom: serde_json::Value = serde_json::from_str(&env.read("sbom.json")).unwrap();
    assert_eq!(bom["specVersion"], "1.5");
    assert!(
        bom["components"].as_array().unwrap().iter().any(|c| c["purl"] == "pkg:cargo/hyper@0.14.9")
    );
    assert!(bom["vulnerabilities"].as_array().unwrap().iter().any(|v| v["id"] == "PYSEC-2021-98"));
    env.obby(&["deps", "report", "project", "--format", "markdown"])
        .run()
        .code(0)
        .stdout_has("| Package |")
        .stdout_has("`django`");
}

#[test]
fn update_plans_the_smallest_fix_and_auto_patch_edits_requirements() {
    let env = project();
    let out = env.obby(&["deps", "update", "project/py", "--json"]).run();
    let plans = out.records("plan");
    let django = plans.iter().find(|p| p["package"] == "django").unwrap();
    assert_eq!(django["to"], "3.2.4");
    assert_eq!(django["compatible"], true);
    assert_eq!(django["fixes"], serde_json::json!(["PYSEC-2021-98"]));
    env.obby(&["deps", "update", "project/py", "--auto-patch", "--dry-run"])
        .run()
        .stderr_has("would edit");
    assert!(env.read("project/py/requirements.txt").contains("django==3.2.0"));
    env.obby(&["deps", "update", "project/py", "--auto-patch"])
        .run()
        .code(0)
        .stderr_has("after the update: 0 failing");
    let text = env.read("project/py/requirements.txt");
    assert!(
        text.contains("django==3.2.4")
            && text.contains("jinja2==2.10.1")
            && text.contains("requests==2.25.0"),
        "{text}"
    );
}

#[test]
fn an_invalid_cvss_vector_leaves_the_severity_unknown_and_the_import_goes_on() {
    let env = project();
    env.write(
        "adv/GHSA-xvch-5gv4-984h.json",
        r#"{"id":"GHSA-xvch-5gv4-984h","aliases":["CVE-2021-44906"],"summary":"Prototype Pollution in minimist",
            "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:Q"}],
            "affected":[{"package":{"ecosystem":"npm","name":"minimist"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"fixed":"1.2.6"}]}]}]}"#,
    );
    env.obby(&["deps", "db", "import", "adv", "--name", "fixtures"]).run().code(0);
    let out = env.obby(&["deps", "audit", "project/web", "--json"]).run();
    let records = out.records("finding");
    let m = finding(&records, "minimist", "GHSA-xvch-5gv4-984h");
    assert_eq!(m["severity"], "UNKNOWN");
    assert!(m["severity_note"].as_str().unwrap().contains("invalid CVSS vector"));
}

#[test]
fn a_huge_lockfile_is_audited() {
    let env = project();
    let mut text = String::from(
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for i in 0..20_000 {
        text.push_str(&format!(" \"crate{i}\",\n"));
    }
    text.push_str("]\n");
    for i in 0..20_000 {
        text.push_str(&format!("\n[[package]]\nname = \"crate{i}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"));
    }
    env.write("big/Cargo.lock", text);
    let out = env.obby(&["deps", "audit", "big", "--json"]).run();
    out.code(0);
    assert_eq!(out.records("lockfile")[0]["packages"], 20_000);
}
