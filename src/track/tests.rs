use std::sync::atomic::AtomicBool;

use super::*;
use crate::scope::ScopeOptions;

#[derive(Default)]
struct Collect {
    changes: Vec<(ChangeKind, String)>,
    errors: Vec<(String, String)>,
}

impl TrackSink for Collect {
    fn change(&mut self, c: &ChangeRecord) -> std::io::Result<()> {
        let what = match &c.old_path {
            Some(old) => format!("{old} -> {}", c.path),
            None => c.path.to_string(),
        };
        self.changes.push((c.change, what));
        Ok(())
    }
    fn item_error(&mut self, path: &Path, err: &dyn std::fmt::Display) -> std::io::Result<()> {
        self.errors.push((path.display().to_string(), err.to_string()));
        Ok(())
    }
}

struct Fixture {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let store = Store::init(&root).unwrap();
        Self { _tmp: tmp, root, store }
    }

    fn write(&self, rel: &str, content: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        // Out of the racy window, so the stat cache is trusted next time.
        let old = std::time::SystemTime::now() - Duration::from_secs(60);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
    }

    fn track(&mut self, opts: &TrackOptions) -> (TrackSummary, Collect) {
        let scope = Scope::load(&self.root, ScopeOptions::default()).unwrap();
        let mut sink = Collect::default();
        let s = track_tree(&mut self.store, &scope, &[], opts, &mut sink, &AtomicBool::new(false))
            .unwrap();
        (s, sink)
    }

    /// The content hash of the last version of `path`.
    fn hash_of(&self, path: &str) -> String {
        crate::store::read::latest_version(self.store.conn(), &rel(path))
            .unwrap()
            .unwrap()
            .hash
            .unwrap()
    }

    /// The delta base of the last version of `path` (`None` when it is stored whole).
    fn base_of(&self, path: &str) -> Option<String> {
        self.store
            .conn()
            .query_row("SELECT base_hash FROM blobs WHERE hash = ?1", [self.hash_of(path)], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// The stored content of the last version of `path`.
    fn content_of(&self, path: &str) -> Vec<u8> {
        crate::store::blob_content(self.store.conn(), &self.hash_of(path)).unwrap()
    }
}

fn rel(s: &str) -> RelPath {
    RelPath::from_bytes(s.as_bytes().to_vec())
}

#[test]
fn create_modify_rename_delete() {
    let mut f = Fixture::new();
    let opts = TrackOptions::default();
    f.write("a.txt", "one\ntwo\n");
    f.write("dir/b.txt", "bee\n");
    f.write("gone.txt", "bye\n");
    let (s, sink) = f.track(&opts);
    assert_eq!((s.created, s.files, s.hashed), (3, 3, 3));
    assert_eq!(sink.changes[0], (ChangeKind::Created, "a.txt".into()));

    // Unchanged: nothing read, nothing written.
    let (s, sink) = f.track(&opts);
    assert_eq!((s.hashed, s.changes()), (0, 0), "{:?}", sink.changes);

    f.write("a.txt", "one\nTWO\nthree\n");
    std::fs::rename(f.root.join("dir/b.txt"), f.root.join("dir/c.txt")).unwrap();
    std::fs::remove_file(f.root.join("gone.txt")).unwrap();
    let (s, sink) = f.track(&opts);
    assert_eq!(
        sink.changes,
        vec![
            (ChangeKind::Modified, "a.txt".into()),
            (ChangeKind::Renamed, "dir/b.txt -> dir/c.txt".into()),
            (ChangeKind::Deleted, "gone.txt".into()),
        ]
    );
    assert_eq!((s.modified, s.renamed, s.deleted), (1, 1, 1));
    let v = crate::store::read::latest_version(f.store.conn(), &rel("a.txt")).unwrap().unwrap();
    assert_eq!((v.lines_added, v.lines_removed), (2, 1));
    let content = crate::store::blob_content(f.store.conn(), v.hash.as_deref().unwrap()).unwrap();
    assert_eq!(content, b"one\nTWO\nthree\n");
}

#[test]
fn racy_entries_are_hashed_again() {
    let mut f = Fixture::new();
    std::fs::write(f.root.join("fresh.txt"), "just written\n").unwrap();
    let opts = TrackOptions::default();
    assert_eq!(f.track(&opts).0.created, 1);
    // Modified within the racy window: the stat cache entry was smudged, so it is read again
    // even though its stat did not change.
    let (s, _) = f.track(&opts);
    assert_eq!((s.hashed, s.changes()), (1, 0));
}

#[test]
fn a_file_vanishing_before_it_is_read_is_reported_not_deleted() {
    let mut f = Fixture::new();
    f.write("keep.txt", "k\n");
    f.write("flaky.txt", "v1\n");
    let opts = TrackOptions::default();
    f.track(&opts);
    f.write("flaky.txt", "v2 is longer\n");
    // Scan, then take the file away before the hashing phase (an injected vanishing file).
    let scope = Scope::load(&f.root, ScopeOptions::default()).unwrap();
    let mut sink = Collect::default();
    let mut summary = TrackSummary::default();
    let mut load = || scan::Cache::load(&f.store);
    let request = scan::Request::Tree(vec![]);
    let (cache, plan) =
        scan::scan(&scope, &mut load, &request, &opts, &mut sink, &mut summary).unwrap();
    assert_eq!(plan.candidates.len(), 1);
    std::fs::remove_file(f.root.join("flaky.txt")).unwrap();
    let stop = AtomicBool::new(false);
    write::write_plan(&mut f.store, &scope, &cache, plan, &opts, &mut sink, &stop, &mut summary)
        .unwrap();
    assert_eq!(summary.errors, 1);
    assert!(sink.errors[0].1.contains("vanished"), "{:?}", sink.errors);
    assert!(sink.changes.is_empty());
    // The next run sees it gone and records the deletion.
    let (s, _) = f.track(&opts);
    assert_eq!(s.deleted, 1);
}

#[test]
fn track_paths_records_exactly_the_paths_given() {
    let mut f = Fixture::new();
    f.write("a.txt", "a\n");
    f.write("b.txt", "b\n");
    f.write("sub/c.txt", "c\n");
    let scope = Scope::load(&f.root, ScopeOptions::default()).unwrap();
    let opts = TrackOptions::default();
    let stop = AtomicBool::new(false);
    let mut sink = Collect::default();
    let s = track_paths(&mut f.store, &scope, &[rel("a.txt"), rel("sub")], &opts, &mut sink, &stop)
        .unwrap();
    assert_eq!(s.created, 2);
    std::fs::remove_file(f.root.join("a.txt")).unwrap();
    let mut sink = Collect::default();
    let s =
        track_paths(&mut f.store, &scope, &[rel("a.txt"), rel("nothing")], &opts, &mut sink, &stop)
            .unwrap();
    assert_eq!((s.deleted, s.created), (1, 0));
}

#[test]
fn symlinks_are_recorded_as_links() {
    let mut f = Fixture::new();
    f.write("target.txt", "t\n");
    std::os::unix::fs::symlink("loop", f.root.join("loop")).unwrap();
    std::os::unix::fs::symlink("target.txt", f.root.join("link")).unwrap();
    let (s, sink) = f.track(&TrackOptions::default());
    assert_eq!(s.created, 3, "{:?}", sink.errors);
    let v = crate::store::read::latest_version(f.store.conn(), &rel("link")).unwrap().unwrap();
    assert_eq!(v.kind, "symlink");
    let content = crate::store::blob_content(f.store.conn(), v.hash.as_deref().unwrap()).unwrap();
    assert_eq!(content, b"target.txt");
}

#[test]
fn content_over_the_size_limit_is_versioned_but_not_kept() {
    let mut f = Fixture::new();
    f.write("big.txt", &"x".repeat(1000));
    let opts = TrackOptions { max_blob_size: 100, ..TrackOptions::default() };
    let (s, _) = f.track(&opts);
    assert_eq!(s.created, 1);
    let v = crate::store::read::latest_version(f.store.conn(), &rel("big.txt")).unwrap().unwrap();
    assert!(crate::store::blob_content(f.store.conn(), v.hash.as_deref().unwrap()).is_err());
}

#[test]
fn family_keys_drop_version_suffixes() {
    assert_eq!(write::family_key(b"serde-1.0.219/src/de.rs"), b"serde/src/de.rs");
    assert_eq!(write::family_key(b"notes/2026-11-20.md"), b"notes/2026-11-20.md");
    assert_eq!(write::family_key(b"a-b/c.txt"), b"a-b/c.txt");
    assert_eq!(write::family_key(b"2026-11-20/c.txt"), b"2026-11-20/c.txt");
}

#[test]
fn versions_of_a_file_side_by_side_are_stored_as_deltas() {
    let mut f = Fixture::new();
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!("line {i} of a file that is long enough\n"));
    }
    f.write("lib-1.0.0/src/lib.rs", &text);
    f.write("lib-1.0.1/src/lib.rs", &format!("{text}one more line\n"));
    if std::env::var_os("WITH_DICT").is_some() {
        for i in 0..1100 {
            f.write(&format!("z/f{i}.md"), &format!("filler note number {i} with some words\n"));
        }
    }
    f.track(&TrackOptions::default());
    assert_eq!(
        f.base_of("lib-1.0.1/src/lib.rs"),
        Some(f.hash_of("lib-1.0.0/src/lib.rs")),
        "the second version is a delta"
    );
    assert_eq!(f.content_of("lib-1.0.1/src/lib.rs"), format!("{text}one more line\n").as_bytes());
}

