//! Language detection and a small line-based reader of code structure.
//!
//! The language comes from the file extension, then from a `#!` line (`python3`, `node`, `sh`).
//! For Rust, Python, Go and JavaScript/TypeScript, [`definitions`] picks the names a file defines
//! (functions, types, classes, modules, constants) so `def:NAME` finds where a name is defined,
//! and [`imports`] picks what it imports (`use`/`mod`, `import`/`from`, `require`), turned into
//! module keys that `--related` matches against other files' [`module_keys`]. A line-based
//! reader is deliberately simple: it is fast, never fails, and is right for the usual layout of
//! code; a name it misses is still found by ordinary search.

/// The language of a file, by extension, then by shebang.
#[must_use]
pub fn detect(path: &str, head: &[u8]) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(stem, e)| if stem.is_empty() { "" } else { e });
    let by_ext = match ext.map(str::to_ascii_lowercase).as_deref() {
        Some("rs") => Some("rust"),
        Some("py" | "pyi" | "pyw") => Some("python"),
        Some("go") => Some("go"),
        Some("js" | "mjs" | "cjs" | "jsx") => Some("javascript"),
        Some("ts" | "mts" | "cts" | "tsx") => Some("typescript"),
        Some("c" | "h") => Some("c"),
        Some("cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx") => Some("cpp"),
        Some("java") => Some("java"),
        Some("kt" | "kts") => Some("kotlin"),
        Some("rb") => Some("ruby"),
        Some("sh" | "bash" | "zsh") => Some("shell"),
        Some("md" | "markdown") => Some("markdown"),
        Some("toml") => Some("toml"),
        Some("yaml" | "yml") => Some("yaml"),
        Some("json") => Some("json"),
        Some("html" | "htm") => Some("html"),
        Some("css" | "scss") => Some("css"),
        Some("sql") => Some("sql"),
        Some("txt") => Some("text"),
        _ => None,
    };
    if by_ext.is_some() {
        return by_ext;
    }
    if name == "Makefile" || name == "makefile" {
        return Some("make");
    }
    if name == "Dockerfile" {
        return Some("dockerfile");
    }
    shebang(head)
}

fn shebang(head: &[u8]) -> Option<&'static str> {
    let rest = head.strip_prefix(b"#!")?;
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next().unwrap_or_default();
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match prog {
        "python" => Some("python"),
        "node" | "deno" | "bun" => Some("javascript"),
        "sh" | "bash" | "zsh" | "dash" | "ksh" => Some("shell"),
        "ruby" => Some("ruby"),
        "perl" => Some("perl"),
        _ => None,
    }
}

fn ident(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// Strips any of the `prefixes` (each followed by whitespace) repeatedly.
fn strip_words<'a>(mut s: &'a str, prefixes: &[&str]) -> &'a str {
    loop {
        let before = s;
        for p in prefixes {
            if let Some(rest) = s.strip_prefix(p) {
                if rest.starts_with(char::is_whitespace) {
                    s = rest.trim_start();
                } else if let Some(r) = rest.strip_prefix('(') {
                    // `pub(crate) fn`
                    if let Some(close) = r.find(')') {
                        s = r[close + 1..].trim_start();
                    }
                }
            }
        }
        if s == before {
            return s;
        }
    }
}

/// Calls `f` with the 0-based number and the text (leading whitespace trimmed) of the lines of
/// `text` (as [`str::lines`] cuts them) whose first non-blank byte is in `firsts` or outside
/// ASCII; `firsts` of `None` takes every line. The other lines are skipped on one byte: most
/// lines of a file can neither define nor import anything.
fn scan_lines(text: &str, firsts: Option<&[u8]>, mut f: impl FnMut(usize, &str)) {
    let b = text.as_bytes();
    let (mut start, mut n) = (0, 0);
    while start < b.len() {
        let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |p| start + p);
        let mut s = start;
        while s < end && matches!(b[s], b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c') {
            s += 1;
        }
        let keep = s < end && firsts.is_none_or(|set| !b[s].is_ascii() || set.contains(&b[s]));
        if keep {
            let line = &text[start..end];
            let line = if end < b.len() { line.strip_suffix('\r').unwrap_or(line) } else { line };
            f(n, line.trim_start());
        }
        n += 1;
        start = end + 1;
    }
}

