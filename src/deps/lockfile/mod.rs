//! Lockfiles: finding them, parsing each format into one package model, and working out which
//! packages are direct and one dependency path to each.
//!
//! Every parser turns its file into a `Graph` (packages plus edges plus the project's own
//! root nodes); `Graph::finish` walks it breadth-first from the roots, so the path it records
//! is a shortest one (`app -> hyper -> h2`) and a package one step from a root is direct. A
//! malformed file is a [`LockError`] with `file:line:col`; the caller reports it and goes on with
//! the other lockfiles.

mod cargo;
mod golang;
mod npm;
mod pnpm;
mod python;
mod yarn;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Ecosystem;

/// Files larger than this are refused (a lockfile is text; this guards against mistakes).
pub const MAX_SIZE: u64 = 512 * 1024 * 1024;

/// The lockfile formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockKind {
    /// `Cargo.lock` v1-v4.
    CargoLock,
    /// `package-lock.json` / `npm-shrinkwrap.json` v1-v3.
    PackageLock,
    /// `yarn.lock` v1 and berry.
    YarnLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `requirements*.txt`.
    Requirements,
    /// `go.mod`.
    GoMod,
    /// `go.sum` (only without a `go.mod` beside it).
    GoSum,
}

impl LockKind {
    /// The kind of a file by its name.
    #[must_use]
    pub fn of(name: &str) -> Option<Self> {
        Some(match name {
            "Cargo.lock" => Self::CargoLock,
            "package-lock.json" | "npm-shrinkwrap.json" => Self::PackageLock,
            "yarn.lock" => Self::YarnLock,
            "pnpm-lock.yaml" => Self::PnpmLock,
            "poetry.lock" => Self::PoetryLock,
            "uv.lock" => Self::UvLock,
            "Pipfile.lock" => Self::PipfileLock,
            "go.mod" => Self::GoMod,
            "go.sum" => Self::GoSum,
            n if n.starts_with("requirements")
                && Path::new(n).extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) =>
            {
                Self::Requirements
            }
            _ => return None,
        })
    }

    /// The ecosystem its packages belong to.
    #[must_use]
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Self::CargoLock => Ecosystem::Cargo,
            Self::PackageLock | Self::YarnLock | Self::PnpmLock => Ecosystem::Npm,
            Self::PoetryLock | Self::UvLock | Self::PipfileLock | Self::Requirements => {
                Ecosystem::PyPI
            }
            Self::GoMod | Self::GoSum => Ecosystem::Go,
        }
    }
}

/// Where the lockfile says a package is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Runtime.
    Prod,
    /// Development only.
    Dev,
    /// Optional.
    Optional,
    /// Build only.
    Build,
}

impl Scope {
    /// Parses `prod`, `dev`, `optional`, `build`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "prod" => Some(Self::Prod),
            "dev" => Some(Self::Dev),
            "optional" => Some(Self::Optional),
            "build" => Some(Self::Build),
            _ => None,
        }
    }
}

/// Where a package comes from; only registry packages are matched against advisories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The ecosystem's registry.
    Registry,
    /// A local path.
    Path,
    /// A git repository.
    Git,
    /// A member of the project's own workspace.
    Workspace,
    /// A URL or anything else.
    Other,
}

/// One package of a lockfile.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Package {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Name as written.
    pub name: String,
    /// Version as written.
    pub version: String,
    /// Scope, where the lockfile says it.
    pub scope: Option<Scope>,
    /// Origin.
    pub origin: Origin,
    /// True when a root of the project depends on it directly.
    pub direct: bool,
    /// One dependency path from a root to it (names).
    pub path: Vec<String>,
    /// Why it cannot be checked (an unpinned requirement), if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The registry of a Cargo package from another registry than crates.io (its `source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
}

/// A parsed lockfile.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Lockfile {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub kind: LockKind,
    /// Its packages (roots of the project itself included, with origin `workspace`).
    pub packages: Vec<Package>,
}

/// A lockfile that could not be read or parsed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}: {message}", path.display(), position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct LockError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

/// An error at a position, before the path is known.
#[derive(Debug, Clone)]
pub(crate) struct At {
    pub(crate) pos: Option<(usize, usize)>,
    pub(crate) message: String,
}

