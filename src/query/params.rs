//! Typed query parameters: parsed from the text a user typed (or a default in a query file)
//! into the value that is bound to the SQL, before any SQL runs.
//!
//! | type        | accepts                                        | bound as                |
//! |-------------|------------------------------------------------|-------------------------|
//! | `int`       | `42`, `-1`                                     | integer                 |
//! | `float`     | `0.5`, `3`                                     | real                    |
//! | `string`    | anything (or one of `choices`)                 | text                    |
//! | `bool`      | `true/false`, `yes/no`, `on/off`, `1/0`        | integer 1/0             |
//! | `timestamp` | `2026-11-20`, `yesterday`, `2h` (ago), `@SECS` | integer, UTC ms         |
//! | `duration`  | `500ms`, `2h`, `7d`, `1h30m`                   | integer, ms             |
//! | `glob`      | a path glob (`src/**/*.rs`), checked           | text, for `obby_glob()` |
//! | `path`      | a path, relative to the current directory      | store path (text/bytes) |

use std::path::PathBuf;

use rusqlite::types::Value;
use serde::Deserialize;

use super::QueryError;
use super::spec::{ParamDef, QueryDef};
use crate::paths::{RelPath, normalize};

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// A 64-bit integer.
    Int,
    /// A floating-point number.
    Float,
    /// Text.
    String,
    /// A boolean.
    Bool,
    /// A point in time (bound as UTC milliseconds).
    Timestamp,
    /// A duration (bound as milliseconds).
    Duration,
    /// A path glob.
    Glob,
    /// A store path.
    Path,
}

impl ParamType {
    /// The name used in query files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Int => "int",
            Self::Float => "float",
            Self::String => "string",
            Self::Bool => "bool",
            Self::Timestamp => "timestamp",
            Self::Duration => "duration",
            Self::Glob => "glob",
            Self::Path => "path",
        }
    }

    /// What a value of this type looks like, for error messages.
    #[must_use]
    pub fn expected(self) -> &'static str {
        match self {
            Self::Int => "an integer (int)",
            Self::Float => "a number (float)",
            Self::String => "text (string)",
            Self::Bool => "true or false (bool)",
            Self::Timestamp => "a time such as 2026-11-20, yesterday or 2h (timestamp)",
            Self::Duration => "a duration such as 30s, 2h or 7d (duration)",
            Self::Glob => "a path glob such as src/**/*.rs (glob)",
            Self::Path => "a path (path)",
        }
    }
}

/// What parsing needs besides the text: the time "now" and where relative paths start.
#[derive(Clone, Debug)]
pub struct ParseContext {
    /// The reference time for relative times (`2h` = two hours before this).
    pub now: jiff::Timestamp,
    /// The current directory and the store root, for `path` parameters.
    pub dirs: Option<(PathBuf, PathBuf)>,
}

impl ParseContext {
    /// A context for a run: now, from `cwd` in the store rooted at `root`.
    #[must_use]
    pub fn new(cwd: PathBuf, root: PathBuf) -> Self {
        Self { now: jiff::Timestamp::now(), dirs: Some((cwd, root)) }
    }

    /// A context for checking defaults when a file is loaded (paths taken as store paths).
    #[must_use]
    pub fn for_check() -> Self {
        Self { now: jiff::Timestamp::now(), dirs: None }
    }
}

/// Parameter values ready to bind, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values(pub Vec<(String, Value)>);

impl Values {
    /// The value of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl ParamDef {
    /// Parses `text` as this parameter's value.
    ///
    /// # Errors
    /// [`QueryError::BadValue`] naming the parameter and its expected type.
    pub fn parse(&self, query: &str, text: &str, ctx: &ParseContext) -> Result<Value, QueryError> {
        let bad = |reason: String| QueryError::BadValue {
            query: query.to_owned(),
            param: self.name.clone(),
            ty: self.ty.expected().to_owned(),
            value: text.to_owned(),
            reason,
        };
        let t = text.trim();
        let value = match self.ty {
            ParamType::Int => {
                let n: i64 = t.parse().map_err(|_| bad("not an integer".into()))?;
                self.check_range(n as f64).map_err(bad)?;
                Value::Integer(n)
            }
            ParamType::Float => {
                let x: f64 = t.parse().map_err(|_| bad("not a number".into()))?;
                if !x.is_finite() {
                    return Err(bad("not a finite number".into()));
                }
                self.check_range(x).map_err(bad)?;
                Value::Real(x)
            }
            ParamType::String => {
                if !self.choices.is_empty() && !self.choices.iter().any(|c| c == text) {
                    return Err(bad(format!("use one of: {}", self.choices.join(", "))));
                }
                Value::Text(text.to_owned())
            }
            ParamType::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Value::Integer(1),
                "false" | "no" | "off" | "0" => Value::Integer(0),
                _ => return Err(bad("use true or false".into())),
            },
            ParamType::Timestamp => {
                let ts =
                    crate::timeparse::parse_time(t, ctx.now).map_err(|e| bad(e.to_string()))?;
                Value::Integer(ts.as_millisecond())
            }
            ParamType::Duration => {
                let d = crate::timeparse::parse_duration(t).map_err(|e| bad(e.to_string()))?;
                Value::Integer(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            }
            ParamType::Glob => {
                globset::GlobBuilder::new(t)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| bad(e.kind().to_string()))?;
                Value::Text(t.to_owned())
            }
            ParamType::Path => {
                if t.is_empty() {
                    return Err(bad("the path is empty".into()));
                }
                let path = std::path::Path::new(text);
                let rel = match &ctx.dirs {
                    // From inside the project a relative path starts at the current directory,
                    // as with git; from outside it (`--store`) it is a store path.
                    Some((cwd, root)) if path.is_absolute() || cwd.starts_with(root) => {
                        RelPath::from_path(root, &normalize(cwd, path))
                            .map_err(|e| bad(e.to_string()))?
                    }
                    _ => RelPath::from_path(
                        std::path::Path::new("/"),
                        &normalize(std::path::Path::new("/"), path),
                    )
                    .map_err(|e| bad(e.to_string()))?,
                };
                match rel.as_str() {
                    Some(s) => Value::Text(s.to_owned()),
                    None => Value::Blob(rel.as_bytes().to_vec()),
                }
            }
        };
        Ok(value)
    }

    fn check_range(&self, x: f64) -> Result<(), String> {
        match (self.min, self.max) {
            (Some(min), _) if x < min => Err(format!("the smallest allowed value is {min}")),
            (_, Some(max)) if x > max => Err(format!("the largest allowed value is {max}")),
            _ => Ok(()),
        }
    }
}