#[test]
fn files_of_one_name_in_other_directories_are_stored_as_deltas_when_close_in_size() {
    let mut f = Fixture::new();
    // A few long lines: too few to sketch, so only the file name can pair these.
    let mut text = String::new();
    for i in 0..8 {
        for j in 0..60 {
            text.push_str(&format!("k{i}_{j}=v{};", i * j));
        }
        text.push('\n');
    }
    assert!(text.len() >= 2048);
    // Written in path order: `a/` first, so it is the base of the others.
    f.write("a/data.ini", &text);
    f.write("b/data.ini", &format!("{text}extra=1\n"));
    f.write("c/data.ini", &text.repeat(3));
    f.write("d/other.ini", &format!("{text}other=1\n"));
    f.track(&TrackOptions::default());
    assert_eq!(f.base_of("b/data.ini"), Some(f.hash_of("a/data.ini")), "same name, close size");
    assert_eq!(f.base_of("c/data.ini"), None, "three times the size is not tried");
    assert_eq!(f.base_of("d/other.ini"), None, "another name is not tried");
    assert_eq!(f.content_of("b/data.ini"), format!("{text}extra=1\n").as_bytes());
}

#[test]
fn a_new_file_is_stored_as_a_delta_against_the_most_alike_file_of_its_extension() {
    let mut f = Fixture::new();
    let lines = |from: usize, to: usize| -> String {
        let mut out = String::new();
        for i in from..to {
            out.push_str(&format!("pub const C{i}: u32 = {};\n", i * 31));
        }
        out
    };
    // Written in path order. `a/x.rs` and `b/y.rs` share most lines under other names;
    // `c/z.rs` shares none with either.
    f.write("a/x.rs", &lines(0, 300));
    f.write("b/y.rs", &format!("{}// one more\n", lines(10, 300)));
    f.write("c/z.rs", &lines(1000, 1300));
    f.write("d/w.md", &lines(0, 300).replace("pub", "pub(crate)"));
    f.track(&TrackOptions::default());
    assert_eq!(f.base_of("b/y.rs"), Some(f.hash_of("a/x.rs")), "alike lines, same extension");
    assert_eq!(f.base_of("c/z.rs"), None, "no line in common");
    assert_eq!(f.base_of("d/w.md"), None, "another extension is not compared");
    assert_eq!(f.content_of("b/y.rs"), format!("{}// one more\n", lines(10, 300)).as_bytes());
}

