//! Writing the history into a git repository (libgit2 through `git2`).
//!
//! One commit per tracking batch, or per version with `per_version`. Versions an import brought
//! in share one batch, so those are committed per recorded moment instead. Author and committer
//! time are the recorded time; the message names the changes, and a trailer
//! `Obby-Versions: FIRST..LAST` names the versions a commit holds.
//!
//! Objects are written to an in-memory object database (libgit2's mempack) and flushed to a
//! packfile every few thousand commits, which is what makes a large export fast: no loose object
//! files, and the tree is kept in memory ([`super::tree`]) so a commit writes only the trees
//! on the way to its changed paths. After each flush the branch and the export cursor are updated, so an interrupted
//! export keeps what it wrote. The cursor (store `meta` key `export.git:<dir>[#paths]`, value
//! `<version id> <commit>`) makes the next export continue after the last exported version,
//! provided the repository's HEAD is that commit or a descendant of it; a repository with any
//! other history is refused unless `force` is set, and then obby's history is added on top.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use git2::build::CheckoutBuilder;
use git2::{FileMode, ObjectType, Oid, Repository};

use super::pack::PackWriter;
use super::tree::Dir;
use super::{ContentCache, ExportError, ExportReport, ExportVersion, for_each_version};
use crate::import::Observer;
use crate::paths::RelPath;
use crate::store::Store;

/// Commits written before the in-memory objects are flushed to a pack.
const FLUSH_COMMITS: u64 = 5000;
/// Content bytes written before the in-memory objects are flushed to a pack.
const FLUSH_BYTES: u64 = 256 << 20;

/// How to export.
#[derive(Clone, Debug, Default)]
pub struct GitOptions {
    /// One commit per version instead of per batch.
    pub per_version: bool,
    /// Add to a repository whose history obby did not write.
    pub force: bool,
    /// Only these paths (files, or everything under directories).
    pub paths: Vec<RelPath>,
    /// Update the work tree (and index) of a non-bare repository to the exported head.
    pub checkout: bool,
}

/// The export's outcome beyond the counters.
#[derive(Clone, Debug, Default)]
pub struct GitOutcome {
    /// Counters.
    pub report: ExportReport,
    /// The new head commit, if any was written.
    pub head: Option<String>,
    /// The branch updated.
    pub branch: String,
    /// Versions already exported before this run (the cursor).
    pub resumed_after: i64,
    /// Why the work tree was not updated, if it was not.
    pub checkout_skipped: Option<String>,
}

struct Writer {
    dir: PathBuf,
    sig_name: String,
    sig_email: String,
    parent: Option<Oid>,
    tree: Dir,
    blobs: HashMap<String, Oid>,
    cache: ContentCache,
    since_flush: u64,
    bytes_since_flush: u64,
    /// The objects written since the last flush.
    pack: PackWriter,
}

fn gerr(dir: &Path) -> impl Fn(git2::Error) -> ExportError + '_ {
    move |source| ExportError::Git { dir: dir.to_path_buf(), source }
}

/// The meta key of the export cursor for `dir` and `paths`.
#[must_use]
pub fn cursor_key(dir: &Path, paths: &[RelPath]) -> String {
    let mut key = format!("export.git:{}", crate::paths::display_path(dir));
    if !paths.is_empty() {
        let list: Vec<String> = paths.iter().map(ToString::to_string).collect();
        key.push('#');
        key.push_str(&list.join(","));
    }
    key
}

fn read_cursor(store: &Store, key: &str) -> Result<Option<(i64, Oid)>, ExportError> {
    use rusqlite::OptionalExtension as _;
    let value: Option<String> = store
        .conn()
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(|e| store.err(e))?;
    Ok(value.and_then(|v| {
        let (id, oid) = v.split_once(' ')?;
        Some((id.parse().ok()?, Oid::from_str(oid).ok()?))
    }))
}

fn write_cursor(store: &Store, key: &str, id: i64, oid: Oid) -> Result<(), ExportError> {
    store
        .conn()
        .execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            [key, &format!("{id} {oid}")],
        )
        .map_err(|e| store.err(e))?;
    Ok(())
}

fn open_or_init(dir: &Path) -> Result<Repository, ExportError> {
    if let Ok(r) = Repository::open(dir) {
        return Ok(r);
    }
    std::fs::create_dir_all(dir)
        .map_err(|source| ExportError::Io { path: dir.to_path_buf(), source })?;
    Repository::init(dir).map_err(gerr(dir))
}

