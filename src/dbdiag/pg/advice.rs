//! Index advice for a workload on PostgreSQL: each query is planned generically (`PREPARE`, then
//! `EXPLAIN (FORMAT JSON) EXECUTE` with NULL parameters), the plan tree walked, and every
//! sequential scan filtered by equality (plus the sort keys above it) that no index leads with
//! becomes a `CREATE INDEX CONCURRENTLY` suggestion. Without a workload, `missing_index` reports
//! the tables read mostly by large sequential scans.

use postgres::{Client, SimpleQueryMessage};

use super::super::{DbDiagError, Finding, Options, Outcome, Severity};
use super::catalog::{Catalog, Relation};
use super::checks::indexes;

/// `?` and `:name` placeholders as `$n` (outside quotes), so SQLite-style workloads and
/// queries.yaml plan on PostgreSQL.
fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut names: Vec<String> = Vec::new();
    let (mut n, mut quote) = (0, None);
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match (quote, ch) {
            (None, '\'' | '"') => quote = Some(ch),
            (Some(q), _) if q == ch => quote = None,
            (None, '?') => {
                n += 1;
                out.push_str(&format!("${n}"));
                i += 1;
                continue;
            }
            (None, ':') if prev != ':' && (next.is_alphabetic() || next == '_') => {
                let start = i + 1;
                i = start;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                let k = if let Some(k) = names.iter().position(|x| *x == name) {
                    k + 1
                } else {
                    names.push(name);
                    n += 1;
                    n
                };
                out.push_str(&format!("${k}"));
                continue;
            }
            _ => {}
        }
        out.push(ch);
        i += 1;
    }
    out
}

/// `(a = $1) AND (b = 'x'::text)` -> `[a, b]`.
fn eq_columns(filter: &str) -> Vec<String> {
    filter
        .split(" AND ")
        .filter_map(|part| {
            let part = part.trim().trim_start_matches('(').trim_end_matches(')');
            let (lhs, rhs) = part.split_once(" = ")?;
            let rhs = rhs.trim_start_matches('(');
            let literal = rhs.starts_with('$')
                || rhs.starts_with('\'')
                || rhs.starts_with(|c: char| c.is_ascii_digit());
            let col = lhs.rsplit('.').next()?.trim_matches('"');
            (literal && !col.is_empty() && col.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then(|| col.to_owned())
        })
        .collect()
}

fn walk(node: &serde_json::Value, sort: &[String], out: &mut Vec<(String, Vec<String>, String)>) {
    let kind = node["Node Type"].as_str().unwrap_or_default();
    let mut sort_keys = sort.to_vec();
    if kind == "Sort" || kind == "Incremental Sort" {
        sort_keys = node["Sort Key"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| k.as_str())
                    .map(|k| k.rsplit('.').next().unwrap_or(k).trim_matches('"').to_owned())
                    .filter(|k| k.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .collect()
            })
            .unwrap_or_default();
    }
    if kind == "Seq Scan" {
        let table = node["Relation Name"].as_str().unwrap_or_default().to_owned();
        let mut cols = eq_columns(node["Filter"].as_str().unwrap_or_default());
        for k in &sort_keys {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
        if !cols.is_empty() {
            out.push((
                table,
                cols,
                format!("Seq Scan on {}", node["Relation Name"].as_str().unwrap_or_default()),
            ));
        }
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            walk(child, &sort_keys, out);
        }
    }
}

