//! `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1 (nested `dependencies`) and
//! 2-3 (flat `packages` keyed by install location). Dependencies are resolved the way Node
//! does: from a package's own `node_modules` upwards.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use super::{At, Edge, Graph, Origin, Package};
use crate::deps::Ecosystem;

fn origin_of(version: &str, resolved: Option<&str>, link: bool) -> Origin {
    if link {
        return Origin::Workspace;
    }
    let r = resolved.unwrap_or("");
    let git = |s: &str| s.starts_with("git") || s.starts_with("github:");
    if git(version) || git(r) {
        Origin::Git
    } else if version.starts_with("file:") || r.starts_with("file:") {
        Origin::Path
    } else if r.starts_with("http") && !r.contains("/-/") {
        Origin::Other
    } else {
        Origin::Registry
    }
}

/// The name at an install location: the part after the last `node_modules/`.
fn name_at(location: &str) -> &str {
    location.rsplit_once("node_modules/").map_or(location, |(_, n)| n)
}

/// Node's lookup: `<from>/node_modules/<name>`, then each enclosing `node_modules`.
fn resolve(index: &HashMap<&str, usize>, from: &str, name: &str) -> Option<usize> {
    let mut base = from.to_owned();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{base}/node_modules/{name}")
        };
        if let Some(&i) = index.get(candidate.as_str()) {
            return Some(i);
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(p) => base[..p].to_owned(),
            None if base.starts_with("node_modules/") => String::new(),
            None => String::new(),
        };
    }
}

fn dep_names(entry: &Value, key: &str) -> Vec<String> {
    entry
        .get(key)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

pub(super) fn parse(text: &str, _dir: &Path) -> Result<Vec<Package>, At> {
    let doc: Value = serde_json::from_str(text).map_err(|e| At::json(&e))?;
    let version = doc.get("lockfileVersion").and_then(Value::as_i64);
    match version {
        Some(2 | 3) if doc.get("packages").is_some() => v2(text, &doc),
        Some(1 | 2) => Ok(v1(&doc)),
        Some(v) => Err(At::near(
            text,
            "lockfileVersion",
            format!("unsupported lockfileVersion {v} (known: 1-3)"),
        )),
        None => Err(At::new((1, 1), "no `lockfileVersion`: not a package-lock.json")),
    }
}

fn v2(text: &str, doc: &Value) -> Result<Vec<Package>, At> {
    let Some(packages) = doc.get("packages").and_then(Value::as_object) else {
        return Err(At::near(text, "\"packages\"", "`packages` is not an object"));
    };
    let mut g = Graph { scoped: true, ..Graph::default() };
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut order: Vec<(&str, &Value)> = Vec::new();
    for (loc, entry) in packages {
        if !entry.is_object() {
            return Err(At::near(
                text,
                &format!("\"{loc}\""),
                format!("entry `{loc}` is not an object"),
            ));
        }
        let link = entry.get("link").and_then(Value::as_bool).unwrap_or(false);
        let in_modules = loc.contains("node_modules/");
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .filter(|_| !in_modules || link)
            .unwrap_or_else(|| if loc.is_empty() { "(root)" } else { name_at(loc) });
        let version = entry.get("version").and_then(Value::as_str).unwrap_or("");
        let resolved = entry.get("resolved").and_then(Value::as_str);
        let origin = if in_modules && !link {
            origin_of(version, resolved, false)
        } else {
            Origin::Workspace
        };
        if link {
            // A link points at a workspace folder, which has its own entry.
            continue;
        }
        if in_modules && version.is_empty() {
            return Err(At::near(text, &format!("\"{loc}\""), format!("`{loc}` has no version")));
        }
        let i = g.add(Ecosystem::Npm, name, version, origin);
        if !in_modules {
            g.root(i);
        }
        index.insert(loc.as_str(), i);
        order.push((loc.as_str(), entry));
    }
    // Links: `node_modules/x` -> the workspace folder's entry.
    for (loc, entry) in packages {
        if entry.get("link").and_then(Value::as_bool) == Some(true)
            && let Some(target) = entry.get("resolved").and_then(Value::as_str)
            && let Some(&t) = index.get(target)
        {
            index.insert(loc.as_str(), t);
        }
    }
    for (loc, entry) in order {
        let from = index[loc];
        for (key, kind) in [
            ("dependencies", Edge::Normal),
            ("optionalDependencies", Edge::Optional),
            ("peerDependencies", Edge::Normal),
            ("devDependencies", Edge::Dev),
        ] {
            // Dev dependencies of installed packages are not installed.
            if kind == Edge::Dev && loc.contains("node_modules/") {
                continue;
            }
            for name in dep_names(entry, key) {
                if let Some(t) = resolve(&index, loc, &name) {
                    g.edge(from, t, kind);
                }
            }
        }
        if entry.get("dev").and_then(Value::as_bool) == Some(true)
            || entry.get("devOptional").and_then(Value::as_bool) == Some(true)
        {
            g.nodes[from].scope = Some(super::Scope::Dev);
        } else if entry.get("optional").and_then(Value::as_bool) == Some(true) {
            g.nodes[from].scope = Some(super::Scope::Optional);
        } else if loc.contains("node_modules/") {
            g.nodes[from].scope = Some(super::Scope::Prod);
        }
    }
    Ok(g.finish())
}

fn v1(doc: &Value) -> Vec<Package> {
    // Flatten the nested tree into install locations, then resolve as in v2.
    fn walk<'a>(
        deps: &'a serde_json::Map<String, Value>,
        base: &str,
        out: &mut BTreeMap<String, &'a Value>,
    ) {
        for (name, entry) in deps {
            let loc = if base.is_empty() {
                format!("node_modules/{name}")
            } else {
                format!("{base}/node_modules/{name}")
            };
            if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
                walk(nested, &loc, out);
            }
            out.insert(loc, entry);
        }
    }
    let mut flat = BTreeMap::new();
    if let Some(deps) = doc.get("dependencies").and_then(Value::as_object) {
        walk(deps, "", &mut flat);
    }
    let mut g = Graph { scoped: true, ..Graph::default() };
    let root_name = doc.get("name").and_then(Value::as_str).unwrap_or("(root)");
    let root = g.add(Ecosystem::Npm, root_name, "", Origin::Workspace);
    g.root(root);
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (loc, entry) in &flat {
        let version = entry.get("version").and_then(Value::as_str).unwrap_or("");
        let resolved = entry.get("resolved").and_then(Value::as_str);
        let i = g.add(Ecosystem::Npm, name_at(loc), version, origin_of(version, resolved, false));
        let dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
        let optional = entry.get("optional").and_then(Value::as_bool) == Some(true);
        g.nodes[i].scope = Some(if dev {
            super::Scope::Dev
        } else if optional {
            super::Scope::Optional
        } else {
            super::Scope::Prod
        });
        index.insert(loc.as_str(), i);
    }
    let mut required = vec![false; g.nodes.len()];
    for (loc, entry) in &flat {
        let from = index[loc.as_str()];
        for name in dep_names(entry, "requires") {
            if let Some(t) = resolve(&index, loc, &name) {
                g.edge(from, t, Edge::Normal);
                required[t] = true;
            }
        }
    }
    // v1 does not name the root's dependencies: top-level packages nothing requires are direct.
    for (loc, &i) in &index {
        if !loc[13..].contains("node_modules/") && !required[i] {
            g.edge(root, i, Edge::Normal);
        }
    }
    g.finish()
}
