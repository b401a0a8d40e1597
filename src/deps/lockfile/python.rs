//! Python lockfiles: `poetry.lock`, `uv.lock`, `Pipfile.lock` and pinned `requirements*.txt`
//! (pip-compile's `# via` comments give the dependency path when present).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{At, Edge, Graph, Origin, Package, Scope};
use crate::deps::Ecosystem;

const PY: Ecosystem = Ecosystem::PyPI;

fn norm(name: &str) -> String {
    PY.normalize_name(name)
}

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPackage>,
}

#[derive(Deserialize)]
struct PoetryPackage {
    name: String,
    version: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    source: Option<PoetrySource>,
    #[serde(default)]
    dependencies: toml::Table,
}

#[derive(Deserialize)]
struct PoetrySource {
    #[serde(rename = "type", default)]
    kind: String,
}

/// Direct dependency names from `pyproject.toml` (Poetry tables and PEP 621), with their kind.
fn pyproject_deps(dir: &Path) -> Option<(String, Vec<(String, Edge)>)> {
    let text = std::fs::read_to_string(dir.join("pyproject.toml")).ok()?;
    let doc: toml::Table = toml::from_str(&text).ok()?;
    let mut out = Vec::new();
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let name = poetry
        .and_then(|p| p.get("name"))
        .or_else(|| doc.get("project").and_then(|p| p.get("name")))
        .and_then(|n| n.as_str())
        .unwrap_or("(root)")
        .to_owned();
    let mut add_table = |t: Option<&toml::Value>, kind: Edge| {
        if let Some(t) = t.and_then(|t| t.as_table()) {
            for k in t.keys().filter(|k| *k != "python") {
                out.push((norm(k), kind));
            }
        }
    };
    add_table(poetry.and_then(|p| p.get("dependencies")), Edge::Normal);
    add_table(poetry.and_then(|p| p.get("dev-dependencies")), Edge::Dev);
    if let Some(groups) = poetry.and_then(|p| p.get("group")).and_then(|g| g.as_table()) {
        for (gname, g) in groups {
            add_table(
                g.get("dependencies"),
                if gname == "main" { Edge::Normal } else { Edge::Dev },
            );
        }
    }
    let pep508 = |s: &str| {
        let end =
            s.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(s.len());
        norm(&s[..end])
    };
    if let Some(list) =
        doc.get("project").and_then(|p| p.get("dependencies")).and_then(|d| d.as_array())
    {
        for d in list.iter().filter_map(|d| d.as_str()) {
            out.push((pep508(d), Edge::Normal));
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(|d| d.as_table()) {
        for list in groups.values().filter_map(|v| v.as_array()) {
            for d in list.iter().filter_map(|d| d.as_str()) {
                out.push((pep508(d), Edge::Dev));
            }
        }
    }
    Some((name, out))
}

pub(super) fn poetry(text: &str, dir: &Path) -> Result<Vec<Package>, At> {
    let lock: PoetryLock = toml::from_str(text).map_err(|e| At::toml(text, &e))?;
    let mut g = Graph { scoped: true, ..Graph::default() };
    let mut index: HashMap<String, usize> = HashMap::new();
    for p in &lock.package {
        let origin = match p.source.as_ref().map(|s| s.kind.as_str()) {
            None | Some("legacy" | "") => Origin::Registry,
            Some("git") => Origin::Git,
            Some("directory" | "file") => Origin::Path,
            Some(_) => Origin::Other,
        };
        let i = g.add(PY, &p.name, &p.version, origin);
        if p.category.as_deref() == Some("dev")
            || (!p.groups.is_empty() && !p.groups.iter().any(|x| x == "main"))
        {
            g.nodes[i].scope = Some(Scope::Dev);
        } else if p.optional {
            g.nodes[i].scope = Some(Scope::Optional);
        }
        index.insert(norm(&p.name), i);
    }
    for (i, p) in lock.package.iter().enumerate() {
        for dep in p.dependencies.keys() {
            if let Some(&t) = index.get(&norm(dep)) {
                g.edge(i, t, Edge::Normal);
            }
        }
    }
    root_from_manifest(&mut g, &index, pyproject_deps(dir));
    Ok(g.finish())
}

fn root_from_manifest(
    g: &mut Graph,
    index: &HashMap<String, usize>,
    manifest: Option<(String, Vec<(String, Edge)>)>,
) {
    let unreferenced = g.unreferenced();
    let (name, deps) = manifest.unwrap_or_else(|| {
        (
            "(root)".to_owned(),
            unreferenced.iter().map(|&i| (norm(&g.nodes[i].name), Edge::Normal)).collect(),
        )
    });
    let root = g.add(PY, &name, "", Origin::Workspace);
    g.root(root);
    for (dep, kind) in deps {
        if let Some(&t) = index.get(&dep) {
            g.edge(root, t, kind);
        }
    }
}

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    version: Option<toml::Spanned<i64>>,
    #[serde(default)]
    package: Vec<UvPackage>,
}

#[derive(Deserialize)]
struct UvPackage {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: toml::Table,
    #[serde(default)]
    dependencies: Vec<UvDep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: HashMap<String, Vec<UvDep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: HashMap<String, Vec<UvDep>>,
}

#[derive(Deserialize)]
struct UvDep {
    name: String,
}

pub(super) fn uv(text: &str) -> Result<Vec<Package>, At> {
    let lock: UvLock = toml::from_str(text).map_err(|e| At::toml(text, &e))?;
    if let Some(v) = &lock.version
        && *v.get_ref() != 1
    {
        return Err(At::new(
            crate::deps::line_col(text, v.span().start),
            format!("unsupported uv.lock version {} (known: 1)", v.get_ref()),
        ));
    }
    let mut g = Graph { scoped: true, ..Graph::default() };
    let mut index: HashMap<String, usize> = HashMap::new();
    for p in &lock.package {
        let s = &p.source;
        let origin = if s.contains_key("registry") {
            Origin::Registry
        } else if s.contains_key("editable") || s.contains_key("virtual") {
            Origin::Workspace
        } else if s.contains_key("git") {
            Origin::Git
        } else if s.contains_key("path") || s.contains_key("directory") {
            Origin::Path
        } else {
            Origin::Other
        };
        let i = g.add(PY, &p.name, p.version.as_deref().unwrap_or(""), origin);
        if origin == Origin::Workspace {
            g.root(i);
        }
        index.insert(norm(&p.name), i);
    }
    for (i, p) in lock.package.iter().enumerate() {
        let lists = std::iter::once((&p.dependencies, Edge::Normal))
            .chain(p.optional.values().map(|l| (l, Edge::Optional)))
            .chain(p.dev.values().map(|l| (l, Edge::Dev)));
        for (list, kind) in lists {
            for d in list {
                if let Some(&t) = index.get(&norm(&d.name)) {
                    g.edge(i, t, kind);
                }
            }
        }
    }
    if !lock
        .package
        .iter()
        .any(|p| p.source.contains_key("editable") || p.source.contains_key("virtual"))
    {
        root_from_manifest(&mut g, &index, None);
    }
    Ok(g.finish())
}

pub(super) fn pipfile(text: &str) -> Result<Vec<Package>, At> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| At::json(&e))?;
    if doc.get("_meta").is_none() {
        return Err(At::new((1, 1), "no `_meta`: not a Pipfile.lock"));
    }
    let mut g = Graph { scoped: true, ..Graph::default() };
    let root = g.add(PY, "(Pipfile)", "", Origin::Workspace);
    g.root(root);
    for (section, kind) in [("default", Edge::Normal), ("develop", Edge::Dev)] {
        let Some(map) = doc.get(section).and_then(|v| v.as_object()) else { continue };
        for (name, entry) in map {
            let spec = entry.get("version").and_then(|v| v.as_str()).unwrap_or("");
            let origin = if entry.get("git").is_some() {
                Origin::Git
            } else if entry.get("path").is_some() || entry.get("file").is_some() {
                Origin::Path
            } else {
                Origin::Registry
            };
            let version = spec.trim_start_matches("===").trim_start_matches("==");
            let i = g.add(PY, name, version, origin);
            if origin == Origin::Registry && !spec.starts_with("==") {
                g.nodes[i].problem = Some(format!("version not pinned (`{spec}`)"));
            }
            // Pipfile.lock is flat: every package is listed as if the project used it directly.
            g.edge(root, i, kind);
        }
    }
    Ok(g.finish())
}

