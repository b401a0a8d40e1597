//! Parser tests over small inline lockfiles of each format.

use std::path::Path;

use super::*;

fn parse_text(name: &str, text: &str) -> Result<Lockfile, LockError> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    let kind = LockKind::of(name).expect("kind");
    parse(&path, kind)
}

fn find<'a>(l: &'a Lockfile, name: &str) -> &'a Package {
    l.packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} in {:?}", l.packages))
}

#[test]
fn cargo_lock_v3_roots_paths_and_sources() {
    let text = r#"version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["hyper", "local"]

[[package]]
name = "hyper"
version = "0.14.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["h2"]

[[package]]
name = "h2"
version = "0.3.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "local"
version = "1.0.0"
source = "git+https://example.com/local#abc"
"#;
    let l = parse_text("Cargo.lock", text).expect("parses");
    let h2 = find(&l, "h2");
    assert_eq!(h2.path, vec!["app", "hyper", "h2"]);
    assert!(!h2.direct);
    assert!(find(&l, "hyper").direct);
    assert_eq!(find(&l, "local").origin, Origin::Git);
    assert_eq!(find(&l, "app").origin, Origin::Workspace);
}

#[test]
fn cargo_lock_v1_dependency_strings() {
    let text = "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"smallvec 0.6.0 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n[[package]]\nname = \"smallvec\"\nversion = \"0.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n\"checksum smallvec 0.6.0 (registry+https://github.com/rust-lang/crates.io-index)\" = \"abc\"\n";
    let l = parse_text("Cargo.lock", text).expect("parses");
    assert!(find(&l, "smallvec").direct);
}

#[test]
fn cargo_lock_unknown_version_and_syntax_errors_have_positions() {
    let e = parse_text("Cargo.lock", "# x\nversion = 7\n").expect_err("error");
    assert_eq!(e.position, Some((2, 11)));
    assert!(e.message.contains("unsupported Cargo.lock version 7"));
    let e = parse_text("Cargo.lock", "[[package]]\nname = \"a\"\nversion = \n").expect_err("error");
    assert_eq!(e.position.map(|p| p.0), Some(3));
}

#[test]
fn package_lock_v3_scopes_links_and_nesting() {
    let text = r#"{"name":"web","lockfileVersion":3,"packages":{
      "":{"name":"web","dependencies":{"express":"^4"},"devDependencies":{"jest":"^29"}},
      "node_modules/express":{"version":"4.17.1","resolved":"https://registry.npmjs.org/express/-/express-4.17.1.tgz","dependencies":{"qs":"6.7.0"}},
      "node_modules/express/node_modules/qs":{"version":"6.7.0"},
      "node_modules/qs":{"version":"6.11.0","dev":true},
      "node_modules/jest":{"version":"29.0.0","dev":true,"dependencies":{"qs":"^6.11"}},
      "node_modules/mylib":{"resolved":"packages/mylib","link":true},
      "packages/mylib":{"name":"mylib","version":"1.0.0"}
    }}"#;
    let l = parse_text("package-lock.json", text).expect("parses");
    let qs: Vec<&Package> = l.packages.iter().filter(|p| p.name == "qs").collect();
    assert_eq!(qs.len(), 2);
    let nested = qs.iter().find(|p| p.version == "6.7.0").expect("nested qs");
    assert_eq!(nested.path, vec!["web", "express", "qs"]);
    assert_eq!(nested.scope, Some(Scope::Prod));
    assert_eq!(find(&l, "jest").scope, Some(Scope::Dev));
    assert_eq!(find(&l, "mylib").origin, Origin::Workspace);
    let e = parse_text("package-lock.json", r#"{"lockfileVersion":9,"packages":{}}"#)
        .expect_err("error");
    assert!(e.message.contains("unsupported lockfileVersion 9"));
    let e = parse_text("package-lock.json", "{\n  \"lockfileVersion\": 3,\n  \"packages\": {,}\n}")
        .expect_err("error");
    assert_eq!(e.position, Some((3, 16)));
}

#[test]
fn package_lock_v1_nested_dependencies() {
    let text = r#"{"name":"old","lockfileVersion":1,"dependencies":{
      "lodash":{"version":"4.17.15","requires":{}},
      "minimist":{"version":"1.2.0","dev":true,"dependencies":{"x":{"version":"1.0.0"}}}
    }}"#;
    let l = parse_text("package-lock.json", text).expect("parses");
    assert!(find(&l, "lodash").direct);
    assert_eq!(find(&l, "minimist").scope, Some(Scope::Dev));
    assert_eq!(find(&l, "x").version, "1.0.0");
}

