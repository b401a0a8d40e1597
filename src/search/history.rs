//! Time and change history for ranking, `--recent`, `--related` and `--history`, from two
//! sources: the git repository the root lives in (walked once per call, newest first, bounded
//! in commits so a huge history never stalls a command) and obby's own store (`versions`,
//! `batches`).

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _};

use crate::paths::RelPath;
use crate::store::StoreError;

/// Commits walked to find each file's last commit time (full builds).
pub const RECENCY_COMMITS: usize = 500;
/// Commits walked for co-change and `--recent`.
pub const WALK_COMMITS: usize = 2000;
/// Commits or batches touching more files than this say nothing about relatedness.
pub const MAX_CHANGESET: usize = 50;

fn sq(e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: PathBuf::from("obby.db"), source: e }
}

/// The git repository holding `root`, and `root`'s path inside its work tree.
fn repo_for(root: &Path) -> Option<(git2::Repository, Vec<u8>)> {
    let repo = git2::Repository::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let inner = root.strip_prefix(&workdir).ok()?.as_os_str().as_bytes().to_vec();
    Some((repo, inner))
}

/// Walks commits newest first (first parents only), calling `visit(time_ms, paths)` with the
/// paths each commit changed (relative to `root`) until it returns false or `max` commits.
pub fn walk_commits(root: &Path, max: usize, mut visit: impl FnMut(i64, &[RelPath]) -> bool) {
    let Some((repo, inner)) = repo_for(root) else { return };
    let Ok(mut walk) = repo.revwalk() else { return };
    if walk.push_head().is_err() {
        return;
    }
    let _ = walk.simplify_first_parent();
    let _ = walk.set_sorting(git2::Sort::TIME);
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true);
    let prefix = if inner.is_empty() { Vec::new() } else { [inner.as_slice(), b"/"].concat() };
    for oid in walk.take(max) {
        let Ok(oid) = oid else { break };
        let Ok(commit) = repo.find_commit(oid) else { break };
        let Ok(tree) = commit.tree() else { continue };
        let parent_tree = commit.parent(0).ok().and_then(|p| p.tree().ok());
        let Ok(diff) = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))
        else {
            continue;
        };
        let mut paths = Vec::new();
        for delta in diff.deltas() {
            for file in [delta.new_file(), delta.old_file()] {
                if let Some(p) = file.path_bytes()
                    && let Some(rel) = p.strip_prefix(prefix.as_slice())
                {
                    let rel = RelPath::from_bytes(rel.to_vec());
                    if paths.last() != Some(&rel) {
                        paths.push(rel);
                    }
                }
            }
        }
        let time_ms = commit.time().seconds() * 1000;
        if !visit(time_ms, &paths) {
            break;
        }
    }
}

/// Each path's last change time (ms): its newest commit among the last [`RECENCY_COMMITS`], or
/// its newest version in the store, whichever is later.
#[must_use]
pub fn last_change_times(root: &Path, store: Option<&Connection>) -> HashMap<RelPath, i64> {
    let mut times: HashMap<RelPath, i64> = HashMap::new();
    walk_commits(root, RECENCY_COMMITS, |t, paths| {
        for p in paths {
            times.entry(p.clone()).or_insert(t);
        }
        true
    });
    if let Some(conn) = store
        && let Ok(mut stmt) = conn.prepare(
            "SELECT f.path, max(v.recorded_at) FROM versions v JOIN files f ON f.id = v.file_id \
             GROUP BY v.file_id",
        )
        && let Ok(rows) = stmt.query_map([], |r| Ok((r.get::<_, RelPath>(0)?, r.get::<_, i64>(1)?)))
    {
        for (p, t) in rows.flatten() {
            let e = times.entry(p).or_insert(t);
            *e = (*e).max(t);
        }
    }
    times
}

/// The highest version id, and the paths (with file ids) that got versions after `since`.
///
/// # Errors
/// SQLite errors.
pub fn touched_since(
    conn: &Connection,
    since: i64,
) -> Result<(i64, Vec<(RelPath, i64)>), StoreError> {
    let top: i64 = conn
        .query_row("SELECT coalesce(max(id), 0) FROM versions", [], |r| r.get(0))
        .map_err(sq)?;
    if top <= since {
        return Ok((top, Vec::new()));
    }
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT f.path, f.id FROM versions v JOIN files f ON f.id = v.file_id \
             WHERE v.id > ?1",
        )
        .map_err(sq)?;
    let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?))).map_err(sq)?;
    Ok((top, rows.collect::<Result<_, _>>().map_err(sq)?))
}

/// A past version of a file with text content.
#[derive(Clone, Debug)]
pub struct PastVersion {
    /// Version id.
    pub id: i64,
    /// When it was recorded (ms).
    pub recorded_at: i64,
    /// Its blob.
    pub hash: String,
}

