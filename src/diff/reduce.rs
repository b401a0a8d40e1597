//! Myers over interned line ids, with the discarding of lines done on dense ids.
//!
//! Before Myers runs on large inputs, `similar` drops the lines that cannot anchor the diff (no
//! equal line on the other side) or would mislead it (lines so frequent that they match all
//! over, inside a run of dropped ones), as GNU diff and git's xdiff do. It does that by hashing
//! every item into a table of its own, which for a 50 MB file was a third of the whole diff.
//! Our items are already ids `1..=distinct` from the interner, so the same counts are plain
//! array lookups. This module applies the same rules to them and hands `similar` only the
//! reduced sequences (typed so that it does not scan them again), then maps the equal runs it
//! finds back to the original lines with everything between them a change, as `similar` does.
//! Inputs too small for the reduction go to `similar` unchanged.

use std::time::Instant;

use similar::algorithms::{Capture, Compact, DiffHook, Replace, myers};
use similar::{Algorithm, DiffOp};

// The thresholds of `similar`'s own preflight (similar 3.2), so the results are the same.
const MIN_LEN: usize = 512;
const MIN_WORK: usize = 128 * 1024;
const BOUNDARY_PROBE: usize = 8;
const SCAN_WINDOW: usize = 100;
const CONFUSING_RATIO: usize = 4;
const MAX_FREQUENCY_LIMIT: usize = 1024;

/// A new-side id: the same number, but a type of its own, which tells `similar` the reduction
/// is done (it only scans inputs whose two sides have the same item type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Reduced(u32);

impl PartialEq<u32> for Reduced {
    fn eq(&self, other: &u32) -> bool {
        self.0 == *other
    }
}

/// The edit script between `old` and `new`, ids in `1..=distinct`, which share no common first
/// or last item (the caller cut those off).
pub fn diff(old: &[u32], new: &[u32], distinct: usize, deadline: Instant) -> Vec<DiffOp> {
    if !worth_reducing(old, new) {
        return similar::capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline));
    }
    let mut old_counts = vec![0u32; distinct + 1];
    let mut new_counts = vec![0u32; distinct + 1];
    for &id in old {
        old_counts[id as usize] += 1;
    }
    for &id in new {
        new_counts[id as usize] += 1;
    }
    let (old_kept, old_at) = keep(old, &new_counts);
    let (new_kept, new_at) = keep(new, &old_counts);
    drop((old_counts, new_counts));
    let new_kept: Vec<Reduced> = new_kept.into_iter().map(Reduced).collect();
    let compact = Compact::new(Replace::new(Capture::new()), old, new);
    let mut hook = Anchors {
        d: compact,
        old_at: &old_at,
        new_at: &new_at,
        old_cursor: 0,
        new_cursor: 0,
        old_end: old.len(),
        new_end: new.len(),
    };
    // Infallible: the hooks' error type is `Infallible`.
    let Ok(()) = myers::diff_deadline(
        &mut hook,
        &old_kept,
        0..old_kept.len(),
        &new_kept,
        0..new_kept.len(),
        Some(deadline),
    );
    hook.d.into_inner().into_inner().into_ops()
}

/// `similar`'s test for running its preflight: both sides long enough, and no sign of a small
/// insertion or deletion at either edge (which Myers settles quickly on its own).
fn worth_reducing(old: &[u32], new: &[u32]) -> bool {
    let (n, m) = (old.len(), new.len());
    if n < MIN_LEN || m < MIN_LEN || n.saturating_mul(m) < MIN_WORK {
        return false;
    }
    if new[0] == old[0] || new[m - 1] == old[n - 1] {
        return false;
    }
    let probe = n.min(m).min(BOUNDARY_PROBE + 1);
    !(1..probe).any(|k| {
        new[k] == old[0]
            || new[0] == old[k]
            || new[m - 1 - k] == old[n - 1]
            || new[m - 1] == old[n - 1 - k]
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Discard,
    Keep,
    Investigate,
}

/// The ids of `side` worth diffing, with their positions: an id with no equal on the other
/// side is dropped, a very frequent one only when it sits among dropped ones.
fn keep(side: &[u32], other_counts: &[u32]) -> (Vec<u32>, Vec<usize>) {
    let limit = side.len().isqrt().clamp(1, MAX_FREQUENCY_LIMIT);
    let actions: Vec<Action> = side
        .iter()
        .map(|&id| match other_counts[id as usize] as usize {
            0 => Action::Discard,
            c if c < limit => Action::Keep,
            _ => Action::Investigate,
        })
        .collect();
    let mut ids = Vec::with_capacity(side.len());
    let mut at = Vec::with_capacity(side.len());
    for (i, &id) in side.iter().enumerate() {
        let kept = match actions[i] {
            Action::Discard => false,
            Action::Keep => true,
            Action::Investigate => !confusing(&actions, i),
        };
        if kept {
            ids.push(id);
            at.push(i);
        }
    }
    (ids, at)
}

/// Counts the dropped and frequent items before the first kept one.
fn scan(actions: &[Action], order: impl Iterator<Item = usize>) -> (usize, usize) {
    let (mut discards, mut investigates) = (0, 0);
    for i in order.take(SCAN_WINDOW) {
        match actions[i] {
            Action::Discard => discards += 1,
            Action::Investigate => investigates += 1,
            Action::Keep => break,
        }
    }
    (discards, investigates)
}

/// A frequent item among mostly dropped ones on both sides of it.
fn confusing(actions: &[Action], i: usize) -> bool {
    let (left_d, left_i) = scan(actions, (0..i).rev());
    if left_d == 0 {
        return false;
    }
    let (right_d, right_i) = scan(actions, i + 1..actions.len());
    if right_d == 0 {
        return false;
    }
    let investigates = left_i + right_i + 1;
    investigates.saturating_mul(CONFUSING_RATIO) < investigates + left_d + right_d
}

/// Maps the equal runs of the reduced diff back to the original positions; what lies between
/// two anchors is deleted and inserted (the inner hooks merge that into replacements).
struct Anchors<'a, D> {
    d: D,
    old_at: &'a [usize],
    new_at: &'a [usize],
    old_cursor: usize,
    new_cursor: usize,
    old_end: usize,
    new_end: usize,
}

impl<D: DiffHook> Anchors<'_, D> {
    fn gaps(&mut self, old_anchor: usize, new_anchor: usize) -> Result<(), D::Error> {
        if self.old_cursor < old_anchor {
            self.d.delete(self.old_cursor, old_anchor - self.old_cursor, self.new_cursor)?;
            self.old_cursor = old_anchor;
        }
        if self.new_cursor < new_anchor {
            self.d.insert(self.old_cursor, self.new_cursor, new_anchor - self.new_cursor)?;
            self.new_cursor = new_anchor;
        }
        Ok(())
    }
}

