//! Debounce and coalescing: raw changes in, at most one [`Event`] per path per quiet window out.
//!
//! Each path with pending changes has one entry holding two facts, whether the path existed when
//! the window opened (`before`) and whether it exists now (`now`), plus where its current content
//! came from when it arrived by a rename (`from`). The event is read off those facts when the
//! path has been quiet for the debounce time (or, for a path that never goes quiet, at most
//! [`MAX_WAIT_FACTOR`] debounce times after its first change):
//!
//! | before | now | from  | event                                 |
//! |--------|-----|-------|---------------------------------------|
//! | no     | yes | -     | created                               |
//! | yes    | yes | -     | modified                              |
//! | any    | yes | old   | renamed (old -> path)                 |
//! | yes    | no  | -     | deleted (unless it was renamed away)  |
//! | no     | no  | -     | nothing (created and deleted)         |
//!
//! So create+modify is `created`, create+delete is nothing, modify+delete is `deleted`, and an
//! editor's atomic save (write `x.tmp`, rename it over `x`; or rename `x` to `x~`, write `x`,
//! delete `x~`) is one `modified` of `x`. Whether a rename target existed before is answered by
//! a set of hashes of the paths known to exist (filled by the watcher's scans), 8 bytes a path.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::ffi::OsString;
use std::hash::{BuildHasherDefault, Hasher};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Event, EventKind};

/// A path that never goes quiet is still reported after this many debounce times.
pub const MAX_WAIT_FACTOR: u32 = 4;

#[derive(Debug)]
struct Entry {
    before: bool,
    now: bool,
    from: Option<PathBuf>,
    moved_to: Option<PathBuf>,
    is_dir: bool,
    first: Instant,
    first_ms: i64,
    generation: u64,
}

/// Pending changes per path, released after the debounce window.
#[derive(Debug)]
pub struct Coalescer {
    debounce: Duration,
    entries: HashMap<OsString, Entry, Fast>,
    queue: BinaryHeap<Reverse<(Instant, u64, PathBuf)>>,
    immediate: Vec<Event>,
    known: HashSet<u64, Fast>,
    generation: u64,
    /// Changes merged into a pending entry or cancelled out.
    pub coalesced: u64,
}

/// A fast multiplicative hasher (the rustc/Firefox "Fx" scheme): paths are hashed per event in
/// bursts of 100,000, where SipHash over `Path`'s component-wise `Hash` showed in profiles.
/// Not DoS-resistant, which does not matter for the paths of one's own tree.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `BuildHasher` of [`FxHasher`].
pub type Fast = BuildHasherDefault<FxHasher>;

fn key(path: &Path) -> u64 {
    let mut h = FxHasher::default();
    h.write(path.as_os_str().as_bytes());
    h.finish()
}

impl Coalescer {
    /// A coalescer with the given quiet time (zero releases every change at the next call).
    #[must_use]
    pub fn new(debounce: Duration) -> Self {
        Self {
            debounce,
            entries: HashMap::default(),
            queue: BinaryHeap::new(),
            immediate: Vec::new(),
            known: HashSet::default(),
            generation: 0,
            coalesced: 0,
        }
    }

    /// Records that `path` exists (found by a scan, no event).
    pub fn know(&mut self, path: &Path) {
        self.known.insert(key(path));
    }

    /// Forgets that `path` exists (its directory is no longer watched).
    pub fn forget(&mut self, path: &Path) {
        self.known.remove(&key(path));
    }

