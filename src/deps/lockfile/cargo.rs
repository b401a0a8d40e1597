//! `Cargo.lock`, versions 1 to 4. Packages without a `source` are the workspace's own crates
//! (the roots); `git+` sources are not matched against the registry's advisories.
//!
//! The file is read by a line scanner that accepts exactly the layout cargo writes (`[[package]]`
//! tables of plain strings, one dependency per line, v1's `[metadata]` checksums); anything else
//! (escapes, inline tables, other keys, a syntax error) goes to the TOML parser, which also gives
//! the line and column of an error. The scanner is a speed path for big lockfiles, never a
//! second opinion: both give the same packages.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use super::{At, Edge, Graph, Origin, Package};
use crate::deps::Ecosystem;

/// The `source` of a crates.io package (git index, sparse index).
const CRATES_IO: [&str; 2] =
    ["registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"];

#[derive(Deserialize)]
struct CargoLock<'a> {
    #[serde(default)]
    version: Option<toml::Spanned<i64>>,
    #[serde(default, borrow)]
    package: Vec<CargoPackage<'a>>,
}

/// One `[[package]]`; the scanner borrows its strings from the file's text.
#[derive(Deserialize, Debug, PartialEq)]
struct CargoPackage<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(default, borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    dependencies: Vec<Cow<'a, str>>,
}

/// The packages of a lockfile in cargo's own layout, or `None` for anything else.
fn scan<'a>(text: &'a str) -> Option<Vec<CargoPackage<'a>>> {
    /// A `"plain string"`: no escapes, nothing after it.
    fn plain(value: &str) -> Option<Cow<'_, str>> {
        let inner = value.strip_prefix('"')?.strip_suffix('"')?;
        // Bytes, not chars: neither is ever part of a multi-byte character.
        (!inner.bytes().any(|b| b == b'"' || b == b'\\')).then_some(Cow::Borrowed(inner))
    }
    let mut packages: Vec<CargoPackage> = Vec::new();
    let mut current: Option<CargoPackage> = None;
    let (mut in_metadata, mut in_deps, mut has_version) = (false, false, false);
    let finish = |p: Option<CargoPackage<'a>>, out: &mut Vec<CargoPackage<'a>>| -> Option<()> {
        if let Some(p) = p {
            if p.name.is_empty() || p.version.is_empty() {
                return None;
            }
            out.push(p);
        }
        Some(())
    };
    let mut rest = text;
    while !rest.is_empty() {
        // Lines split by a plain byte loop: they are short, and a searcher per line showed in
        // profiles. `trim_end` drops the `\r` of a CRLF file as `lines()` would.
        let end = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        let line = rest[..end].trim_end();
        rest = rest.get(end + 1..).unwrap_or("");
        if in_deps {
            if line == "]" {
                in_deps = false;
            } else {
                let dep = plain(line.trim_start().strip_suffix(',')?)?;
                current.as_mut()?.dependencies.push(dep);
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[[package]]" {
            finish(current.take(), &mut packages)?;
            current = Some(CargoPackage {
                name: Cow::Borrowed(""),
                version: Cow::Borrowed(""),
                source: None,
                dependencies: Vec::new(),
            });
            continue;
        }
        if line == "[metadata]" {
            finish(current.take(), &mut packages)?;
            in_metadata = true;
            continue;
        }
        // `key = value`: the first `=` with one space each side.
        let (key, value) = split_key(line)?;
        if in_metadata {
            plain(key)?;
            plain(value)?;
            continue;
        }
        let Some(p) = current.as_mut() else {
            // Before the first table: only `version = N` (1 to 4; others get the parser's error).
            if key != "version" || has_version || !matches!(value, "1" | "2" | "3" | "4") {
                return None;
            }
            has_version = true;
            continue;
        };
        match key {
            "name" if p.name.is_empty() => p.name = plain(value)?,
            "version" if p.version.is_empty() => p.version = plain(value)?,
            "source" if p.source.is_none() => p.source = Some(plain(value)?),
            "checksum" => {
                plain(value)?;
            }
            "dependencies" if p.dependencies.is_empty() => {
                if value == "[" {
                    in_deps = true;
                } else {
                    let list = value.strip_prefix('[')?.strip_suffix(']')?;
                    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                        p.dependencies.push(plain(item)?);
                    }
                }
            }
            _ => return None,
        }
    }
    if in_deps {
        return None;
    }
    finish(current, &mut packages)?;
    Some(packages)
}