/// Reads the name a trimmed line defines, if any.
type DefReader = fn(&str) -> Option<&str>;

/// The 1-based line numbers and names of what a file defines.
#[must_use]
pub fn definitions(lang: &str, text: &str) -> Vec<(usize, String)> {
    structure(lang, "", text, false).0
}

/// The languages whose structure is read.
#[derive(Clone, Copy)]
enum Reader {
    Rust,
    Python,
    Go,
    Js,
}

/// [`definitions`] and, when `with_imports`, [`imports`] of a file at `path`, in one pass over
/// its lines.
#[must_use]
pub fn structure(
    lang: &str,
    path: &str,
    text: &str,
    with_imports: bool,
) -> (Vec<(usize, String)>, Vec<String>) {
    // The first bytes of the lines that can define, then of those that can import (`None`:
    // any line, `require(` can be anywhere in a line).
    let (reader, def, def_firsts, import_firsts): (Reader, DefReader, &[u8], Option<&[u8]>) =
        match lang {
            "rust" => (Reader::Rust, rust_def, RUST_DEF_FIRSTS, Some(b"mpu")),
            "python" => (Reader::Python, python_def, b"acd", Some(b"fi")),
            "go" => (Reader::Go, go_def, b"ctfv", Some(b"i\"")),
            "javascript" | "typescript" => (Reader::Js, js_def, JS_DEF_FIRSTS, None),
            _ => return (Vec::new(), Vec::new()),
        };
    let firsts: Option<Vec<u8>> = match (with_imports, import_firsts) {
        (false, _) => Some(def_firsts.to_vec()),
        (true, Some(more)) => Some([def_firsts, more].concat()),
        (true, None) => None,
    };
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let (mut defs, mut out) = (Vec::new(), Vec::new());
    scan_lines(text, firsts.as_deref(), |n, t| {
        if let Some(name) = def(t) {
            defs.push((n + 1, name.to_owned()));
        }
        if with_imports {
            match reader {
                Reader::Rust => rust_imports(t, path, &mut out),
                Reader::Python => python_imports(t, &mut out),
                Reader::Js => js_imports(t, dir, &mut out),
                Reader::Go => go_imports(t, &mut out),
            }
        }
    });
    out.sort();
    out.dedup();
    (defs, out)
}

/// The first letters of the Rust keywords a definition can start with (`pub`, `fn`, ...).
const RUST_DEF_FIRSTS: &[u8] = b"acdefimpstu";
/// The same for JavaScript and TypeScript.
const JS_DEF_FIRSTS: &[u8] = b"acdefilntv";

fn rust_def(t: &str) -> Option<&str> {
    // Every definition starts with one of these letters (`pub`, `fn`, `struct`, `impl`, ...):
    // most lines are rejected on their first byte.
    if !t.as_bytes().first().is_some_and(|b| RUST_DEF_FIRSTS.contains(b)) {
        return None;
    }
    let t = strip_words(t, &["pub", "async", "const", "unsafe", "extern", "default"]);
    let t = t.strip_prefix("\"C\"").map_or(t, str::trim_start);
    for kw in ["fn", "struct", "enum", "trait", "mod", "type", "union", "static", "macro_rules!"] {
        if let Some(rest) = t.strip_prefix(kw)
            && (rest.starts_with(char::is_whitespace) || kw.ends_with('!'))
        {
            return ident(rest.trim_start());
        }
    }
    if let Some(rest) = t.strip_prefix("impl") {
        // `impl<T> Trait for Type` -> Type; `impl Type` -> Type.
        let rest = rest.trim_start();
        let rest = if rest.starts_with('<') { skip_generics(rest) } else { rest };
        let target = rest.split(" for ").nth(1).unwrap_or(rest).trim_start();
        return ident(target.trim_start_matches(['&', '*']));
    }
    // `const NAME: T = ...` after `pub` was stripped above as a qualifier; catch it here.
    None
}

