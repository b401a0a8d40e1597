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
