//! The query language, parsed by hand so every error can say where it is.
//!
//! - `word word`: every word must match (in the content, the definitions or the path);
//! - `"exact phrase"`; `prefix*`; `-excluded` (also `-"phrase"`); `a OR b` (binds tighter than
//!   the implicit AND: `x a OR b` is `x AND (a OR b)`);
//! - `term~` (distance by length: 0 up to 2 characters, 1 up to 5, else 2) and `term~1`/`term~2`
//!   for typos; `--fuzzy` makes every plain word fuzzy;
//! - `path:src/store` (a directory or file prefix, or words of the path), `ext:rs`,
//!   `lang:rust`, `def:parse_config` (a name the file defines); values may be quoted.
//!
//! Words are split like the index ([`super::tokenizer`]): `parseConfig` finds `parse_config`,
//! and `std::io` is the phrase `std io`, not a field.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::Fields;
use super::tokenizer::{CodeToken, code_tokens};

/// A query that cannot be parsed; `column` is 1-based, in characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing but whitespace.
    #[error("empty query")]
    Empty,
    /// A `"` that is never closed.
    #[error("unbalanced quote: the `\"` at column {column} is never closed")]
    UnbalancedQuote {
        /// Where the quote opens.
        column: usize,
    },
    /// `OR` without a term on one side.
    #[error("`OR` at column {column} needs a term on both sides")]
    DanglingOr {
        /// Where the `OR` is.
        column: usize,
    },
    /// `-` followed by nothing.
    #[error("`-` at column {column} excludes nothing")]
    DanglingMinus {
        /// Where the `-` is.
        column: usize,
    },
    /// `field:` without a value.
    #[error("`{field}:` at column {column} has no value")]
    EmptyField {
        /// The field name.
        field: String,
        /// Where it is.
        column: usize,
    },
    /// A fuzzy distance other than 0, 1 or 2.
    #[error("fuzzy distance `~{distance}` at column {column} is not 0, 1 or 2")]
    BadFuzzy {
        /// The distance written.
        distance: String,
        /// Where it is.
        column: usize,
    },
    /// Only punctuation or other characters that are not indexed.
    #[error("the query has no words to search for (only punctuation)")]
    NoWords,
    /// Only excluded terms.
    #[error("the query only excludes; add a word or a filter to search for")]
    OnlyExcluded,
}

/// What a term matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Content, definitions and path.
    Any,
    /// The path (`path:`).
    Path,
    /// The extension (`ext:`).
    Ext,
    /// The language (`lang:`).
    Lang,
    /// Definitions only (`def:`).
    Def,
}

/// How a word matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Exactly (after splitting and lowercasing).
    Exact,
    /// As a prefix (`word*`).
    Prefix,
    /// Within a Levenshtein distance (`word~N`).
    Fuzzy(u8),
}

/// One term of the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What it matches.
    pub target: Target,
    /// The text (without quotes, `*` or `~`).
    pub text: String,
    /// True for a quoted phrase.
    pub phrase: bool,
    /// How it matches.
    pub mode: Mode,
}

/// A group of alternatives (`a OR b`), possibly excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Excluded with `-`.
    pub negated: bool,
    /// Alternatives; one for a plain term.
    pub items: Vec<Item>,
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The clauses, all required (or excluded).
    pub clauses: Vec<Clause>,
}

/// A term to highlight in snippets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Lowercased token text.
    pub text: String,
    /// How it matches.
    pub mode: Mode,
}

/// Fuzzy distance for a term of `len` characters.
#[must_use]
pub fn auto_distance(len: usize) -> u8 {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

struct Lexer<'a> {
    chars: Vec<(usize, char)>,
    text: &'a str,
    i: usize,
}