fn skip_generics(s: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return s[i + 1..].trim_start();
                }
            }
            _ => {}
        }
    }
    s
}

fn python_def(t: &str) -> Option<&str> {
    let t = t.strip_prefix("async ").map_or(t, str::trim_start);
    for kw in ["def ", "class "] {
        if let Some(rest) = t.strip_prefix(kw) {
            return ident(rest.trim_start());
        }
    }
    None
}

fn go_def(t: &str) -> Option<&str> {
    if let Some(rest) = t.strip_prefix("func ") {
        let rest = rest.trim_start();
        // Method: `func (r *T) Name(`.
        let rest = if rest.starts_with('(') { rest.split_once(')')?.1.trim_start() } else { rest };
        return ident(rest);
    }
    for kw in ["type ", "const ", "var "] {
        if let Some(rest) = t.strip_prefix(kw) {
            return ident(rest.trim_start());
        }
    }
    None
}

fn js_def(t: &str) -> Option<&str> {
    if !t.as_bytes().first().is_some_and(|b| JS_DEF_FIRSTS.contains(b)) {
        return None;
    }
    let t = strip_words(t, &["export", "default", "async", "declare", "abstract"]);
    if let Some(rest) = t.strip_prefix("function") {
        return ident(rest.trim_start_matches('*').trim_start());
    }
    for kw in ["class ", "interface ", "type ", "enum ", "namespace "] {
        if let Some(rest) = t.strip_prefix(kw) {
            return ident(rest.trim_start());
        }
    }
    for kw in ["const ", "let ", "var "] {
        if let Some(rest) = t.strip_prefix(kw) {
            let name = ident(rest.trim_start())?;
            let after = rest.trim_start()[name.len()..].trim_start();
            // Only `name = ...` and `name: T = ...` bindings, not destructuring.
            if after.starts_with('=') || after.starts_with(':') {
                return Some(name);
            }
        }
    }
    None
}

/// The module keys a file answers to: its path without extension (and, for `mod.rs`,
/// `__init__.py`, `index.js`/`index.ts`, its directory), with a leading `src/` also stripped, so
/// `src/store/mod.rs` answers to `src/store` and `store`.
#[must_use]
pub fn module_keys(path: &str) -> Vec<String> {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    let stem = ["/mod", "/__init__", "/index", "/lib", "/main"]
        .iter()
        .find_map(|tail| stem.strip_suffix(tail))
        .unwrap_or(stem);
    let mut keys = vec![stem.to_lowercase()];
    if let Some(idx) = stem.find("src/") {
        let inner = &stem[idx + 4..];
        if !inner.is_empty() {
            keys.push(inner.to_lowercase());
        }
    }
    keys.dedup();
    keys
}

/// The module keys a file imports (see [`module_keys`]); relative imports are resolved against
/// the file's directory.
#[must_use]
pub fn imports(lang: &str, path: &str, text: &str) -> Vec<String> {
    structure(lang, path, text, true).1
}

fn push_module_path(parts: &[&str], out: &mut Vec<String>) {
    // Every prefix of at least one component: `a::b::C` -> `a`, `a/b`, `a/b/c`.
    let mut acc = String::new();
    for p in parts {
        let p = p.trim();
        if p.is_empty() || p == "*" || p.starts_with('{') {
            break;
        }
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(&p.to_lowercase());
        out.push(acc.clone());
    }
}

