//! The tantivy schema, and opening the index for reading or writing.
//!
//! One document per file of the working tree (`kind` = `file`) and one per past version of a
//! file kept in the store (`kind` = `hist`). Content is indexed with positions (phrases) but not
//! stored: snippets are cut from the file (or the stored blob) at display time, which keeps the
//! index small. Fields:
//!
//! | field | what |
//! |-------|------|
//! | `key` | bytes, `f:` or `h:` + the path: the delete key of a path's documents |
//! | `path` | bytes, stored: the exact path |
//! | `path_text` | the path through the code tokenizer (`path:store`) |
//! | `path_prefix` | every directory prefix of the path (`path:src/store`) |
//! | `ext`, `lang` | lowercased extension and detected language, stored |
//! | `content` | the text, code tokenizer, positions |
//! | `defs` | names the file defines |
//! | `imports`, `modkeys` | module keys imported / answered to (`--related`) |
//! | `kind` | `file` or `hist` |
//! | `recency` | ms since the epoch of the last change (git, store, mtime); fast |
//! | `version`, `recorded_at`, `hash` | for `hist` documents: which version, when, its blob |
//! | `size`, `flags` | stored: file size; 1 = binary (path only), 2 = truncated |

use std::path::{Path, PathBuf};

use tantivy::schema::{
    BytesOptions, Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::SearchError;
use super::tokenizer::{CodeTokenizer, LowerRawTokenizer, PathPrefixTokenizer};

/// Bumped when the schema or tokenization changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;
/// Flag: binary file, indexed by path only.
pub const FLAG_BINARY: u64 = 1;
/// Flag: content indexed up to `search.max_file_size` only.
pub const FLAG_TRUNCATED: u64 = 2;

/// Handles of every field.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Delete key.
    pub key: Field,
    /// Exact path bytes (stored).
    pub path: Field,
    /// Tokenized path.
    pub path_text: Field,
    /// Directory prefixes.
    pub path_prefix: Field,
    /// Extension.
    pub ext: Field,
    /// Language.
    pub lang: Field,
    /// Content.
    pub content: Field,
    /// Definitions.
    pub defs: Field,
    /// Imported module keys.
    pub imports: Field,
    /// Module keys of this file.
    pub modkeys: Field,
    /// `file` or `hist`.
    pub kind: Field,
    /// Last change, ms.
    pub recency: Field,
    /// Version id (hist).
    pub version: Field,
    /// Recorded at, ms (hist).
    pub recorded_at: Field,
    /// Blob hash (hist).
    pub hash: Field,
    /// Size in bytes.
    pub size: Field,
    /// Flags.
    pub flags: Field,
}

fn text(tokenizer: &str, option: IndexRecordOption, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(option),
    );
    if stored { opts.set_stored() } else { opts }
}

/// The schema and its field handles.
#[must_use]
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let pos = IndexRecordOption::WithFreqsAndPositions;
    let basic = IndexRecordOption::Basic;
    let fields = Fields {
        key: b.add_bytes_field("key", BytesOptions::default().set_indexed()),
        path: b.add_bytes_field("path", STORED),
        path_text: b.add_text_field("path_text", text("code", pos, false)),
        path_prefix: b.add_text_field("path_prefix", text("path_prefix", basic, false)),
        ext: b.add_text_field("ext", text("lower_raw", basic, false)),
        lang: b.add_text_field("lang", text("lower_raw", basic, true)),
        content: b.add_text_field("content", text("code", pos, false)),
        defs: b.add_text_field("defs", text("code", pos, false)),
        imports: b.add_text_field("imports", text("lower_raw", basic, false)),
        modkeys: b.add_text_field("modkeys", text("lower_raw", basic, false)),
        kind: b.add_text_field("kind", text("lower_raw", basic, false)),
        recency: b.add_i64_field("recency", NumericOptions::default().set_fast().set_stored()),
        version: b.add_i64_field("version", STORED),
        recorded_at: b.add_i64_field("recorded_at", STORED),
        hash: b.add_text_field("hash", STORED),
        size: b.add_u64_field("size", STORED),
        flags: b.add_u64_field("flags", STORED),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    let t = index.tokenizers();
    t.register("code", TextAnalyzer::from(CodeTokenizer::default()));
    t.register("path_prefix", TextAnalyzer::from(PathPrefixTokenizer::default()));
    t.register("lower_raw", TextAnalyzer::from(LowerRawTokenizer::default()));
}

/// An open index: the tantivy index, its field handles and its directory.
pub struct SearchIndex {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// The index directory (`.obby/index`).
    pub dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// The file that records the schema version beside tantivy's own files.
const VERSION_FILE: &str = "obby-schema";

impl SearchIndex {
    /// True when `dir` holds an index of this schema version.
    #[must_use]
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
            && std::fs::read_to_string(dir.join(VERSION_FILE))
                .is_ok_and(|v| v.trim() == SCHEMA_VERSION.to_string())
    }

    /// Opens an existing index.
    ///
    /// # Errors
    /// [`SearchError::Missing`] when there is none (or of another schema version),
    /// [`SearchError::Corrupt`] when tantivy cannot open it.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        if !Self::exists(dir) {
            return Err(SearchError::Missing { dir: dir.to_path_buf() });
        }
        let index = Index::open_in_dir(dir)
            .map_err(|e| SearchError::Corrupt { dir: dir.to_path_buf(), reason: e.to_string() })?;
        let (_, fields) = build_schema();
        let same = index.schema().fields().count() == build_schema().0.fields().count();
        if !same {
            return Err(SearchError::Corrupt {
                dir: dir.to_path_buf(),
                reason: "unexpected schema".into(),
            });
        }
        register_tokenizers(&index);
        Ok(Self { index, fields, dir: dir.to_path_buf() })
    }

    /// Creates an empty index in `dir`, replacing whatever was there.
    ///
    /// # Errors
    /// I/O and tantivy errors.
    pub fn create(dir: &Path) -> Result<Self, SearchError> {
        let io = |source| SearchError::Io { path: dir.to_path_buf(), source };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = build_schema();
        let index = Index::create_in_dir(dir, schema).map_err(|e| SearchError::tantivy(dir, &e))?;
        register_tokenizers(&index);
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string()).map_err(io)?;
        Ok(Self { index, fields, dir: dir.to_path_buf() })
    }

    /// A reader of the last commit (no background reload thread).
    ///
    /// # Errors
    /// [`SearchError::Corrupt`] when the segments cannot be opened.
    pub fn reader(&self) -> Result<IndexReader, SearchError> {
        // A writer committing at the same moment can remove the segments of the commit this
        // reader started from; one retry reads the new commit.
        let open = || {
            self.index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .num_warming_threads(0)
                .try_into()
        };
        open()
            .or_else(|_| open())
            .map_err(|e| SearchError::Corrupt { dir: self.dir.clone(), reason: e.to_string() })
    }
}