#[test]
fn yarn_v1_and_berry() {
    let v1 = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826b\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\n\"@babel/highlight@^7.12.13\":\n  version \"7.13.10\"\n";
    let l = parse_text("yarn.lock", v1).expect("parses");
    let h = find(&l, "@babel/highlight");
    assert_eq!(h.version, "7.13.10");
    assert_eq!(h.path, vec!["(root)", "@babel/code-frame", "@babel/highlight"]);
    assert_eq!(find(&l, "@babel/code-frame").origin, Origin::Registry);
    let bad = "a@^1:\n  version \"1.0.0\"\n      oops\n";
    let e = parse_text("yarn.lock", bad).expect_err("error");
    assert_eq!(e.position, Some((3, 7)));
    let berry = "__metadata:\n  version: 6\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  dependencies:\n    lodash: ^4.17.0\n  languageName: unknown\n  linkType: soft\n\n\"lodash@npm:^4.17.0\":\n  version: 4.17.20\n  resolution: \"lodash@npm:4.17.20\"\n  languageName: node\n  linkType: hard\n";
    let l = parse_text("yarn.lock", berry).expect("berry parses");
    let lo = find(&l, "lodash");
    assert!(lo.direct);
    assert_eq!(lo.path, vec!["app", "lodash"]);
}

#[test]
fn pnpm_v6_and_v9() {
    let v6 = "lockfileVersion: '6.0'\ndependencies:\n  express:\n    specifier: ^4.17.0\n    version: 4.17.1\ndevDependencies:\n  jest:\n    specifier: ^29\n    version: 29.0.0\npackages:\n  /express@4.17.1:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      qs: 6.7.0\n    dev: false\n  /qs@6.7.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n  /jest@29.0.0:\n    resolution: {integrity: sha512-z}\n    dev: true\n";
    let l = parse_text("pnpm-lock.yaml", v6).expect("parses");
    assert_eq!(find(&l, "qs").path, vec!["(root)", "express", "qs"]);
    assert_eq!(find(&l, "jest").scope, Some(Scope::Dev));
    let v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@scope/pkg':\n        specifier: ^1\n        version: 1.2.3(react@18.0.0)\npackages:\n  '@scope/pkg@1.2.3':\n    resolution: {integrity: sha512-x}\nsnapshots:\n  '@scope/pkg@1.2.3(react@18.0.0)':\n    dependencies: {}\n";
    let l = parse_text("pnpm-lock.yaml", v9).expect("parses");
    let p = find(&l, "@scope/pkg");
    assert_eq!(p.version, "1.2.3");
    assert!(p.direct);
    let e = parse_text("pnpm-lock.yaml", "lockfileVersion: '12.0'\n").expect_err("error");
    assert!(e.message.contains("unsupported"));
    let e =
        parse_text("pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages: [\n").expect_err("error");
    assert!(e.position.is_some());
}

#[test]
fn poetry_uv_and_pipfile() {
    let poetry = "[[package]]\nname = \"Django\"\nversion = \"3.2.0\"\ncategory = \"main\"\noptional = false\n\n[package.dependencies]\nsqlparse = \">=0.2.2\"\n\n[[package]]\nname = \"sqlparse\"\nversion = \"0.4.1\"\ncategory = \"main\"\noptional = false\n\n[[package]]\nname = \"pytest\"\nversion = \"6.0.0\"\ncategory = \"dev\"\noptional = false\n";
    let l = parse_text("poetry.lock", poetry).expect("parses");
    assert_eq!(find(&l, "sqlparse").path, vec!["(root)", "Django", "sqlparse"]);
    assert_eq!(find(&l, "pytest").scope, Some(Scope::Dev));
    let uv = "version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [{ name = \"jinja2\" }]\n\n[package.dev-dependencies]\ndev = [{ name = \"pytest\" }]\n\n[[package]]\nname = \"jinja2\"\nversion = \"2.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"pytest\"\nversion = \"7.0.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
    let l = parse_text("uv.lock", uv).expect("parses");
    assert!(find(&l, "jinja2").direct);
    assert_eq!(find(&l, "pytest").scope, Some(Scope::Dev));
    let e = parse_text("uv.lock", "version = 3\n").expect_err("error");
    assert!(e.message.contains("unsupported uv.lock version 3"));
    let pip = r#"{"_meta":{"hash":{"sha256":"x"}},"default":{"requests":{"version":"==2.19.0"}},"develop":{"black":{"version":"==22.1.0"}}}"#;
    let l = parse_text("Pipfile.lock", pip).expect("parses");
    assert_eq!(find(&l, "black").scope, Some(Scope::Dev));
    assert_eq!(find(&l, "requests").version, "2.19.0");
}

#[test]
fn requirements_pins_via_comments_and_errors() {
    let text = "# pinned\nDjango[argon2]==3.2.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:abc\n    # via -r requirements.in\nsqlparse==0.4.1\n    # via django\nflask>=2.0\n-e .\nhttps://example.com/x.whl\n";
    let l = parse_text("requirements.txt", text).expect("parses");
    assert!(find(&l, "Django").direct);
    assert_eq!(find(&l, "sqlparse").path, vec!["(requirements)", "Django", "sqlparse"]);
    assert!(find(&l, "flask").problem.as_deref().is_some_and(|p| p.contains("not pinned")));
    let e = parse_text("requirements.txt", "ok==1.0\n  bad==\n").expect_err("error");
    assert_eq!(e.position, Some((2, 6)));
    let e = parse_text("requirements-dev.txt", "[oops]\n").expect_err("error");
    assert_eq!(e.position, Some((1, 1)));
}

