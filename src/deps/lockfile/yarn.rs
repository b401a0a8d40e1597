//! `yarn.lock`: the v1 format (its own indented syntax, parsed here line by line) and berry
//! (YAML with a `__metadata` entry). Direct dependencies come from the `package.json` beside the
//! lockfile when there is one (v1 does not record the root); otherwise packages nothing depends
//! on are taken as direct.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{At, Edge, Graph, Origin, Package};
use crate::deps::Ecosystem;

struct Entry {
    keys: Vec<String>,
    version: String,
    resolution: String,
    deps: Vec<(String, String, Edge)>,
}

/// `name@range` -> name (a scoped name starts with `@`).
fn key_name(key: &str) -> &str {
    match key[1..].find('@') {
        Some(p) => &key[..=p],
        None => key,
    }
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"')
}

pub(super) fn parse(text: &str, dir: &Path) -> Result<Vec<Package>, At> {
    let entries =
        if text.lines().any(|l| l.starts_with("__metadata:")) { berry(text)? } else { v1(text)? };
    let manifest = read_manifest(dir);
    let mut g = Graph { scoped: manifest.is_some(), ..Graph::default() };
    let mut index: HashMap<String, usize> = HashMap::new();
    for e in &entries {
        let name = key_name(e.keys.first().map_or("", String::as_str)).to_owned();
        let r = &e.resolution;
        let registry = r.contains("registry.yarnpkg.com")
            || r.contains("registry.npmjs.org")
            || r.contains("@npm:");
        let origin = if registry {
            Origin::Registry
        } else if r.contains("@workspace:") || r.contains("@link:") || r.contains("@portal:") {
            Origin::Workspace
        } else if r.contains("@file:") || r.contains("@./") {
            Origin::Path
        } else if r.contains("git")
            && (r.contains('#') || r.contains("git+") || r.contains("github:"))
        {
            Origin::Git
        } else if r.starts_with("http") {
            Origin::Other
        } else {
            Origin::Registry
        };
        let i = g.add(Ecosystem::Npm, &name, &e.version, origin);
        if origin == Origin::Workspace {
            g.root(i);
        }
        for k in &e.keys {
            index.insert(k.clone(), i);
        }
    }
    let lookup = |name: &str, range: &str| {
        index
            .get(&format!("{name}@{range}"))
            .or_else(|| index.get(&format!("{name}@npm:{range}")))
            .copied()
    };
    for (i, e) in entries.iter().enumerate() {
        for (name, range, kind) in &e.deps {
            if let Some(t) = lookup(name, range) {
                g.edge(i, t, *kind);
            }
        }
    }
    if let Some((root_name, deps)) = manifest {
        let root = g.add(Ecosystem::Npm, &root_name, "", Origin::Workspace);
        g.root(root);
        for (name, range, kind) in deps {
            if let Some(t) = lookup(&name, &range) {
                g.edge(root, t, kind);
            }
        }
    } else if !entries.iter().any(|e| e.resolution.contains("@workspace:")) {
        let root = g.add(Ecosystem::Npm, "(root)", "", Origin::Workspace);
        for t in g.unreferenced() {
            if t != root {
                g.edge(root, t, Edge::Normal);
            }
        }
        g.root(root);
    }
    Ok(g.finish())
}

type Manifest = (String, Vec<(String, String, Edge)>);

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    let name = doc.get("name").and_then(|v| v.as_str()).unwrap_or("(root)").to_owned();
    let mut deps = Vec::new();
    for (key, kind) in [
        ("dependencies", Edge::Normal),
        ("devDependencies", Edge::Dev),
        ("optionalDependencies", Edge::Optional),
    ] {
        if let Some(m) = doc.get(key).and_then(|v| v.as_object()) {
            for (n, r) in m {
                deps.push((n.clone(), r.as_str().unwrap_or("").to_owned(), kind));
            }
        }
    }
    Some((name, deps))
}

fn v1(text: &str) -> Result<Vec<Entry>, At> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section: Option<Edge> = None;
    for (n, line) in text.lines().enumerate() {
        let pos = |col: usize| (n + 1, col);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        match indent {
            0 => {
                let Some(keys) = body.strip_suffix(':') else {
                    return Err(At::new(
                        pos(line.len() + 1),
                        "expected `:` at the end of an entry header",
                    ));
                };
                let keys: Vec<String> = keys.split(", ").map(|k| unquote(k).to_owned()).collect();
                if keys.iter().any(|k| k.len() < 2 || !k[1..].contains('@')) {
                    return Err(At::new(pos(1), "entry header is not `name@range`"));
                }
                entries.push(Entry {
                    keys,
                    version: String::new(),
                    resolution: String::new(),
                    deps: Vec::new(),
                });
                section = None;
            }
            2 => {
                let Some(e) = entries.last_mut() else {
                    return Err(At::new(pos(indent + 1), "field outside an entry"));
                };
                if let Some(s) = body.strip_suffix(':') {
                    section = match s {
                        "dependencies" => Some(Edge::Normal),
                        "optionalDependencies" => Some(Edge::Optional),
                        _ => Some(Edge::Build),
                    };
                    continue;
                }
                section = None;
                let (k, v) = body
                    .split_once(' ')
                    .ok_or_else(|| At::new(pos(indent + 1), "expected `key value`"))?;
                match k {
                    "version" => unquote(v).clone_into(&mut e.version),
                    "resolved" => unquote(v).clone_into(&mut e.resolution),
                    _ => {}
                }
            }
            4 => {
                let (Some(e), Some(kind)) = (entries.last_mut(), section) else {
                    return Err(At::new(pos(indent + 1), "unexpected indentation"));
                };
                if kind == Edge::Build {
                    continue;
                }
                let (k, v) = split_dep(body)
                    .ok_or_else(|| At::new(pos(indent + 1), "expected `name range`"))?;
                e.deps.push((k, v, kind));
            }
            _ => return Err(At::new(pos(indent + 1), "unexpected indentation")),
        }
    }
    for e in &entries {
        if e.version.is_empty() {
            let header = e.keys.first().map_or("", String::as_str);
            return Err(At::near(text, header, format!("entry `{header}` has no version")));
        }
    }
    Ok(entries)
}

fn split_dep(body: &str) -> Option<(String, String)> {
    if let Some(rest) = body.strip_prefix('"') {
        let end = rest.find('"')?;
        Some((rest[..end].to_owned(), unquote(&rest[end + 1..]).to_owned()))
    } else {
        let (k, v) = body.split_once(' ')?;
        Some((k.to_owned(), unquote(v).to_owned()))
    }
}

fn berry(text: &str) -> Result<Vec<Entry>, At> {
    let doc: BTreeMap<String, serde_norway::Value> =
        serde_norway::from_str(text).map_err(|e| At::yaml(&e))?;
    let mut entries = Vec::new();
    for (key, value) in doc {
        if key == "__metadata" {
            continue;
        }
        let s = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(version) = s("version") else {
            return Err(At::near(text, &key, format!("entry `{key}` has no version")));
        };
        let mut deps = Vec::new();
        for (field, kind) in
            [("dependencies", Edge::Normal), ("optionalDependencies", Edge::Optional)]
        {
            if let Some(m) = value.get(field).and_then(|v| v.as_mapping()) {
                for (k, v) in m {
                    if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                        deps.push((k.to_owned(), v.to_owned(), kind));
                    }
                }
            }
        }
        entries.push(Entry {
            keys: key.split(", ").map(|k| unquote(k).to_owned()).collect(),
            version,
            resolution: s("resolution").unwrap_or_default(),
            deps,
        });
    }
    Ok(entries)
}