/// Splits `name=value`.
///
/// # Errors
/// [`QueryError::BadAssignment`] without `=` or with an empty name.
pub fn split_assignment(text: &str) -> Result<(String, String), QueryError> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => Err(QueryError::BadAssignment(text.to_owned())),
    }
}

/// Resolves the values of every parameter of `query`: given ones parsed, the rest from their
/// defaults, NULL for optional ones without a default.
///
/// # Errors
/// Unknown or missing parameters, values that do not fit their type.
pub fn resolve(
    query: &QueryDef,
    given: &[(String, String)],
    ctx: &ParseContext,
) -> Result<Values, QueryError> {
    for (name, _) in given {
        if query.param(name).is_none() {
            return Err(QueryError::UnknownParam {
                query: query.name.clone(),
                param: name.clone(),
                known: query.params.iter().map(|p| p.name.clone()).collect(),
            });
        }
    }
    let mut out = Vec::with_capacity(query.params.len());
    for p in &query.params {
        let text = given.iter().rev().find(|(n, _)| *n == p.name).map(|(_, v)| v.as_str());
        let value = match (text, p.default.as_deref()) {
            (Some(t), _) | (None, Some(t)) => p.parse(&query.name, t, ctx)?,
            (None, None) if p.required => {
                return Err(QueryError::MissingParam {
                    query: query.name.clone(),
                    param: p.name.clone(),
                    ty: p.ty.name().to_owned(),
                });
            }
            (None, None) => Value::Null,
        };
        out.push((p.name.clone(), value));
    }
    Ok(Values(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(ty: ParamType) -> ParamDef {
        ParamDef {
            name: "p".into(),
            ty,
            default: None,
            required: false,
            help: String::new(),
            choices: Vec::new(),
            min: None,
            max: None,
        }
    }

    fn parse(ty: ParamType, text: &str) -> Result<Value, QueryError> {
        let now: jiff::Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        def(ty).parse("q", text, &ParseContext { now, dirs: None })
    }

    #[test]
    fn every_type_parses_and_refuses() {
        assert_eq!(parse(ParamType::Int, "42").unwrap(), Value::Integer(42));
        assert_eq!(parse(ParamType::Float, "0.5").unwrap(), Value::Real(0.5));
        assert_eq!(parse(ParamType::Bool, "yes").unwrap(), Value::Integer(1));
        assert_eq!(parse(ParamType::Duration, "2h").unwrap(), Value::Integer(7_200_000));
        let now: jiff::Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        assert_eq!(
            parse(ParamType::Timestamp, "2h").unwrap(),
            Value::Integer(now.as_millisecond() - 7_200_000)
        );
        assert_eq!(parse(ParamType::Path, "./a/b.md").unwrap(), Value::Text("a/b.md".into()));
        assert!(parse(ParamType::Glob, "src/**/*.rs").is_ok());
        for (ty, text) in [
            (ParamType::Int, "ten"),
            (ParamType::Float, "NaN"),
            (ParamType::Bool, "maybe"),
            (ParamType::Duration, "soon"),
            (ParamType::Timestamp, "someday"),
            (ParamType::Glob, "a[b"),
        ] {
            let err = parse(ty, text).unwrap_err();
            assert!(err.to_string().contains(ty.expected()), "{err}");
        }
    }

    #[test]
    fn ranges_and_choices_are_checked() {
        let mut d = def(ParamType::Int);
        d.min = Some(0.0);
        assert!(d.parse("q", "-1", &ParseContext::for_check()).is_err());
        let mut d = def(ParamType::String);
        d.choices = vec!["day".into(), "week".into()];
        assert!(d.parse("q", "week", &ParseContext::for_check()).is_ok());
        assert!(d.parse("q", "year", &ParseContext::for_check()).is_err());
    }
}