enum Lexeme {
    Or(usize),
    Term { negated: bool, item: Item, column: usize },
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).map(|c| c.1)
    }

    fn column(&self) -> usize {
        self.i + 1
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |c| c.0)
    }

    /// Reads a quoted string starting at the opening quote.
    fn quoted(&mut self) -> Result<String, QueryError> {
        let open = self.column();
        self.i += 1;
        let start = self.byte(self.i);
        while let Some(c) = self.peek() {
            if c == '"' {
                let s = self.text[start..self.byte(self.i)].to_owned();
                self.i += 1;
                return Ok(s);
            }
            self.i += 1;
        }
        Err(QueryError::UnbalancedQuote { column: open })
    }

    fn bare(&mut self) -> String {
        let start = self.byte(self.i);
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            self.i += 1;
        }
        self.text[start..self.byte(self.i)].to_owned()
    }

    fn next(&mut self) -> Result<Option<Lexeme>, QueryError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
        let Some(c) = self.peek() else { return Ok(None) };
        let column = self.column();
        let mut negated = false;
        if c == '-' && self.chars.get(self.i + 1).is_some_and(|n| !n.1.is_whitespace()) {
            negated = true;
            self.i += 1;
        } else if c == '-' {
            return Err(QueryError::DanglingMinus { column });
        }
        if self.peek() == Some('"') {
            let text = self.quoted()?;
            let item = Item { target: Target::Any, text, phrase: true, mode: Mode::Exact };
            return Ok(Some(Lexeme::Term { negated, item, column }));
        }
        let word = self.bare();
        if word == "OR" && !negated {
            return Ok(Some(Lexeme::Or(column)));
        }
        // A field filter: `path:`, `ext:`, `lang:`, `def:` (anything else is text).
        if let Some((name, rest)) = word.split_once(':') {
            let target = match name {
                "path" => Some(Target::Path),
                "ext" => Some(Target::Ext),
                "lang" => Some(Target::Lang),
                "def" => Some(Target::Def),
                _ => None,
            };
            if let Some(target) = target {
                let (text, phrase) = if rest.is_empty() && self.peek() == Some('"') {
                    (self.quoted()?, true)
                } else {
                    (rest.to_owned(), false)
                };
                if text.trim().is_empty() {
                    return Err(QueryError::EmptyField { field: name.to_owned(), column });
                }
                let (text, mode) =
                    if phrase { (text, Mode::Exact) } else { split_mode(&text, column)? };
                let item = Item { target, text, phrase, mode };
                return Ok(Some(Lexeme::Term { negated, item, column }));
            }
        }
        let (text, mode) = split_mode(&word, column)?;
        let item = Item { target: Target::Any, text, phrase: false, mode };
        Ok(Some(Lexeme::Term { negated, item, column }))
    }
}

/// Splits a trailing `*` or `~N` off a word.
fn split_mode(word: &str, column: usize) -> Result<(String, Mode), QueryError> {
    if let Some(stem) = word.strip_suffix('*')
        && !stem.is_empty()
    {
        return Ok((stem.to_owned(), Mode::Prefix));
    }
    if let Some((stem, dist)) = word.rsplit_once('~')
        && !stem.is_empty()
    {
        let d = match dist {
            "" => auto_distance(stem.chars().count()),
            "0" => 0,
            "1" => 1,
            "2" => 2,
            _ => {
                let col = column + word.chars().count() - dist.chars().count() - 1;
                return Err(QueryError::BadFuzzy { distance: dist.to_owned(), column: col });
            }
        };
        return Ok((stem.to_owned(), Mode::Fuzzy(d)));
    }
    Ok((word.to_owned(), Mode::Exact))
}

/// Parses a query; `fuzzy` makes plain words fuzzy (`--fuzzy`).
///
/// # Errors
/// [`QueryError`] with the column of the problem.
pub fn parse_query(text: &str, fuzzy: bool) -> Result<ParsedQuery, QueryError> {
    if text.trim().is_empty() {
        return Err(QueryError::Empty);
    }
    let mut lx = Lexer { chars: text.char_indices().collect(), text, i: 0 };
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or: Option<usize> = None;
    while let Some(lexeme) = lx.next()? {
        match lexeme {
            Lexeme::Or(column) => {
                if pending_or.is_some() || clauses.last().is_none_or(|c| c.negated) {
                    return Err(QueryError::DanglingOr { column });
                }
                pending_or = Some(column);
            }
            Lexeme::Term { negated, mut item, column } => {
                if fuzzy && item.mode == Mode::Exact && !item.phrase && item.target == Target::Any {
                    item.mode = Mode::Fuzzy(auto_distance(item.text.chars().count()));
                }
                if let Some(or_col) = pending_or.take() {
                    if negated {
                        return Err(QueryError::DanglingOr { column: or_col });
                    }
                    if let Some(last) = clauses.last_mut() {
                        last.items.push(item);
                    }
                } else {
                    let _ = column;
                    clauses.push(Clause { negated, items: vec![item] });
                }
            }
        }
    }
    if let Some(column) = pending_or {
        return Err(QueryError::DanglingOr { column });
    }
    // Drop terms that hold no indexable word (`!!!`); filters always count.
    for clause in &mut clauses {
        clause.items.retain(|it| {
            !matches!(it.target, Target::Any | Target::Def) || !code_tokens(&it.text).is_empty()
        });
    }
    clauses.retain(|c| !c.items.is_empty());
    if clauses.is_empty() {
        return Err(QueryError::NoWords);
    }
    if clauses.iter().all(|c| c.negated) {
        return Err(QueryError::OnlyExcluded);
    }
    Ok(ParsedQuery { clauses })
}

