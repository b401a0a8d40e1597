//! Tests of `obby import` and `obby export`.
//!
//! The original Python obby's database is generated here with rusqlite from the original's
//! schema (tests/fixtures/import/schema.sql) and realistic rows: a revert that reuses an earlier
//! `file_versions` row, a move, a delete, a row with NULL content, a row whose hash disagrees
//! with its content, CRLF content, semantic summaries with topics and keywords, and a table the
//! importer does not know.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::{Connection, params};
use sha2::Digest as _;

use crate::harness::Env;

const ROOT: &str = "/home/alice/notes-project";
const SCHEMA: &str = include_str!("../fixtures/import/schema.sql");

fn sha(text: &str) -> String {
    let norm = text.replace("\r\n", "\n").replace('\r', "\n");
    sha2::Sha256::digest(norm.as_bytes()).iter().fold(String::new(), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Writes rows like the original's: `version(path, content, time)` returns the row id, reusing
/// the row of an identical (path, content) pair as the original's UNIQUE constraint does.
struct Original {
    conn: Connection,
    root: String,
}

impl Original {
    fn create(db: &Path, root: &str, schema: &str) -> Self {
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let conn = Connection::open(db).unwrap();
        conn.execute_batch(schema).unwrap();
        Self { conn, root: root.to_owned() }
    }

    fn abs(&self, rel: &str) -> String {
        if self.root.contains('\\') {
            format!("{}\\{}", self.root, rel.replace('/', "\\"))
        } else {
            format!("{}/{rel}", self.root)
        }
    }

    fn version(&self, rel: &str, content: Option<&str>, hash: &str, time: &str) -> i64 {
        let path = self.abs(rel);
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM file_versions WHERE file_path = ?1 AND content_hash = ?2",
                params![path, hash],
                |r| r.get(0),
            )
            .ok();
        if let Some(id) = found {
            return id;
        }
        self.conn
            .execute(
                "INSERT INTO file_versions(file_path, content_hash, content, line_count, timestamp, change_description, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 'change', ?5)",
                params![path, hash, content, content.map_or(0, |c| c.lines().count() as i64), time],
            )
            .unwrap();
        self.conn.last_insert_rowid()
    }

    fn diff(&self, rel: &str, old: Option<i64>, new: Option<i64>, change: &str, time: &str) {
        self.conn
            .execute(
                "INSERT INTO content_diffs(file_path, old_version_id, new_version_id, change_type, diff_content, timestamp) \
                 VALUES (?1, ?2, ?3, ?4, '', ?5)",
                params![self.abs(rel), old, new, change, time],
            )
            .unwrap();
    }

    /// A change the way the original records it: snapshot row (or reuse) plus a diff row.
    fn change(&self, rel: &str, old: Option<i64>, content: &str, change: &str, time: &str) -> i64 {
        let id = self.version(rel, Some(content), &sha(content), time);
        self.diff(rel, old, Some(id), change, time);
        id
    }
}

/// The standard fixture: returns the database path.
fn original_db(env: &Env) -> PathBuf {
    original_db_at(env, ROOT)
}

fn original_db_at(env: &Env, root: &str) -> PathBuf {
    let db = env.join("old/notes-project/.db/obby.db");
    let o = Original::create(&db, root, SCHEMA);
    let a1 = o.change("notes/a.md", None, "# A\nfirst\n", "created", "2024-05-01 10:00:00.250000");
    let b1 = o.change(
        "notes/b.md",
        None,
        "# B\r\nwindows line ends\r\n",
        "created",
        "2024-05-01 10:05:00",
    );
    let c1 = o.change("docs/c.md", None, "# C\n", "created", "2024-05-01 10:06:00");
    let a2 =
        o.change("notes/a.md", Some(a1), "# A\nfirst\nsecond\n", "modified", "2024-05-02 09:00:00");
    // Revert: the original reuses row a1 (UNIQUE(file_path, content_hash)).
    let a3 = o.change("notes/a.md", Some(a2), "# A\nfirst\n", "modified", "2024-05-03 09:00:00");
    assert_eq!(a3, a1);
    // Move notes/b.md -> notes/archive/b.md.
    o.change(
        "notes/archive/b.md",
        Some(b1),
        "# B\r\nwindows line ends\r\n",
        "moved",
        "2024-05-04 12:00:00",
    );
    o.diff("docs/c.md", Some(c1), None, "deleted", "2024-05-05 08:00:00");
    // NULL content, and a hash that disagrees with the content.
    let n = o.version("notes/null.md", None, &sha("lost"), "2024-05-06 08:00:00");
    o.diff("notes/null.md", None, Some(n), "created", "2024-05-06 08:00:00");
    let bad =
        o.version("notes/bad.md", Some("real content\n"), &"0".repeat(64), "2024-05-07 08:00:00");
    o.diff("notes/bad.md", None, Some(bad), "created", "2024-05-07 08:00:00");
    o.conn
        .execute_batch(&format!(
            "INSERT INTO semantic_entries(version_id, timestamp, date, time, type, summary, impact, file_path, searchable_text) \
             VALUES ({a2}, '2024-05-02 09:00:05', '2024-05-02', '09:00', 'edit', 'Added a second line', 'minor', '{p}', 'second line added to A'); \
             INSERT INTO semantic_topics(entry_id, topic) VALUES (1, 'writing'), (1, 'notes'); \
             INSERT INTO semantic_keywords(entry_id, keyword) VALUES (1, 'second'); \
             INSERT INTO file_states(file_path, content_hash, last_modified, line_count) VALUES ('{p}', '{h}', '2024-05-03 09:00:00', 2); \
             INSERT INTO events(type, path, timestamp) VALUES ('modified', '{p}', '2024-05-03 09:00:00'); \
             INSERT INTO config_values(key, value, type) VALUES ('checkInterval', '20', 'int'); \
             CREATE TABLE ai_insights(id INTEGER PRIMARY KEY, body TEXT); \
             INSERT INTO ai_insights(body) VALUES ('later migration');",
            p = o.abs("notes/a.md"),
            h = sha("# A\nfirst\n"),
        ))
        .unwrap();
    db
}

fn log(env: &Env, path: &str) -> Vec<serde_json::Value> {
    env.obby(&["log", path, "--json"]).run().records("version")
}

fn import(env: &Env, db: &Path, extra: &[&str]) -> crate::harness::Output {
    let mut args = vec!["import", db.to_str().unwrap(), "--timezone", "UTC", "--json"];
    args.extend_from_slice(extra);
    env.obby(&args).run()
}

#[test]
fn imports_the_original_history_in_order_with_times_and_summaries() {
    let env = Env::with_store();
    let db = original_db(&env);
    let before = std::fs::read(&db).unwrap();
    let out = import(&env, &db, &[]);
    out.code(0);
    let rec = &out.records("import")[0];
    // a.md x3, b.md created + (deleted, renamed to archive/b.md), c.md created + deleted,
    // null.md, bad.md.
    assert_eq!(rec["versions"], 10, "{rec}");
    assert_eq!(rec["summaries"], 1);
    assert_eq!(rec["hash_mismatches"], 1);
    assert_eq!(rec["null_content"], 1);
    assert_eq!(rec["root"], ROOT);
    let notices = out.records("notice");
    assert!(notices.iter().any(|n| n["kind"] == "unknown_table" && n["table"] == "ai_insights"));
    assert!(
        notices
            .iter()
            .any(|n| n["kind"] == "hash_mismatch" && n["actual"] == sha("real content\n"))
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "the source database was changed");

    let a = log(&env, "notes/a.md");
    let changes: Vec<&str> = a.iter().map(|v| v["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["modified", "modified", "created"]);
    assert_eq!(a[2]["recorded"], "2024-05-01T10:00:00.250Z");
    assert_eq!(a[0]["hash"], a[2]["hash"], "the revert has the first content");
    assert_eq!(a[1]["lines_added"], 1);
    let b = log(&env, "notes/archive/b.md");
    assert_eq!(b[0]["change"], "renamed");
    assert_eq!(b[0]["old_path"], "notes/b.md");
    assert_eq!(b[0]["hash"], sha("# B\nwindows line ends\n"));
    // As `track` records a rename: the old path is deleted.
    assert_eq!(log(&env, "notes/b.md")[0]["change"], "deleted");
    assert_eq!(log(&env, "docs/c.md")[0]["change"], "deleted");

    let store = Connection::open(env.join(".obby/obby.db")).unwrap();
    let (topics, keywords, summary): (String, String, String) = store
        .query_row("SELECT topics, keywords, summary FROM notes", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((topics.as_str(), keywords.as_str()), (r#"["writing","notes"]"#, r#"["second"]"#));
    assert_eq!(summary, "Added a second line");
}

#[test]
fn importing_twice_adds_nothing_and_an_interrupted_import_completes() {
    let env = Env::with_store();
    let db = original_db(&env);
    import(&env, &db, &[]).code(0);
    let again = import(&env, &db, &[]);
    let rec = &again.code(0).records("import")[0];
    assert_eq!(rec["versions"], 0);
    assert_eq!(rec["already_imported"], 9);
    assert_eq!(rec["summaries"], 0);
    // Lose the newest versions as an interrupted run would (they were never committed).
    let store = Connection::open(env.join(".obby/obby.db")).unwrap();
    store.execute("DELETE FROM versions WHERE id > 4", []).unwrap();
    drop(store);
    let resumed = import(&env, &db, &[]);
    let rec = &resumed.code(0).records("import")[0];
    assert_eq!(rec["versions"], 6);
    assert_eq!(rec["already_imported"], 4);
    let store = Connection::open(env.join(".obby/obby.db")).unwrap();
    let n: i64 = store.query_row("SELECT count(*) FROM versions", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 10);
}

#[test]
fn dry_run_lists_and_writes_nothing() {
    let env = Env::with_store();
    let db = original_db(&env);
    let out = import(&env, &db, &["--dry-run"]);
    out.code(0);
    assert_eq!(out.records("version").len(), 9);
    assert_eq!(out.records("import")[0]["versions"], 10);
    assert_eq!(out.records("import")[0]["dry_run"], true);
    let human = env.obby(&["import", db.to_str().unwrap(), "--dry-run"]).run();
    human.code(0).stdout_has("notes/archive/b.md");
    env.obby(&["log"]).run().code(1);
}

#[test]
fn timestamps_are_local_time_in_the_given_zone() {
    let env = Env::with_store();
    let db = original_db(&env);
    env.obby(&["import", db.to_str().unwrap(), "--timezone", "Europe/Berlin"]).run().code(0);
    // 10:00:00.25 in Berlin (CEST, +02:00) is 08:00:00.25 UTC.
    assert_eq!(log(&env, "notes/a.md")[2]["recorded"], "2024-05-01T08:00:00.250Z");
    env.obby(&["import", db.to_str().unwrap(), "--timezone", "Mars/Olympus"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("unknown time zone");
}

#[test]
fn windows_paths_are_rerooted() {
    let env = Env::with_store();
    let db = original_db_at(&env, "C:\\Users\\alice\\notes-project");
    import(&env, &db, &[]).code(0);
    assert_eq!(log(&env, "notes/a.md").len(), 3);
    assert_eq!(log(&env, "notes/archive/b.md")[0]["old_path"], "notes/b.md");
}

#[test]
fn paths_outside_the_given_root_are_item_errors() {
    let env = Env::with_store();
    let db = original_db(&env);
    let out = import(&env, &db, &["--from-root", "/home/alice/notes-project/notes"]);
    out.code(2);
    assert!(
        out.stderr.contains("docs/c.md") && out.stderr.contains("outside the old project root")
    );
    // What is under the root came in, relative to it.
    assert_eq!(log(&env, "a.md").len(), 3);
}

#[test]
fn a_database_that_is_not_obbys_says_what_is_missing() {
    let env = Env::with_store();
    let other = env.join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch(
            "CREATE TABLE file_versions(id, file_path, content_hash, content, timestamp)",
        )
        .unwrap();
    env.obby(&["import", "other.db"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("no `content_diffs` table");
    // A version of the original without `content`.
    let old = env.join("old.db");
    Connection::open(&old)
        .unwrap()
        .execute_batch(
            "CREATE TABLE file_versions(id INTEGER PRIMARY KEY, file_path TEXT, content_hash TEXT, timestamp TEXT); \
             CREATE TABLE content_diffs(id INTEGER PRIMARY KEY, file_path TEXT, new_version_id INTEGER, change_type TEXT, timestamp TEXT);",
        )
        .unwrap();
    env.obby(&["import", "old.db", "--format", "obby-db"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("has no `content` column");
    // Not SQLite at all, as a database.
    env.write("notes.txt", "hello\n");
    env.obby(&["import", "notes.txt", "--format", "obby-db"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("not a SQLite database");
}

#[test]
fn an_older_schema_without_optional_columns_imports() {
    let env = Env::with_store();
    let db = env.join("older.db");
    let old_schema = "CREATE TABLE file_versions(id INTEGER PRIMARY KEY, file_path TEXT, content_hash TEXT, content TEXT, timestamp TEXT); \
                      CREATE TABLE content_diffs(id INTEGER PRIMARY KEY, file_path TEXT, new_version_id INTEGER, change_type TEXT, timestamp TEXT);";
    let o = Original::create(&db, "/srv/p", old_schema);
    o.conn
        .execute(
            "INSERT INTO file_versions(file_path, content_hash, content, timestamp) VALUES ('/srv/p/x.md', ?1, 'x\n', '2024-01-01 00:00:00')",
            [sha("x\n")],
        )
        .unwrap();
    o.conn
        .execute_batch("INSERT INTO content_diffs(file_path, new_version_id, change_type, timestamp) VALUES ('/srv/p/x.md', 1, 'created', '2024-01-01 00:00:00')")
        .unwrap();
    drop(o);
    let rec = &import(&env, &db, &[]).code(0).records("import")[0];
    assert_eq!(rec["versions"], 1);
    assert_eq!(log(&env, "x.md")[0]["lines_added"], 1);
}

#[test]
fn a_locked_database_waits_then_fails_clearly() {
    let env = Env::with_store();
    let db = original_db(&env);
    let holder = Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE; UPDATE config_values SET value = '21';").unwrap();
    env.obby(&["import", db.to_str().unwrap(), "--busy-timeout", "200ms"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("is locked by another program")
        .stderr_has("hint:");
    holder.execute_batch("ROLLBACK").unwrap();
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn export_git_follows_obby_log_and_continues_incrementally() {
    let env = Env::with_store();
    let db = original_db(&env);
    import(&env, &db, &[]).code(0);
    let repo = env.join("history");
    let out = env.obby(&["export", "git", "history", "--json"]).run();
    let rec = &out.code(0).records("export")[0];
    assert_eq!(rec["versions"], 10);
    let history = |path: &str| -> Vec<(String, i64)> {
        git(&repo, &["log", "--follow", "--format=%at", "--name-status", "--", path])
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .chunks(2)
            .map(|c| (c[1].chars().next().unwrap().to_string(), c[0].parse().unwrap()))
            .collect()
    };
    let obby = |path: &str| -> Vec<(String, i64)> {
        log(&env, path)
            .iter()
            .map(|v| {
                let code = match v["change"].as_str().unwrap() {
                    "created" => "A",
                    "deleted" => "D",
                    "renamed" => "R",
                    _ => "M",
                };
                let secs =
                    jiff::Timestamp::from_str(v["recorded"].as_str().unwrap()).unwrap().as_second();
                (code.to_owned(), secs)
            })
            .collect()
    };
    assert_eq!(history("notes/a.md"), obby("notes/a.md"));
    assert_eq!(history("docs/c.md")[..1], obby("docs/c.md")[..1]);
    assert_eq!(git(&repo, &["show", "HEAD~0:notes/a.md"]), "# A\nfirst\n");
    // The work tree shows the exported head.
    assert_eq!(std::fs::read_to_string(repo.join("notes/bad.md")).unwrap(), "real content\n");
    // Nothing new: nothing to do.
    let again = env.obby(&["export", "git", "history", "--json"]).run();
    assert_eq!(again.code(0).records("export")[0]["commits"], 0);
    // New history continues on top.
    let more = env.join("more.db");
    let o = Original::create(&more, ROOT, SCHEMA);
    o.change("notes/d.md", None, "# D\n", "created", "2024-06-01 10:00:00");
    drop(o);
    import(&env, &more, &[]).code(0);
    let inc = env.obby(&["export", "git", "history", "--json"]).run();
    let rec = &inc.code(0).records("export")[0];
    assert_eq!(rec["versions"], 1);
    assert_eq!(rec["resumed_after"], 10);
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "9");
    // The packs obby wrote are sound and hold nothing unreachable.
    let fsck = git(&repo, &["fsck", "--strict", "--no-progress", "--no-reflogs"]);
    assert!(!fsck.contains("dangling"), "{fsck}");
}

use std::str::FromStr as _;

#[test]
fn export_git_refuses_an_unrelated_history_unless_forced() {
    let env = Env::with_store();
    let db = original_db(&env);
    import(&env, &db, &[]).code(0);
    let repo = env.join("theirs");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README"), "theirs\n").unwrap();
    git(&repo, &["add", "README"]);
    git(&repo, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "theirs"]);
    env.obby(&["export", "git", "theirs"])
        .run()
        .code(2)
        .clean_error()
        .stderr_has("not exported from this store")
        .stderr_has("--force");
    env.obby(&["export", "git", "theirs", "--force", "--per-version"]).run().code(0);
    // Theirs is kept below obby's history: 1 + one commit per version, but for the version
    // whose content the original lost (nothing to commit).
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "9");
    assert_eq!(git(&repo, &["show", "HEAD:README"]), "theirs\n");
}

#[test]
fn jsonl_round_trip_gives_equal_history() {
    let env = Env::with_store();
    let db = original_db(&env);
    import(&env, &db, &[]).code(0);
    env.obby(&["export", "jsonl", "-o", "history.jsonl"]).run().code(0);
    let piped = env.obby(&["export", "jsonl"]).run();
    piped.code(0);
    assert_eq!(
        piped.stdout,
        env.read("history.jsonl").replace(
            // The header carries the export time; compare the rest.
            env.read("history.jsonl").lines().next().unwrap(),
            piped.stdout.lines().next().unwrap(),
        )
    );
    let fresh = Env::with_store();
    std::fs::copy(env.join("history.jsonl"), fresh.join("history.jsonl")).unwrap();
    let rec =
        &fresh.obby(&["import", "history.jsonl", "--json"]).run().code(0).records("import")[0];
    assert_eq!(rec["format"], "jsonl");
    assert_eq!(rec["versions"], 10);
    assert_eq!(rec["summaries"], 1);
    let strip = |records: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
        records
            .into_iter()
            .map(|mut v| {
                v.as_object_mut().unwrap().remove("batch_id");
                v
            })
            .collect()
    };
    let all = |e: &Env| strip(e.obby(&["log", "--json"]).run().records("version"));
    assert_eq!(all(&fresh), all(&env));
    // Content came through (stored normalised, as `track` stores text).
    let again = fresh.obby(&["export", "jsonl"]).run();
    assert!(again.stdout.contains(r##""content":"# B\nwindows line ends\n""##));
    // Importing it again adds nothing.
    let rec =
        &fresh.obby(&["import", "history.jsonl", "--json"]).run().code(0).records("import")[0];
    assert_eq!(rec["versions"], 0);
}

#[test]
fn export_jsonl_with_json_needs_an_output_file_and_bad_lines_are_located() {
    let env = Env::with_store();
    env.obby(&["export", "jsonl", "--json"]).run().code(2).stderr_has("needs `-o FILE`");
    env.write("broken.jsonl", "{\"type\":\"obby-export\",\"format\":1}\nnot json\n");
    env.obby(&["import", "broken.jsonl"]).run().code(2).clean_error().stderr_has("broken.jsonl:2:");
}

/// The original read `.obbywatch` and `.obbyignore` from the project root: one pattern a line,
/// `#` comments, `dir/` for a directory and everything under it, other patterns as shell globs
/// against the relative path or the bare name, the ignore list first. Its default files must
/// select the same files in obby.
#[test]
fn the_originals_default_watch_and_ignore_files_select_the_same_files() {
    let env = Env::new();
    env.write(".obbywatch", "# Obby watch list\nnotes/\ndocs/\n*.md\n");
    env.write(
        ".obbyignore",
        "# Obby ignore list\n*.swp\n*.swo\n*~\n.#*\n*.tmp\n.DS_Store\n.git/\nnode_modules/\n__pycache__/\n*.pyc\n",
    );
    let files = [
        "notes/a.md",
        "notes/todo.txt",
        "notes/.a.md.swp",
        "notes/a.md~",
        "notes/.#a.md",
        "notes/scratch.tmp",
        "notes/.DS_Store",
        "docs/guide/intro.md",
        "docs/diagram.svg",
        "README.md",
        "src/deep/readme.md",
        "src/main.py",
        "node_modules/pkg/readme.md",
        ".git/description.md",
        "__pycache__/x.pyc",
    ];
    for f in files {
        env.write(f, "x\n");
    }
    // What the original selects, by its rules.
    let mut expected = vec![
        "README.md",
        "docs/diagram.svg",
        "docs/guide/intro.md",
        "notes/a.md",
        "notes/todo.txt",
        "src/deep/readme.md",
    ];
    expected.sort_unstable();
    let scope = obby::scope::Scope::load(env.path(), obby::scope::ScopeOptions::default()).unwrap();
    let found = std::sync::Mutex::new(Vec::new());
    scope.walk(&[], 2, |r| {
        if let Ok(e) = r {
            found.lock().unwrap().push(e.rel.to_string());
        }
    });
    let mut found = found.into_inner().unwrap();
    found.retain(|f| !f.starts_with(".obby"));
    found.sort();
    assert_eq!(found, expected);
    for f in files {
        let rel = obby::paths::RelPath::from_bytes(f.as_bytes().to_vec());
        assert_eq!(scope.contains(&rel, false), expected.contains(&f), "{f}");
    }
}

#[test]
fn a_history_of_several_chunks_imports_whole_with_deltas_across_chunk_boundaries() {
    // 40 files x 70 versions, interleaved: each file's chain of versions spans the importer's
    // chunks (1,024 changes), which are compressed while the previous one is written.
    let env = Env::with_store();
    let (files, versions) = (40, 70);
    let mut lines = vec![
        r#"{"type":"obby-export","format":1,"exported_at":"2026-01-01T00:00:00.000Z"}"#.to_owned(),
    ];
    let mut content: Vec<String> = vec![String::new(); files];
    let mut id = 0;
    for v in 0..versions {
        for (f, text) in content.iter_mut().enumerate() {
            id += 1;
            text.push_str(&format!("line {v} of file {f}\n"));
            let line = serde_json::json!({
                "type": "version", "id": id, "path": format!("notes/f{f}.md"), "old_path": null,
                "change": if v == 0 { "created" } else { "modified" }, "kind": "file",
                "time": "2026-01-01T00:00:00.000Z", "recorded_at": 1_767_225_600_000_i64 + id,
                "hash": sha(text), "size": text.len(), "lines_added": 1, "lines_removed": 0,
                "batch": 1, "origin": null, "encoding": "text", "content": text,
            });
            lines.push(line.to_string());
        }
    }
    env.write("history.jsonl", &(lines.join("\n") + "\n"));
    let rec = &env.obby(&["import", "history.jsonl", "--json"]).run().code(0).records("import")[0];
    assert_eq!(rec["versions"], files * versions);
    let rows = env
        .obby(&[
            "query",
            "--json",
            "--sql",
            "SELECT f.path, obby_content(l.blob_hash) AS text,
                    (SELECT count(*) FROM versions v WHERE v.file_id = f.id) AS n,
                    (SELECT max(b.depth) FROM versions v JOIN blobs b ON b.hash = v.blob_hash
                      WHERE v.file_id = f.id) AS depth
             FROM files f JOIN versions l
               ON l.id = (SELECT max(m.id) FROM versions m WHERE m.file_id = f.id)
             ORDER BY f.id",
        ])
        .run()
        .code(0)
        .records("row");
    assert_eq!(rows.len(), files);
    for (f, row) in rows.iter().enumerate() {
        assert_eq!(row["path"], format!("notes/f{f}.md"));
        assert_eq!(row["text"], content[f], "last content of notes/f{f}.md");
        assert_eq!(row["n"], versions);
        // Later versions are stored as deltas on earlier ones, chunk boundaries or not.
        assert!(row["depth"].as_i64().unwrap() > 0, "{row}");
    }
}

#[test]
fn a_source_failing_midway_keeps_what_came_before_it_and_stdin_is_read() {
    // The source is read on a thread of its own: its error still stops the import after the
    // versions before the bad line, which are written, and a re-run of the fixed file completes.
    let env = Env::with_store();
    let mut lines = vec![
        r#"{"type":"obby-export","format":1,"exported_at":"2026-01-01T00:00:00.000Z"}"#.to_owned(),
    ];
    for id in 1..=3_i64 {
        let text = format!("version {id}\n");
        let line = serde_json::json!({
            "type": "version", "id": id, "path": "notes/a.md", "old_path": null,
            "change": if id == 1 { "created" } else { "modified" }, "kind": "file",
            "time": "2026-01-01T00:00:00.000Z", "recorded_at": 1_767_225_600_000_i64 + id,
            "hash": sha(&text), "size": text.len(), "lines_added": 1, "lines_removed": 1,
            "batch": 1, "origin": null, "encoding": "text", "content": text,
        });
        lines.push(line.to_string());
    }
    let good = lines.join("\n") + "\n";
    env.obby(&["import", "-"])
        .stdin(format!("{good}not json\n"))
        .run()
        .code(2)
        .clean_error()
        .stderr_has("-:5:");
    let count = |env: &Env| {
        env.obby(&["query", "--json", "--sql", "SELECT count(*) AS n FROM versions"])
            .run()
            .code(0)
            .records("row")[0]["n"]
            .clone()
    };
    assert_eq!(count(&env), 3);
    let rec = &env.obby(&["import", "-", "--json"]).stdin(good).run().code(0).records("import")[0];
    assert_eq!(rec["versions"], 0);
    assert_eq!(rec["already_imported"], 3);
    assert_eq!(count(&env), 3);
}
