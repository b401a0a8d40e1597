//! `obby diff`: plain files and directories, tracked versions, output modes, bad input.

use crate::harness::Env;

#[test]
fn two_files_give_a_unified_diff_and_exit_1() {
    let env = Env::new();
    env.write("a.txt", "1\n2\n3\n").write("b.txt", "1\ntwo\n3\n");
    let out = env.obby(&["diff", "a.txt", "b.txt"]).run();
    out.code(1);
    assert_eq!(out.stdout, "--- a.txt\n+++ b.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n");
    env.obby(&["diff", "a.txt", "a.txt"]).run().code(0);
}

#[test]
fn context_whitespace_and_missing_newline() {
    let env = Env::new();
    env.write("a.txt", "a\nb\nc\nd\ne\n").write("b.txt", "a\nb\nC\nd\ne\n");
    let out = env.obby(&["diff", "-U", "0", "a.txt", "b.txt"]).run();
    out.code(1).stdout_has("@@ -3 +3 @@\n-c\n+C\n");
    env.write("w1.txt", "x  y\n").write("w2.txt", "x y\n");
    env.obby(&["diff", "-w", "w1.txt", "w2.txt"]).run().code(0);
    env.obby(&["diff", "w1.txt", "w2.txt"]).run().code(1);
    env.write("n1.txt", "end").write("n2.txt", "end\n");
    env.obby(&["diff", "n1.txt", "n2.txt"])
        .run()
        .code(1)
        .stdout_has("\\ No newline at end of file");
}

#[test]
fn binary_files_differ() {
    let env = Env::new();
    env.write("a.bin", b"\x00\x01\x02").write("b.bin", b"\x00\x01\x03");
    env.obby(&["diff", "a.bin", "b.bin"]).run().code(1).stdout_has("Binary files differ");
}

#[test]
fn directories_pair_their_files() {
    let env = Env::new();
    env.write("old/same.txt", "s\n").write("old/changed.txt", "1\n").write("old/gone.txt", "g\n");
    env.write("new/same.txt", "s\n").write("new/changed.txt", "2\n").write("new/added.txt", "a\n");
    let out = env.obby(&["diff", "old", "new", "--name-only"]).run();
    out.code(1);
    assert_eq!(out.stdout, "new/added.txt\nnew/changed.txt\nold/gone.txt\n");
    let out = env.obby(&["diff", "old", "new"]).run();
    out.code(1)
        .stdout_has("--- /dev/null\n+++ new/added.txt")
        .stdout_has("--- old/gone.txt\n+++ /dev/null");
    let out = env.obby(&["diff", "old", "new", "--stat"]).run();
    out.code(1).stdout_has("3 files changed, 2 insertions(+), 2 deletions(-)");
}

#[test]
fn json_gives_file_and_hunk_records() {
    let env = Env::new();
    env.write("a.txt", "1\n2\n").write("b.txt", "1\n3\n");
    let out = env.obby(&["diff", "--json", "a.txt", "b.txt"]).run();
    out.code(1);
    let hunks = out.records("hunk");
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0]["old_start"], 1);
    assert_eq!(hunks[0]["new_lines"], 2);
    assert_eq!(hunks[0]["lines"], serde_json::json!([" 1", "-2", "+3"]));
    assert_eq!(out.records("file")[0]["status"], "modified");
    let summary = &out.records("summary")[0];
    assert_eq!((summary["insertions"].as_u64(), summary["deletions"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn tracked_paths_against_the_working_copy_and_between_versions() {
    let env = Env::with_store();
    env.write("notes.md", "one\n");
    env.obby(&["track", "-q"]).run().code(0);
    env.write("notes.md", "one\ntwo\n");
    env.obby(&["track", "-q"]).run().code(0);
    env.obby(&["diff", "notes.md"]).run().code(0);
    env.write("notes.md", "one\ntwo\nthree\n");
    env.obby(&["diff", "notes.md"]).run().code(1).stdout_has("(working copy)").stdout_has("+three");
    let out = env.obby(&["diff", "notes.md", "--from", "~1", "--to", "~0"]).run();
    out.code(1).stdout_has("+two").stdout_lacks("three");
    env.obby(&["diff", "notes.md", "--from", "1", "--to", "1"]).run().code(0);
    env.obby(&["diff", ".", "--from", "1", "--stat"]).run().code(1).stdout_has("notes.md |");
    // CRLF in the working copy is what track records: no difference.
    env.write("notes.md", "one\r\ntwo\r\n");
    env.obby(&["diff", "notes.md"]).run().code(0);
}

#[test]
fn bad_input_is_a_clean_error() {
    let env = Env::with_store();
    env.write("a.txt", "a\n");
    env.obby(&["diff", "a.txt", "missing.txt"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("missing.txt");
    env.obby(&["diff", "a.txt"]).run().code(2).clean_error().stderr_has("not tracked");
    env.obby(&["track", "-q"]).run().code(0);
    env.obby(&["diff", "a.txt", "--from", "someday"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("hint:");
    // One recorded version: there is no ~1 (nor ~1 as --to), as git refuses a bad revision.
    for flag in ["--from", "--to"] {
        env.obby(&["diff", "a.txt", flag, "~1"])
            .run()
            .code(2)
            .clean_error()
            .stderr_has("has no version ~1")
            .stdout_lacks("+a");
    }
    env.obby(&["diff", "a.txt", "--from", "~0"]).run().code(0);
    let other = tempfile::tempdir().unwrap();
    env.obby(&["diff"]).arg(other.path()).run().code(2).clean_error().stderr_has("outside");
    env.write("dir/x.txt", "x\n");
    env.obby(&["diff", "dir", "a.txt"]).run().code(2).clean_error();
    let no_store = Env::new();
    no_store.write("a.txt", "a\n");
    no_store.obby(&["diff", "a.txt"]).run().code(2).clean_error().stderr_has("obby init");
}
