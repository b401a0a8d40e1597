//! The contract every subcommand shares: exit codes, JSON on failure, unknown subcommands.

use crate::harness::Env;

#[test]
fn no_store_gives_one_error_line_and_a_hint() {
    let env = Env::new();
    let out = env.obby(&["log"]).run();
    out.code(2).clean_error().stderr_has("hint: run `obby init`");
    assert_eq!(out.stderr.lines().count(), 2, "{}", out.stderr);
}

#[test]
fn failures_in_json_mode_are_still_json_lines() {
    let env = Env::new();
    let out = env.obby(&["log", "--json"]).run();
    out.code(2);
    let errors = out.records("error");
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["hint"].as_str().unwrap().contains("obby init"));
}

#[test]
fn usage_errors_exit_2_and_stay_json_with_json() {
    let env = Env::new();
    env.obby(&["track", "--no-such-flag"]).run().code(2);
    let out = env.obby(&["track", "--no-such-flag", "--json"]).run();
    out.code(2);
    assert_eq!(out.records("error").len(), 1);
}

#[test]
fn unknown_subcommands_run_obby_name_from_path_or_fail_cleanly() {
    let env = Env::new();
    env.obby(&["frobnicate"]).run().code(2).clean_error().stderr_has("obby-frobnicate");
    let bin = env.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("obby-hello");
    std::fs::write(&script, "#!/bin/sh\necho \"hello $1\"\nexit 1\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    env.obby(&["hello", "world"]).env("PATH", path).run().code(1).stdout_has("hello world");
}

#[test]
fn help_lists_the_exit_codes() {
    Env::new().obby(&["--help"]).run().code(0).stdout_has("Exit status:").stdout_has("130");
}

/// `obby help A B` shows the same help as `obby A B --help`, nested subcommands included.
#[test]
fn help_of_a_nested_subcommand_is_its_usage_and_options() {
    let env = Env::new();
    let help = env.obby(&["help", "deps", "audit"]).run();
    help.code(0).stdout_has("Usage: obby deps audit").stdout_has("--severity");
    let flag = env.obby(&["deps", "audit", "--help"]).run();
    assert_eq!(help.stdout, flag.stdout);
}
