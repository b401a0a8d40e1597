//! Bringing history in from elsewhere: the original Python obby's SQLite database
//! ([`obbydb`]) and obby's own JSON Lines export ([`jsonl`]).
//!
//! Every source is turned into the same thing, a time-ordered list of [`Change`]s, which
//! [`apply()`] writes into the store the way `track` would (content deduplicated by hash, deltas
//! against the file's previous content, line statistics). Each change carries an `origin`, a
//! stable identity of the source row, kept in `versions.origin` (UNIQUE): importing the same
//! source twice adds nothing, and re-running an interrupted import completes it without
//! duplicates. Sources are only ever read.

pub mod apply;
pub mod jsonl;
pub mod obbydb;
pub mod reroot;
mod stage;
pub mod times;

use std::path::PathBuf;

use crate::paths::RelPath;

pub use apply::{ImportReport, apply};

pub use crate::track::ChangeKind;

/// The content a change brings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// The bytes of the new version.
    Bytes(Vec<u8>),
    /// The source recorded a version but not its content (a NULL `content`): the hash is kept,
    /// the content is not.
    Missing,
    /// No content: a deletion.
    None,
}

/// One change to import, in time order.
#[derive(Clone, Debug)]
pub struct Change {
    /// Stable identity of the source row (`versions.origin`).
    pub origin: String,
    /// The file's path relative to the store root.
    pub path: RelPath,
    /// The previous path of a rename.
    pub old_path: Option<RelPath>,
    /// What happened.
    pub change: ChangeKind,
    /// When (UTC ms since the epoch).
    pub recorded_at: i64,
    /// The new content.
    pub content: Content,
    /// The hash the source claims for the content (checked against the content).
    pub claimed_hash: Option<String>,
    /// `file` or `symlink`.
    pub kind: String,
}

/// One thing to import: a change of a file, or a note about the history.
#[derive(Clone, Debug)]
pub enum Item {
    /// A change.
    Change(Change),
    /// A note.
    Note(Note),
}

/// A searchable note about the history (an imported semantic summary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Stable identity of the source row (`notes.origin`).
    pub origin: String,
    /// The file it is about, if any.
    pub path: Option<RelPath>,
    /// When (UTC ms).
    pub recorded_at: i64,
    /// The one-line summary.
    pub summary: Option<String>,
    /// The longer searchable text.
    pub body: Option<String>,
    /// Topics.
    pub topics: Vec<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// minor, moderate or significant.
    pub impact: Option<String>,
}

/// Something the importer wants the user to know; the run goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The source's hash disagrees with the content; the real hash was used.
    HashMismatch {
        /// The file.
        path: RelPath,
        /// What the source recorded.
        recorded: String,
        /// The hash of the content.
        actual: String,
    },
    /// A version without content: imported as hash and size only.
    NullContent {
        /// The file.
        path: RelPath,
        /// The source row.
        row: String,
    },
    /// A source path outside the old project root: not imported.
    Outside {
        /// The path as the source wrote it.
        path: String,
        /// The root it should be under.
        root: String,
    },
    /// A table the importer does not know: reported and skipped.
    UnknownTable(String),
    /// A row that was not imported, and why.
    Skipped {
        /// The source row.
        row: String,
        /// Why.
        reason: String,
    },
}

/// Receives notices and progress from an import or export, and says when to stop.
pub trait Observer {
    /// A notice.
    fn notice(&mut self, notice: Notice);
    /// `done` more units of work finished.
    fn progress(&mut self, done: u64);
    /// True once the run should stop (Ctrl-C); work done so far is committed.
    fn should_stop(&self) -> bool;
    /// A version was (or in a dry run would be) imported; `new` is false when it was there.
    fn version(&mut self, _path: &RelPath, _change: &str, _recorded_at: i64, _new: bool) {}
}

