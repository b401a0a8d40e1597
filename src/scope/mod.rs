//! Which paths are in scope: the one set of rules that `track`, `watch` and `search` share.
//!
//! - `.obby/` and `.git/` are always out.
//! - `.obbyignore` (gitignore syntax, in the root or any directory) and `.gitignore` (plus
//!   `.git/info/exclude`) exclude; `--no-ignore` turns both off. A deeper file overrides a
//!   shallower one and `!pattern` re-includes, as in git.
//! - `.obbywatch` at the root, when present, lists what to include, one pattern per line with `#`
//!   comments: `dir/` means that directory and everything under it; any other pattern is a shell
//!   glob matched against the path relative to the root or against the bare file name (so `*.md`
//!   matches at any depth). Ignore rules are applied first. This is the format the original
//!   Python obby read, so its files keep selecting the same files.
//!
//! Walks use the `ignore` crate's parallel walker; single paths (watch events) are checked with
//! [`Scope::contains`], which reads the ignore files along the path once and caches them.

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::paths::RelPath;

/// Directory names that are never in scope.
pub const ALWAYS_EXCLUDED: &[&str] = &[".git", ".obby"];
/// The include file at the root.
pub const WATCH_FILE: &str = ".obbywatch";
/// obby's own ignore file name.
pub const IGNORE_FILE: &str = ".obbyignore";

/// How the rules apply.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScopeOptions {
    /// Disregard `.obbyignore`, `.gitignore` and `.git/info/exclude`.
    pub no_ignore: bool,
    /// Follow symbolic links while walking.
    pub follow_symlinks: bool,
}

/// A scope file that cannot be read or holds a bad pattern.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// A pattern that is not a valid glob.
    #[error("{}:{line}: bad pattern `{pattern}`: {reason}", file.display())]
    Pattern {
        /// The scope file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The pattern as written.
        pattern: String,
        /// What is wrong.
        reason: String,
    },
    /// The scope file exists but cannot be read.
    #[error("cannot read `{}`", file.display())]
    Io {
        /// The scope file.
        file: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The include list from `.obbywatch`.
#[derive(Debug)]
struct Include {
    /// `dir/` patterns, without the slash.
    dirs: Vec<Vec<u8>>,
    /// Glob patterns, matched against the relative path and the file name.
    globs: GlobSet,
    has_globs: bool,
}

impl Include {
    fn load(root: &Path) -> Result<Option<Self>, ScopeError> {
        let file = root.join(WATCH_FILE);
        let text = match std::fs::read(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ScopeError::Io { file, source }),
        };
        let mut dirs = Vec::new();
        let mut globs = GlobSetBuilder::new();
        let mut has_globs = false;
        for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
            let line = String::from_utf8_lossy(raw);
            let pat = line.trim();
            if pat.is_empty() || pat.starts_with('#') {
                continue;
            }
            let pat = pat.trim_start_matches("./").trim_start_matches('/');
            if let Some(dir) = pat.strip_suffix('/') {
                dirs.push(dir.trim_end_matches('/').as_bytes().to_vec());
                continue;
            }
            let glob = Glob::new(pat).map_err(|e| ScopeError::Pattern {
                file: file.clone(),
                line: i + 1,
                pattern: pat.to_owned(),
                reason: e.kind().to_string(),
            })?;
            globs.add(glob);
            has_globs = true;
        }
        let globs = globs.build().map_err(|e| ScopeError::Pattern {
            file: file.clone(),
            line: 0,
            pattern: String::new(),
            reason: e.to_string(),
        })?;
        Ok(Some(Self { dirs, globs, has_globs }))
    }

    fn includes_file(&self, rel: &RelPath) -> bool {
        let bytes = rel.as_bytes();
        if self.dirs.iter().any(|d| is_under(bytes, d)) {
            return true;
        }
        if !self.has_globs {
            return false;
        }
        let path = Path::new(std::ffi::OsStr::from_bytes(bytes));
        let name = Path::new(std::ffi::OsStr::from_bytes(rel.file_name()));
        self.globs.is_match(path) || self.globs.is_match(name)
    }

    /// Whether a directory may hold included files (prunes walks and watches).
    fn may_contain(&self, dir: &[u8]) -> bool {
        self.has_globs || self.dirs.iter().any(|d| is_under(dir, d) || is_under(d, dir))
    }
}

