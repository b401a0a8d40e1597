//! `obby search`.

use std::path::PathBuf;

use clap::Args;

use crate::search::SortBy;

/// Search files and their history with a full-text index.
///
/// The index (`.obby/index/`) is built on first use and follows the store: paths with new
/// versions (from `obby track` or `watch --track`) are re-indexed before the search. Without
/// tracking, `--update` picks up edits to the working tree (only files whose size, mtime or
/// inode changed are read again) and `--rebuild` starts over.
///
/// Query language: words must all match (content, definitions or path); "exact phrases";
/// prefix*; -excluded; a OR b; term~ or term~2 for typos; path:DIR, ext:rs, lang:rust,
/// def:NAME. Identifiers are split, so `parse config` finds parseConfigFile, parse_config_file
/// and ParseConfig.
///
/// Examples:
///   $ obby search parse config
///   $ obby search '"exact phrase" ext:rs -test'
///   $ obby search recieve --fuzzy
///   $ obby search def:parse_config
///   $ obby search --history old_function_name
///   $ obby search --recent 2d
///   $ obby search --related src/store/mod.rs
///   $ obby search --files TODO -0 | xargs -0 wc -l
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces; quote a query that holds
    /// `-excluded` words, or put it after `--`).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Show at most N files (default: the `search.limit` setting, 20).
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    /// Tolerate typos in every word (Levenshtein distance 1 for words of 3-5 characters, 2
    /// for longer ones).
    #[arg(long)]
    pub fuzzy: bool,
    /// Rank files that define the words (functions, types, classes, modules) first.
    #[arg(long)]
    pub defs: bool,
    /// Also search past versions kept in the store, reporting the version and when.
    #[arg(long)]
    pub history: bool,
    /// Order by relevance (with a recency boost) or by last change alone.
    #[arg(long, value_enum, default_value_t = SortBy::Relevance, value_name = "ORDER")]
    pub sort: SortBy,
    /// List files changed within DURATION (e.g. `2h`, `3d`), newest first, from git and the
    /// store, with change counts.
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["related"])]
    pub recent: Option<String>,
    /// List files related to FILE: imports both ways, changed together, shared rare terms.
    #[arg(long, value_name = "FILE")]
    pub related: Option<PathBuf>,
    /// Print only the paths of matching files.
    #[arg(short = 'l', long)]
    pub files: bool,
    /// End each path with a NUL byte instead of a newline (implies --files).
    #[arg(short = '0', long = "null")]
    pub null: bool,
    /// Matching lines shown per file.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub lines: usize,
    /// Walk the tree and re-index changed files before searching.
    #[arg(short = 'u', long)]
    pub update: bool,
    /// Rebuild the index from scratch (also repairs a damaged index).
    #[arg(long)]
    pub rebuild: bool,
}
