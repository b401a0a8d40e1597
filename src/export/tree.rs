//! The exported tree, kept in memory between commits.
//!
//! Each commit changes a few paths; git needs every tree object on the way from those paths to
//! the root rewritten. Keeping the directory entries here, already in git's order, writes exactly
//! those trees without reading back and re-sorting whole directories from the object database
//! per commit (which is what dominated the export's time through `git_tree_create_updated`).

use std::collections::BTreeMap;

use git2::{FileMode, ObjectType, Odb, Oid, Repository, TreeWalkMode, TreeWalkResult};

/// One directory; `oid` is its written tree, `None` while it has unwritten changes.
#[derive(Default)]
pub struct Dir {
    /// Entries by git's sort key (the name, with `/` appended for a directory).
    entries: BTreeMap<Vec<u8>, Entry>,
    oid: Option<Oid>,
}

enum Entry {
    File { mode: i32, oid: Oid },
    Dir(Box<Dir>),
}

fn dir_key(name: &[u8]) -> Vec<u8> {
    let mut k = name.to_vec();
    k.push(b'/');
    k
}

impl Dir {
    /// The tree of commit `tree` (all of it), or an empty one.
    ///
    /// # Errors
    /// git errors reading the tree.
    pub fn load(repo: &Repository, tree: Option<Oid>) -> Result<Self, git2::Error> {
        let mut root = Self::default();
        let Some(tree) = tree else { return Ok(root) };
        let tree = repo.find_tree(tree)?;
        let mut failed = None;
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Tree) {
                return TreeWalkResult::Ok;
            }
            let mut path = dir.as_bytes().to_vec();
            path.extend_from_slice(entry.name_bytes());
            if let Err(e) = root.upsert(&path, entry.id(), entry.filemode()) {
                failed = Some(e);
                return TreeWalkResult::Abort;
            }
            TreeWalkResult::Ok
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        root.oid = Some(tree.id());
        mark_clean(&mut root, repo)?;
        Ok(root)
    }

    /// Sets the file at `path` (`/`-separated).
    ///
    /// # Errors
    /// An empty path component.
    pub fn upsert(&mut self, path: &[u8], oid: Oid, mode: i32) -> Result<(), git2::Error> {
        self.oid = None;
        match path.iter().position(|&b| b == b'/') {
            None => {
                if path.is_empty() {
                    return Err(git2::Error::from_str("empty path component"));
                }
                self.entries.remove(&dir_key(path));
                self.entries.insert(path.to_vec(), Entry::File { mode, oid });
                Ok(())
            }
            Some(i) => {
                let (name, rest) = (&path[..i], &path[i + 1..]);
                if name.is_empty() {
                    return Err(git2::Error::from_str("empty path component"));
                }
                self.entries.remove(name);
                let entry =
                    self.entries.entry(dir_key(name)).or_insert_with(|| Entry::Dir(Box::default()));
                match entry {
                    Entry::Dir(d) => d.upsert(rest, oid, mode),
                    Entry::File { .. } => Err(git2::Error::from_str("file where a directory is")),
                }
            }
        }
    }

    /// Removes the file at `path`, and directories it leaves empty; a missing path is fine.
    /// Returns true when something was removed.
    pub fn remove(&mut self, path: &[u8]) -> bool {
        let changed = match path.iter().position(|&b| b == b'/') {
            None => self.entries.remove(path).is_some(),
            Some(i) => {
                let key = dir_key(&path[..i]);
                let (changed, now_empty) = match self.entries.get_mut(&key) {
                    Some(Entry::Dir(d)) => (d.remove(&path[i + 1..]), d.entries.is_empty()),
                    _ => (false, false),
                };
                if now_empty {
                    self.entries.remove(&key);
                }
                changed
            }
        };
        if changed {
            self.oid = None;
        }
        changed
    }

    /// Writes every changed tree; returns the root tree's id.
    ///
    /// # Errors
    /// git errors writing objects.
    pub fn write(&mut self, odb: &Odb<'_>) -> Result<Oid, git2::Error> {
        self.write_with(&mut Vec::new(), &mut |data, _| odb.write(ObjectType::Tree, data))
    }

    /// [`Dir::write`] through `put`, which stores a tree's bytes and returns its id; it is also
    /// given the tree's directory path (`prefix`: this directory's path, with a trailing `/`
    /// unless it is the root).
    ///
    /// # Errors
    /// Whatever `put` fails with.
    pub fn write_with(
        &mut self,
        prefix: &mut Vec<u8>,
        put: &mut PutTree<'_>,
    ) -> Result<Oid, git2::Error> {
        if let Some(oid) = self.oid {
            return Ok(oid);
        }
        let mut buf = Vec::with_capacity(self.entries.len() * 40);
        for (key, entry) in &mut self.entries {
            let (mode, name, oid): (i32, &[u8], Oid) = match entry {
                Entry::File { mode, oid } => (*mode, key, *oid),
                Entry::Dir(d) => {
                    let at = prefix.len();
                    prefix.extend_from_slice(key);
                    let oid = d.write_with(prefix, put);
                    prefix.truncate(at);
                    (i32::from(FileMode::Tree), &key[..key.len() - 1], oid?)
                }
            };
            buf.extend_from_slice(format!("{mode:o} ").as_bytes());
            buf.extend_from_slice(name);
            buf.push(0);
            buf.extend_from_slice(oid.as_bytes());
        }
        let oid = put(&buf, prefix)?;
        self.oid = Some(oid);
        Ok(oid)
    }
}

/// Stores a tree's bytes (given its directory path too) and returns its id.
pub type PutTree<'a> = dyn FnMut(&[u8], &[u8]) -> Result<Oid, git2::Error> + 'a;

/// After loading, every directory's id is known from the repository: fill them in so an
/// unchanged directory is never rewritten.
fn mark_clean(dir: &mut Dir, repo: &Repository) -> Result<(), git2::Error> {
    let Some(oid) = dir.oid else { return Ok(()) };
    let tree = repo.find_tree(oid)?;
    for (key, entry) in &mut dir.entries {
        if let Entry::Dir(d) = entry {
            let name = &key[..key.len() - 1];
            if let Some(e) = tree.iter().find(|e| e.name_bytes() == name) {
                d.oid = Some(e.id());
                mark_clean(d, repo)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_match_what_libgit2_builds_and_reload() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let odb = repo.odb().unwrap();
        let a = repo.blob(b"a\n").unwrap();
        let b = repo.blob(b"b\n").unwrap();
        let mut dir = Dir::default();
        let blob = i32::from(FileMode::Blob);
        for (p, oid) in [("x.md", a), ("x/y.md", b), ("x-z.md", a), ("deep/er/z.md", b)] {
            dir.upsert(p.as_bytes(), oid, blob).unwrap();
        }
        let ours = dir.write(&odb).unwrap();
        // The same tree through libgit2's own builder.
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (p, oid) in [("x.md", a), ("x/y.md", b), ("x-z.md", a), ("deep/er/z.md", b)] {
            update.upsert(p, oid, FileMode::Blob);
        }
        let empty = repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap()).unwrap();
        assert_eq!(ours, update.create_updated(&repo, &empty).unwrap());
        assert!(dir.remove(b"deep/er/z.md"));
        assert!(!dir.remove(b"deep/er/z.md"));
        let smaller = dir.write(&odb).unwrap();
        let t = repo.find_tree(smaller).unwrap();
        assert!(t.get_path(std::path::Path::new("deep")).is_err(), "empty directories go");
        let mut again = Dir::load(&repo, Some(smaller)).unwrap();
        assert_eq!(again.write(&odb).unwrap(), smaller);
    }
}
