//! `--related FILE`: files linked to FILE, each with the reasons why.
//!
//! - imports, both ways: FILE's imports matched against other files' module keys, and other
//!   files' imports matched against FILE's module keys ([`super::lang`]);
//! - co-change: files changed in the same obby batches or git commits (small change sets only);
//! - shared rare terms (more-like-this): FILE's most distinctive words (term frequency times
//!   inverse document frequency, each word in at least one other file), searched for together.
//!
//! Scores add up per file (an import link counts 3, each co-change 1, up to 5, shared terms up
//! to 2), so a file linked several ways ranks first.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::Connection;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::schema::SearchIndex;
use super::tokenizer::for_each_token;
use super::{SearchError, history, lang};
use crate::paths::RelPath;

/// Rare terms used for more-like-this.
const MLT_TERMS: usize = 12;

/// Why a file is related.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// FILE imports it.
    ImportedBy,
    /// It imports FILE.
    Imports,
    /// Changed together in obby batches and git commits.
    CoChanged {
        /// Batches (obby).
        batches: usize,
        /// Commits (git).
        commits: usize,
    },
    /// Shares these rare terms with FILE.
    SharedTerms {
        /// The terms.
        terms: Vec<String>,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ImportedBy => f.write_str("imported by it"),
            Self::Imports => f.write_str("imports it"),
            Self::CoChanged { batches, commits } => {
                let mut parts = Vec::new();
                if *commits > 0 {
                    parts.push(format!("{commits} commit{}", if *commits == 1 { "" } else { "s" }));
                }
                if *batches > 0 {
                    parts.push(format!(
                        "{batches} obby batch{}",
                        if *batches == 1 { "" } else { "es" }
                    ));
                }
                write!(f, "changed together in {}", parts.join(" and "))
            }
            Self::SharedTerms { terms } => write!(f, "shares rare terms: {}", terms.join(", ")),
        }
    }
}

/// A related file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Related {
    /// The file.
    pub path: RelPath,
    /// Combined score.
    pub score: f32,
    /// Why.
    pub reasons: Vec<Reason>,
}

fn path_of(searcher: &Searcher, f: &super::schema::Fields, addr: DocAddress) -> Option<RelPath> {
    let doc: TantivyDocument = searcher.doc(addr).ok()?;
    Some(RelPath::from_bytes(doc.get_first(f.path).and_then(|v| v.as_bytes())?.to_vec()))
}

fn file_only(f: &super::schema::Fields, q: Box<dyn Query>) -> BooleanQuery {
    let kind = Term::from_field_text(f.kind, "file");
    BooleanQuery::new(vec![
        (Occur::Must, q),
        (Occur::Must, Box::new(TermQuery::new(kind, IndexRecordOption::Basic))),
    ])
}

/// Files related to `file` (whose content is `text`), best first, at most `limit`.
///
/// # Errors
/// tantivy errors.
pub fn related(
    index: &SearchIndex,
    searcher: &Searcher,
    root: &Path,
    store: Option<&Connection>,
    file: &RelPath,
    text: &str,
    limit: usize,
) -> Result<Vec<Related>, SearchError> {
    let f = index.fields;
    let terr = |e: tantivy::TantivyError| SearchError::tantivy(&index.dir, &e);
    let mut found: HashMap<RelPath, Related> = HashMap::new();
    let mut add = |path: RelPath, score: f32, reason: Reason| {
        if &path == file {
            return;
        }
        let e = found.entry(path.clone()).or_insert_with(|| Related {
            path,
            score: 0.0,
            reasons: Vec::new(),
        });
        e.score += score;
        if !e.reasons.contains(&reason) {
            e.reasons.push(reason);
        }
    };
    let path_str = String::from_utf8_lossy(file.as_bytes()).into_owned();
    let language = lang::detect(&path_str, text.as_bytes());

    // Imports, both ways.
    let keyed = |field, keys: &[String]| -> Result<Vec<DocAddress>, SearchError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let subs: Vec<(Occur, Box<dyn Query>)> = keys
            .iter()
            .map(|k| {
                let t = Term::from_field_text(field, k);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        let q = file_only(&f, Box::new(BooleanQuery::new(subs)));
        Ok(searcher.search(&q, &DocSetCollector).map_err(terr)?.into_iter().collect())
    };
    if let Some(l) = language {
        for addr in keyed(f.modkeys, &lang::imports(l, &path_str, text))? {
            if let Some(p) = path_of(searcher, &f, addr) {
                add(p, 3.0, Reason::ImportedBy);
            }
        }
    }
    for addr in keyed(f.imports, &lang::module_keys(&path_str))? {
        if let Some(p) = path_of(searcher, &f, addr) {
            add(p, 3.0, Reason::Imports);
        }
    }

    // Co-change.
    for (p, (batches, commits)) in history::co_changed(root, store, file) {
        if p.to_path(root).is_file() {
            let n = (batches + commits).min(5) as f32;
            add(p, n, Reason::CoChanged { batches, commits });
        }
    }

    // More like this: the file's rarest shared words.
    let n_docs = searcher.num_docs().max(1) as f32;
    let mut tf: HashMap<String, usize> = HashMap::new();
    for_each_token(text, |t| {
        if t.whole && t.text.chars().count() >= 3 && !t.text.chars().all(|c| c.is_ascii_digit()) {
            *tf.entry(t.text).or_default() += 1;
        }
    });
    let mut scored: Vec<(f32, String)> = Vec::new();
    for (term, n) in tf {
        let df = searcher.doc_freq(&Term::from_field_text(f.content, &term)).map_err(terr)? as f32;
        // In FILE and at least one other file, and not common.
        if df >= 2.0 && df <= (n_docs / 20.0).max(5.0) {
            scored.push(((1.0 + n as f32).ln() * (n_docs / df).ln(), term));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(MLT_TERMS);
    if !scored.is_empty() {
        let mut term_docs: Vec<(String, HashSet<DocAddress>)> = Vec::new();
        let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, term) in &scored {
            let q = TermQuery::new(
                Term::from_field_text(f.content, term),
                IndexRecordOption::WithFreqs,
            );
            term_docs.push((term.clone(), searcher.search(&q, &DocSetCollector).map_err(terr)?));
            subs.push((Occur::Should, Box::new(q)));
        }
        let q = file_only(&f, Box::new(BooleanQuery::new(subs)));
        let top =
            searcher.search(&q, &TopDocs::with_limit(limit + 1).order_by_score()).map_err(terr)?;
        let best = top.first().map_or(1.0, |t| t.0).max(f32::EPSILON);
        for (score, addr) in top {
            let terms: Vec<String> = term_docs
                .iter()
                .filter(|(_, docs)| docs.contains(&addr))
                .map(|(t, _)| t.clone())
                .take(5)
                .collect();
            if terms.is_empty() {
                continue;
            }
            if let Some(p) = path_of(searcher, &f, addr) {
                add(p, 2.0 * score / best, Reason::SharedTerms { terms });
            }
        }
    }

    let mut out: Vec<Related> = found.into_values().collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.path.cmp(&b.path)));
    out.truncate(limit);
    Ok(out)
}