/// The text versions of a file other than its current content, newest first, one per distinct
/// content, at most `limit`.
///
/// # Errors
/// SQLite errors.
pub fn past_versions(
    conn: &Connection,
    file_id: i64,
    limit: usize,
) -> Result<Vec<PastVersion>, StoreError> {
    let latest: Option<(i64, String, Option<String>)> = conn
        .query_row(
            "SELECT id, change, blob_hash FROM versions WHERE file_id = ?1 ORDER BY id DESC LIMIT 1",
            [file_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(sq)?;
    let current = latest.as_ref().filter(|l| l.1 != "deleted").and_then(|l| l.2.clone());
    let mut stmt = conn
        .prepare(
            "SELECT v.id, v.recorded_at, v.blob_hash FROM versions v JOIN blobs b ON b.hash = v.blob_hash \
             WHERE v.file_id = ?1 AND b.is_text = 1 AND b.codec != 3 ORDER BY v.id DESC",
        )
        .map_err(sq)?;
    let rows = stmt
        .query_map([file_id], |r| {
            Ok(PastVersion { id: r.get(0)?, recorded_at: r.get(1)?, hash: r.get(2)? })
        })
        .map_err(sq)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(sq)?;
        if current.as_deref() == Some(row.hash.as_str()) || !seen.insert(row.hash.clone()) {
            continue;
        }
        out.push(row);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// A file changed recently.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RecentFile {
    /// The path.
    pub path: RelPath,
    /// Its last change (ms).
    pub last_change_ms: i64,
    /// Versions recorded by obby in the window.
    pub versions: usize,
    /// Git commits touching it in the window.
    pub commits: usize,
}

/// Files changed at or after `since_ms`, newest first, from the store and git.
///
/// # Errors
/// SQLite errors.
pub fn recent(
    root: &Path,
    store: Option<&Connection>,
    since_ms: i64,
) -> Result<Vec<RecentFile>, StoreError> {
    let mut map: HashMap<RelPath, RecentFile> = HashMap::new();
    if let Some(conn) = store {
        let mut stmt = conn
            .prepare(
                "SELECT f.path, count(*), max(v.recorded_at) FROM versions v \
                 JOIN files f ON f.id = v.file_id WHERE v.recorded_at >= ?1 GROUP BY v.file_id",
            )
            .map_err(sq)?;
        let rows = stmt
            .query_map([since_ms], |r| {
                Ok((r.get::<_, RelPath>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })
            .map_err(sq)?;
        for row in rows {
            let (path, n, at) = row.map_err(sq)?;
            map.insert(
                path.clone(),
                RecentFile { path, last_change_ms: at, versions: n as usize, commits: 0 },
            );
        }
    }
    walk_commits(root, WALK_COMMITS, |t, paths| {
        if t < since_ms {
            return false;
        }
        for p in paths {
            let e = map.entry(p.clone()).or_insert_with(|| RecentFile {
                path: p.clone(),
                last_change_ms: t,
                versions: 0,
                commits: 0,
            });
            e.commits += 1;
            e.last_change_ms = e.last_change_ms.max(t);
        }
        true
    });
    let mut out: Vec<RecentFile> = map.into_values().collect();
    out.sort_by(|a, b| b.last_change_ms.cmp(&a.last_change_ms).then(a.path.cmp(&b.path)));
    Ok(out)
}

/// Files changed together with `path`: in the same tracking batches (store) and in the same
/// commits (git), ignoring change sets larger than [`MAX_CHANGESET`]. Values: (batches, commits).
#[must_use]
pub fn co_changed(
    root: &Path,
    store: Option<&Connection>,
    path: &RelPath,
) -> HashMap<RelPath, (usize, usize)> {
    let mut out: HashMap<RelPath, (usize, usize)> = HashMap::new();
    if let Some(conn) = store
        && let Ok(mut stmt) = conn.prepare(
            "SELECT f2.path, count(DISTINCT v2.batch_id) FROM versions v1 \
             JOIN files f1 ON f1.id = v1.file_id \
             JOIN versions v2 ON v2.batch_id = v1.batch_id AND v2.file_id != v1.file_id \
             JOIN files f2 ON f2.id = v2.file_id \
             WHERE f1.path = ?1 \
               AND (SELECT count(*) FROM versions v3 WHERE v3.batch_id = v1.batch_id) <= ?2 \
             GROUP BY v2.file_id",
        )
        && let Ok(rows) = stmt.query_map(rusqlite::params![path, MAX_CHANGESET as i64], |r| {
            Ok((r.get::<_, RelPath>(0)?, r.get::<_, i64>(1)?))
        })
    {
        for (p, n) in rows.flatten() {
            out.entry(p).or_default().0 += n as usize;
        }
    }
    walk_commits(root, WALK_COMMITS, |_, paths| {
        if paths.len() <= MAX_CHANGESET && paths.contains(path) {
            for p in paths.iter().filter(|p| *p != path) {
                out.entry(p.clone()).or_default().1 += 1;
            }
        }
        true
    });
    out
}
