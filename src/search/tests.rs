//! End-to-end tests of the library: build, update by paths (as `watch --track` does), search.

use super::query::Weights;
use super::*;
use crate::paths::RelPath;
use crate::scope::{Scope, ScopeOptions};

fn hits(dir: &std::path::Path, q: &str) -> Vec<String> {
    let index = SearchIndex::open(dir).unwrap();
    let reader = index.reader().unwrap();
    let parsed = parse_query(q, false).unwrap();
    let opts = SearchOptions {
        limit: 10,
        history: false,
        sort: SortBy::Relevance,
        weights: Weights::default(),
        now_ms: 0,
    };
    let r = search(&index, &reader.searcher(), &parsed, &opts).unwrap();
    r.hits.into_iter().map(|h| h.path.to_string()).collect()
}

/// A project root holding `files`, its index directory, and its scope.
fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf, Scope) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let dir = tmp.path().join(".obby/index");
    let scope = Scope::load(tmp.path(), ScopeOptions::default()).unwrap();
    (tmp, dir, scope)
}

#[test]
fn update_paths_reindexes_changed_files_and_drops_deleted_ones() {
    let (tmp, dir, scope) = project(&[("a.txt", "alpha one\n"), ("b.txt", "beta two\n")]);
    let root = tmp.path();
    let mut ix = Indexer::open(&dir, root, IndexOptions::default(), false).unwrap();
    assert!(ix.is_empty());
    let stats = ix.update(&scope, &|| false).unwrap();
    assert_eq!((stats.scanned, stats.indexed), (2, 2));
    ix.finish().unwrap();
    assert_eq!(hits(&dir, "alpha"), ["a.txt"]);

    let mut ix = Indexer::open(&dir, root, IndexOptions::default(), false).unwrap();
    std::fs::write(root.join("a.txt"), "gamma three, a longer line\n").unwrap();
    std::fs::remove_file(root.join("b.txt")).unwrap();
    let paths = [RelPath::from_bytes("a.txt"), RelPath::from_bytes("b.txt")];
    let stats = update_paths(&mut ix, &scope, &paths).unwrap();
    assert_eq!((stats.indexed, stats.removed), (1, 1));
    // Unchanged paths are not read again.
    let stats = update_paths(&mut ix, &scope, &paths[..1]).unwrap();
    assert_eq!(stats.indexed, 0);
    ix.finish().unwrap();
    assert_eq!(hits(&dir, "gamma"), ["a.txt"]);
    assert!(hits(&dir, "alpha").is_empty());
    assert!(hits(&dir, "beta").is_empty());
}

#[test]
fn a_second_writer_is_refused_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let first = Indexer::open(&dir, tmp.path(), IndexOptions::default(), false).unwrap();
    let err = Indexer::open(&dir, tmp.path(), IndexOptions::default(), false).unwrap_err();
    assert!(matches!(err, SearchError::Locked { .. }));
    assert!(err.hint().unwrap().contains("--rebuild"));
    drop(first);
}

fn segments(dir: &std::path::Path) -> usize {
    SearchIndex::open(dir).unwrap().index.searchable_segment_ids().unwrap().len()
}

#[test]
fn a_full_build_commits_once_and_an_update_in_chunks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // Fewer files than MAX_BUILD_SEGMENTS: a commit per file would leave one segment each.
    for i in 0..6 {
        std::fs::write(root.join(format!("f{i}.txt")), format!("common word{i}\n")).unwrap();
    }
    let dir = root.join(".obby/index");
    let scope = Scope::load(root, ScopeOptions::default()).unwrap();
    // A chunk of one file: an update would commit after each file.
    let opts = IndexOptions { threads: 1, chunk_bytes: 1, ..IndexOptions::default() };
    let mut ix = Indexer::open(&dir, root, opts, false).unwrap();
    assert_eq!(ix.update(&scope, &|| false).unwrap().indexed, 6);
    ix.finish().unwrap();
    // One commit at the end of a full build: one segment per indexing thread, at most.
    assert_eq!(segments(&dir), 1);
    assert_eq!(hits(&dir, "common").len(), 6);
    assert_eq!(hits(&dir, "word5"), ["f5.txt"]);

    for i in 0..4 {
        std::fs::write(root.join(format!("f{i}.txt")), format!("changed word{i}\n")).unwrap();
    }
    let mut ix = Indexer::open(&dir, root, opts, false).unwrap();
    assert_eq!(ix.update(&scope, &|| false).unwrap().indexed, 4);
    ix.finish().unwrap();
    assert!(segments(&dir) > 1, "an update commits per chunk");
    assert_eq!(hits(&dir, "changed").len(), 4);
}

#[test]
fn numeric_literals_are_searched_whole() {
    let (tmp, dir, scope) = project(&[
        ("a.rs", "const MASK: u32 = 0x1F2E;\nlet n = 1u32;\n"),
        ("b.txt", "code 404 not found\n"),
    ]);
    let root = tmp.path();
    let mut ix = Indexer::open(&dir, root, IndexOptions::default(), true).unwrap();
    ix.update(&scope, &|| false).unwrap();
    ix.finish().unwrap();
    assert_eq!(hits(&dir, "0x1f2e"), ["a.rs"]);
    assert_eq!(hits(&dir, "1u32"), ["a.rs"]);
    assert_eq!(hits(&dir, "404"), ["b.txt"]);
    assert!(hits(&dir, "1f2e").is_empty());
}

#[test]
fn a_file_changed_again_during_a_full_build_is_indexed_once() {
    let (tmp, dir, scope) = project(&[("a.txt", "first words\n"), ("b.txt", "other words\n")]);
    let root = tmp.path();
    let mut ix = Indexer::open(&dir, root, IndexOptions::default(), true).unwrap();
    assert_eq!(ix.update(&scope, &|| false).unwrap().indexed, 2);
    // The same session sees the file again (as a store sync does): its first document goes.
    std::fs::write(root.join("a.txt"), "second words, longer\n").unwrap();
    let stats = ix.update_paths(&scope, &[RelPath::from_bytes("a.txt")]).unwrap();
    assert_eq!(stats.indexed, 1);
    ix.finish().unwrap();
    assert_eq!(hits(&dir, "words").len(), 2);
    assert_eq!(hits(&dir, "second"), ["a.txt"]);
    assert!(hits(&dir, "first").is_empty());
}
