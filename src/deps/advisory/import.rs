//! Reading an advisory source: a directory tree (RustSec Markdown, OSV `.json`/`.yaml`) or a git
//! repository (cloned or fetched with git2 into the cache, then read straight from the commit's
//! tree, so no checkout is needed). Files are parsed in parallel; a record that does not parse
//! is counted and skipped, never fatal.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Advisory, osv, rustsec};

/// Why a source could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path does not exist.
    #[error("import source `{0}` does not exist")]
    NotFound(PathBuf),
    /// The path is a file, not a tree of records.
    #[error("import source `{0}` is not a directory")]
    NotDir(PathBuf),
    /// The URL does not lead to a git repository.
    #[error("`{url}` is not a git repository: {message}")]
    NotGit {
        /// The URL.
        url: String,
        /// libgit2's message.
        message: String,
    },
    /// Another git failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    /// Reading files failed.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What a source held.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The advisories read (withdrawn and foreign-only records left out).
    pub advisories: Vec<Advisory>,
    /// Records that did not parse: (file, reason).
    pub skipped: Vec<(String, String)>,
    /// Withdrawn records.
    pub withdrawn: usize,
    /// Records only about ecosystems obby does not audit.
    pub foreign: usize,
    /// The git commit read, when the source is a git repository.
    pub revision: Option<String>,
    /// The newest date in the data (commit time, else the newest record date).
    pub data_date: Option<String>,
}

/// True when `source` names a git remote rather than a directory: a URL, `git@host:...`, or a
/// path ending in `.git`.
#[must_use]
pub fn is_git_url(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@") || extension(source) == "git"
}

/// The lower-case extension of a file name.
fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn wanted(name: &str) -> bool {
    matches!(extension(name).as_str(), "json" | "yaml" | "yml" | "md")
}

enum FileResult {
    Advisory(Box<Advisory>),
    Withdrawn,
    Foreign,
    Ignored,
    Bad(String),
}

fn parse_file(name: &str, bytes: &[u8]) -> FileResult {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return FileResult::Bad("not UTF-8".into());
    };
    let ext = extension(name);
    if ext == "md" {
        if !rustsec::is_rustsec(text) {
            return FileResult::Ignored;
        }
        return match rustsec::parse(text) {
            Ok(rustsec::Parsed::Advisory(a)) => FileResult::Advisory(a),
            Ok(rustsec::Parsed::Withdrawn) => FileResult::Withdrawn,
            Err(e) => FileResult::Bad(e),
        };
    }
    let result = if ext == "json" {
        // JSON files without an `id` (indexes, manifests) are not advisories.
        if !text.contains("\"id\"") {
            return FileResult::Ignored;
        }
        osv::parse_json(text)
    } else {
        if !text.lines().any(|l| l.starts_with("id:")) {
            return FileResult::Ignored;
        }
        osv::parse_yaml(text)
    };
    match result {
        Ok(osv::Parsed::Advisory(a)) => FileResult::Advisory(a),
        Ok(osv::Parsed::Withdrawn) => FileResult::Withdrawn,
        Ok(osv::Parsed::Foreign) => FileResult::Foreign,
        Err(e) => FileResult::Bad(e),
    }
}

fn collect(files: Vec<(String, Vec<u8>)>) -> Outcome {
    let results: Vec<(String, FileResult)> = files
        .into_par_iter()
        .map(|(name, bytes)| {
            let r = parse_file(&name, &bytes);
            (name, r)
        })
        .collect();
    let mut out = Outcome::default();
    for (name, r) in results {
        match r {
            FileResult::Advisory(a) => {
                for d in [&a.modified, &a.published].into_iter().flatten() {
                    if out.data_date.as_ref().is_none_or(|cur| d > cur) {
                        out.data_date = Some(d.clone());
                    }
                }
                out.advisories.push(*a);
            }
            FileResult::Withdrawn => out.withdrawn += 1,
            FileResult::Foreign => out.foreign += 1,
            FileResult::Ignored => {}
            FileResult::Bad(e) => out.skipped.push((name, e)),
        }
    }
    out.advisories.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Reads every record under a directory (hidden entries such as `.git` skipped).
///
/// # Errors
/// The directory does not exist or cannot be listed.
pub fn read_dir(dir: &Path) -> Result<Outcome, ImportError> {
    if !dir.exists() {
        return Err(ImportError::NotFound(dir.to_owned()));
    }
    if !dir.is_dir() {
        return Err(ImportError::NotDir(dir.to_owned()));
    }
    let mut paths = Vec::new();
    let walker = ignore::WalkBuilder::new(dir).standard_filters(false).hidden(true).build();
    for entry in walker {
        let entry = entry.map_err(|e| ImportError::Io {
            path: dir.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
        if entry.file_type().is_some_and(|t| t.is_file())
            && wanted(&entry.file_name().to_string_lossy())
        {
            paths.push(entry.into_path());
        }
    }
    let files: Vec<(String, Vec<u8>)> = paths
        .into_par_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p.display().to_string(), bytes)
        })
        .collect();
    let mut out = collect(files);
    // A directory that is a git work tree records its HEAD commit.
    if let Ok(repo) = git2::Repository::open(dir)
        && let Ok(commit) = repo.head().and_then(|h| h.peel_to_commit())
    {
        out.revision = Some(commit.id().to_string());
        out.data_date = Some(commit_date(&commit));
    }
    Ok(out)
}

fn commit_date(commit: &git2::Commit<'_>) -> String {
    jiff::Timestamp::from_second(commit.time().seconds()).map(|t| t.to_string()).unwrap_or_default()
}

/// Fetches `url`'s HEAD into a bare repository at `mirror` (created when missing) and reads
/// every record in that commit's tree.
///
/// # Errors
/// Not a git repository, a git failure, or an unwritable cache.
pub fn read_git(url: &str, mirror: &Path) -> Result<Outcome, ImportError> {
    if let Some(parent) = mirror.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|source| ImportError::Io { path: parent.to_owned(), source })?;
    }
    let repo = match git2::Repository::open_bare(mirror) {
        Ok(r) => r,
        Err(_) => git2::Repository::init_bare(mirror)?,
    };
    let mut remote = repo.remote_anonymous(url)?;
    if let Err(e) = remote.fetch(&["+HEAD:refs/obby/head"], None, None) {
        let local = url.strip_prefix("file://").unwrap_or(url);
        if (!url.contains("://") || url.starts_with("file://")) && !Path::new(local).exists() {
            return Err(ImportError::NotFound(PathBuf::from(local)));
        }
        return Err(ImportError::NotGit { url: url.to_owned(), message: e.message().to_owned() });
    }
    let commit = repo.find_reference("refs/obby/head")?.peel_to_commit()?;
    let tree = commit.tree()?;
    let mut oids = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |root, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob)
            && let Ok(name) = entry.name()
            && wanted(name)
        {
            oids.push((format!("{root}{name}"), entry.id()));
        }
        git2::TreeWalkResult::Ok
    })?;
    let mut files = Vec::with_capacity(oids.len());
    for (name, oid) in oids {
        let blob = repo.find_blob(oid)?;
        files.push((name, blob.content().to_vec()));
    }
    let mut out = collect(files);
    out.revision = Some(commit.id().to_string());
    out.data_date = Some(commit_date(&commit));
    Ok(out)
}
