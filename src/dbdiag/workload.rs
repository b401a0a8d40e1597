//! The workload and statement log a run is given: `--queries FILE` and `--log FILE`.
//!
//! `--queries` is either an SQL file (statements separated by `;`, named `file:line`) or a
//! `queries.yaml` in the `obby query` format: a map of query name to `{description, params, sql}`,
//! of which only `sql` is needed here (parameters stay placeholders; plans do not need values).
//! `--log` is one statement per line; PostgreSQL log lines (`... LOG:  statement: SELECT ...`,
//! `duration: 0.1 ms  execute <name>: ...`) are accepted as they are.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::DbDiagError;

/// One statement of the workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Its name (the YAML key, or `file:line`).
    pub name: String,
    /// Its SQL.
    pub sql: String,
}

#[derive(Deserialize)]
struct NamedQuery {
    sql: String,
    #[allow(dead_code)]
    #[serde(default)]
    description: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    params: Option<serde_norway::Value>,
}

fn read(path: &Path) -> Result<String, DbDiagError> {
    std::fs::read_to_string(path)
        .map_err(|source| DbDiagError::Read { path: path.to_owned(), source })
}

/// A YAML error as `file:line:col: message`.
pub(crate) fn yaml_error(path: &Path, e: &serde_norway::Error) -> DbDiagError {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    DbDiagError::Syntax { path: path.to_owned(), line, column, message }
}

/// Loads `--queries`: YAML by extension (`.yaml`, `.yml`), SQL otherwise.
///
/// # Errors
/// Unreadable file, malformed YAML (with line and column), no statements.
pub fn load_queries(path: &Path) -> Result<Vec<Query>, DbDiagError> {
    let text = read(path)?;
    let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let queries = if is_yaml {
        // The `obby query` file has the map under `queries:`; a bare map is accepted too.
        let wrapped = text.lines().any(|l| l.starts_with("queries:"));
        let map: BTreeMap<String, NamedQuery> = if wrapped {
            #[derive(Deserialize)]
            struct File {
                queries: BTreeMap<String, NamedQuery>,
            }
            serde_norway::from_str::<File>(&text).map(|f| f.queries)
        } else {
            serde_norway::from_str(&text)
        }
        .map_err(|e| yaml_error(path, &e))?;
        map.into_iter().map(|(name, q)| Query { name, sql: q.sql.trim().to_owned() }).collect()
    } else {
        let file = path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        split_sql(&text)
            .into_iter()
            .map(|(line, sql)| Query { name: format!("{file}:{line}"), sql })
            .collect::<Vec<_>>()
    };
    if queries.is_empty() {
        return Err(DbDiagError::Invalid(format!("`{}` holds no queries", path.display())));
    }
    Ok(queries)
}

/// Splits SQL text into statements at `;` outside quotes and comments; each with its first line.
#[must_use]
pub fn split_sql(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start_line = 1;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut push = |current: &mut String, start_line: usize| {
        let stmt = current.trim();
        if !stmt.is_empty() {
            out.push((start_line, stmt.to_owned()));
        }
        current.clear();
    };
    while let Some(c) = chars.next() {
        if current.trim().is_empty() {
            start_line = line;
        }
        match c {
            '\n' => {
                line += 1;
                current.push(c);
            }
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                current.push(c);
                for d in chars.by_ref() {
                    current.push(d);
                    if d == '\n' {
                        line += 1;
                    }
                    if d == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        current.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        current.push('\n');
                    }
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                current.push(' ');
            }
            ';' => push(&mut current, start_line),
            _ => current.push(c),
        }
    }
    push(&mut current, start_line);
    out
}

/// Loads `--log`: one statement per line, PostgreSQL log prefixes removed, blank lines skipped.
///
/// # Errors
/// Unreadable file.
pub fn load_log(path: &Path) -> Result<Vec<String>, DbDiagError> {
    let text = read(path)?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let stmt = if let Some(i) = l.find("statement: ") {
                &l[i + "statement: ".len()..]
            } else if let Some(i) = l.find(" execute ") {
                l[i + " execute ".len()..].split_once(": ").map_or(l, |(_, s)| s)
            } else {
                l
            };
            (!stmt.is_empty() && !stmt.starts_with('#')).then(|| stmt.to_owned())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_outside_quotes_and_comments() {
        let sql = "-- a comment; not a split\nSELECT 'a;b' FROM t;\n\n/* x; */ SELECT 2;\nSELECT 3";
        let got = split_sql(sql);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], (2, "SELECT 'a;b' FROM t".to_owned()));
        assert_eq!(got[1].0, 4);
        assert_eq!(got[2], (5, "SELECT 3".to_owned()));
    }

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queries.yaml");
        std::fs::write(&path, "ok:\n  sql: SELECT 1\nbad:\n  sql: [unclosed\n").unwrap();
        let err = load_queries(&path).unwrap_err().to_string();
        assert!(err.contains("queries.yaml:"), "{err}");
        std::fs::write(&path, "q:\n  description: d\n  params: {id: int}\n  sql: SELECT 1\n")
            .unwrap();
        assert_eq!(load_queries(&path).unwrap()[0].name, "q");
        let wrapped = "queries:\n  a:\n    params:\n      x: { type: int }\n    sql: SELECT :x\n";
        std::fs::write(&path, wrapped).unwrap();
        assert_eq!(load_queries(&path).unwrap()[0].sql, "SELECT :x");
    }

    #[test]
    fn log_lines_lose_postgres_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(
            &path,
            "SELECT 1\n2024-01-01 LOG:  statement: SELECT 2\nLOG:  duration: 0.1 ms  execute s1: SELECT 3\n\n",
        )
        .unwrap();
        assert_eq!(load_log(&path).unwrap(), ["SELECT 1", "SELECT 2", "SELECT 3"]);
    }
}