/// Errors of an import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The source file does not exist or cannot be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The source.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a SQLite database.
    #[error("`{}` is not a SQLite database", path.display())]
    NotSqlite {
        /// The source.
        path: PathBuf,
    },
    /// A SQLite database without one of the original obby's tables.
    #[error("`{}` is not an obby database: it has no `{table}` table", path.display())]
    MissingTable {
        /// The source.
        path: PathBuf,
        /// The first missing table.
        table: String,
    },
    /// A table of the original that lacks a column the import needs.
    #[error("`{}`: table `{table}` has no `{column}` column (a version of obby this importer does not know)", path.display())]
    MissingColumn {
        /// The source.
        path: PathBuf,
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The source stayed locked by another program for longer than the busy timeout.
    #[error("`{}` is locked by another program", path.display())]
    Locked {
        /// The source.
        path: PathBuf,
    },
    /// SQLite failed reading the source.
    #[error("reading `{}`", path.display())]
    Sqlite {
        /// The source.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A line of a JSON Lines file that cannot be read.
    #[error("{}:{line}: {reason}", path.display())]
    BadLine {
        /// The source.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// `--from-root` or `--timezone` is not usable.
    #[error("{0}")]
    BadOption(String),
    /// Writing the store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A compression worker stopped without handing its chunk back (a bug; nothing after the
    /// last committed chunk was written).
    #[error("a compression worker failed; the import stopped after the last whole chunk")]
    Worker,
}

impl ImportError {
    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::NotSqlite { .. } => {
                Some("give the original's `.db/obby.db`, or a file written by `obby export jsonl`")
            }
            Self::MissingTable { .. } | Self::MissingColumn { .. } => Some(
                "point at the original obby's database (by default `.db/obby.db` under its project root)",
            ),
            Self::Locked { .. } => Some(
                "stop the original obby (or copy its database) and run the import again; raise `--busy-timeout` to wait longer",
            ),
            Self::BadLine { .. } => Some("the file should be what `obby export jsonl` writes"),
            _ => None,
        }
    }
}

/// The origin identity of a source row: a short hash of what identifies it, prefixed by the
/// source kind, so it survives re-rooting and never collides across sources in practice.
#[must_use]
pub fn origin_id(prefix: &str, parts: &[&[u8]]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(prefix.len() + 25);
    out.push_str(prefix);
    out.push(':');
    for b in &digest[..12] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use sha2::Digest as _;

    use super::*;

    #[test]
    fn origin_ids_are_stable() {
        // The identity of a source row must not change between obby versions: re-importing
        // relies on it. Prefix, then the first 12 bytes of the SHA-256 of length-prefixed parts.
        let mut h = sha2::Sha256::new();
        for p in [&b"diff"[..], b"\x07\xff"] {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        let want = h.finalize()[..12].iter().fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
        assert_eq!(origin_id("obby", &[b"diff", b"\x07\xff"]), format!("obby:{want}"));
    }

    struct Quiet;

    impl Observer for Quiet {
        fn notice(&mut self, _: Notice) {}
        fn progress(&mut self, _: u64) {}
        fn should_stop(&self) -> bool {
            false
        }
    }

    /// A bulk import skips the `CHECK` on `versions.change` (it only writes valid kinds); the
    /// store's connection has it back afterwards, also for statements cached during the run.
    #[test]
    fn the_change_check_is_back_after_an_import() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::init(tmp.path()).unwrap();
        let change = |n: i64, kind: ChangeKind, text: &str| {
            Ok(Item::Change(Change {
                origin: format!("test:{n}"),
                path: RelPath::from_bytes(b"a.md".to_vec()),
                old_path: None,
                change: kind,
                recorded_at: 1_000 * n,
                content: Content::Bytes(text.as_bytes().to_vec()),
                claimed_hash: None,
                kind: "file".into(),
            }))
        };
        let items = vec![
            change(1, ChangeKind::Created, "one\n"),
            change(2, ChangeKind::Modified, "one\ntwo\n"),
        ];
        let report = apply::apply(&mut store, "import:test", items, false, &mut Quiet).unwrap();
        assert_eq!(report.versions, 2);
        let bad = store.conn().execute(
            "INSERT INTO versions(file_id, batch_id, change, recorded_at)
             SELECT file_id, batch_id, 'bogus', 5 FROM versions LIMIT 1",
            [],
        );
        assert!(bad.is_err(), "an invalid change kind was accepted after the import");
    }
}