#[test]
fn go_mod_and_go_sum() {
    let text = "module example.com/app\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/net v0.7.0\n\tgopkg.in/yaml.v3 v3.0.0-20210107192922-496545a6307b // indirect\n\tgithub.com/a/b v2.0.0+incompatible\n\texample.com/local v1.0.0\n)\n\nreplace example.com/local => ../local\n";
    let l = parse_text("go.mod", text).expect("parses");
    let net = find(&l, "golang.org/x/net");
    assert!(net.direct);
    assert_eq!(net.path, vec!["example.com/app", "golang.org/x/net"]);
    assert!(!find(&l, "gopkg.in/yaml.v3").direct);
    assert_eq!(find(&l, "example.com/local").origin, Origin::Path);
    let e = parse_text("go.mod", "module a\nrequire x\n").expect_err("error");
    assert_eq!(e.position, Some((2, 1)));
    let e = parse_text("go.mod", "module a\nfrobnicate x\n").expect_err("error");
    assert!(e.message.contains("unknown directive"));
    let sum = "golang.org/x/text v0.3.0 h1:abc=\ngolang.org/x/text v0.3.0/go.mod h1:def=\n";
    let l = parse_text("go.sum", sum).expect("parses");
    assert_eq!(l.packages.len(), 1);
    assert!(parse_text("go.sum", "golang.org/x/text v0.3.0\n").is_err());
}

#[test]
fn discovery_skips_node_modules_and_go_sum_beside_go_mod() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for f in [
        "a/Cargo.lock",
        "b/go.mod",
        "b/go.sum",
        "c/go.sum",
        "node_modules/x/package-lock.json",
        "d/requirements-dev.txt",
        "d/notes.txt",
    ] {
        let p = root.join(f);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&p, "").expect("write");
    }
    let found = discover(&[root.to_owned()]).expect("discover");
    let names: Vec<String> = found
        .iter()
        .map(|(p, _)| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    assert_eq!(names, vec!["a/Cargo.lock", "b/go.mod", "c/go.sum", "d/requirements-dev.txt"]);
}

#[test]
fn pnpm_v5_keys_with_peer_suffixes() {
    let v5 = "lockfileVersion: 5.4\nspecifiers:\n  '@scope/pkg': ^1.0.0\ndependencies:\n  '@scope/pkg': 1.2.3_react@17.0.2\npackages:\n  /@scope/pkg/1.2.3_react@17.0.2:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      lodash: 4.17.20\n    dev: false\n  /lodash/4.17.20:\n    resolution: {integrity: sha512-y}\n    dev: false\n";
    let l = parse_text("pnpm-lock.yaml", v5).expect("parses");
    let p = find(&l, "@scope/pkg");
    assert_eq!(p.version, "1.2.3");
    assert!(p.direct);
    assert_eq!(find(&l, "lodash").path, vec!["(root)", "@scope/pkg", "lodash"]);
}

#[test]
fn a_node_with_many_edges_keeps_each_edge_once_with_its_first_kind() {
    let mut g = Graph { scoped: true, ..Graph::default() };
    let root = g.add(Ecosystem::Npm, "app", "1.0.0", Origin::Workspace);
    g.root(root);
    let deps: Vec<usize> = (0..40)
        .map(|i| g.add(Ecosystem::Npm, &format!("d{i}"), "1.0.0", Origin::Registry))
        .collect();
    // Past the linear-check limit, every edge is given twice: dev first, then normal.
    for &d in &deps {
        g.edge(root, d, Edge::Dev);
    }
    for &d in &deps {
        g.edge(root, d, Edge::Normal);
        g.edge(root, root, Edge::Normal);
    }
    assert_eq!(g.edges[root].len(), 40);
    let packages = g.finish();
    for p in packages.iter().filter(|p| p.name != "app") {
        assert!(p.direct, "{p:?}");
        assert_eq!(p.scope, Some(Scope::Dev), "the first kind given wins: {p:?}");
        assert_eq!(p.path, ["app", p.name.as_str()]);
    }
}

#[test]
fn a_big_cargo_lock_gives_each_dependency_once() {
    let mut text = String::from(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for i in 0..50 {
        text.push_str(&format!(" \"c{i}\",\n \"c{i}\",\n"));
    }
    text.push_str("]\n");
    for i in 0..50 {
        text.push_str(&format!(
            "\n[[package]]\nname = \"c{i}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    let l = parse_text("Cargo.lock", &text).expect("parses");
    assert_eq!(l.packages.len(), 51);
    let c7 = find(&l, "c7");
    assert!(c7.direct);
    assert_eq!(
        (c7.version.as_str(), c7.path.clone()),
        ("1.0.7", vec!["app".to_owned(), "c7".to_owned()])
    );
    // `key=value` without the spaces cargo writes is left to the TOML parser: same packages.
    let tight = text.replacen("name = \"app\"", "name=\"app\"", 1);
    let l2 = parse_text("Cargo.lock", &tight).expect("parses");
    assert_eq!(l2.packages.len(), 51);
    assert!(find(&l2, "c7").direct);
}
