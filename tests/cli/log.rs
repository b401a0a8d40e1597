//! `obby log`.

use crate::harness::Env;

#[test]
fn empty_history_is_a_negative_answer() {
    let env = Env::with_store();
    let out = env.obby(&["log", "--json"]).run();
    out.code(1);
    assert_eq!(out.records("summary")[0]["versions"], 0);
}

#[test]
fn bad_since_is_a_clean_error() {
    let env = Env::with_store();
    env.obby(&["log", "--since", "someday"]).run().code(2).clean_error().stderr_has("someday");
}

#[test]
fn lists_versions_newest_first_with_filters() {
    let env = Env::with_store();
    env.write("a.txt", "a\n").write("dir/b.txt", "b\n");
    env.obby(&["track", "-q"]).run().code(0);
    env.write("a.txt", "a\nmore\n");
    env.obby(&["track", "-q"]).run().code(0);
    let out = env.obby(&["log"]).run();
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].contains("modified") && lines[0].contains("a.txt") && lines[0].contains("+1 -0")
    );
    let out = env.obby(&["log", "dir"]).run();
    out.code(0);
    assert_eq!(out.stdout.lines().count(), 1);
    assert!(out.stdout.contains("dir/b.txt"));
    let out = env.obby(&["log", "--limit", "1", "--json"]).run();
    let v = out.records("version");
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["change"], "modified");
    assert!(v[0]["recorded"].is_string());
    env.obby(&["log", "--since", "1h"]).run().code(0);
}

#[test]
fn renames_show_both_paths() {
    let env = Env::with_store();
    env.write("old.txt", "content\n");
    env.obby(&["track", "-q"]).run().code(0);
    std::fs::rename(env.join("old.txt"), env.join("new.txt")).unwrap();
    env.obby(&["track", "-q"]).run().code(0);
    env.obby(&["log"]).run().code(0).stdout_has("old.txt -> new.txt");
}