/// True when `path` equals `dir` or lies under it (byte-wise, on `/` boundaries).
fn is_under(path: &[u8], dir: &[u8]) -> bool {
    dir.is_empty()
        || (path.starts_with(dir) && (path.len() == dir.len() || path[dir.len()] == b'/'))
}

/// The rules of one store root.
pub struct Scope {
    root: PathBuf,
    opts: ScopeOptions,
    include: Option<Include>,
    ignore_cache: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope")
            .field("root", &self.root)
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

/// One path a walk found.
#[derive(Debug)]
pub struct WalkEntry {
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the root.
    pub rel: RelPath,
    /// The entry's type (of the link itself unless links are followed).
    pub file_type: std::fs::FileType,
}

impl Scope {
    /// Loads the rules of `root` (its `.obbywatch`; ignore files are read as walks meet them).
    ///
    /// # Errors
    /// An unreadable `.obbywatch` or a bad glob in it (file:line).
    pub fn load(root: &Path, opts: ScopeOptions) -> Result<Self, ScopeError> {
        Ok(Self {
            root: root.to_path_buf(),
            opts,
            include: Include::load(root)?,
            ignore_cache: Mutex::new(HashMap::new()),
        })
    }

    /// The root.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The options.
    #[must_use]
    pub fn options(&self) -> ScopeOptions {
        self.opts
    }

    /// True when a file passes the `.obbywatch` include list (ignore rules not checked: a walk
    /// has applied them already).
    #[must_use]
    pub fn includes_file(&self, rel: &RelPath) -> bool {
        self.include.as_ref().is_none_or(|inc| inc.includes_file(rel))
    }

    /// True when a directory may hold files in scope (walks and watches skip the others).
    #[must_use]
    pub fn may_contain(&self, rel_dir: &RelPath) -> bool {
        !is_always_excluded(rel_dir)
            && self.include.as_ref().is_none_or(|inc| inc.may_contain(rel_dir.as_bytes()))
    }

    /// The full check for one path, as a watcher needs it: not under `.git`/`.obby`, not ignored
    /// (nor under an ignored directory), and, for files, included by `.obbywatch`.
    #[must_use]
    pub fn contains(&self, rel: &RelPath, is_dir: bool) -> bool {
        if rel.is_empty() {
            return true;
        }
        if is_always_excluded(rel) {
            return false;
        }
        if is_dir && !self.may_contain(rel) {
            return false;
        }
        if !is_dir && !self.includes_file(rel) {
            return false;
        }
        if self.opts.no_ignore {
            return true;
        }
        // Every ancestor directory must not be ignored, then the path itself.
        let bytes = rel.as_bytes();
        let mut ends: Vec<(usize, bool)> =
            bytes.iter().enumerate().filter(|&(_, &b)| b == b'/').map(|(i, _)| (i, true)).collect();
        ends.push((bytes.len(), is_dir));
        for (end, dir) in ends {
            if self.ignored(&bytes[..end], dir) {
                return false;
            }
        }
        true
    }

