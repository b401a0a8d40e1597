//! `Cargo.lock`, versions 1 to 4. Packages without a `source` are the workspace's own crates
//! (the roots); `git+` sources are not matched against the registry's advisories.

use std::collections::HashMap;

use serde::Deserialize;

use super::{At, Edge, Graph, Origin, Package};
use crate::deps::Ecosystem;

#[derive(Deserialize)]
struct CargoLock {
    #[serde(default)]
    version: Option<toml::Spanned<i64>>,
    #[serde(default)]
    package: Vec<CargoPackage>,
}

#[derive(Deserialize)]
struct CargoPackage {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(super) fn parse(text: &str) -> Result<Vec<Package>, At> {
    let lock: CargoLock = toml::from_str(text).map_err(|e| At::toml(text, &e))?;
    if let Some(v) = &lock.version
        && !(1..=4).contains(v.get_ref())
    {
        return Err(At::new(
            crate::deps::line_col(text, v.span().start),
            format!("unsupported Cargo.lock version {} (known: 1-4)", v.get_ref()),
        ));
    }
    let mut g = Graph::default();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for p in &lock.package {
        let origin = match p.source.as_deref() {
            None => Origin::Workspace,
            Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => Origin::Registry,
            Some(s) if s.starts_with("git+") => Origin::Git,
            Some(s) if s.starts_with("path+") => Origin::Path,
            Some(_) => Origin::Other,
        };
        let i = g.add(Ecosystem::Cargo, &p.name, &p.version, origin);
        if origin == Origin::Workspace {
            g.root(i);
        }
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    for (i, p) in lock.package.iter().enumerate() {
        for dep in &p.dependencies {
            // `name`, `name version` or `name version (source)` (v1).
            let mut parts = dep.split_whitespace();
            let Some(name) = parts.next() else { continue };
            let version = parts.next();
            let Some(candidates) = by_name.get(name) else { continue };
            let target = candidates
                .iter()
                .copied()
                .find(|&c| version.is_none_or(|v| g.nodes[c].version == v))
                .or_else(|| candidates.first().copied());
            if let Some(t) = target {
                g.edge(i, t, Edge::Normal);
            }
        }
    }
    if lock.package.iter().all(|p| p.source.is_some()) {
        for r in g.unreferenced() {
            g.root(r);
        }
    }
    Ok(g.finish())
}
