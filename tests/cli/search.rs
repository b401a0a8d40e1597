//! Tests of `obby search`.

use std::os::unix::ffi::OsStrExt as _;

use crate::harness::Env;

/// Records versions in the store directly (as `obby track` would), one batch per call.
fn record(env: &Env, versions: &[(&str, Option<&str>)]) {
    let loc = obby::store::Location::at_root(env.path());
    let mut store = obby::store::Store::open(&loc, std::time::Duration::from_secs(5)).unwrap();
    let mut batch = store.batch("test").unwrap();
    for (i, (path, content)) in versions.iter().enumerate() {
        let rel = obby::paths::RelPath::from_bytes(path.as_bytes().to_vec());
        let hash = content.map(|c| {
            format!("{:064x}", c.len() * 7919 + c.bytes().map(usize::from).sum::<usize>() + i)
        });
        if let (Some(h), Some(c)) = (&hash, content) {
            batch.put_blob(h, c.as_bytes(), true, None, None).unwrap();
        }
        let change = if content.is_some() { "modified" } else { "deleted" };
        batch
            .add_version(&obby::store::NewVersion {
                path: &rel,
                change,
                kind: "file",
                hash: hash.as_deref(),
                old_path: None,
                size: content.map(|c| c.len() as u64),
                mtime_ns: None,
                recorded_at: obby::timeparse::now_ms(),
                lines_added: 1,
                lines_removed: 0,
                origin: None,
            })
            .unwrap();
    }
    batch.finish().unwrap();
}

fn code_env() -> Env {
    let env = Env::with_store();
    env.write("src/config.rs", "pub fn parseConfigFile(path: &str) -> Config {\n    todo!()\n}\n");
    env.write("tool.py", "def parse_config_file(p):\n    return p\n");
    env.write("web/app.ts", "export class ParseConfig {}\n");
    env.write("notes.md", "We receive the data on monday.\nNothing about parsing here.\n");
    env
}

#[test]
fn camel_snake_and_pascal_case_all_match_words() {
    let env = code_env();
    let out = env.obby(&["search", "parse", "config"]).run();
    out.code(0)
        .stdout_has("src/config.rs:1: pub fn parseConfigFile")
        .stdout_has("tool.py:1: def parse_config_file")
        .stdout_has("web/app.ts:1: export class ParseConfig")
        .stdout_lacks("notes.md");
    // The camelCase query finds the snake_case definition too.
    env.obby(&["search", "parseConfigFile"]).run().code(0).stdout_has("tool.py");
}

#[test]
fn no_match_exits_one() {
    let env = code_env();
    env.obby(&["search", "zebra"]).run().code(1);
    assert!(env.obby(&["search", "zebra"]).run().stdout.is_empty());
}