/// How words weigh per field.
#[derive(Clone, Copy, Debug)]
pub struct Weights {
    /// Content.
    pub content: f32,
    /// Definitions.
    pub defs: f32,
    /// Path words.
    pub path: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Self { content: 1.0, defs: 3.0, path: 2.0 }
    }
}

fn term_query(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), option))
}

/// The query of a run of tokens: one term, or a phrase at the tokens' positions.
fn sequence(field: Field, toks: &[&CodeToken]) -> Option<Box<dyn Query>> {
    let first = toks.first()?.position;
    if toks.len() == 1 {
        return Some(term_query(field, &toks[0].text, IndexRecordOption::WithFreqs));
    }
    let terms: Vec<(usize, Term)> =
        toks.iter().map(|t| (t.position - first, Term::from_field_text(field, &t.text))).collect();
    Some(Box::new(PhraseQuery::new_with_offset(terms)))
}

/// The query of a word or phrase on one field: the whole tokens in sequence, or the split parts
/// in sequence (so `parseConfig` finds `parse_config`).
fn text_query(field: Field, text: &str, mode: Mode) -> Option<Box<dyn Query>> {
    let toks = code_tokens(text);
    let wholes: Vec<&CodeToken> = toks.iter().filter(|t| t.whole).collect();
    if wholes.len() == 1 && mode != Mode::Exact {
        let term = Term::from_field_text(field, &wholes[0].text);
        return Some(match mode {
            Mode::Prefix => Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
            Mode::Fuzzy(d) => Box::new(FuzzyTermQuery::new(term, d, true)),
            Mode::Exact => unreachable_exact(),
        });
    }
    // Leaves: parts where a whole word was split, else the whole word.
    let mut leaves: Vec<&CodeToken> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let has_parts = toks.get(i + 1).is_some_and(|n| !n.whole);
        if t.whole && has_parts {
            continue;
        }
        leaves.push(t);
    }
    let a = sequence(field, &wholes)?;
    if leaves.len() == wholes.len() {
        return Some(a);
    }
    let b = sequence(field, &leaves)?;
    Some(Box::new(BooleanQuery::new(vec![(Occur::Should, a), (Occur::Should, b)])))
}

#[allow(clippy::missing_const_for_fn)]
fn unreachable_exact() -> Box<dyn Query> {
    Box::new(tantivy::query::EmptyQuery)
}

fn boosted(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, w)) }
}

fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn lang_alias(v: &str) -> String {
    let v = v.to_lowercase();
    match v.as_str() {
        "rs" => "rust".into(),
        "py" => "python".into(),
        "js" | "node" => "javascript".into(),
        "ts" => "typescript".into(),
        "golang" => "go".into(),
        "sh" | "bash" => "shell".into(),
        _ => v,
    }
}

fn item_query(f: &Fields, item: &Item, w: Weights) -> Option<Box<dyn Query>> {
    match item.target {
        Target::Any => {
            let mut alts = Vec::new();
            for (field, weight) in [(f.content, w.content), (f.defs, w.defs), (f.path_text, w.path)]
            {
                if let Some(q) = text_query(field, &item.text, item.mode) {
                    alts.push((Occur::Should, boosted(q, weight)));
                }
            }
            (!alts.is_empty()).then(|| Box::new(BooleanQuery::new(alts)) as Box<dyn Query>)
        }
        Target::Def => text_query(f.defs, &item.text, item.mode).map(|q| boosted(q, w.defs)),
        Target::Path => {
            let value = item.text.trim_matches('/').to_lowercase();
            let prefix = Term::from_field_text(f.path_prefix, &value);
            let exact: Box<dyn Query> = if item.mode == Mode::Prefix {
                Box::new(FuzzyTermQuery::new_prefix(prefix, 0, true))
            } else {
                Box::new(TermQuery::new(prefix, IndexRecordOption::Basic))
            };
            let mut alts = vec![(Occur::Should, exact)];
            if let Some(q) = text_query(f.path_text, &item.text, item.mode) {
                alts.push((Occur::Should, q));
            }
            Some(filter(Box::new(BooleanQuery::new(alts))))
        }
        Target::Ext => {
            let v = item.text.trim_start_matches('.').to_lowercase();
            Some(filter(term_query(f.ext, &v, IndexRecordOption::Basic)))
        }
        Target::Lang => {
            Some(filter(term_query(f.lang, &lang_alias(&item.text), IndexRecordOption::Basic)))
        }
    }
}

