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

#[test]
fn update_paths_reindexes_changed_files_and_drops_deleted_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("a.txt"), "alpha one\n").unwrap();
    std::fs::write(root.join("b.txt"), "beta two\n").unwrap();
    let dir = root.join(".obby/index");
    let scope = Scope::load(root, ScopeOptions::default()).unwrap();
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