    /// Whether the ignore files of the directories above `rel` exclude it.
    fn ignored(&self, rel: &[u8], is_dir: bool) -> bool {
        let path = self.root.join(std::ffi::OsStr::from_bytes(rel));
        // Deepest ignore file first: it overrides the ones above.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if !d.starts_with(&self.root) {
                break;
            }
            if let Some(gi) = self.ignore_for(d) {
                let m = gi.matched(&path, is_dir);
                if m.is_ignore() {
                    return true;
                }
                if m.is_whitelist() {
                    return false;
                }
            }
            dir = d.parent();
        }
        false
    }

    fn ignore_for(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut cache = self.ignore_cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = cache.get(dir) {
            return hit.clone();
        }
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        let mut files = vec![dir.join(".gitignore"), dir.join(IGNORE_FILE)];
        if dir == self.root {
            files.insert(0, dir.join(".git/info/exclude"));
        }
        for file in files {
            if file.is_file() {
                // A bad line is skipped by the builder; the rest of the file still applies.
                let _ = builder.add(&file);
                any = true;
            }
        }
        let built = if any { builder.build().ok().map(Arc::new) } else { None };
        cache.insert(dir.to_path_buf(), built.clone());
        built
    }

    /// Forgets cached ignore files (after a watcher saw one change).
    pub fn reload_ignores(&self) {
        self.ignore_cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// A walker over the root limited to `starts` (absolute paths under the root; empty means the
    /// whole root), applying every rule but the include list on files (check
    /// [`Scope::includes_file`], or use [`Scope::walk`]).
    #[must_use]
    pub fn walk_builder(&self, starts: &[RelPath]) -> ignore::WalkBuilder {
        let mut b = ignore::WalkBuilder::new(&self.root);
        let use_ignores = !self.opts.no_ignore;
        b.standard_filters(false)
            .hidden(false)
            .parents(false)
            .ignore(false)
            .git_global(false)
            .git_ignore(use_ignores)
            .git_exclude(use_ignores)
            .require_git(false)
            .follow_links(self.opts.follow_symlinks);
        if use_ignores {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        let root = self.root.clone();
        let starts: Vec<Vec<u8>> = starts.iter().map(|s| s.as_bytes().to_vec()).collect();
        let include_dirs: Option<Vec<Vec<u8>>> =
            self.include.as_ref().filter(|i| !i.has_globs).map(|i| i.dirs.clone());
        b.filter_entry(move |entry| {
            let Some(rel) = rel_bytes(&root, entry.path()) else { return true };
            if rel.is_empty() {
                return true;
            }
            if entry.file_type().is_some_and(|t| t.is_dir())
                && ALWAYS_EXCLUDED.iter().any(|x| entry.file_name().as_bytes() == x.as_bytes())
            {
                return false;
            }
            let related = |s: &Vec<u8>| is_under(rel, s) || is_under(s, rel);
            if !starts.is_empty() && !starts.iter().any(related) {
                return false;
            }
            if let Some(dirs) = &include_dirs
                && entry.file_type().is_some_and(|t| t.is_dir())
                && !dirs.iter().any(related)
            {
                return false;
            }
            true
        });
        b
    }

    /// Walks the files (and symlinks) in scope under `starts` in parallel, calling `visit` with
    /// each entry or error. Directories are not reported.
    pub fn walk<F>(&self, starts: &[RelPath], threads: usize, visit: F)
    where
        F: Fn(Result<WalkEntry, ignore::Error>) + Sync,
    {
        let mut builder = self.walk_builder(starts);
        builder.threads(threads);
        let visit = &visit;
        builder.build_parallel().run(|| {
            Box::new(move |result| {
                match result {
                    Ok(entry) => {
                        let Some(file_type) = entry.file_type() else {
                            return ignore::WalkState::Continue;
                        };
                        if file_type.is_dir() {
                            return ignore::WalkState::Continue;
                        }
                        let Some(rel) = rel_bytes(&self.root, entry.path()) else {
                            return ignore::WalkState::Continue;
                        };
                        let rel = RelPath::from_bytes(rel);
                        if rel.is_empty() || !self.includes_file(&rel) {
                            return ignore::WalkState::Continue;
                        }
                        visit(Ok(WalkEntry { path: entry.into_path(), rel, file_type }));
                    }
                    Err(err) => visit(Err(err)),
                }
                ignore::WalkState::Continue
            })
        });
    }
}

/// The bytes of a walked path below `root`, by slicing: the walker builds its paths by joining
/// single names onto the root, so no `.`, `..` or doubled `/` can occur past it (a cheaper
/// [`RelPath::from_path`], which runs once per file of every scan).
fn rel_bytes<'p>(root: &Path, path: &'p Path) -> Option<&'p [u8]> {
    let (root, path) = (root.as_os_str().as_bytes(), path.as_os_str().as_bytes());
    let rest = path.strip_prefix(root)?;
    if root.ends_with(b"/") {
        return Some(rest);
    }
    match rest.split_first() {
        None => Some(rest),
        Some((b'/', rel)) => Some(rel),
        Some(_) => None,
    }
}

/// True for paths inside `.git/` or `.obby/` (at any depth).
#[must_use]
pub fn is_always_excluded(rel: &RelPath) -> bool {
    rel.as_bytes()
        .split(|&b| b == b'/')
        .any(|part| ALWAYS_EXCLUDED.iter().any(|x| part == x.as_bytes()))
}

#[cfg(test)]
mod tests;
