//! `obby track --dry-run`: the scan and hash phases of a run without the write phase, reporting
//! what would be recorded. It is also how `benches/track.sh` measures the hashing path alone.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::scan::{Cache, Plan};
use super::work::{self, Outcome};
use super::{ChangeKind, ChangeRecord, TrackError, TrackOptions, TrackSink, TrackSummary};

/// Hashes the plan's candidates and reports the changes they would make.
pub(super) fn preview(
    cache: &Cache,
    plan: Plan,
    opts: &TrackOptions,
    sink: &mut dyn TrackSink,
    interrupted: &AtomicBool,
    summary: &mut TrackSummary,
) -> Result<(), TrackError> {
    let Plan { candidates, deleted, .. } = plan;
    let mut gone = cache.deleted_by_hash(&deleted);
    let rename_hashes: HashSet<&str> = gone.keys().copied().collect();
    let pool = work::hash_pool(opts)?;
    let mut renamed_from = HashSet::new();
    let total = candidates.len() as u64;
    let mut done = 0u64;
    for range in work::windows(&candidates) {
        if interrupted.load(Ordering::Relaxed) {
            return Err(TrackError::Interrupted);
        }
        let window = &candidates[range];
        let outcomes: Vec<Outcome> = pool.install(|| {
            window
                .par_iter()
                .map(|c| work::process_with(c, cache, &rename_hashes, opts, None))
                .collect()
        });
        for (c, outcome) in window.iter().zip(outcomes) {
            done += 1;
            match outcome {
                Outcome::Error { path, message } => {
                    summary.errors += 1;
                    sink.item_error(&path, &message)?;
                }
                Outcome::Same { read, .. } => {
                    summary.hashed += 1;
                    summary.bytes_hashed += read;
                }
                Outcome::Changed(ch) => {
                    summary.hashed += 1;
                    summary.bytes_hashed += ch.hashed.raw_size;
                    let mut record = ChangeRecord {
                        path: c.rel.clone(),
                        change: ChangeKind::Created,
                        old_path: None,
                        version_id: 0,
                        hash: Some(ch.hashed.hash.clone()),
                        size: Some(ch.hashed.size),
                        lines_added: ch.hashed.lines.unwrap_or(0),
                        lines_removed: 0,
                    };
                    if cache.get(&c.rel).is_some() {
                        record.change = ChangeKind::Modified;
                        record.lines_added = 0;
                    } else if let Some(from) =
                        gone.get_mut(ch.hashed.hash.as_str()).and_then(VecDeque::pop_front)
                    {
                        record.change = ChangeKind::Renamed;
                        record.lines_added = 0;
                        renamed_from.insert(from.clone());
                        record.old_path = Some(from);
                    }
                    summary.count(record.change);
                    sink.change(&record)?;
                }
            }
        }
        sink.progress(done, total);
    }
    for rel in deleted.iter().filter(|r| !renamed_from.contains(*r)) {
        summary.count(ChangeKind::Deleted);
        sink.change(&ChangeRecord {
            path: rel.clone(),
            change: ChangeKind::Deleted,
            old_path: None,
            version_id: 0,
            hash: None,
            size: None,
            lines_added: 0,
            lines_removed: 0,
        })?;
    }
    Ok(())
}