/// One requirement line: `name[extras]==version ; markers --hash=...`.
/// (name, version, operator) of a requirement.
type Requirement = (String, String, String);

fn requirement(line: &str) -> Result<Option<Requirement>, (usize, String)> {
    let spec = line.split(" --").next().unwrap_or(line);
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    if spec.is_empty() {
        return Ok(None);
    }
    let b = spec.as_bytes();
    if !b[0].is_ascii_alphanumeric() {
        return Err((0, format!("`{spec}` is not a requirement")));
    }
    let mut i = 0;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b"-_.".contains(&b[i])) {
        i += 1;
    }
    let name = &spec[..i];
    let mut rest = spec[i..].trim_start();
    if rest.starts_with('[') {
        let close = rest.find(']').ok_or((i, "unclosed `[` of extras".to_owned()))?;
        rest = rest[close + 1..].trim_start();
    }
    if rest.starts_with('@') {
        return Ok(Some((name.to_owned(), String::new(), "@".to_owned())));
    }
    let op_end = rest.find(|c: char| !"=<>!~".contains(c)).unwrap_or(rest.len());
    let (op, version) = rest.split_at(op_end);
    let version = version.trim();
    if !op.is_empty() && version.is_empty() {
        return Err((i, format!("`{op}` without a version")));
    }
    if !op.is_empty() && !["==", "===", ">=", "<=", ">", "<", "!=", "~="].contains(&op) {
        return Err((i, format!("unknown operator `{op}`")));
    }
    Ok(Some((name.to_owned(), version.to_owned(), op.to_owned())))
}

