//! N+1 detection: statements normalised to fingerprints, and key lookups run many times in a row.
//!
//! A fingerprint is the statement's tokens with every literal and placeholder turned into `?`,
//! `IN (...)` lists collapsed, keywords and names lower-cased and whitespace normalised, so
//! `SELECT * FROM users WHERE id = 7` and `select * from users where id=$1` are one fingerprint. A
//! group is a stretch of the log in which the same fingerprint recurs with at most a few other
//! statements between two runs (the loop body); a key lookup (`SELECT ... WHERE key = ?`, at most
//! one row per run) repeated at least `min` times in one group is reported with the batched
//! alternative (`WHERE key IN (...)`).

use std::collections::HashMap;

use super::{Finding, Options, Outcome, Severity};

/// Statements allowed between two runs of the same fingerprint in one group.
const GAP: usize = 4;

/// Turns a statement into its fingerprint tokens.
#[must_use]
pub fn tokens(sql: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' && chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                } else if chars[i] == '\'' {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            out.push("?".into());
        } else if c == '"' || c == '`' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += 1;
            }
            i += 1;
            out.push(chars[start..i.min(chars.len())].iter().collect());
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push("?".into());
        } else if matches!(c, '?' | '$' | ':' | '@')
            && chars.get(i + 1).is_some_and(|d| d.is_alphanumeric() || *d == '_')
            || c == '?'
        {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push("?".into());
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if matches!(two.as_str(), "<=" | ">=" | "<>" | "!=" | "||" | "::") {
                out.push(two);
                i += 2;
            } else {
                if c != ';' {
                    out.push(c.to_string());
                }
                i += 1;
            }
        }
    }
    collapse_lists(&out)
}