/// `key = value` split at the first `=`, which has one space each side; the keys cargo writes
/// in a package table are matched first (a search per line showed in profiles of big files).
fn split_key(line: &str) -> Option<(&str, &str)> {
    for key in ["name", "version", "source", "checksum", "dependencies"] {
        if let Some(value) = line.strip_prefix(key).and_then(|r| r.strip_prefix(" = ")) {
            return Some((key, value));
        }
    }
    let eq = line.find('=')?;
    Some((line[..eq].strip_suffix(' ')?, line[eq + 1..].strip_prefix(' ')?))
}

/// The packages, through the TOML parser (errors with their position).
fn parse_toml(text: &str) -> Result<Vec<CargoPackage<'_>>, At> {
    let lock: CargoLock = toml::from_str(text).map_err(|e| At::toml(text, &e))?;
    if let Some(v) = &lock.version
        && !(1..=4).contains(v.get_ref())
    {
        return Err(At::new(
            crate::deps::line_col(text, v.span().start),
            format!("unsupported Cargo.lock version {} (known: 1-4)", v.get_ref()),
        ));
    }
    Ok(lock.package)
}

pub(super) fn parse(text: &str) -> Result<Vec<Package>, At> {
    let packages = match scan(text) {
        Some(p) => p,
        None => parse_toml(text)?,
    };
    let mut g = Graph::default();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(packages.len());
    for p in &packages {
        let origin = match p.source.as_deref() {
            None => Origin::Workspace,
            Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => Origin::Registry,
            Some(s) if s.starts_with("git+") => Origin::Git,
            Some(s) if s.starts_with("path+") => Origin::Path,
            Some(_) => Origin::Other,
        };
        let i = g.add(Ecosystem::Cargo, &p.name, &p.version, origin);
        if origin == Origin::Registry
            && let Some(src) = p.source.as_deref().filter(|s| !CRATES_IO.contains(s))
        {
            g.nodes[i].registry = Some(src.to_owned());
        }
        if origin == Origin::Workspace {
            g.root(i);
        }
        by_name.entry(&p.name).or_default().push(i);
    }
    for (i, p) in packages.iter().enumerate() {
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
    if packages.iter().all(|p| p.source.is_some()) {
        for r in g.unreferenced() {
            g.root(r);
        }
    }
    Ok(g.finish())
}

#[cfg(test)]
mod tests {
    use super::{parse_toml, scan};

    /// The scanner and the TOML parser agree on cargo's layouts; anything else is left to
    /// the parser.
    #[test]
    fn the_scanner_reads_what_cargo_writes_and_nothing_else() {
        let v3 = "# This file is automatically @generated by Cargo.\nversion = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde 1.0.1\",\n \"log\",\n]\n\n[[package]]\nname = \"log\"\nversion = \"0.4.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ab\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.1\"\nsource = \"sparse+https://index.crates.io/\"\ndependencies = []\n";
        let v1 = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\ndependencies = [\n \"b 2.0.0 (registry+x)\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"2.0.0\"\nsource = \"registry+x\"\n\n[metadata]\n\"checksum a 1.0.0 (registry+x)\" = \"00\"\n";
        let crlf = v3.replace('\n', "\r\n");
        for text in [v3, v1, &crlf] {
            let fast = scan(text).expect("cargo's layout");
            assert_eq!(fast, parse_toml(text).unwrap());
        }
        assert_eq!(scan(v3).unwrap()[0].dependencies, ["serde 1.0.1", "log"]);
        for other in [
            "version = 5\n",
            "[[package]]\nname = \"a\\u0041\"\nversion = \"1\"\n",
            "[[package]]\nname = 'a'\nversion = \"1\"\n",
            "[[package]]\nname = \"a\"\n",
            "[[package]]\nname = \"a\"\nversion = \"1\"\nfeatures = []\n",
            "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\n \"b\",\n",
            "[patch.unused]\n",
        ] {
            assert!(scan(other).is_none(), "{other}");
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_parser_on_this_repository_s_lockfile() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock");
        let text = std::fs::read_to_string(path).unwrap();
        let fast = scan(&text).expect("cargo's layout");
        assert!(fast.len() > 100);
        assert_eq!(fast, parse_toml(&text).unwrap());
    }
}