#[test]
fn many_new_text_files_share_a_trained_dictionary() {
    let mut f = Fixture::new();
    for i in 0..dict::MIN_FILES + 50 {
        f.write(
            &format!("d{}/f{i}.md", i % 7),
            &format!(
                "# Note {i}\n\nThis note is about topic {} and links to note {}.\n\n- [ ] follow up\n",
                i % 13,
                i / 3
            ),
        );
    }
    let (s, _) = f.track(&TrackOptions::default());
    assert_eq!(s.created as usize, dict::MIN_FILES + 50);
    let conn = f.store.conn();
    let dict_hash: String = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [dict::META_KEY], |r| r.get(0))
        .unwrap();
    let with_dict: i64 = conn
        .query_row("SELECT count(*) FROM blobs WHERE base_hash = ?1", [&dict_hash], |r| r.get(0))
        .unwrap();
    assert!(with_dict > 1000, "{with_dict}");
    let v = crate::store::read::latest_version(conn, &rel("d3/f10.md")).unwrap().unwrap();
    let back = crate::store::blob_content(conn, v.hash.as_deref().unwrap()).unwrap();
    assert_eq!(
        back,
        b"# Note 10\n\nThis note is about topic 10 and links to note 3.\n\n- [ ] follow up\n"
    );
}