#[test]
fn bad_queries_are_clean_errors_that_say_where() {
    let env = code_env();
    env.obby(&["search", ""]).run().code(2).clean_error().stderr_has("empty query");
    env.obby(&["search"]).run().code(2).clean_error().stderr_has("empty query");
    env.obby(&["search", "!!! ..."]).run().code(2).clean_error().stderr_has("no words");
    env.obby(&["search", "foo \"bar"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("column 5")
        .stderr_has("hint:");
    env.obby(&["search", "foo OR"]).run().code(2).clean_error().stderr_has("`OR` at column 5");
    env.obby(&["search", "--", "-foo"]).run().code(2).clean_error().stderr_has("only excludes");
    env.obby(&["search", "foo~5"]).run().code(2).clean_error().stderr_has("fuzzy distance");
}

#[test]
fn phrases_prefixes_exclusions_or_and_filters() {
    let env = code_env();
    env.obby(&["search", "\"receive the data\""]).run().code(0).stdout_has("notes.md:1:");
    env.obby(&["search", "\"the receive\""]).run().code(1);
    env.obby(&["search", "pars*"]).run().code(0).stdout_has("notes.md").stdout_has("tool.py");
    env.obby(&["search", "parse -lang:python"]).run().code(0).stdout_lacks("tool.py");
    env.obby(&["search", "monday OR todo"])
        .run()
        .code(0)
        .stdout_has("notes.md")
        .stdout_has("src/config.rs");
    env.obby(&["search", "parse", "ext:py"])
        .run()
        .code(0)
        .stdout_has("tool.py")
        .stdout_lacks("config.rs");
    env.obby(&["search", "parse", "lang:ts"])
        .run()
        .code(0)
        .stdout_has("web/app.ts")
        .stdout_lacks("tool.py");
    env.obby(&["search", "path:src"])
        .run()
        .code(0)
        .stdout_has("src/config.rs")
        .stdout_lacks("tool.py");
    env.obby(&["search", "def:ParseConfig"])
        .run()
        .code(0)
        .stdout_has("web/app.ts")
        .stdout_lacks("notes.md");
}

#[test]
fn typos_are_found_with_fuzzy() {
    let env = code_env();
    env.obby(&["search", "recieve"]).run().code(1);
    env.obby(&["search", "recieve~"]).run().code(0).stdout_has("notes.md:1:");
    env.obby(&["search", "--fuzzy", "recieve"]).run().code(0).stdout_has("notes.md:1:");
    env.obby(&["search", "recieve~2"]).run().code(0).stdout_has("notes.md");
}

#[test]
fn defs_rank_the_defining_file_first() {
    let env = Env::with_store();
    env.write("a_user.py", "from lib import loader\nloader()\nloader()\nloader()\n");
    env.write("lib.py", "def loader():\n    pass\n");
    let out = env.obby(&["search", "--defs", "--files", "loader"]).run();
    out.code(0);
    assert_eq!(out.stdout.lines().next(), Some("lib.py"), "{}", out.stdout);
}

#[test]
fn json_records_carry_paths_scores_lines_and_ranges() {
    let env = code_env();
    let out = env.obby(&["--json", "search", "parse", "config"]).run();
    out.code(0);
    let matches = out.records("match");
    assert_eq!(matches.len(), 3);
    let py = matches.iter().find(|m| m["path"] == "tool.py").unwrap();
    assert!(py["score"].as_f64().unwrap() > 0.0);
    assert_eq!(py["lines"], serde_json::json!([1]));
    let line = &py["snippet"][0];
    assert_eq!(line["line"], 1);
    let text = line["text"].as_str().unwrap();
    let r = &line["ranges"][0];
    let (a, b) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
    assert_eq!(&text[a..b], "parse_config");
    let summary = out.json().pop().unwrap();
    assert_eq!(summary["data"]["hits"], 3);
    assert_eq!(summary["data"]["searched"], 4);
}

#[test]
fn files_and_null_separated_paths() {
    let env = code_env();
    let out = env.obby(&["search", "--files", "parse", "config"]).run();
    out.code(0);
    assert_eq!(out.stdout.lines().count(), 3);
    assert!(!out.stdout.contains(':'));
    let out = env.obby(&["search", "-0", "monday"]).run();
    out.code(0);
    assert_eq!(out.raw_stdout, b"notes.md\0");
}

#[test]
fn binary_files_are_searchable_by_path_only() {
    let env = Env::with_store();
    env.write("assets/logo.png", b"\x89PNG\0\0secretword\0");
    env.write("readme.txt", "see the logo\n");
    env.obby(&["search", "secretword"]).run().code(1);
    env.obby(&["search", "path:assets"])
        .run()
        .code(0)
        .stdout_has("assets/logo.png (binary: path only)");
    let out = env.obby(&["--json", "search", "logo", "ext:png"]).run();
    out.code(0);
    assert_eq!(out.records("match")[0]["binary"], true);
}

#[test]
fn huge_files_are_indexed_up_to_the_limit_and_the_rest_is_noted() {
    let env = Env::with_store();
    let mut text = String::from("early_word here\n");
    while text.len() < 4096 {
        text.push_str("filler line of text\n");
    }
    text.push_str("late_word there\n");
    env.write("big.txt", &text);
    let run = |q: &str| env.obby(&["search", q]).env("OBBY_SEARCH_MAX_FILE_SIZE", "2KiB").run();
    run("early_word").code(0).stdout_has("big.txt:1:").stdout_has("only the first 2.0 KiB of");
    run("late_word").code(1);
}

#[test]
fn non_utf8_paths_are_kept_exactly() {
    let env = Env::with_store();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.path().join(name), "unicorn\n").unwrap();
    env.obby(&["search", "unicorn"]).run().code(0).stdout_has("caf\\xE9.txt:1: unicorn");
    let out = env.obby(&["--json", "search", "unicorn"]).run();
    let m = out.records("match");
    assert_eq!(m[0]["path"]["bytes"], "Y2Fm6S50eHQ=");
    let out = env.obby(&["search", "-0", "unicorn"]).run();
    assert_eq!(out.raw_stdout, b"caf\xe9.txt\0");
}

#[test]
fn update_picks_up_edits_and_deletions_and_only_rereads_changed_files() {
    let env = code_env();
    env.obby(&["search", "monday"]).run().code(0);
    env.write("notes.md", "Tuesday now.\n");
    env.write("new.txt", "monday again\n");
    env.remove("tool.py");
    let out = env.obby(&["--json", "search", "--update", "monday"]).run();
    out.code(0).stdout_has("new.txt").stdout_lacks("notes.md");
    let summary = out.json().pop().unwrap();
    assert_eq!(summary["data"]["index"]["indexed"], 2, "{}", out.stdout);
    assert_eq!(summary["data"]["index"]["removed"], 1);
    env.obby(&["search", "parse_config_file"]).run().code(0).stdout_lacks("tool.py");
    // Nothing changed: nothing is read again.
    let out = env.obby(&["--json", "search", "--update", "monday"]).run();
    assert_eq!(out.json().pop().unwrap()["data"]["index"]["indexed"], 0);
}

#[test]
fn the_index_follows_the_store() {
    let env = code_env();
    env.obby(&["search", "monday"]).run().code(0);
    env.write("notes.md", "Wednesday.\n");
    // Without --update the edit is not seen, until the store records it.
    env.obby(&["search", "wednesday"]).run().code(1);
    record(&env, &[("notes.md", Some("Wednesday.\n"))]);
    env.obby(&["search", "wednesday"]).run().code(0).stdout_has("notes.md:1:");
}

#[test]
fn history_finds_deleted_code_with_its_version() {
    let env = Env::with_store();
    env.write("lib.rs", "fn new_name() {}\n");
    record(&env, &[("lib.rs", Some("fn legacy_function() {}\n"))]);
    record(&env, &[("lib.rs", Some("fn new_name() {}\n"))]);
    env.obby(&["search", "legacy_function"]).run().code(1);
    env.obby(&["search", "--history", "legacy_function"])
        .run()
        .code(0)
        .stdout_has("lib.rs@v1 (")
        .stdout_has(":1: fn legacy_function");
    let out = env.obby(&["--json", "search", "--history", "legacy_function"]).run();
    let m = out.records("match");
    assert_eq!(m[0]["version"]["version"], 1);
    // The current content is not reported twice.
    let out = env.obby(&["--json", "search", "--history", "new_name"]).run();
    assert_eq!(out.records("match").len(), 1);
}

#[test]
fn recent_lists_files_changed_in_the_window() {
    let env = code_env();
    record(&env, &[("notes.md", Some("a\n")), ("tool.py", Some("b\n"))]);
    record(&env, &[("notes.md", Some("c\n"))]);
    let out = env.obby(&["--json", "search", "--recent", "1h"]).run();
    out.code(0);
    let recs = out.records("recent");
    let notes = recs.iter().find(|r| r["path"] == "notes.md").unwrap();
    assert_eq!(notes["versions"], 2);
    env.obby(&["search", "--recent", "1h"])
        .run()
        .code(0)
        .stdout_has("notes.md")
        .stdout_has("2 versions");
    env.obby(&["search", "--recent", "soon"]).run().code(2).clean_error().stderr_has("--recent");
}

#[test]
fn related_files_by_imports_co_change_and_shared_terms() {
    let env = Env::with_store();
    env.write("src/lib.rs", "pub mod store;\npub mod other;\n");
    env.write("src/store.rs", "pub struct Quasar;\npub fn zanzibar_quokka() {}\n");
    env.write("src/user.rs", "use crate::store::Quasar;\nfn f() {}\n");
    env.write("src/other.rs", "fn x() { zanzibar_quokka(); xylophone_marmot(); }\n");
    env.write("docs/guide.md", "zanzibar_quokka and xylophone_marmot explained\n");
    env.write("docs/unrelated.md", "nothing\n");
    env.write("changelog.txt", "entries\n");
    record(&env, &[("src/store.rs", Some("x")), ("changelog.txt", Some("y"))]);
    let out = env.obby(&["--json", "search", "--related", "src/store.rs"]).run();
    out.code(0);
    let recs = out.records("related");
    let kinds = |p: &str| -> Vec<String> {
        recs.iter()
            .find(|r| r["path"] == p)
            .map(|r| {
                r["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["kind"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(kinds("src/user.rs").contains(&"imports".to_owned()), "{}", out.stdout);
    assert!(kinds("src/lib.rs").contains(&"imports".to_owned()), "{}", out.stdout);
    assert!(kinds("changelog.txt").contains(&"co_changed".to_owned()), "{}", out.stdout);
    assert!(kinds("docs/unrelated.md").is_empty());
    env.obby(&["search", "--related", "src/user.rs"])
        .run()
        .code(0)
        .stdout_has("src/store.rs  (imported by it");
    let out = env.obby(&["--json", "search", "--related", "src/other.rs"]).run();
    let recs = out.records("related");
    let guide = recs.iter().find(|r| r["path"] == "docs/guide.md").unwrap();
    assert_eq!(guide["reasons"][0]["kind"], "shared_terms");
}

#[test]
fn a_corrupt_index_says_to_rebuild_and_rebuild_repairs_it() {
    let env = code_env();
    env.obby(&["search", "monday"]).run().code(0);
    std::fs::write(env.join(".obby/index/meta.json"), "{ not json").unwrap();
    env.obby(&["search", "monday"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("cannot be read")
        .stderr_has("--rebuild");
    env.obby(&["search", "--rebuild", "monday"]).run().code(0).stdout_has("notes.md");
    // A rebuild alone (no query) is fine too.
    env.obby(&["search", "--rebuild"]).run().code(0).stderr_has("indexed 4 files");
}

#[test]
fn a_locked_index_is_still_searchable_and_writers_get_a_hint() {
    let env = code_env();
    env.obby(&["search", "monday"]).run().code(0);
    // Another process holds the writer lock (tantivy locks with flock).
    let lock = env.join(".obby/index/.tantivy-writer.lock");
    let Ok(mut holder) = std::process::Command::new("flock")
        .args(["-n", "-o"])
        .arg(&lock)
        .args(["sleep", "30"])
        .spawn()
    else {
        eprintln!("skipped: no `flock` command to hold the lock from another process");
        return;
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    env.obby(&["search", "monday"]).run().code(0).stdout_has("notes.md");
    env.obby(&["search", "--update", "monday"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("locked")
        .stderr_has("--rebuild");
    env.obby(&["search", "--rebuild"]).run().code(2).clean_error().stderr_has("locked");
    let _ = holder.kill();
    let _ = holder.wait();
    env.obby(&["search", "--update", "monday"]).run().code(0);
}

#[test]
fn readers_never_fail_while_a_writer_commits() {
    let env = code_env();
    for i in 0..40 {
        env.write(&format!("gen/f{i}.txt"), format!("monday item {i}\n"));
    }
    env.obby(&["search", "monday"]).run().code(0);
    let root = env.path().to_path_buf();
    let writer = std::thread::spawn(move || {
        let dir = root.join(".obby/index");
        let scope = obby::scope::Scope::load(&root, obby::scope::ScopeOptions::default()).unwrap();
        for round in 0..6 {
            for i in 0..40 {
                std::fs::write(
                    root.join(format!("gen/f{i}.txt")),
                    format!("monday item {i} round {round}\n"),
                )
                .unwrap();
            }
            let mut ix = obby::search::Indexer::open(
                &dir,
                &root,
                obby::search::IndexOptions::default(),
                false,
            )
            .unwrap();
            ix.update(&scope, &|| false).unwrap();
            ix.finish().unwrap();
        }
    });
    for _ in 0..8 {
        env.obby(&["search", "monday"]).run().code(0);
    }
    writer.join().unwrap();
}

#[test]
fn an_unfinished_build_is_completed_by_the_next_search() {
    let env = code_env();
    env.obby(&["search", "monday"]).run().code(0);
    // What an interrupted build leaves: a committed, partial index without the sync marker.
    std::fs::remove_file(env.join(".obby/index/obby-synced")).unwrap();
    env.write("late.txt", "monday too\n");
    let out = env.obby(&["--json", "search", "monday"]).run();
    out.code(0).stdout_has("late.txt");
    assert_eq!(out.json().pop().unwrap()["data"]["index"]["indexed"], 1);
}

/// Runs git in the test directory with a fixed identity and commit date.
fn git(env: &Env, args: &[&str], date: &str) -> bool {
    std::process::Command::new("git")
        .args(args)
        .current_dir(env.path())
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn git_history_gives_recency_recent_files_and_co_change() {
    let env = Env::with_store();
    env.write("old.txt", "shared word\n");
    env.write("old_partner.txt", "partner\n");
    if !git(&env, &["init", "-q"], "2020-01-01T00:00:00Z") {
        eprintln!("skipped: git is not available");
        return;
    }
    git(&env, &["add", "old.txt", "old_partner.txt"], "2020-01-01T00:00:00Z");
    git(&env, &["commit", "-q", "-m", "old"], "2020-01-01T00:00:00Z");
    env.write("new.txt", "shared word\n");
    git(&env, &["add", "new.txt"], "2026-01-01T00:00:00Z");
    let now = jiff::Timestamp::now().to_string();
    git(&env, &["commit", "-q", "-m", "new"], &now);
    let out = env.obby(&["search", "--files", "--sort", "recent", "shared"]).run();
    out.code(0);
    assert_eq!(out.stdout, "new.txt\nold.txt\n");
    let out = env.obby(&["--json", "search", "--recent", "1d"]).run();
    let recs = out.records("recent");
    assert_eq!(recs.len(), 1, "{}", out.stdout);
    assert_eq!(recs[0]["path"], "new.txt");
    assert_eq!(recs[0]["commits"], 1);
    env.obby(&["search", "--related", "old.txt"])
        .run()
        .code(0)
        .stdout_has("old_partner.txt  (changed together in 1 commit)");
}