/// Exports the store's history (after the cursor) into the repository at `dir`, creating it
/// when needed.
///
/// # Errors
/// [`ExportError::Unrelated`] for a repository with another history (without `force`); git,
/// store and I/O errors.
pub fn export(
    store: &Store,
    dir: &Path,
    opts: &GitOptions,
    obs: &mut dyn Observer,
) -> Result<GitOutcome, ExportError> {
    // Objects come from the store's verified content: skip libgit2's re-checks of every
    // referenced object (the cost of a large export otherwise).
    git2::opts::strict_object_creation(false);
    git2::opts::strict_hash_verification(false);
    let repo = open_or_init(dir)?;
    let dir = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
    let key = cursor_key(&dir, &opts.paths);
    let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok()).map(|c| c.id());
    let branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_owned))
        .unwrap_or_else(|| "HEAD".to_owned());
    let cursor = read_cursor(store, &key)?;
    let (after, parent) = match (head, cursor) {
        (None, _) => (0, None),
        (Some(h), Some((id, oid)))
            if h == oid || repo.graph_descendant_of(h, oid).unwrap_or(false) =>
        {
            (id, Some(h))
        }
        (Some(h), _) if opts.force => (0, Some(h)),
        (Some(_), _) => return Err(ExportError::Unrelated { dir }),
    };
    let config = repo.config().ok();
    let get = |k: &str| config.as_ref().and_then(|c| c.get_string(k).ok());
    let mut w = Writer {
        dir: dir.clone(),
        sig_name: ident_part(get("user.name"), "obby"),
        sig_email: ident_part(get("user.email"), "obby@localhost"),
        parent,
        tree: Dir::default(),
        blobs: HashMap::new(),
        cache: ContentCache::default(),
        since_flush: 0,
        bytes_since_flush: 0,
        pack: PackWriter::new(),
    };
    let odb = repo.odb().map_err(gerr(&dir))?;
    let old_tree = match parent {
        Some(p) => Some(repo.find_commit(p).and_then(|c| c.tree()).map_err(gerr(&dir))?.id()),
        None => None,
    };
    w.tree = Dir::load(&repo, old_tree).map_err(gerr(&dir))?;
    let imports: HashMap<i64, bool> = batch_kinds(store)?;
    let mut outcome =
        GitOutcome { branch: branch.clone(), resumed_after: after, ..GitOutcome::default() };
    let mut group: Vec<ExportVersion> = Vec::new();
    let mut group_key = (0, 0);
    let mut last_id = after;
    let flush = |w: &mut Writer, last_id: i64| -> Result<(), ExportError> {
        if w.since_flush == 0 {
            return Ok(());
        }
        let pack = w.pack.finish();
        let mut pw = odb.packwriter().map_err(gerr(&dir))?;
        pw.write_all(&pack).map_err(|source| ExportError::Io { path: dir.clone(), source })?;
        pw.commit().map_err(gerr(&dir))?;
        odb.refresh().map_err(gerr(&dir))?;
        if let Some(head) = w.parent {
            write_cursor(store, &key, last_id, head)?;
        }
        w.since_flush = 0;
        w.bytes_since_flush = 0;
        Ok(())
    };
    let mut result = for_each_version(store, after, &opts.paths, |v| {
        if obs.should_stop() {
            outcome.report.interrupted = true;
            return Ok(false);
        }
        let row = &v.row;
        let follows_its_deletion = group.len() == 1
            && row.change == "renamed"
            && group[0].row.change == "deleted"
            && row.old_path.as_ref() == Some(&group[0].row.path);
        let k = if follows_its_deletion {
            // `track` records a rename as a deletion then a rename: one commit, so git sees it.
            group_key
        } else if opts.per_version {
            (row.id, 0)
        } else if imports.get(&row.batch_id).copied().unwrap_or(false) {
            (row.batch_id, row.recorded_at)
        } else {
            (row.batch_id, 0)
        };
        if !group.is_empty() && k != group_key {
            w.commit(store, &group, &mut outcome.report)?;
            last_id = group.last().map_or(last_id, |g| g.row.id);
            group.clear();
            if w.since_flush >= FLUSH_COMMITS || w.bytes_since_flush >= FLUSH_BYTES {
                flush(&mut w, last_id)?;
            }
        }
        group_key = k;
        group.push(v);
        obs.progress(1);
        Ok::<_, ExportError>(true)
    });
    if result.is_ok() && !group.is_empty() {
        result = w.commit(store, &group, &mut outcome.report);
        last_id = group.last().map_or(last_id, |g| g.row.id);
    }
    // Keep what was written even when the run failed halfway.
    let flushed = flush(&mut w, last_id);
    result?;
    flushed?;
    if let Some(head) = w.parent.filter(|h| Some(*h) != parent) {
        if opts.checkout && !repo.is_bare() {
            outcome.checkout_skipped = checkout(&repo, head, old_tree).err();
        }
        repo.reference(&branch, head, true, "obby export git").map_err(gerr(&dir))?;
        write_cursor(store, &key, last_id, head)?;
        outcome.head = Some(head.to_string());
    }
    outcome.report.last_version = Some(last_id).filter(|&id| id > 0);
    Ok(outcome)
}

/// Updates the work tree from the old head's tree to `head`'s, never overwriting local changes.
fn checkout(repo: &Repository, head: Oid, _old: Option<Oid>) -> Result<(), String> {
    let tree = repo.find_commit(head).and_then(|c| c.tree()).map_err(|e| e.message().to_owned())?;
    let mut cb = CheckoutBuilder::new();
    cb.safe();
    repo.checkout_tree(tree.as_object(), Some(&mut cb)).map_err(|e| e.message().to_owned())
}

