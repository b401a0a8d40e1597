//! Running a query against an open index: BM25 (tantivy) times a recency boost, or recency
//! alone (`--sort recent`), then the stored fields of the best documents.
//!
//! The boost is `1 + RECENCY_WEIGHT * 2^(-age / RECENCY_HALF_LIFE)`: a file changed today counts
//! up to half again as much as one untouched for months, so recency breaks near-ties without
//! burying a much better match.

use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value as _;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentReader, TantivyDocument};

use super::SearchError;
use super::query::{ParsedQuery, Weights};
use super::schema::SearchIndex;
use crate::paths::RelPath;

/// Weight of recency in the score.
pub const RECENCY_WEIGHT: f32 = 0.5;
/// Age at which the recency boost halves, in days.
pub const RECENCY_HALF_LIFE_DAYS: f32 = 30.0;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SortBy {
    /// Relevance (BM25) with a recency boost.
    #[default]
    Relevance,
    /// Most recently changed first.
    Recent,
}

/// Options of one search.
#[derive(Clone, Copy, Debug)]
pub struct SearchOptions {
    /// Results returned at most.
    pub limit: usize,
    /// Include past versions.
    pub history: bool,
    /// Ordering.
    pub sort: SortBy,
    /// Field weights.
    pub weights: Weights,
    /// Now, in ms (recency is measured from it).
    pub now_ms: i64,
}

/// A past version a hit came from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionInfo {
    /// Version id.
    pub version: i64,
    /// When it was recorded (ms).
    pub recorded_at: i64,
    /// Its content hash.
    pub hash: String,
}

/// One result.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The file.
    pub path: RelPath,
    /// Final score.
    pub score: f32,
    /// Last change (ms).
    pub recency_ms: i64,
    /// Detected language.
    pub lang: Option<String>,
    /// File size.
    pub size: u64,
    /// Index flags (binary, truncated).
    pub flags: u64,
    /// Set when the hit is a past version.
    pub version: Option<VersionInfo>,
}

/// What a search found.
#[derive(Clone, Debug, Default)]
pub struct SearchResult {
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// Documents that matched.
    pub matched: usize,
    /// Documents searched.
    pub searched: u64,
}

fn recency_boost(now_ms: i64, recency_ms: i64) -> f32 {
    let age_days = (now_ms - recency_ms).max(0) as f32 / 86_400_000.0;
    1.0 + RECENCY_WEIGHT * (-age_days / RECENCY_HALF_LIFE_DAYS).exp2()
}

/// Runs `query`.
///
/// # Errors
/// [`SearchError::Tantivy`] when the index cannot be read.
pub fn search(
    index: &SearchIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
    opts: &SearchOptions,
) -> Result<SearchResult, SearchError> {
    let query = parsed.to_query(&index.fields, opts.history, opts.weights);
    let terr = |e: tantivy::TantivyError| SearchError::tantivy(&index.dir, &e);
    // Past versions of one file collapse to its best; fetch more to still fill the limit.
    let fetch = if opts.history { opts.limit.saturating_mul(4) } else { opts.limit }.max(1);
    let (matched, docs): (usize, Vec<(f32, DocAddress)>) = match opts.sort {
        SortBy::Relevance => {
            let now = opts.now_ms;
            let top = TopDocs::with_limit(fetch).tweak_score(move |seg: &SegmentReader| {
                let col = seg.fast_fields().i64("recency").ok();
                move |doc: DocId, score: Score| {
                    let r = col.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    let boost = recency_boost(now, r);
                    // The small additive part orders filter-only queries (score 0) by recency.
                    score * boost + 0.001 * (boost - 1.0)
                }
            });
            searcher.search(&query, &(Count, top)).map_err(terr)?
        }
        SortBy::Recent => {
            let top = TopDocs::with_limit(fetch).order_by_fast_field::<i64>("recency", Order::Desc);
            let (n, docs) = searcher.search(&query, &(Count, top)).map_err(terr)?;
            (n, docs.into_iter().map(|(r, a)| (r.unwrap_or(0) as f32, a)).collect())
        }
    };
    let f = index.fields;
    let mut hits: Vec<Hit> = Vec::with_capacity(docs.len());
    let mut seen_hist = std::collections::HashSet::new();
    for (score, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr).map_err(terr)?;
        let path = RelPath::from_bytes(
            doc.get_first(f.path).and_then(|v| v.as_bytes()).unwrap_or_default(),
        );
        let num = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let unum = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let version = num(f.version).map(|version| VersionInfo {
            version,
            recorded_at: num(f.recorded_at).unwrap_or(0),
            hash: doc.get_first(f.hash).and_then(|v| v.as_str()).unwrap_or_default().to_owned(),
        });
        if version.is_some() && !seen_hist.insert(path.clone()) {
            continue;
        }
        hits.push(Hit {
            path,
            score: if opts.sort == SortBy::Recent { 0.0 } else { score },
            recency_ms: num(f.recency).unwrap_or(0),
            lang: doc.get_first(f.lang).and_then(|v| v.as_str()).map(str::to_owned),
            size: unum(f.size),
            flags: unum(f.flags),
            version,
        });
        if hits.len() >= opts.limit {
            break;
        }
    }
    Ok(SearchResult { hits, matched, searched: searcher.num_docs() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recency_boost_halves_with_age() {
        let now = 100 * 86_400_000;
        assert!((recency_boost(now, now) - 1.5).abs() < 1e-6);
        assert!((recency_boost(now, now - 30 * 86_400_000) - 1.25).abs() < 1e-6);
        assert!(recency_boost(now, 0) < 1.06);
    }
}
