//! In-process benchmark of `obby query`: built-in queries through the library, prepared
//! statements cached, on the store named by `OBBY_BENCH_STORE` (benches/query.sh generates one
//! of 100,000 versions of 10,000 files) or, without it, a generated store of 20,000 versions of
//! 2,000 files.
//!
//! `recent-diffs/warm` reruns the query on one executor, as a long-lived process would (decoded
//! content and diffs are memoised by hash); `recent-diffs/cold` forgets them before every run.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use obby::query::params::{ParseContext, resolve};
use obby::query::{Executor, QueryError, QuerySet};
use obby::store::{Location, Store};

fn store_root() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(dir) = std::env::var_os("OBBY_BENCH_STORE").filter(|d| !d.is_empty()) {
        return (None, PathBuf::from(dir));
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    obby::query::generate::generate(tmp.path(), 2_000, 20_000, 180).expect("generate");
    let root = tmp.path().to_path_buf();
    (Some(tmp), root)
}

fn bench(c: &mut Criterion) {
    let (_keep, root) = store_root();
    let mut store = Store::open_read_only(&Location::at_root(&root)).expect("open store");
    let set = QuerySet::builtin().expect("built-in queries");
    let exec = Executor::new(&mut store).expect("executor");
    let ctx = ParseContext::new(root.clone(), root.clone());
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        ("recent-diffs/warm", "recent-diffs", &[("limit", "50")]),
        ("recent-diffs/cold", "recent-diffs", &[("limit", "50")]),
        ("time-analysis", "time-analysis", &[]),
        ("topic-files", "topic-files", &[("keyword", "config")]),
        ("file-versions", "file-versions", &[("path", "config/file10.txt")]),
    ];
    let mut group = c.benchmark_group("query");
    for (label, name, args) in cases {
        let q = set.get(name).expect("query");
        let given: Vec<(String, String)> =
            args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let values = resolve(q, &given, &ctx).expect("params");
        let cold = label.ends_with("/cold");
        group.bench_function(*label, |b| {
            b.iter(|| {
                if cold {
                    exec.clear_caches();
                }
                let mut rows = 0u64;
                exec.run::<QueryError>(q, &values, None, |_, row| {
                    black_box(row);
                    rows += 1;
                    Ok(())
                })
                .expect("run");
                rows
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
