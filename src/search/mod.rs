//! Full-text search over a project's files and their history, with a tantivy index in
//! `.obby/index/`.
//!
//! - [`tokenizer`]: code-aware tokens (`parseConfigFile` matches `parse config`).
//! - [`lang`]: language detection, definitions and imports of the common languages.
//! - [`schema`]: the index schema; opening it for reading (read-only, no background threads) or
//!   writing.
//! - [`indexer`]: the incremental indexer. The working tree in scope is indexed directly; a
//!   manifest of `(path, size, mtime, inode)` beside the index lets an update re-read only the
//!   files whose stat changed, and the store's new versions (since the last update) name the
//!   paths to look at and the past versions to index for `--history`.
//! - [`query`]: the query language (words, phrases, prefixes, exclusions, `OR`, fuzzy terms,
//!   `path:`/`ext:`/`lang:`/`def:` filters) parsed into a tantivy query, with errors that say
//!   where.
//! - [`engine`]: running a query: BM25 times a recency boost, then snippets with line numbers
//!   and highlighted ranges ([`snippet`]).
//! - [`history`]: recency (git log, store versions) and `--recent`; [`related`]: `--related`.

pub mod engine;
pub mod history;
pub mod indexer;
pub mod lang;
pub mod query;
pub mod related;
pub mod schema;
pub mod snippet;
pub mod tokenizer;

use std::path::{Path, PathBuf};

pub use engine::{Hit, SearchOptions, SearchResult, SortBy, search};
pub use indexer::{IndexOptions, Indexer, UpdateStats, update_paths};
pub use query::{ParsedQuery, QueryError, parse_query};
pub use schema::SearchIndex;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// No index (or one of an older schema).
    #[error("no search index in `{}`", dir.display())]
    Missing {
        /// The index directory.
        dir: PathBuf,
    },
    /// tantivy cannot open or read the index.
    #[error("the search index in `{}` cannot be read: {reason}", dir.display())]
    Corrupt {
        /// The index directory.
        dir: PathBuf,
        /// tantivy's error.
        reason: String,
    },
    /// Another process is writing the index.
    #[error("the search index in `{}` is locked by another obby process", dir.display())]
    Locked {
        /// The index directory.
        dir: PathBuf,
    },
    /// A tantivy error while writing or searching.
    #[error("search index `{}`: {reason}", dir.display())]
    Tantivy {
        /// The index directory.
        dir: PathBuf,
        /// tantivy's error.
        reason: String,
    },
    /// I/O on the index directory.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A store error while reading history.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Interrupted (Ctrl-C); committed work is kept.
    #[error("interrupted")]
    Interrupted,
}

impl SearchError {
    pub(crate) fn tantivy(dir: &Path, e: &tantivy::TantivyError) -> Self {
        match e {
            tantivy::TantivyError::LockFailure(..) => Self::Locked { dir: dir.to_path_buf() },
            tantivy::TantivyError::DataCorruption(_)
            | tantivy::TantivyError::OpenReadError(_)
            | tantivy::TantivyError::OpenDirectoryError(_)
            | tantivy::TantivyError::IncompatibleIndex(_) => {
                Self::Corrupt { dir: dir.to_path_buf(), reason: e.to_string() }
            }
            _ => Self::Tantivy { dir: dir.to_path_buf(), reason: e.to_string() },
        }
    }

    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Missing { .. } => Some("run `obby search --rebuild` to build it"),
            Self::Corrupt { .. } | Self::Tantivy { .. } => {
                Some("run `obby search --rebuild` to build the index again from the files")
            }
            Self::Locked { .. } => Some(
                "wait for the other process (a `watch --track` or another search update), or stop it and run `obby search --rebuild`",
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
