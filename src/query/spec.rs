//! The query-file format and its loader.
//!
//! ```yaml
//! queries:
//!   recent-diffs:
//!     description: The latest changes with their diff
//!     params:
//!       limit: { type: int, default: 50, min: 0, help: how many changes }
//!       path:  { type: glob, help: only paths matching this glob }
//!     sql: |
//!       SELECT ... LIMIT :limit
//! ```
//!
//! Names are unique within a file (a second definition is an error at its line and column);
//! a later file overrides an earlier one's query of the same name. Unknown fields are errors,
//! every default is checked against its type when the file is loaded, and a parameter with
//! neither a default nor `required: true` is bound as NULL when not given.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::QueryError;
use super::params::ParamType;

/// Where a query was defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// A query file.
    File(PathBuf),
    /// `--sql` on the command line.
    CommandLine,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin => f.write_str("built-in queries"),
            Self::File(p) => write!(f, "`{}`", crate::paths::display_path(p)),
            Self::CommandLine => f.write_str("command line"),
        }
    }
}

/// One parameter of a query.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDef {
    /// Its name (`:name` in the SQL).
    pub name: String,
    /// Its type.
    pub ty: ParamType,
    /// The default, as text (parsed like a value given on the command line).
    pub default: Option<String>,
    /// True when the user must give it.
    pub required: bool,
    /// One-line help.
    pub help: String,
    /// Allowed values (strings only).
    pub choices: Vec<String>,
    /// Smallest allowed value (int and float).
    pub min: Option<f64>,
    /// Largest allowed value (int and float).
    pub max: Option<f64>,
}

/// One named query.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryDef {
    /// Its name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Its parameters, in the order they were declared.
    pub params: Vec<ParamDef>,
    /// The SQL.
    pub sql: String,
    /// Where it was defined.
    pub origin: Origin,
}

impl QueryDef {
    /// The parameter called `name`.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&ParamDef> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Every query known to a run, in definition order (built-ins first).
#[derive(Clone, Debug, Default)]
pub struct QuerySet {
    queries: Vec<QueryDef>,
    index: HashMap<String, usize>,
}

impl QuerySet {
    /// The built-in queries.
    ///
    /// # Errors
    /// Only if the embedded YAML is broken (a test guards against that).
    pub fn builtin() -> Result<Self, QueryError> {
        let mut set = Self::default();
        set.add_yaml(super::BUILTIN_YAML, &Origin::Builtin)?;
        Ok(set)
    }

    /// Adds (or overrides) the queries of a YAML text.
    ///
    /// # Errors
    /// [`QueryError::Yaml`] with line and column, [`QueryError::Invalid`] for a bad definition.
    pub fn add_yaml(&mut self, text: &str, origin: &Origin) -> Result<(), QueryError> {
        for q in parse(text, origin)? {
            if let Some(&i) = self.index.get(&q.name) {
                self.queries[i] = q;
            } else {
                self.index.insert(q.name.clone(), self.queries.len());
                self.queries.push(q);
            }
        }
        Ok(())
    }

    /// Adds (or overrides) the queries of a file.
    ///
    /// # Errors
    /// [`QueryError::Io`] and as [`QuerySet::add_yaml`].
    pub fn add_file(&mut self, path: &Path) -> Result<(), QueryError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| QueryError::Io { path: path.to_path_buf(), source })?;
        self.add_yaml(&text, &Origin::File(path.to_path_buf()))
    }

    /// The query called `name`.
    ///
    /// # Errors
    /// [`QueryError::UnknownQuery`] with the closest names.
    pub fn get(&self, name: &str) -> Result<&QueryDef, QueryError> {
        self.index.get(name).map(|&i| &self.queries[i]).ok_or_else(|| QueryError::UnknownQuery {
            name: name.to_owned(),
            suggestions: super::closest(name, self.queries.iter().map(|q| q.name.as_str()), 3),
        })
    }

    /// Every query, in definition order.
    pub fn iter(&self) -> impl Iterator<Item = &QueryDef> {
        self.queries.iter()
    }

    /// How many queries there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    queries: UniqueMap<QueryDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryDoc {
    #[serde(default)]
    description: String,
    #[serde(default)]
    params: UniqueMap<ParamDoc>,
    sql: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamDoc {
    #[serde(rename = "type")]
    ty: ParamType,
    #[serde(default)]
    default: Option<Scalar>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    help: String,
    #[serde(default)]
    choices: Vec<String>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

/// A YAML scalar default, kept as the text a user would type.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    fn into_text(self) -> String {
        match self {
            Self::Bool(b) => b.to_string(),
            Self::Int(i) => i.to_string(),
            Self::Float(f) => f.to_string(),
            Self::Text(s) => s,
        }
    }
}

/// A mapping that keeps its order and refuses a key given twice (serde's maps would silently
/// keep the last one, hiding a mistake in a query file).
struct UniqueMap<V>(Vec<(String, V)>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(UniqueMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("`{key}`{DEFINED_TWICE}")));
                    }
                    let value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_any(V2(PhantomData))
    }
}

const DEFINED_TWICE: &str = " is defined twice";