#[test]
fn an_unchanged_rescan_writes_nothing() {
    let mut f = Fixture::new();
    f.write("a.txt", "a\n");
    f.write("dir/b.txt", "b\n");
    let opts = TrackOptions::default();
    assert_eq!(f.track(&opts).0.created, 2);
    let count = |store: &Store, table: &str| -> i64 {
        store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    let before = (count(&f.store, "batches"), count(&f.store, "versions"));
    let (s, sink) = f.track(&opts);
    assert_eq!((s.files, s.hashed, s.changes()), (2, 0, 0));
    assert!(sink.changes.is_empty() && sink.errors.is_empty());
    // No `batches` row, no version: an unchanged tree leaves the store as it was.
    assert_eq!((count(&f.store, "batches"), count(&f.store, "versions")), before);
}

#[test]
fn what_the_walk_finds_before_the_cache_is_loaded_is_checked_against_it() {
    // The cache loads while the tree is walked. Hold the load back so that the walk queues what
    // it finds, then check the plan is what a load-first scan gives: unchanged files skipped,
    // the modified and the new one read, the removed one deleted.
    let mut f = Fixture::new();
    for i in 0..200 {
        f.write(&format!("d{}/f{i}.txt", i % 7), &format!("{i}\n"));
    }
    f.write("gone.txt", "g\n");
    let opts = TrackOptions::default();
    f.track(&opts);
    f.write("d3/f3.txt", "changed, and longer\n");
    f.write("new.txt", "n\n");
    std::fs::remove_file(f.root.join("gone.txt")).unwrap();
    let scope = Scope::load(&f.root, ScopeOptions::default()).unwrap();
    let mut sink = Collect::default();
    let mut summary = TrackSummary::default();
    let mut load = || {
        // A 200-file walk takes a few milliseconds: by the end of this everything is queued.
        std::thread::sleep(Duration::from_millis(200));
        scan::Cache::load(&f.store)
    };
    let request = scan::Request::Tree(vec![]);
    let (cache, plan) =
        scan::scan(&scope, &mut load, &request, &opts, &mut sink, &mut summary).unwrap();
    let mut read: Vec<String> = plan.candidates.iter().map(|c| c.rel.to_string()).collect();
    read.sort();
    assert_eq!(read, ["d3/f3.txt", "new.txt"]);
    assert_eq!(plan.deleted, [rel("gone.txt")]);
    assert_eq!((summary.files, cache.len()), (201, 201));
}