impl At {
    pub(crate) fn new(pos: (usize, usize), message: impl Into<String>) -> Self {
        Self { pos: Some(pos), message: message.into() }
    }

    /// An error at the first occurrence of `needle` in `text` (line 1 when absent).
    pub(crate) fn near(text: &str, needle: &str, message: impl Into<String>) -> Self {
        let off = text.find(needle).unwrap_or(0);
        Self::new(super::line_col(text, off), message)
    }

    pub(crate) fn toml(text: &str, e: &toml::de::Error) -> Self {
        let pos = e.span().map_or((1, 1), |s| super::line_col(text, s.start));
        Self::new(pos, e.message().trim().to_owned())
    }

    pub(crate) fn json(e: &serde_json::Error) -> Self {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        Self::new((e.line(), e.column()), msg)
    }

    pub(crate) fn yaml(e: &serde_norway::Error) -> Self {
        let pos = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        Self::new(pos, msg)
    }
}

/// How an edge is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    Normal,
    Dev,
    Optional,
    Build,
}

/// Packages and their edges, before direct/path are known.
#[derive(Default)]
pub(crate) struct Graph {
    pub(crate) nodes: Vec<Package>,
    edges: Vec<Vec<(usize, Edge)>>,
    roots: Vec<usize>,
    /// Every edge of the nodes with more than [`LINEAR_EDGES`] edges (a workspace root of a
    /// big lockfile has hundreds: checking each new one against a list was quadratic).
    wide: std::collections::HashSet<(usize, usize)>,
    /// True when edge kinds carry scope (Cargo.lock does not say).
    pub(crate) scoped: bool,
}

/// Up to this many edges per node, a new edge is checked against the list itself.
const LINEAR_EDGES: usize = 16;

impl Graph {
    pub(crate) fn add(
        &mut self,
        eco: Ecosystem,
        name: &str,
        version: &str,
        origin: Origin,
    ) -> usize {
        self.nodes.push(Package {
            ecosystem: eco,
            name: name.to_owned(),
            version: version.to_owned(),
            scope: None,
            origin,
            direct: false,
            path: Vec::new(),
            problem: None,
            registry: None,
        });
        self.edges.push(Vec::new());
        self.nodes.len() - 1
    }

    /// Adds an edge unless it is a loop or already there (the first kind given is kept).
    pub(crate) fn edge(&mut self, from: usize, to: usize, kind: Edge) {
        let list = &self.edges[from];
        let known = if list.len() <= LINEAR_EDGES {
            list.iter().any(|(t, _)| *t == to)
        } else {
            self.wide.contains(&(from, to))
        };
        if from == to || known {
            return;
        }
        let list = &mut self.edges[from];
        list.push((to, kind));
        if list.len() == LINEAR_EDGES + 1 {
            self.wide.extend(list.iter().map(|(t, _)| (from, *t)));
        } else if list.len() > LINEAR_EDGES + 1 {
            self.wide.insert((from, to));
        }
    }

    pub(crate) fn root(&mut self, node: usize) {
        if !self.roots.contains(&node) {
            self.roots.push(node);
        }
    }

    /// Nodes nothing depends on (the roots when a lockfile does not name them).
    pub(crate) fn unreferenced(&self) -> Vec<usize> {
        let mut referenced = vec![false; self.nodes.len()];
        for list in &self.edges {
            for (t, _) in list {
                referenced[*t] = true;
            }
        }
        (0..self.nodes.len()).filter(|&i| !referenced[i]).collect()
    }

