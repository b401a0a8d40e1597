//! Declared indexes (`--indexes indexes.yaml`): compared with the database in both directions,
//! and the DDL that creates the missing ones.
//!
//! The file is a list of `{table, name, columns, unique, where}` (or a map with an `indexes:`
//! list). An index is matched by name (case-insensitive); a declared index that is absent is
//! `missing` (warning), one whose columns, uniqueness or predicate differ is `different`
//! (warning), an index of the database nobody declared is `extra` (info), and an index the server
//! marked invalid (PostgreSQL, after a failed `CREATE INDEX CONCURRENTLY`) is an error. Creating
//! uses `IF NOT EXISTS`, so applying twice is a no-op.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{DbDiagError, Finding, Severity, quote_ident};

const CHECK: &str = "declared_indexes";

/// One declared index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredIndex {
    /// The table.
    pub table: String,
    /// The index name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// UNIQUE.
    #[serde(default)]
    pub unique: bool,
    /// Partial index predicate.
    #[serde(default, rename = "where")]
    pub predicate: Option<String>,
}

/// An index as the database has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActualIndex {
    /// The table.
    pub table: String,
    /// The index name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// UNIQUE.
    pub unique: bool,
    /// Partial index predicate.
    pub predicate: Option<String>,
    /// False for an index PostgreSQL marked invalid.
    pub valid: bool,
}

/// Loads and checks `--indexes`.
///
/// # Errors
/// Unreadable file; malformed YAML or a bad entry (with line and column).
pub fn load(path: &Path) -> Result<Vec<DeclaredIndex>, DbDiagError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| DbDiagError::Read { path: path.to_owned(), source })?;
    // Untagged enums lose positions; parse as the shape the file has, for a precise position.
    let is_map = text.lines().any(|l| l.starts_with("indexes:"));
    let list = if is_map {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wrapped {
            indexes: Vec<DeclaredIndex>,
        }
        serde_norway::from_str::<Wrapped>(&text).map(|w| w.indexes)
    } else {
        serde_norway::from_str::<Vec<DeclaredIndex>>(&text)
    }
    .map_err(|e| super::workload::yaml_error(path, &e))?;
    for d in &list {
        if d.columns.is_empty() {
            return Err(DbDiagError::Invalid(format!(
                "{}: index `{}` declares no columns",
                path.display(),
                d.name
            )));
        }
    }
    Ok(list)
}

/// A predicate in a comparable form: lower-case, no spaces, no outer parentheses, no casts.
fn normal(p: &str) -> String {
    let mut s: String = p.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    for cast in ["::text", "::integer", "::bigint", "::charactervarying", "::boolean"] {
        s = s.replace(cast, "");
    }
    while s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].to_owned();
    }
    s.replace(['(', ')'], "")
}

/// The `WHERE` clause of a CREATE INDEX text.
#[must_use]
pub fn predicate_of(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.rfind(" WHERE ")?;
    Some(sql[at + 7..].trim().trim_end_matches(';').trim().to_owned())
}

/// The DDL creating a declared index (`IF NOT EXISTS`; `CONCURRENTLY` for PostgreSQL).
#[must_use]
pub fn create_sql(d: &DeclaredIndex, concurrently: bool) -> String {
    let cols = d.columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
    let mut sql = format!(
        "CREATE {}INDEX {}IF NOT EXISTS {} ON {}({cols})",
        if d.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        quote_ident(&d.name),
        quote_ident(&d.table),
    );
    if let Some(p) = &d.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(p);
    }
    sql.push(';');
    sql
}

/// The declared indexes the database lacks (on tables it has).
#[must_use]
pub fn missing<'a>(
    decl: &'a [DeclaredIndex],
    actual: &[ActualIndex],
    tables: &[String],
) -> Vec<&'a DeclaredIndex> {
    decl.iter()
        .filter(|d| tables.iter().any(|t| t.eq_ignore_ascii_case(&d.table)))
        .filter(|d| !actual.iter().any(|a| a.name.eq_ignore_ascii_case(&d.name)))
        .collect()
}