/// The Rust module path of a file (`x/src/store/mod.rs` -> `x/src/store`) and its crate root
/// (`x/src`), as `/`-joined paths.
fn rust_module(path: &str) -> (String, String) {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    let module = ["/mod", "/lib", "/main"]
        .iter()
        .find_map(|t| stem.strip_suffix(t))
        .or_else(|| ["mod", "lib", "main"].contains(&stem).then_some(""))
        .unwrap_or(stem);
    let root = match path.rfind("src/") {
        Some(i) if i == 0 || path.as_bytes()[i - 1] == b'/' => &path[..i + 3],
        _ => "",
    };
    (module.to_owned(), root.to_owned())
}

fn join_key(base: &str, rest: &str) -> String {
    if base.is_empty() { rest.to_owned() } else { format!("{base}/{rest}") }
}

fn rust_imports(t: &str, path: &str, out: &mut Vec<String>) {
    // Only `use`, `mod` and `pub ...` lines can import: skip the rest before any work.
    if !(t.starts_with("use") || t.starts_with("mod") || t.starts_with("pub")) {
        return;
    }
    let t = strip_words(t, &["pub"]);
    if let Some(rest) = t.strip_prefix("use ") {
        let (module, root) = rust_module(path);
        let rest = rest.trim().trim_end_matches(';');
        let (base, rest) = if let Some(r) = rest.strip_prefix("crate::") {
            (root, r)
        } else if let Some(r) = rest.strip_prefix("self::") {
            (module, r)
        } else if let Some(r) = rest.strip_prefix("super::") {
            (module.rsplit_once('/').map_or("", |(p, _)| p).to_owned(), r)
        } else {
            (String::new(), rest)
        };
        let mut keys = Vec::new();
        push_module_path(&rest.split("::").collect::<Vec<_>>(), &mut keys);
        out.extend(keys.into_iter().map(|k| join_key(&base.to_lowercase(), &k)));
    } else if let Some(rest) = t.strip_prefix("mod ")
        && let Some(name) = ident(rest.trim_start())
        && rest.trim_end().ends_with(';')
    {
        let (module, _) = rust_module(path);
        out.push(join_key(&module, name).to_lowercase());
    }
}

fn python_imports(t: &str, out: &mut Vec<String>) {
    if let Some(rest) = t.strip_prefix("from ") {
        let module = rest.split_whitespace().next().unwrap_or_default().trim_start_matches('.');
        push_module_path(&module.split('.').collect::<Vec<_>>(), out);
    } else if let Some(rest) = t.strip_prefix("import ") {
        for m in rest.split(',') {
            let m = m.split_whitespace().next().unwrap_or_default();
            push_module_path(&m.split('.').collect::<Vec<_>>(), out);
        }
    }
}

fn quoted(t: &str) -> Option<&str> {
    let start = t.find(['"', '\'', '`'])?;
    let q = t[start..].chars().next()?;
    let rest = &t[start + 1..];
    let end = rest.find(q)?;
    Some(&rest[..end])
}

fn js_imports(t: &str, dir: &str, out: &mut Vec<String>) {
    let spec = if t.starts_with("import ") || t.starts_with("export ") && t.contains(" from ") {
        t.rsplit_once(" from ").map_or_else(|| quoted(t), |(_, r)| quoted(r))
    } else if let Some(i) = t.find("require(") {
        quoted(&t[i..])
    } else {
        None
    };
    let Some(spec) = spec else { return };
    if spec.starts_with('.') {
        let joined = crate::paths::normalize(
            std::path::Path::new("/"),
            &std::path::Path::new("/").join(dir).join(spec),
        );
        let joined = joined.to_string_lossy();
        let joined = joined.trim_start_matches('/');
        let stem =
            joined.rsplit_once('.').filter(|(_, e)| !e.contains('/')).map_or(joined, |(s, _)| s);
        let stem = stem.strip_suffix("/index").unwrap_or(stem);
        out.push(stem.to_lowercase());
    } else {
        push_module_path(&spec.split('/').collect::<Vec<_>>(), out);
    }
}