impl<D: DiffHook> DiffHook for Anchors<'_, D> {
    type Error = D::Error;

    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) -> Result<(), D::Error> {
        let mut k = 0;
        while k < len {
            let (o, n) = (self.old_at[old_index + k], self.new_at[new_index + k]);
            self.gaps(o, n)?;
            let mut run = 1;
            while k + run < len
                && self.old_at[old_index + k + run] == o + run
                && self.new_at[new_index + k + run] == n + run
            {
                run += 1;
            }
            self.d.equal(o, n, run)?;
            self.old_cursor = o + run;
            self.new_cursor = n + run;
            k += run;
        }
        Ok(())
    }

    // Only equal runs anchor; what the reduced diff deletes or inserts is part of the gaps.
    fn delete(&mut self, _: usize, _: usize, _: usize) -> Result<(), D::Error> {
        Ok(())
    }

    fn insert(&mut self, _: usize, _: usize, _: usize) -> Result<(), D::Error> {
        Ok(())
    }

    fn finish(&mut self) -> Result<(), D::Error> {
        self.gaps(self.old_end, self.new_end)?;
        self.d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random numbers.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// An old side of `n` ids with a few very frequent ones (blank lines, braces) among mostly
    /// distinct ones, and a new side with edits of every kind, often next to frequent ids.
    fn pair(rng: &mut Lcg, n: usize, edits: usize) -> (Vec<u32>, Vec<u32>, usize) {
        let mut next = 10u32;
        let mut line = |rng: &mut Lcg| {
            if rng.below(5) == 0 {
                1 + rng.below(4) as u32
            } else {
                next += 1;
                next
            }
        };
        let old: Vec<u32> = (0..n).map(|_| line(rng)).collect();
        let mut new = old.clone();
        for _ in 0..edits {
            let at = rng.below(new.len() as u64) as usize;
            match rng.below(4) {
                0 => new[at] = line(rng),
                1 => new.insert(at, line(rng)),
                2 => {
                    new.remove(at);
                }
                _ => {
                    let from = rng.below(old.len() as u64) as usize;
                    new.insert(at, old[from]);
                }
            }
        }
        // The caller's contract: no common first or last item.
        new[0] = line(rng) + 1_000_000;
        let last = new.len() - 1;
        new[last] = line(rng) + 2_000_000;
        (old, new, next as usize + 2_000_010)
    }

    #[test]
    fn the_dense_reduction_gives_what_similars_own_gives() {
        let mut rng = Lcg(7);
        let mut reduced = 0;
        for case in 0..60 {
            let n = 300 + rng.below(3000) as usize;
            let edits = 1 + rng.below(if case % 3 == 0 { 40 } else { n as u64 / 3 }) as usize;
            let (old, new, distinct) = pair(&mut rng, n, edits);
            let deadline = Instant::now() + std::time::Duration::from_secs(30);
            let ours = diff(&old, &new, distinct, deadline);
            let theirs =
                similar::capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
            assert_eq!(
                ours,
                theirs,
                "case {case}: {} old, {} new, {edits} edits",
                old.len(),
                new.len()
            );
            reduced += usize::from(worth_reducing(&old, &new));
        }
        assert!(reduced > 30, "only {reduced} cases took the reduction");
    }
}