fn plan_json(c: &mut Client, sql: &str) -> Result<serde_json::Value, String> {
    let sql = dollar_params(sql);
    let params = c.prepare(&sql).map_err(|e| super::describe(&e))?.params().len();
    let nulls = vec!["NULL"; params].join(", ");
    let exec = if params == 0 { String::new() } else { format!("({nulls})") };
    let run = format!(
        "SET plan_cache_mode = force_generic_plan; DEALLOCATE ALL; PREPARE obby_q AS {sql}; "
    );
    c.batch_execute(&run).map_err(|e| super::describe(&e))?;
    let text = c
        .simple_query(&format!("EXPLAIN (FORMAT JSON) EXECUTE obby_q{exec}"))
        .map_err(|e| super::describe(&e))?
        .into_iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
            _ => None,
        })
        .unwrap_or_default();
    let _ = c.batch_execute("DEALLOCATE obby_q; RESET plan_cache_mode;");
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Tables read mostly by large sequential scans (more than 100 scans of more than 10,000 rows
/// on average, fewer index scans), most rows read first.
fn large_seq_scans(relations: Vec<Relation>) -> Vec<Relation> {
    let mut scanned: Vec<Relation> = relations
        .into_iter()
        .filter(|r| {
            r.seq_scan > 100
                && r.seq_read / r.seq_scan > 10_000
                && r.idx_scan.unwrap_or(0) < r.seq_scan
        })
        .collect();
    scanned.sort_by_key(|r| std::cmp::Reverse(r.seq_read));
    scanned
}

/// Workload queries (EXPLAIN of a generic plan) that scan where an index would serve; without
/// a workload, tables read mostly by large sequential scans.
pub(super) fn missing_index(cat: &mut Catalog, opts: &Options) -> Result<Outcome, DbDiagError> {
    let mut findings = Vec::new();
    if opts.queries.is_empty() {
        for r in large_seq_scans(cat.relations()?) {
            let (scans, read) = (r.seq_scan, r.seq_read);
            findings.push(Finding::new(
                "missing_index",
                Severity::Info,
                r.name,
                format!("{scans} sequential scans read {} rows each on average; give --queries for concrete advice", read / scans.max(1)),
            ));
        }
        return Ok(Outcome::findings(findings));
    }
    let existing = indexes(cat)?;
    let c = cat.client();
    for q in &opts.queries {
        let plan = match plan_json(c, &q.sql) {
            Ok(p) => p,
            Err(e) => {
                findings.push(Finding::new(
                    "missing_index",
                    Severity::Warning,
                    &q.name,
                    format!("the query does not plan: {e}"),
                ));
                continue;
            }
        };
        let mut scans = Vec::new();
        walk(&plan[0]["Plan"], &[], &mut scans);
        for (table, cols, what) in scans {
            let served = existing.iter().any(|i| {
                i.table.rsplit('.').next() == Some(table.as_str())
                    && i.meta.columns.len() >= cols.len()
                    && i.meta.columns[..cols.len()] == cols[..]
            });
            if !served {
                findings.push(
                    Finding::new(
                        "missing_index",
                        Severity::Warning,
                        &q.name,
                        format!("{what}; an index on {table}({}) serves it", cols.join(", ")),
                    )
                    .suggest(
                        super::super::create_index_sql(&table, &cols, true)
                            .replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"),
                    ),
                );
            }
        }
    }
    Ok(Outcome::findings(findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_filters() {
        assert_eq!(dollar_params("a = ? AND b = '?' AND c = ?"), "a = $1 AND b = '?' AND c = $2");
        assert_eq!(
            dollar_params("a = :x AND b = :y AND c = :x AND d::text = 'e'"),
            "a = $1 AND b = $2 AND c = $1 AND d::text = 'e'"
        );
        assert_eq!(eq_columns("((status = $1) AND (priority = $2))"), ["status", "priority"]);
        assert_eq!(eq_columns("((t.kind)::text = 'x'::text)"), Vec::<String>::new());
        assert_eq!(eq_columns("(owner_id = 7)"), ["owner_id"]);
    }

    #[test]
    fn large_sequential_scans_most_rows_first() {
        let scans = |name: &str, seq: i64, read: i64, idx: Option<i64>| Relation {
            seq_scan: seq,
            seq_read: read,
            idx_scan: idx,
            ..Relation::empty(name, "r")
        };
        let found = large_seq_scans(vec![
            scans("a", 101, 101 * 10_001, None),
            scans("b", 200, 200 * 20_000, Some(5)),
            scans("few_scans", 100, 100 * 50_000, None),
            scans("small_rows", 500, 500 * 10_000, None),
            scans("indexed", 150, 150 * 30_000, Some(150)),
            scans("never", 0, 0, None),
        ]);
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
    }
}