/// Line and column (1-based) of the second `key:` at the same indentation as the first.
fn second_definition(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut first_indent = None;
    for (n, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let rest = body
            .strip_prefix(key)
            .or_else(|| body.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| body.strip_prefix(&format!("'{key}'")));
        if rest.is_some_and(|r| r.trim_start().starts_with(':')) {
            match first_indent {
                None => first_indent = Some(indent),
                Some(i) if i == indent => return Some((n + 1, indent + 1)),
                Some(_) => {}
            }
        }
    }
    None
}

fn valid_name(name: &str, allow_dash: bool) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (allow_dash && c == '-')
        })
}

/// Parses and checks a query file.
fn parse(text: &str, origin: &Origin) -> Result<Vec<QueryDef>, QueryError> {
    let doc: FileDoc = if text.trim().is_empty() {
        FileDoc { queries: UniqueMap::default() }
    } else {
        serde_norway::from_str(text).map_err(|e| {
            let loc = e.location();
            let mut err = QueryError::Yaml {
                origin: origin.clone(),
                message: e.to_string(),
                line: loc.as_ref().map(serde_norway::Location::line),
                column: loc.as_ref().map(serde_norway::Location::column),
            };
            // serde_norway places a visitor's error at the start of the mapping; point at the
            // second definition instead.
            if let Some(key) =
                e.to_string().split('`').nth(1).filter(|_| e.to_string().contains(DEFINED_TWICE))
                && let Some((line, column)) = second_definition(text, key)
                && let QueryError::Yaml { message, line: l, column: c, .. } = &mut err
            {
                *message = format!("`{key}`{DEFINED_TWICE} at line {line} column {column}");
                (*l, *c) = (Some(line), Some(column));
            }
            err
        })?
    };
    let mut out = Vec::with_capacity(doc.queries.0.len());
    for (name, q) in doc.queries.0 {
        let invalid = |message: String| QueryError::Invalid {
            origin: origin.clone(),
            query: name.clone(),
            message,
        };
        if !valid_name(&name, true) {
            return Err(invalid(
                "a query name is lowercase letters, digits, `-` and `_`, starting with a letter"
                    .into(),
            ));
        }
        if q.sql.trim().is_empty() {
            return Err(invalid("`sql` is empty".into()));
        }
        let mut params = Vec::with_capacity(q.params.0.len());
        for (pname, p) in q.params.0 {
            if !valid_name(&pname, false) {
                return Err(invalid(format!(
                    "parameter `{pname}`: a parameter name is lowercase letters, digits and `_`"
                )));
            }
            let def = ParamDef {
                name: pname.clone(),
                ty: p.ty,
                default: p.default.map(Scalar::into_text),
                required: p.required,
                help: p.help,
                choices: p.choices,
                min: p.min,
                max: p.max,
            };
            if def.required && def.default.is_some() {
                return Err(invalid(format!(
                    "parameter `{pname}` is required and has a default; drop one"
                )));
            }
            if !def.choices.is_empty() && def.ty != ParamType::String {
                return Err(invalid(format!("parameter `{pname}`: `choices` needs type string")));
            }
            if let Some(d) = &def.default {
                let ctx = super::params::ParseContext::for_check();
                def.parse(&name, d, &ctx)
                    .map_err(|e| invalid(format!("default of parameter `{pname}`: {e}")))?;
            }
            params.push(def);
        }
        out.push(QueryDef {
            name,
            description: q.description,
            params,
            sql: q.sql,
            origin: origin.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<QuerySet, QueryError> {
        let mut set = QuerySet::default();
        set.add_yaml(text, &Origin::File("q.yaml".into()))?;
        Ok(set)
    }

    #[test]
    fn builtin_queries_load() {
        let set = QuerySet::builtin().unwrap();
        for name in ["recent-diffs", "diffs-since", "file-versions", "time-analysis", "topic-files"]
        {
            assert!(set.get(name).is_ok(), "{name} missing");
        }
    }

    #[test]
    fn a_name_defined_twice_is_an_error_with_its_line() {
        let err = load("queries:\n  a:\n    sql: SELECT 1\n  a:\n    sql: SELECT 2\n").unwrap_err();
        let QueryError::Yaml { message, line, .. } = err else { panic!("{err}") };
        assert!(message.contains("`a` is defined twice"), "{message}");
        assert_eq!(line, Some(4));
    }

    #[test]
    fn malformed_yaml_has_line_and_column() {
        let err = load("queries:\n  a:\n    sql: [unclosed\n").unwrap_err();
        let QueryError::Yaml { line, column, .. } = err else { panic!("{err}") };
        assert!(line.is_some() && column.is_some());
    }

    #[test]
    fn unknown_fields_and_bad_defaults_are_refused() {
        assert!(matches!(
            load("queries:\n  a:\n    sql: SELECT 1\n    sqll: x\n"),
            Err(QueryError::Yaml { .. })
        ));
        let err = load("queries:\n  a:\n    params:\n      n: {type: int, default: many}\n    sql: SELECT :n\n")
            .unwrap_err();
        assert!(err.to_string().contains("default of parameter `n`"), "{err}");
    }

    #[test]
    fn later_files_override_by_name() {
        let mut set = QuerySet::builtin().unwrap();
        let n = set.len();
        set.add_yaml("queries:\n  recent-diffs:\n    sql: SELECT 1\n", &Origin::CommandLine)
            .unwrap();
        assert_eq!(set.len(), n);
        assert_eq!(set.get("recent-diffs").unwrap().sql, "SELECT 1");
    }
}
