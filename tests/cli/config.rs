//! `obby config`: effective settings and their sources.

use crate::harness::Env;

#[test]
fn shows_defaults_project_file_and_environment_with_sources() {
    let env = Env::with_store();
    env.write(".obby/config.toml", "[watch]\ndebounce = \"200ms\"\n");
    let out = env.obby(&["config", "--json"]).env("OBBY_SEARCH_LIMIT", "7").run();
    out.code(0);
    let settings = out.records("setting");
    let get = |k: &str| settings.iter().find(|s| s["key"] == k).cloned().unwrap();
    assert_eq!(get("watch.debounce")["value"], "200ms");
    assert!(get("watch.debounce")["source"].as_str().unwrap().ends_with("config.toml"));
    assert_eq!(get("search.limit")["value"], "7");
    assert_eq!(get("search.limit")["source"], "env OBBY_SEARCH_LIMIT");
    assert_eq!(get("store.busy_timeout")["source"], "default");
    env.obby(&["config", "watch.debounce"]).run().code(0).stdout_has("200ms");
}

#[test]
fn unknown_key_and_malformed_file_are_clean_errors() {
    let env = Env::with_store();
    env.obby(&["config", "nope.key"]).run().code(2).clean_error().stderr_has("hint:");
    env.write(".obby/config.toml", "[watch\n");
    env.obby(&["config"]).run().code(2).clean_error().stderr_has("config.toml");
}
