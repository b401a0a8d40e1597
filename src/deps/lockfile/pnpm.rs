//! `pnpm-lock.yaml`, lockfile versions 5 to 9: importers (the workspace's projects, or the
//! top-level `dependencies` of a single project), `packages` keyed `/name/1.0.0` (v5),
//! `/name@1.0.0` (v6) or `name@1.0.0` (v9, with the graph under `snapshots`).

use std::collections::HashMap;

use serde_norway::Value;

use super::{At, Edge, Graph, Origin, Package};
use crate::deps::Ecosystem;

/// Splits a package key into (name, version), dropping peer suffixes.
fn split_key(key: &str, v5: bool) -> Option<(String, String)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    if v5 {
        let (name, version) = key.rsplit_once('/')?;
        let version = version.split('_').next().unwrap_or(version);
        Some((name.to_owned(), version.to_owned()))
    } else {
        let at = key[1..].find('@')? + 1;
        Some((key[..at].to_owned(), key[at + 1..].to_owned()))
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Mapping(_) => v.get("version").and_then(text),
        _ => None,
    }
}

pub(super) fn parse(source: &str) -> Result<Vec<Package>, At> {
    let doc: Value = serde_norway::from_str(source).map_err(|e| At::yaml(&e))?;
    let version = doc
        .get("lockfileVersion")
        .and_then(text)
        .ok_or_else(|| At::new((1, 1), "no `lockfileVersion`: not a pnpm lockfile"))?;
    let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if !(5..=9).contains(&major) {
        return Err(At::near(
            source,
            "lockfileVersion",
            format!("unsupported lockfileVersion {version} (known: 5-9)"),
        ));
    }
    let v5 = major == 5;
    let mut g = Graph { scoped: true, ..Graph::default() };
    let mut index: HashMap<String, usize> = HashMap::new();
    let empty = serde_norway::Mapping::new();
    let packages = doc.get("packages").and_then(Value::as_mapping).unwrap_or(&empty);
    let graph_map = doc.get("snapshots").and_then(Value::as_mapping).unwrap_or(packages);
    for (k, _) in graph_map {
        let Some(key) = k.as_str() else { continue };
        let Some((name, ver)) = split_key(key, v5) else {
            return Err(At::near(source, key, format!("package key `{key}` is not name@version")));
        };
        let origin = if ver.starts_with("link:") || ver.starts_with("file:") {
            Origin::Path
        } else if key.contains("github.com") || ver.contains("git") || ver.contains("://") {
            Origin::Git
        } else {
            Origin::Registry
        };
        let i = g.add(Ecosystem::Npm, &name, &ver, origin);
        index.insert(key.trim_start_matches('/').to_owned(), i);
    }
    let key_for = |name: &str, ver: &str| -> String {
        if v5 { format!("{name}/{ver}") } else { format!("{name}@{ver}") }
    };
    for (k, v) in graph_map {
        let Some(key) = k.as_str() else { continue };
        let from = index[key.trim_start_matches('/')];
        if v.get("dev").and_then(Value::as_bool) == Some(true) {
            g.nodes[from].scope = Some(super::Scope::Dev);
        }
        for (field, kind) in
            [("dependencies", Edge::Normal), ("optionalDependencies", Edge::Optional)]
        {
            if let Some(m) = v.get(field).and_then(Value::as_mapping) {
                for (dn, dv) in m {
                    let (Some(dn), Some(dv)) = (dn.as_str(), text(dv)) else { continue };
                    let target = index
                        .get(&key_for(dn, &dv))
                        .or_else(|| index.get(dv.trim_start_matches('/')));
                    if let Some(&t) = target {
                        g.edge(from, t, kind);
                    }
                }
            }
        }
    }
    let mut importers: Vec<(String, &Value)> = Vec::new();
    if let Some(m) = doc.get("importers").and_then(Value::as_mapping) {
        for (k, v) in m {
            importers.push((k.as_str().unwrap_or(".").to_owned(), v));
        }
    } else {
        importers.push((".".to_owned(), &doc));
    }
    for (name, imp) in importers {
        let root = g.add(
            Ecosystem::Npm,
            if name == "." { "(root)" } else { &name },
            "",
            Origin::Workspace,
        );
        g.root(root);
        for (field, kind) in [
            ("dependencies", Edge::Normal),
            ("devDependencies", Edge::Dev),
            ("optionalDependencies", Edge::Optional),
        ] {
            if let Some(m) = imp.get(field).and_then(Value::as_mapping) {
                for (dn, dv) in m {
                    let (Some(dn), Some(dv)) = (dn.as_str(), text(dv)) else { continue };
                    if let Some(&t) = index.get(&key_for(dn, &dv)) {
                        g.edge(root, t, kind);
                    }
                }
            }
        }
    }
    Ok(g.finish())
}