    /// Breadth-first from the roots (normal edges first, so a package reachable at runtime is
    /// `prod` even when a dev tool also uses it); sets direct, path and scope.
    pub(crate) fn finish(mut self) -> Vec<Package> {
        let n = self.nodes.len();
        let mut parent: Vec<Option<usize>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut scope: Vec<Option<Scope>> = vec![None; n];
        for pass in 0..2 {
            let mut queue = VecDeque::new();
            for &r in &self.roots {
                if pass == 0 || !seen[r] {
                    seen[r] = true;
                    queue.push_back(r);
                }
            }
            if pass == 1 {
                queue.extend((0..n).filter(|&i| seen[i]));
            }
            while let Some(i) = queue.pop_front() {
                for &(t, kind) in &self.edges[i] {
                    if seen[t] || (pass == 0 && kind != Edge::Normal) {
                        continue;
                    }
                    seen[t] = true;
                    parent[t] = Some(i);
                    scope[t] = match (scope[i], kind) {
                        (Some(s), _) if s != Scope::Prod => Some(s),
                        (_, Edge::Normal) => Some(Scope::Prod),
                        (_, Edge::Dev) => Some(Scope::Dev),
                        (_, Edge::Optional) => Some(Scope::Optional),
                        (_, Edge::Build) => Some(Scope::Build),
                    };
                    queue.push_back(t);
                }
            }
        }
        let is_root: Vec<bool> = (0..n).map(|i| self.roots.contains(&i)).collect();
        let mut paths = Vec::with_capacity(n);
        for i in 0..n {
            let mut chain = vec![self.nodes[i].name.clone()];
            let mut cur = i;
            let mut guard = 0;
            while let Some(p) = parent[cur] {
                chain.push(self.nodes[p].name.clone());
                cur = p;
                guard += 1;
                if guard > n {
                    break;
                }
            }
            chain.reverse();
            paths.push((chain, parent[i].is_some_and(|p| is_root[p])));
        }
        for (i, (chain, direct)) in paths.into_iter().enumerate() {
            let node = &mut self.nodes[i];
            node.direct = direct;
            node.path = chain;
            if self.scoped && node.scope.is_none() && !is_root[i] {
                node.scope = scope[i];
            }
        }
        self.nodes
    }
}

/// Parses one lockfile.
///
/// # Errors
/// Unreadable, too large, or malformed (with line and column).
pub fn parse(path: &Path, kind: LockKind) -> Result<Lockfile, LockError> {
    let err = |pos, message: String| LockError { path: path.to_owned(), position: pos, message };
    let meta = std::fs::metadata(path).map_err(|e| err(None, e.to_string()))?;
    if meta.len() > MAX_SIZE {
        return Err(err(None, format!("larger than {MAX_SIZE} bytes; not a lockfile?")));
    }
    let bytes = std::fs::read(path).map_err(|e| err(None, e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        err(Some(super::line_col(&text, off)), "not valid UTF-8".into())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let dir = path.parent().unwrap_or(Path::new("."));
    let result = match kind {
        LockKind::CargoLock => cargo::parse(text),
        LockKind::PackageLock => npm::parse(text, dir),
        LockKind::YarnLock => yarn::parse(text, dir),
        LockKind::PnpmLock => pnpm::parse(text),
        LockKind::PoetryLock => python::poetry(text, dir),
        LockKind::UvLock => python::uv(text),
        LockKind::PipfileLock => python::pipfile(text),
        LockKind::Requirements => python::requirements(text),
        LockKind::GoMod => golang::go_mod(text),
        LockKind::GoSum => golang::go_sum(text),
    };
    let packages = result.map_err(|a| err(a.pos, a.message))?;
    Ok(Lockfile { path: path.to_owned(), kind, packages })
}

/// Finds lockfiles under `paths` (files are taken as given), respecting ignore files and
/// skipping `node_modules`; a `go.sum` is only used where no `go.mod` is beside it.
///
/// # Errors
/// A path that does not exist, or a file whose name is not a known lockfile.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<(PathBuf, LockKind)>, LockError> {
    let mut found = Vec::new();
    for root in paths {
        let err = |message: &str| LockError {
            path: root.clone(),
            position: None,
            message: message.to_owned(),
        };
        if root.is_file() {
            let name =
                root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let kind = LockKind::of(&name).ok_or_else(|| err("not a known lockfile name"))?;
            found.push((root.clone(), kind));
            continue;
        }
        if !root.is_dir() {
            return Err(err("no such file or directory"));
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != ".obby")
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if let Some(kind) = LockKind::of(&name) {
                if kind == LockKind::GoSum && entry.path().with_file_name("go.mod").is_file() {
                    continue;
                }
                found.push((entry.path().to_owned(), kind));
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

#[cfg(test)]
mod tests;