    /// Paths with changes not yet released.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.entries.len()
    }

    fn touch(&mut self, path: &Path, is_dir: bool, before_if_new: Option<bool>) -> &mut Entry {
        let now = Instant::now();
        self.generation += 1;
        let generation = self.generation;
        let known = self.known.contains(&key(path));
        let max_wait = self.debounce * MAX_WAIT_FACTOR;
        let debounce = self.debounce;
        let queue = &mut self.queue;
        let merged = &mut self.coalesced;
        let entry = self
            .entries
            .entry(path.as_os_str().to_owned())
            .and_modify(|_| *merged += 1)
            .or_insert_with(|| Entry {
                before: before_if_new.unwrap_or(known),
                now: known,
                from: None,
                moved_to: None,
                is_dir,
                first: now,
                first_ms: crate::timeparse::now_ms(),
                generation,
            });
        entry.generation = generation;
        entry.is_dir = is_dir;
        let deadline = (now + debounce).min(entry.first + max_wait);
        queue.push(Reverse((deadline, generation, path.to_path_buf())));
        entry
    }

    /// `path` was created.
    pub fn created(&mut self, path: &Path, is_dir: bool) {
        let e = self.touch(path, is_dir, None);
        e.now = true;
        self.known.insert(key(path));
    }

    /// `path`'s content or metadata changed (so it existed).
    pub fn modified(&mut self, path: &Path, is_dir: bool) {
        self.known.insert(key(path));
        let e = self.touch(path, is_dir, Some(true));
        e.now = true;
    }

    /// `path` was deleted (so it existed).
    pub fn deleted(&mut self, path: &Path, is_dir: bool) {
        self.known.remove(&key(path));
        let e = self.touch(path, is_dir, Some(true));
        e.now = false;
        e.from = None;
    }

    /// `from` was renamed to `to`.
    pub fn renamed(&mut self, from: &Path, to: &Path, is_dir: bool) {
        self.known.remove(&key(from));
        let src = self.touch(from, is_dir, Some(true));
        src.now = false;
        let origin = match src.from.take() {
            Some(o) => Some(o),
            None if src.before => Some(from.to_path_buf()),
            None => None,
        };
        if origin.as_deref() == Some(from) {
            src.moved_to = Some(to.to_path_buf());
        } else if let Some(o) = &origin
            && let Some(first) = self.entries.get_mut(o.as_os_str())
        {
            // The content moved on again: the original path now pairs with the newest name.
            first.moved_to = Some(to.to_path_buf());
        }
        let dst = self.touch(to, is_dir, None);
        dst.now = true;
        dst.from = origin;
        self.known.insert(key(to));
    }

    /// Events may have been lost under `path`: released at once, never coalesced.
    pub fn rescan(&mut self, path: &Path) {
        self.immediate.push(Event {
            kind: EventKind::Rescan,
            path: path.to_path_buf(),
            old_path: None,
            is_dir: true,
            time_ms: crate::timeparse::now_ms(),
        });
    }

    /// When the next entry is due, if any.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        if !self.immediate.is_empty() {
            return Some(Instant::now());
        }
        self.queue.peek().map(|Reverse((d, _, _))| *d)
    }

    /// Releases the entries due by `now`, oldest first.
    pub fn pop_ready(&mut self, now: Instant) -> Vec<Event> {
        let mut out = std::mem::take(&mut self.immediate);
        while let Some(Reverse((deadline, _, _))) = self.queue.peek() {
            if *deadline > now {
                break;
            }
            let Some(Reverse((_, generation, path))) = self.queue.pop() else { break };
            if self.entries.get(path.as_os_str()).is_some_and(|e| e.generation == generation) {
                self.release(&path, &mut out);
            }
        }
        out
    }

    /// Releases everything pending (on exit).
    pub fn drain(&mut self) -> Vec<Event> {
        let mut out = std::mem::take(&mut self.immediate);
        while let Some(Reverse((_, generation, path))) = self.queue.pop() {
            if self.entries.get(path.as_os_str()).is_some_and(|e| e.generation == generation) {
                self.release(&path, &mut out);
            }
        }
        out
    }

    fn release(&mut self, path: &Path, out: &mut Vec<Event>) {
        let Some(e) = self.entries.remove(path.as_os_str()) else { return };
        let kind = match (e.before, e.now, &e.from) {
            (_, true, Some(_)) => EventKind::Renamed,
            (false, true, None) => EventKind::Created,
            (true, true, None) => EventKind::Modified,
            (true, false, _) => {
                let renamed_away = e.moved_to.as_ref().is_some_and(|to| {
                    self.entries
                        .get(to.as_os_str())
                        .is_some_and(|t| t.now && t.from.as_deref() == Some(path))
                });
                if renamed_away {
                    self.coalesced += 1;
                    return;
                }
                EventKind::Deleted
            }
            (false, false, _) => {
                self.coalesced += 1;
                return;
            }
        };
        out.push(Event {
            kind,
            path: path.to_path_buf(),
            old_path: if kind == EventKind::Renamed { e.from } else { None },
            is_dir: e.is_dir,
            time_ms: e.first_ms,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut Coalescer)) -> Vec<(EventKind, String, Option<String>)> {
        let mut c = Coalescer::new(Duration::from_secs(60));
        c.know(Path::new("/r/existing"));
        f(&mut c);
        assert!(c.pop_ready(Instant::now()).is_empty(), "released before the window closed");
        c.drain()
            .into_iter()
            .map(|e| {
                (e.kind, e.path.display().to_string(), e.old_path.map(|p| p.display().to_string()))
            })
            .collect()
    }

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn create_then_modify_is_created() {
        let out = run(|c| {
            c.created(&p("/r/a"), false);
            c.modified(&p("/r/a"), false);
        });
        assert_eq!(out, vec![(EventKind::Created, "/r/a".into(), None)]);
    }

    #[test]
    fn create_then_delete_is_nothing() {
        let out = run(|c| {
            c.created(&p("/r/a"), false);
            c.modified(&p("/r/a"), false);
            c.deleted(&p("/r/a"), false);
        });
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn modify_then_delete_is_deleted() {
        let out = run(|c| {
            c.modified(&p("/r/existing"), false);
            c.deleted(&p("/r/existing"), false);
        });
        assert_eq!(out, vec![(EventKind::Deleted, "/r/existing".into(), None)]);
    }

    #[test]
    fn delete_then_create_is_modified() {
        let out = run(|c| {
            c.deleted(&p("/r/existing"), false);
            c.created(&p("/r/existing"), false);
        });
        assert_eq!(out, vec![(EventKind::Modified, "/r/existing".into(), None)]);
    }

    #[test]
    fn atomic_save_through_a_temp_file_is_one_modified() {
        let out = run(|c| {
            c.created(&p("/r/.existing.swp"), false);
            c.modified(&p("/r/.existing.swp"), false);
            c.renamed(&p("/r/.existing.swp"), &p("/r/existing"), false);
        });
        assert_eq!(out, vec![(EventKind::Modified, "/r/existing".into(), None)]);
    }

    #[test]
    fn atomic_save_of_a_new_file_is_created() {
        let out = run(|c| {
            c.created(&p("/r/new.tmp"), false);
            c.renamed(&p("/r/new.tmp"), &p("/r/new"), false);
        });
        assert_eq!(out, vec![(EventKind::Created, "/r/new".into(), None)]);
    }

    #[test]
    fn backup_rename_then_rewrite_is_one_modified() {
        let out = run(|c| {
            c.renamed(&p("/r/existing"), &p("/r/existing~"), false);
            c.created(&p("/r/existing"), false);
            c.deleted(&p("/r/existing~"), false);
        });
        assert_eq!(out, vec![(EventKind::Modified, "/r/existing".into(), None)]);
    }

    #[test]
    fn rename_chains_collapse() {
        let out = run(|c| {
            c.renamed(&p("/r/existing"), &p("/r/b"), false);
            c.renamed(&p("/r/b"), &p("/r/c"), false);
        });
        assert_eq!(out, vec![(EventKind::Renamed, "/r/c".into(), Some("/r/existing".into()))]);
    }

    #[test]
    fn plain_rename_is_one_event() {
        let out = run(|c| c.renamed(&p("/r/existing"), &p("/r/moved"), false));
        assert_eq!(out, vec![(EventKind::Renamed, "/r/moved".into(), Some("/r/existing".into()))]);
    }

    #[test]
    fn zero_debounce_releases_at_once_and_rescan_is_never_merged() {
        let mut c = Coalescer::new(Duration::ZERO);
        c.created(&p("/r/a"), false);
        c.rescan(&p("/r"));
        c.rescan(&p("/r"));
        let out = c.pop_ready(Instant::now());
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].kind, EventKind::Rescan);
        assert_eq!(out[2].kind, EventKind::Created);
    }
}