impl ParsedQuery {
    /// The tantivy query; `history` keeps past versions in, `w` weighs the fields.
    #[must_use]
    pub fn to_query(&self, f: &Fields, history: bool, w: Weights) -> Box<dyn Query> {
        let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &self.clauses {
            let alts: Vec<Box<dyn Query>> =
                clause.items.iter().filter_map(|it| item_query(f, it, w)).collect();
            let q: Box<dyn Query> = match alts.len() {
                0 => continue,
                1 => alts.into_iter().next().unwrap_or_else(unreachable_exact),
                _ => Box::new(BooleanQuery::new(
                    alts.into_iter().map(|q| (Occur::Should, q)).collect(),
                )),
            };
            subs.push((if clause.negated { Occur::MustNot } else { Occur::Must }, q));
        }
        if !history {
            subs.push((Occur::MustNot, term_query(f.kind, "hist", IndexRecordOption::Basic)));
        }
        Box::new(BooleanQuery::new(subs))
    }

    /// The terms to highlight in snippets (from positive content words and phrases).
    #[must_use]
    pub fn highlights(&self) -> Vec<Highlight> {
        let mut out = Vec::new();
        for clause in self.clauses.iter().filter(|c| !c.negated) {
            for item in
                clause.items.iter().filter(|i| matches!(i.target, Target::Any | Target::Def))
            {
                let toks = code_tokens(&item.text);
                let single = toks.iter().filter(|t| t.whole).count() == 1;
                for t in toks {
                    let mode = if single && t.whole { item.mode } else { Mode::Exact };
                    out.push(Highlight { text: t.text, mode });
                }
            }
        }
        out.dedup();
        out
    }

    /// True when the query has content words (snippets can show lines).
    #[must_use]
    pub fn has_words(&self) -> bool {
        !self.highlights().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<ParsedQuery, QueryError> {
        parse_query(s, false)
    }

    #[test]
    fn words_phrases_filters_or_and_exclusions() {
        let q =
            p(r#"parse "exact words" -old a OR b path:src/store ext:rs conf* recieve~"#).unwrap();
        assert_eq!(q.clauses.len(), 8);
        assert!(q.clauses[1].items[0].phrase);
        assert!(q.clauses[2].negated);
        assert_eq!(q.clauses[3].items.len(), 2);
        assert_eq!(q.clauses[4].items[0].target, Target::Path);
        assert_eq!(q.clauses[6].items[0].mode, Mode::Prefix);
        let last = &p("recieve~").unwrap().clauses[0].items[0];
        assert_eq!((last.text.as_str(), last.mode), ("recieve", Mode::Fuzzy(2)));
        assert_eq!(p("std::io").unwrap().clauses[0].items[0].target, Target::Any);
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(p("   "), Err(QueryError::Empty));
        assert_eq!(p(r#"foo "bar"#), Err(QueryError::UnbalancedQuote { column: 5 }));
        assert_eq!(p("OR foo"), Err(QueryError::DanglingOr { column: 1 }));
        assert_eq!(p("foo OR"), Err(QueryError::DanglingOr { column: 5 }));
        assert_eq!(p("!!! ..."), Err(QueryError::NoWords));
        assert_eq!(p("-foo"), Err(QueryError::OnlyExcluded));
        assert_eq!(p("foo~7"), Err(QueryError::BadFuzzy { distance: "7".into(), column: 4 }));
        assert_eq!(p("path:"), Err(QueryError::EmptyField { field: "path".into(), column: 1 }));
        assert_eq!(p("a - b"), Err(QueryError::DanglingMinus { column: 3 }));
    }

    #[test]
    fn fuzzy_flag_applies_to_plain_words_only() {
        let q = parse_query(r#"receive "a b" ext:rs"#, true).unwrap();
        assert_eq!(q.clauses[0].items[0].mode, Mode::Fuzzy(2));
        assert_eq!(q.clauses[1].items[0].mode, Mode::Exact);
        assert_eq!(q.clauses[2].items[0].mode, Mode::Exact);
    }
}