pub(super) fn requirements(text: &str) -> Result<Vec<Package>, At> {
    let mut g = Graph { scoped: false, ..Graph::default() };
    let root = g.add(PY, "(requirements)", "", Origin::Workspace);
    g.root(root);
    let mut via: Vec<(usize, Vec<String>)> = Vec::new();
    let mut last: Option<usize> = None;
    let mut in_via = false;
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, raw)) = lines.next() {
        let mut line = raw.to_owned();
        while line.trim_end().ends_with('\\') {
            line = line.trim_end().trim_end_matches('\\').to_owned();
            match lines.next() {
                Some((_, more)) => line.push_str(more),
                None => break,
            }
        }
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            let c = comment.trim();
            if let Some(i) = last {
                if let Some(p) = c.strip_prefix("via") {
                    in_via = true;
                    let p = p.trim();
                    if !p.is_empty() {
                        via.push((i, vec![p.to_owned()]));
                    }
                } else if in_via && !c.is_empty() && !c.contains(' ') || c.starts_with("-r ") {
                    via.push((i, vec![c.to_owned()]));
                }
            }
            continue;
        }
        in_via = false;
        let code = match trimmed.find(" #") {
            Some(p) => trimmed[..p].trim(),
            None => trimmed,
        };
        if code.is_empty()
            || code.starts_with('-')
            || code.contains("://")
            || code.starts_with('.')
            || code.starts_with('/')
        {
            last = None;
            continue;
        }
        let col = raw.len() - raw.trim_start().len() + 1;
        let (name, version, op) = match requirement(code) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err((off, msg)) => return Err(At::new((n + 1, col + off), msg)),
        };
        let i = if op == "@" {
            g.add(PY, &name, "", Origin::Other)
        } else {
            let i = g.add(PY, &name, &version, Origin::Registry);
            if !(op == "==" || op == "===") || version.contains('*') {
                g.nodes[i].problem = Some(if op.is_empty() {
                    "version not pinned".to_owned()
                } else {
                    format!("version not pinned (`{op}{version}`)")
                });
            }
            i
        };
        last = Some(i);
    }
    // `# via` names parents (or `-r file` for a direct requirement).
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, p) in g.nodes.iter().enumerate().skip(1) {
        index.insert(norm(&p.name), i);
    }
    let mut has_parent = vec![false; g.nodes.len()];
    for (child, parents) in &via {
        for p in parents {
            if p.starts_with("-r") || p.starts_with("-c") {
                continue;
            }
            if let Some(&pi) = index.get(&norm(p)) {
                g.edge(pi, *child, Edge::Normal);
                has_parent[*child] = true;
            }
        }
    }
    for (i, &has) in has_parent.iter().enumerate().skip(1) {
        let direct =
            !has || via.iter().any(|(c, ps)| *c == i && ps.iter().any(|p| p.starts_with("-r")));
        if direct {
            g.edge(root, i, Edge::Normal);
        }
    }
    Ok(g.finish())
}