/// Batch id -> true when the batch was an import.
fn batch_kinds(store: &Store) -> Result<HashMap<i64, bool>, ExportError> {
    let mut stmt =
        store.conn().prepare("SELECT id, source FROM batches").map_err(|e| store.err(e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(|e| store.err(e))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, source) = row.map_err(|e| store.err(e))?;
        out.insert(id, source.starts_with("import"));
    }
    Ok(out)
}

/// A name or e-mail as a commit identity may hold it (no `<`, `>` or line breaks).
fn ident_part(value: Option<String>, default: &str) -> String {
    let clean: String = value
        .unwrap_or_default()
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r' | '\0'))
        .collect();
    let clean = clean.trim();
    if clean.is_empty() { default.to_owned() } else { clean.to_owned() }
}

fn describe(v: &ExportVersion) -> String {
    match (&v.row.old_path, v.row.change.as_str()) {
        (Some(old), "renamed") => format!("renamed {old} -> {}", v.row.path),
        (_, change) => format!("{change} {}", v.row.path),
    }
}

impl Writer {
    fn blob(
        &mut self,
        store: &Store,
        hash: &str,
        path: &RelPath,
    ) -> Result<Option<Oid>, ExportError> {
        if let Some(oid) = self.blobs.get(hash) {
            return Ok(Some(*oid));
        }
        let Some(content) = self.cache.get(store, hash)? else { return Ok(None) };
        let oid =
            self.pack.add(ObjectType::Blob, &content, path.as_bytes()).map_err(gerr(&self.dir))?;
        self.bytes_since_flush += content.len() as u64;
        self.blobs.insert(hash.to_owned(), oid);
        Ok(Some(oid))
    }

    fn commit(
        &mut self,
        store: &Store,
        group: &[ExportVersion],
        report: &mut ExportReport,
    ) -> Result<(), ExportError> {
        let dir = self.dir.clone();
        let e = gerr(&dir);
        let mut ops: BTreeMap<Vec<u8>, Option<(Oid, FileMode)>> = BTreeMap::new();
        for v in group {
            let row = &v.row;
            report.versions += 1;
            if let (Some(old), "renamed") = (&row.old_path, row.change.as_str()) {
                ops.insert(old.as_bytes().to_vec(), None);
            }
            match (&row.hash, row.change.as_str()) {
                (_, "deleted") | (None, _) => {
                    ops.insert(row.path.as_bytes().to_vec(), None);
                }
                (Some(hash), _) => match self.blob(store, hash, &row.path)? {
                    Some(oid) => {
                        let mode =
                            if row.kind == "symlink" { FileMode::Link } else { FileMode::Blob };
                        ops.insert(row.path.as_bytes().to_vec(), Some((oid, mode)));
                    }
                    None => report.without_content += 1,
                },
            }
        }
        let pack = &mut self.pack;
        let mut put = |data: &[u8], dir: &[u8]| pack.add(ObjectType::Tree, data, dir);
        // Only a commit with a parent can be empty (its tree equal to the parent's); the first
        // commit's "before" would be an empty tree nothing refers to.
        let before = match self.parent {
            Some(_) => Some(self.tree.write_with(&mut Vec::new(), &mut put).map_err(&e)?),
            None => None,
        };
        for (path, op) in ops {
            match op {
                Some((oid, mode)) => self.tree.upsert(&path, oid, i32::from(mode)).map_err(&e)?,
                None => {
                    self.tree.remove(&path);
                }
            }
        }
        let tree_id = self.tree.write_with(&mut Vec::new(), &mut put).map_err(&e)?;
        if Some(tree_id) == before {
            return Ok(());
        }
        let (Some(first), Some(last)) = (group.first(), group.last()) else { return Ok(()) };
        let mut msg = if group.len() == 1 {
            describe(first)
        } else {
            format!("{} changes, batch {}", group.len(), first.row.batch_id)
        };
        msg.push_str("\n\n");
        if group.len() > 1 {
            for v in group {
                msg.push_str(&describe(v));
                msg.push('\n');
            }
            msg.push('\n');
        }
        msg.push_str(&format!("Obby-Versions: {}..{}\n", first.row.id, last.row.id));
        // The commit object is formatted here (git's plain format) rather than through
        // `Repository::commit`, which would look up and parse the parent and tree again.
        let ident = format!(
            "{} <{}> {} +0000",
            self.sig_name,
            self.sig_email,
            last.row.recorded_at.div_euclid(1000)
        );
        let mut buf = format!("tree {tree_id}\n");
        if let Some(p) = self.parent {
            buf.push_str(&format!("parent {p}\n"));
        }
        buf.push_str(&format!("author {ident}\ncommitter {ident}\n\n{msg}"));
        let oid = self.pack.add(ObjectType::Commit, buf.as_bytes(), b"\0commit").map_err(&e)?;
        self.parent = Some(oid);
        self.since_flush += 1;
        report.commits += 1;
        Ok(())
    }
}
