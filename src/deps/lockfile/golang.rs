//! `go.mod` (the module's requirements; `// indirect` marks transitive ones; `replace` to a
//! local path is not matched) and `go.sum` (used only where there is no `go.mod`).

use super::{At, Graph, Origin, Package};
use crate::deps::Ecosystem;

const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "require",
    "replace",
    "exclude",
    "retract",
    "godebug",
    "tool",
    "ignore",
];

struct Req {
    path: String,
    version: String,
    indirect: bool,
}

pub(super) fn go_mod(text: &str) -> Result<Vec<Package>, At> {
    let mut module = String::from("(module)");
    let mut reqs: Vec<Req> = Vec::new();
    let mut replaces: Vec<(String, Option<String>, String, Option<String>)> = Vec::new();
    let mut block: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let (code, comment) = match raw.find("//") {
            Some(p) => (&raw[..p], &raw[p + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let col = raw.len() - raw.trim_start().len() + 1;
        let (directive, rest) = if let Some(b) = &block {
            if code == ")" {
                block = None;
                continue;
            }
            (b.clone(), code.to_owned())
        } else {
            let mut it = code.splitn(2, char::is_whitespace);
            let d = it.next().unwrap_or_default().to_owned();
            let rest = it.next().unwrap_or_default().trim().to_owned();
            if !DIRECTIVES.contains(&d.as_str()) {
                return Err(At::new((line_no, col), format!("unknown directive `{d}`")));
            }
            if rest == "(" {
                block = Some(d);
                continue;
            }
            (d, rest)
        };
        let words: Vec<&str> = rest.split_whitespace().map(|w| w.trim_matches('"')).collect();
        match directive.as_str() {
            "module" => words.first().copied().unwrap_or_default().clone_into(&mut module),
            "require" => {
                if words.len() != 2 {
                    return Err(At::new((line_no, col), "expected `require PATH VERSION`"));
                }
                reqs.push(Req {
                    path: words[0].to_owned(),
                    version: words[1].to_owned(),
                    indirect: comment.trim().starts_with("indirect"),
                });
            }
            "replace" => {
                let Some(arrow) = words.iter().position(|w| *w == "=>") else {
                    return Err(At::new((line_no, col), "expected `replace OLD => NEW`"));
                };
                let (old, new) = words.split_at(arrow);
                let new = &new[1..];
                if old.is_empty() || new.is_empty() {
                    return Err(At::new((line_no, col), "expected `replace OLD => NEW`"));
                }
                replaces.push((
                    old[0].to_owned(),
                    old.get(1).map(|s| (*s).to_owned()),
                    new[0].to_owned(),
                    new.get(1).map(|s| (*s).to_owned()),
                ));
            }
            _ => {}
        }
    }
    if let Some(b) = block {
        return Err(At::new(
            (text.lines().count().max(1), 1),
            format!("unterminated `{b} (` block"),
        ));
    }
    let mut g = Graph::default();
    let root = g.add(Ecosystem::Go, &module, "", Origin::Workspace);
    g.root(root);
    for r in reqs {
        let mut name = r.path.clone();
        let mut version = r.version.clone();
        let mut origin = Origin::Registry;
        if let Some((_, _, new, new_v)) = replaces.iter().find(|(old, old_v, _, _)| {
            *old == r.path && old_v.as_ref().is_none_or(|v| *v == r.version)
        }) {
            if new.starts_with('.') || new.starts_with('/') {
                origin = Origin::Path;
            } else if let Some(v) = new_v {
                name.clone_from(new);
                version.clone_from(v);
            }
        }
        let i = g.add(Ecosystem::Go, &name, &version, origin);
        if r.indirect {
            // go.mod does not say through which module; the path is the module and the package.
            g.nodes[i].path = vec![module.clone(), name.clone()];
        } else {
            g.edge(root, i, super::Edge::Normal);
        }
    }
    let mut packages = g.finish();
    for p in &mut packages {
        if p.path.len() == 1 && p.origin != Origin::Workspace {
            p.path = vec![module.clone(), p.name.clone()];
        }
    }
    Ok(packages)
}

pub(super) fn go_sum(text: &str) -> Result<Vec<Package>, At> {
    let mut g = Graph::default();
    let mut seen = std::collections::HashSet::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() != 3 || !words[2].contains(':') {
            return Err(At::new((n + 1, 1), "expected `MODULE VERSION HASH`"));
        }
        if words[1].ends_with("/go.mod") {
            continue;
        }
        if seen.insert((words[0], words[1])) {
            g.add(Ecosystem::Go, words[0], words[1], Origin::Registry);
        }
    }
    let mut packages = g.finish();
    for p in &mut packages {
        p.path = vec![p.name.clone()];
    }
    Ok(packages)
}