/// `( ? , ? , ? )` -> `( ? )`.
fn collapse_lists(tokens: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        out.push(tokens[i].clone());
        if tokens[i] == "(" && tokens.get(i + 1).is_some_and(|t| t == "?") {
            let mut j = i + 2;
            while tokens.get(j).is_some_and(|t| t == ",")
                && tokens.get(j + 1).is_some_and(|t| t == "?")
            {
                j += 2;
            }
            if tokens.get(j).is_some_and(|t| t == ")") {
                out.push("?".into());
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The fingerprint as text.
#[must_use]
pub fn fingerprint(sql: &str) -> String {
    render(&tokens(sql))
}

/// Tokens joined the way SQL is written: `count(*)`, `a, b`, `in (?)`.
#[must_use]
pub fn render(tokens: &[String]) -> String {
    const SPACED: &[&str] = &[
        "in", "values", "from", "join", "where", "and", "or", "on", "as", "exists", "not", "select",
    ];
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    for t in tokens {
        let tight = match prev {
            None => true,
            Some(p) => {
                p == "("
                    || p == "."
                    || t == ")"
                    || t == ","
                    || t == "."
                    || (t == "("
                        && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                        && !SPACED.contains(&p))
            }
        };
        if !tight {
            out.push(' ');
        }
        out.push_str(t);
        prev = Some(t);
    }
    out
}

/// For a key lookup (`select ... where [t.]col = ? [and ...] [limit ?]`): the key column.
#[must_use]
pub fn lookup_key(tokens: &[String]) -> Option<String> {
    if tokens.first().map(String::as_str) != Some("select") {
        return None;
    }
    let w = tokens.iter().rposition(|t| t == "where")?;
    let mut rest = &tokens[w + 1..];
    if let Some(l) = rest.iter().position(|t| t == "limit") {
        rest = &rest[..l];
    }
    let (col, tail) = match rest {
        [t, dot, c, eq, q, tail @ ..] if dot == "." && eq == "=" && q == "?" && !t.is_empty() => {
            (c, tail)
        }
        [c, eq, q, tail @ ..] if eq == "=" && q == "?" => (c, tail),
        _ => return None,
    };
    let simple = tail.is_empty()
        || tail.first().is_some_and(|t| t == "and")
            && !tail.iter().any(|t| t == "or" || t == "in" || t == "like" || t == ">" || t == "<");
    simple.then(|| col.trim_matches('"').to_owned())
}

/// A suspected N+1: one lookup repeated in one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suspect {
    /// The fingerprint.
    pub fingerprint: String,
    /// The key column.
    pub key: String,
    /// The largest number of runs in one group.
    pub runs: usize,
    /// The 1-based line of the log where that group starts.
    pub line: usize,
}

/// Finds the suspects in a log.
#[must_use]
pub fn detect(log: &[String], min: usize) -> Vec<Suspect> {
    // fingerprint -> (key, last index, current run, run start, best run, best start)
    let mut state: HashMap<String, (String, usize, usize, usize, usize, usize)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, stmt) in log.iter().enumerate() {
        let toks = tokens(stmt);
        let Some(key) = lookup_key(&toks) else { continue };
        let fp = render(&toks);
        let entry = state.entry(fp.clone()).or_insert_with(|| {
            order.push(fp.clone());
            (key, i, 0, i, 0, i)
        });
        if entry.2 > 0 && i - entry.1 > GAP + 1 {
            entry.2 = 0;
        }
        if entry.2 == 0 {
            entry.3 = i;
        }
        entry.2 += 1;
        entry.1 = i;
        if entry.2 > entry.4 {
            entry.4 = entry.2;
            entry.5 = entry.3;
        }
    }
    order
        .into_iter()
        .filter_map(|fp| {
            let (key, _, _, _, best, start) = state.remove(&fp)?;
            (best >= min).then_some(Suspect { fingerprint: fp, key, runs: best, line: start + 1 })
        })
        .collect()
}

/// The batched form of a lookup fingerprint: `key = ?` becomes `key IN (?, ?, ...)`.
#[must_use]
pub fn batched(fingerprint: &str, key: &str) -> String {
    let needle = format!("{key} = ?");
    fingerprint.replacen(&needle, &format!("{key} in (?, ?, ...)"), 1)
}

/// The `n_plus_one` check over `--log`.
#[must_use]
pub fn check(opts: &Options) -> Outcome {
    let Some(log) = &opts.log else {
        return Outcome::skipped("needs a statement log: --log FILE");
    };
    let findings = detect(log, opts.n_plus_one_min.max(2))
        .into_iter()
        .map(|s| {
            Finding::new(
                "n_plus_one",
                Severity::Warning,
                &s.fingerprint,
                format!(
                    "run {} times in a row by `{}` (log line {}): one round trip per key",
                    s.runs, s.key, s.line
                ),
            )
            .suggest(format!("fetch all keys at once: {}", batched(&s.fingerprint, &s.key)))
        })
        .collect();
    Outcome::findings(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_literals_case_and_spacing() {
        assert_eq!(
            fingerprint("SELECT * FROM users WHERE id = 7"),
            fingerprint("select *  from users where id=$1;")
        );
        assert_eq!(fingerprint("SELECT 'it''s' IN (1, 2, 3)"), "select ? in (?)");
        assert_eq!(fingerprint("SELECT count(*), a.b FROM t"), "select count(*), a.b from t");
        assert_eq!(fingerprint("x = :name AND y = @v"), "x = ? and y = ?");
    }

    #[test]
    fn finds_key_lookups() {
        assert_eq!(
            lookup_key(&tokens("SELECT name FROM u WHERE u.id = ? LIMIT 1")),
            Some("id".into())
        );
        assert_eq!(lookup_key(&tokens("SELECT * FROM u WHERE a = 1 AND b = 2")), Some("a".into()));
        assert_eq!(lookup_key(&tokens("SELECT * FROM u WHERE a > 1")), None);
        assert_eq!(lookup_key(&tokens("UPDATE u SET a = 1 WHERE id = 2")), None);
    }

    #[test]
    fn detects_a_loop_and_not_scattered_lookups() {
        let mut log = vec!["SELECT * FROM posts".to_owned()];
        for i in 0..12 {
            log.push(format!("SELECT * FROM authors WHERE id = {i}"));
            log.push(format!("SELECT count(*) FROM likes WHERE post_id > {i}"));
        }
        let found = detect(&log, 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].runs, 12);
        assert_eq!(found[0].line, 2);
        assert_eq!(
            batched(&found[0].fingerprint, "id"),
            "select * from authors where id in (?, ?, ...)"
        );
        let mut sparse = Vec::new();
        for i in 0..12 {
            sparse.push(format!("SELECT * FROM authors WHERE id = {i}"));
            sparse.extend((0..10).map(|_| "SELECT 1".to_owned()));
        }
        assert!(detect(&sparse, 10).is_empty());
    }
}