/// Compares declared and actual indexes in both directions.
#[must_use]
pub fn compare(decl: &[DeclaredIndex], actual: &[ActualIndex], tables: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in decl {
        if !tables.iter().any(|t| t.eq_ignore_ascii_case(&d.table)) {
            out.push(Finding::new(
                CHECK,
                Severity::Error,
                &d.name,
                format!("declared on table `{}`, which does not exist", d.table),
            ));
            continue;
        }
        match actual.iter().find(|a| a.name.eq_ignore_ascii_case(&d.name)) {
            None => out.push(
                Finding::new(
                    CHECK,
                    Severity::Warning,
                    &d.name,
                    format!("missing: declared on {}({})", d.table, d.columns.join(", ")),
                )
                .suggest(create_sql(d, false)),
            ),
            Some(a) => {
                let same_cols = a.columns.len() == d.columns.len()
                    && a.columns.iter().zip(&d.columns).all(|(x, y)| x.eq_ignore_ascii_case(y));
                let same_pred =
                    a.predicate.as_deref().map(normal) == d.predicate.as_deref().map(normal);
                if !same_cols
                    || a.unique != d.unique
                    || !same_pred
                    || !a.table.eq_ignore_ascii_case(&d.table)
                {
                    out.push(
                        Finding::new(
                            CHECK,
                            Severity::Warning,
                            &d.name,
                            format!(
                                "different: declared {}{}({}){}, database has {}{}({}){}",
                                if d.unique { "unique " } else { "" },
                                d.table,
                                d.columns.join(", "),
                                d.predicate
                                    .as_ref()
                                    .map_or(String::new(), |p| format!(" where {p}")),
                                if a.unique { "unique " } else { "" },
                                a.table,
                                a.columns.join(", "),
                                a.predicate
                                    .as_ref()
                                    .map_or(String::new(), |p| format!(" where {p}")),
                            ),
                        )
                        .suggest(format!(
                            "DROP INDEX {}; {}",
                            quote_ident(&a.name),
                            create_sql(d, false)
                        )),
                    );
                }
                if !a.valid {
                    out.push(
                        Finding::new(
                            CHECK,
                            Severity::Error,
                            &a.name,
                            "invalid: a concurrent build failed",
                        )
                        .suggest(format!("DROP INDEX {}; then apply again", quote_ident(&a.name))),
                    );
                }
            }
        }
    }
    for a in actual {
        if !decl.iter().any(|d| d.name.eq_ignore_ascii_case(&a.name)) {
            out.push(Finding::new(
                CHECK,
                Severity::Info,
                &a.name,
                format!("extra: {}({}) is not declared", a.table, a.columns.join(", ")),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, cols: &[&str]) -> DeclaredIndex {
        DeclaredIndex {
            table: "t".into(),
            name: name.into(),
            columns: cols.iter().map(|c| (*c).to_owned()).collect(),
            unique: false,
            predicate: None,
        }
    }

    #[test]
    fn compares_both_ways() {
        let actual = vec![
            ActualIndex {
                table: "t".into(),
                name: "b".into(),
                columns: vec!["x".into()],
                unique: false,
                predicate: None,
                valid: true,
            },
            ActualIndex {
                table: "t".into(),
                name: "c".into(),
                columns: vec!["z".into()],
                unique: false,
                predicate: None,
                valid: true,
            },
        ];
        let d = vec![decl("a", &["x"]), decl("b", &["x", "y"])];
        let f = compare(&d, &actual, &["t".into()]);
        let msgs: Vec<_> =
            f.iter().map(|f| f.message.split(':').next().unwrap_or_default()).collect();
        assert_eq!(msgs, ["missing", "different", "extra"]);
        assert_eq!(f[0].suggestion.as_deref(), Some("CREATE INDEX IF NOT EXISTS a ON t(x);"));
    }

    #[test]
    fn predicates_compare_loosely() {
        assert_eq!(normal("(status = 'open'::text)"), normal("status='open'"));
        assert_eq!(
            predicate_of("CREATE INDEX i ON t(a) WHERE a IS NOT NULL"),
            Some("a IS NOT NULL".into())
        );
    }

    #[test]
    fn bad_entries_have_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("indexes.yaml");
        std::fs::write(
            &p,
            "- table: t\n  name: a\n  columns: [x]\n- table: t\n  name: b\n  colums: [y]\n",
        )
        .unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("indexes.yaml:"), "{e}");
        std::fs::write(&p, "indexes:\n  - {table: t, name: a, columns: [x], unique: true}\n")
            .unwrap();
        assert!(load(&p).unwrap()[0].unique);
    }
}
