//! A generator of synthetic history, for tests and benchmarks (hidden from the docs).
//!
//! It writes through the real batched writer, so blobs are zstd deltas exactly as `track`
//! stores them: `files` text files of about 40 lines, `versions` changes in all, spread over
//! `days` days, each change rewriting or inserting a line of one file picked at random (a
//! fixed seed makes the history the same on every run); one file in 50 ends deleted. File
//! `i` mentions the word `topic{i % 100}` in its content, and one in ten lives under
//! `config/`, so content and path searches have known answers. The live files are written to the
//! working tree too.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::paths::RelPath;
use crate::store::blob::Base;
use crate::store::{NewVersion, StatInfo, Store, StoreError};

/// Start of the generated history: 2026-01-01T00:00:00Z.
pub const START_MS: i64 = 1_767_225_600_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn path_of(i: usize) -> RelPath {
    let dir = if i.is_multiple_of(10) { "config".to_owned() } else { format!("src/mod{}", i % 97) };
    RelPath::from_bytes(format!("{dir}/file{i}.txt").into_bytes())
}

fn line(rng: &mut Rng, i: usize, n: usize) -> String {
    format!("line {n} of file {i}: value {} and more words to fill it", rng.next() % 100_000)
}

fn hash(content: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(content).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Creates a store at `root` holding `versions` versions of `files` files.
///
/// # Errors
/// Store errors.
pub fn generate(
    root: &Path,
    files: usize,
    versions: usize,
    days: i64,
) -> Result<Store, StoreError> {
    let mut store = Store::init(root)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut contents: Vec<Option<Vec<String>>> = vec![None; files];
    // The last stored content of each file, the delta base of its next version.
    let mut last: HashMap<usize, (String, Vec<u8>)> = HashMap::new();
    let span = (days.max(1) * 86_400_000) / versions.max(1) as i64;
    let mut batch = store.batch("generate")?;
    // Files `i % 50 == 49` (at least one) are deleted by the last steps.
    let doomed: Vec<usize> =
        (0..files).filter(|i| i % 50 == 49 || (files < 50 && i + 1 == files)).collect();
    for step in 0..versions {
        // Every file is created first, then changed at random, then the doomed ones deleted.
        let tail = versions - step;
        let i = if step < files {
            step
        } else if tail <= doomed.len() {
            doomed[doomed.len() - tail]
        } else {
            rng.below(files)
        };
        let recorded_at = START_MS + step as i64 * span.max(1);
        let path = path_of(i);
        let final_delete = versions - step <= doomed.len() && step >= files;
        let (change, added, removed) = match contents[i].as_mut() {
            None => {
                let mut lines: Vec<String> = (0..40).map(|n| line(&mut rng, i, n)).collect();
                lines[3] = format!("this file talks about topic{}", i % 100);
                contents[i] = Some(lines);
                ("created", 40, 0)
            }
            Some(lines) if final_delete => ("deleted", 0, lines.len() as u64),
            Some(lines) => {
                let at = rng.below(lines.len());
                if rng.below(4) == 0 {
                    lines.insert(at, line(&mut rng, i, at));
                    ("modified", 1, 0)
                } else {
                    lines[at] = line(&mut rng, i, at);
                    ("modified", 1, 1)
                }
            }
        };
        let (h, size) = if change == "deleted" {
            contents[i] = None;
            (None, None)
        } else {
            let text = contents[i].as_ref().map(|l| l.join("\n") + "\n").unwrap_or_default();
            let h = hash(text.as_bytes());
            let prev = last.remove(&i);
            let depth = match &prev {
                Some((ph, _)) => batch.blob_depth(ph)?.unwrap_or(0),
                None => 0,
            };
            let base = prev.as_ref().map(|(ph, c)| Base { hash: ph, content: c, depth });
            batch.put_blob(&h, text.as_bytes(), true, Some(text.lines().count() as u64), base)?;
            last.insert(i, (h.clone(), text.clone().into_bytes()));
            (Some(h), Some(text.len() as u64))
        };
        let id = batch
            .add_version(&NewVersion {
                path: &path,
                change,
                kind: "file",
                hash: h.as_deref(),
                old_path: None,
                size,
                mtime_ns: Some(recorded_at * 1_000_000),
                recorded_at,
                lines_added: added,
                lines_removed: removed,
                origin: None,
            })?
            .unwrap_or(0);
        if let Some(h) = h {
            let stat = StatInfo {
                size: size.unwrap_or(0),
                mtime_ns: recorded_at * 1_000_000,
                ctime_ns: recorded_at * 1_000_000,
                ino: i as u64,
                mode: 0o100_644,
            };
            batch.set_state(&path, &stat, &h, id)?;
        } else {
            batch.remove_state(&path)?;
            last.remove(&i);
        }
    }
    batch.finish()?;
    // The working tree holds the live files, as a tracked project's does.
    for (i, lines) in contents.iter().enumerate() {
        let Some(lines) = lines else { continue };
        let file = path_of(i).to_path(root);
        let io = |source| StoreError::Io { path: file.clone(), source };
        std::fs::create_dir_all(file.parent().unwrap_or(root)).map_err(io)?;
        std::fs::write(&file, lines.join("\n") + "\n").map_err(io)?;
    }
    Ok(store)
}
