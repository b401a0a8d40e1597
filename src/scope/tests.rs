use std::sync::Mutex;

use super::*;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    tmp
}

fn walked(scope: &Scope, starts: &[&str]) -> Vec<String> {
    let found = Mutex::new(Vec::new());
    let starts: Vec<RelPath> =
        starts.iter().map(|s| RelPath::from_bytes(s.as_bytes().to_vec())).collect();
    scope.walk(&starts, 2, |r| {
        if let Ok(e) = r {
            found.lock().unwrap().push(e.rel.to_string());
        }
    });
    let mut v = found.into_inner().unwrap();
    v.sort();
    v
}

fn rel(s: &str) -> RelPath {
    RelPath::from_bytes(s.as_bytes().to_vec())
}

#[test]
fn ignore_files_and_always_excluded_dirs() {
    let t = tree(&[
        ("a.md", ""),
        ("b.swp", ""),
        ("keep/c.md", ""),
        ("build/out.txt", ""),
        (".git/config", ""),
        (".obby/obby.db", ""),
        (".gitignore", "build/\n"),
        (".obbyignore", "*.swp\n"),
        ("sub/.gitignore", "*.log\n!keep.log\n"),
        ("sub/x.log", ""),
        ("sub/keep.log", ""),
    ]);
    let scope = Scope::load(t.path(), ScopeOptions::default()).unwrap();
    let files = walked(&scope, &[]);
    assert_eq!(
        files,
        [".gitignore", ".obbyignore", "a.md", "keep/c.md", "sub/.gitignore", "sub/keep.log"]
    );
    // The single-path check agrees with the walk.
    assert!(scope.contains(&rel("a.md"), false));
    assert!(!scope.contains(&rel("b.swp"), false));
    assert!(!scope.contains(&rel("build/out.txt"), false));
    assert!(!scope.contains(&rel("build"), true));
    assert!(!scope.contains(&rel("sub/x.log"), false));
    assert!(scope.contains(&rel("sub/keep.log"), false));
    assert!(!scope.contains(&rel(".obby/obby.db"), false));
    assert!(!scope.contains(&rel(".git/config"), false));
    // --no-ignore keeps only the always-excluded rule.
    let all =
        Scope::load(t.path(), ScopeOptions { no_ignore: true, ..ScopeOptions::default() }).unwrap();
    assert!(walked(&all, &[]).contains(&"build/out.txt".to_owned()));
    assert!(!walked(&all, &[]).iter().any(|f| f.starts_with(".git/") || f.starts_with(".obby/")));
}

#[test]
fn obbywatch_includes_dirs_and_globs_like_the_original() {
    let t = tree(&[
        (".obbywatch", "# what to watch\nnotes/\ndocs/\n*.md\n"),
        (".obbyignore", "*.swp\n*~\n.#*\n*.tmp\n.DS_Store\nnode_modules/\n"),
        ("notes/a.txt", ""),
        ("notes/deep/b.txt", ""),
        ("notes/a.txt.swp", ""),
        ("docs/c.rst", ""),
        ("src/readme.md", ""),
        ("src/main.rs", ""),
        ("node_modules/x/readme.md", ""),
        ("notes/.#lock", ""),
        ("notes/old~", ""),
    ]);
    let scope = Scope::load(t.path(), ScopeOptions::default()).unwrap();
    assert_eq!(
        walked(&scope, &[]),
        ["docs/c.rst", "notes/a.txt", "notes/deep/b.txt", "src/readme.md"]
    );
    assert!(scope.contains(&rel("src/readme.md"), false));
    assert!(!scope.contains(&rel("src/main.rs"), false));
    assert!(!scope.contains(&rel("node_modules/x/readme.md"), false));
}

#[test]
fn walks_can_be_limited_to_start_paths() {
    let t = tree(&[("a/1.txt", ""), ("a/b/2.txt", ""), ("c/3.txt", ""), ("top.txt", "")]);
    let scope = Scope::load(t.path(), ScopeOptions::default()).unwrap();
    assert_eq!(walked(&scope, &["a/b"]), ["a/b/2.txt"]);
    assert_eq!(walked(&scope, &["top.txt", "c"]), ["c/3.txt", "top.txt"]);
}

#[test]
fn bad_obbywatch_pattern_names_file_and_line() {
    let t = tree(&[(".obbywatch", "notes/\n[unclosed\n")]);
    let err = Scope::load(t.path(), ScopeOptions::default()).unwrap_err();
    assert!(err.to_string().contains(".obbywatch:2"), "{err}");
}

#[test]
fn walked_paths_are_sliced_below_the_root() {
    let rel = |root: &str, path: &str| {
        super::rel_bytes(Path::new(root), Path::new(path)).map(<[u8]>::to_vec)
    };
    assert_eq!(rel("/srv/p", "/srv/p/a/b.txt"), Some(b"a/b.txt".to_vec()));
    assert_eq!(rel("/srv/p", "/srv/p"), Some(Vec::new()));
    assert_eq!(rel("/", "/etc/x"), Some(b"etc/x".to_vec()));
    // A sibling sharing the root's name as a prefix is not below it.
    assert_eq!(rel("/srv/p", "/srv/pq/a"), None);
    assert_eq!(rel("/srv/p", "/other/a"), None);
}
