//! `obby init` and store discovery.

use crate::harness::Env;

#[test]
fn init_creates_a_store_that_later_commands_find_from_a_subdirectory() {
    let env = Env::new();
    env.obby(&["init"]).run().code(0).stderr_has("initialised");
    assert!(env.join(".obby/obby.db").is_file());
    std::fs::create_dir_all(env.join("a/b")).unwrap();
    env.obby(&["config"]).current_dir(env.join("a/b")).run().code(0);
}

#[test]
fn init_twice_is_an_error_with_a_hint() {
    let env = Env::with_store();
    env.obby(&["init"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("already exists")
        .stderr_has("hint:");
}

#[test]
fn init_of_a_missing_directory_fails_cleanly() {
    let env = Env::new();
    env.obby(&["init", "nope"]).run().code(2).clean_error().stderr_has("nope");
    assert!(!env.join("nope").exists());
}

#[test]
fn init_json_is_json_lines_with_a_summary() {
    let env = Env::new();
    let out = env.obby(&["init", "--json"]).run();
    out.code(0);
    let init = out.records("init");
    assert_eq!(init.len(), 1);
    assert_eq!(init[0]["schema_version"], 3);
}

#[test]
fn a_newer_store_is_refused_and_left_untouched() {
    let env = Env::with_store();
    let db = env.join(".obby/obby.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    env.obby(&["log"]).run().code(2).clean_error().stderr_has("newer").stderr_has("hint:");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// A v1 store (before the covering time index) is still read as it is, and the next writing
/// command migrates it.
#[test]
fn a_v1_store_is_read_as_it_is_and_migrated_by_the_next_write() {
    let env = Env::with_store();
    env.write("a.txt", "one\n");
    env.obby(&["track"]).run().code(0);
    let db = env.join(".obby/obby.db");
    let version = |conn: &rusqlite::Connection| -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
    };
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP INDEX versions_time;
             CREATE INDEX versions_recorded ON versions(recorded_at);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let rows = env.obby(&["query", "time-analysis", "--json"]).run().code(0).records("row");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["changes"], 1);
    assert_eq!(version(&rusqlite::Connection::open(&db).unwrap()), 1, "a read must not migrate");
    env.write("a.txt", "one\ntwo\n");
    env.obby(&["track"]).run().code(0);
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(version(&conn), 3);
    let has_index = |name: &str| -> i64 {
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = ?1", [name], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(has_index("versions_time"), 1);
    assert_eq!(has_index("file_state_hash"), 0);
}

#[test]
fn a_corrupt_store_is_a_clear_error() {
    let env = Env::with_store();
    for f in ["obby.db-wal", "obby.db-shm"] {
        let _ = std::fs::remove_file(env.join(".obby").join(f));
    }
    std::fs::write(
        env.join(".obby/obby.db"),
        b"this is not a database at all, just text padding it out",
    )
    .unwrap();
    env.obby(&["log"]).run().code(2).clean_error().stderr_has("not");
}