fn go_imports(t: &str, out: &mut Vec<String>) {
    if (t.starts_with("import ") || t.starts_with('"'))
        && let Some(spec) = quoted(t)
    {
        // Go imports are full package paths; the last two components match a local directory.
        let parts: Vec<&str> = spec.split('/').collect();
        let tail = parts.len().saturating_sub(2);
        push_module_path(&parts[tail..], out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_by_extension_then_shebang() {
        assert_eq!(detect("src/a.rs", b""), Some("rust"));
        assert_eq!(detect("bin/tool", b"#!/usr/bin/env python3\n"), Some("python"));
        assert_eq!(detect("run", b"#!/bin/sh\n"), Some("shell"));
        assert_eq!(detect("notes", b"hello"), None);
        assert_eq!(detect(".bashrc", b""), None);
    }

    #[test]
    fn definitions_of_the_common_languages() {
        let rust = "pub(crate) fn parse_config() {}\nstruct Store;\nimpl<T> Display for Wrapper<T> {}\npub mod scope;\n";
        let names: Vec<String> = definitions("rust", rust).into_iter().map(|d| d.1).collect();
        assert_eq!(names, ["parse_config", "Store", "Wrapper", "scope"]);
        let py = "class Parser:\n    async def run(self):\n";
        assert_eq!(definitions("python", py), [(1, "Parser".into()), (2, "run".into())]);
        let go = "func (s *Server) Serve() {}\ntype Config struct{}\n";
        let names: Vec<String> = definitions("go", go).into_iter().map(|d| d.1).collect();
        assert_eq!(names, ["Serve", "Config"]);
        let js = "export default function main() {}\nconst handler = () => 1;\nconst { a } = b;\n";
        let names: Vec<String> = definitions("javascript", js).into_iter().map(|d| d.1).collect();
        assert_eq!(names, ["main", "handler"]);
    }

    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        let text = "// x\r\n  pub fn a() {}\r\n\n\u{a0}struct B;\n\tmod c;\r";
        assert_eq!(definitions("rust", text), [(2, "a".into()), (4, "B".into()), (5, "c".into())]);
        assert_eq!(
            imports("rust", "src/lib.rs", "\r\n  mod c;\r\nuse x::y;"),
            ["src/c", "x", "x/y"]
        );
        assert!(definitions("rust", "").is_empty() && definitions("text", "fn a() {}").is_empty());
    }

    #[test]
    fn imports_become_module_keys() {
        let keys = imports("rust", "x/src/cmd/search.rs", "use crate::store::blob::Codec;\n");
        assert!(keys.contains(&"x/src/store/blob".to_owned()), "{keys:?}");
        assert!(module_keys("x/src/store/blob.rs").contains(&"x/src/store/blob".to_owned()));
        let keys = imports("rust", "src/store/mod.rs", "mod blob;\nuse super::paths::RelPath;\n");
        assert!(keys.contains(&"src/store/blob".to_owned()), "{keys:?}");
        assert!(keys.contains(&"src/paths".to_owned()), "{keys:?}");
        let keys = imports("rust", "src/store/read.rs", "use super::blob;\n");
        assert!(keys.contains(&"src/store/blob".to_owned()), "{keys:?}");
        assert_eq!(imports("rust", "src/lib.rs", "pub mod scope;\n"), ["src/scope"]);
        let keys = imports("javascript", "web/app.js", "import { x } from './lib/util.js';\n");
        assert_eq!(keys, ["web/lib/util"]);
        assert!(module_keys("web/lib/util.js").contains(&"web/lib/util".to_owned()));
        let keys = imports("python", "pkg/a.py", "from pkg.models import User\n");
        assert!(keys.contains(&"pkg/models".to_owned()));
    }
}
