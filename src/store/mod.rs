//! The project store: a SQLite database in `.obby/obby.db` beside a tantivy index in
//! `.obby/index/`.
//!
//! It owns finding the store (walking up from the current directory as git finds `.git`, or
//! `--store`/`OBBY_STORE`), opening it (one writer with a busy timeout so a second process waits;
//! readers open it read-only), the schema and its forward-only migrations ([`schema`]), content
//! blobs ([`blob`]), and the batched writer ([`writer`]). A store written by a newer obby is
//! refused before anything touches it.

pub mod blob;
pub mod read;
pub mod schema;
pub mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use read::{VersionRow, blob_content};
pub use writer::{Batch, NewVersion, StatInfo};

/// Name of the store directory at the project root.
pub const STORE_DIR: &str = ".obby";
/// Name of the database file inside the store directory.
pub const DB_FILE: &str = "obby.db";
/// How long a writer waits for another writer before giving up, by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Errors finding, opening or migrating the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No `.obby/` above the starting directory.
    #[error("no obby store found in `{}` or any parent directory", start.display())]
    NotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// `--store`/`OBBY_STORE` names something that is not a store.
    #[error("`{}` is not an obby store (no `.obby/obby.db` there)", path.display())]
    NotAStore {
        /// The path given.
        path: PathBuf,
    },
    /// `obby init` found a store already there.
    #[error("an obby store already exists at `{}`", path.display())]
    Exists {
        /// The store directory.
        path: PathBuf,
    },
    /// The store's schema is newer than this binary understands.
    #[error("the store `{}` has schema version {found}, newer than this obby understands ({supported})", path.display())]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The store's `user_version`.
        found: i64,
        /// The highest version this build knows.
        supported: i64,
    },
    /// The database file is not an obby store (a foreign SQLite file, or not SQLite at all).
    #[error("`{}` is not an obby store database: {reason}", path.display())]
    Foreign {
        /// The database file.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// SQLite reported an error.
    #[error("store `{}`: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// Creating the store directory failed.
    #[error("cannot create `{}`", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A blob could not be decoded.
    #[error("blob {hash}: {reason}")]
    Blob {
        /// The blob's hash.
        hash: String,
        /// What is wrong.
        reason: String,
    },
}

impl StoreError {
    /// What the user can do about it.
    #[must_use]
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::NotFound { .. } => Some("run `obby init` in the project's root directory".into()),
            Self::NotAStore { .. } => {
                Some("point `--store` (or OBBY_STORE) at a directory that holds `.obby/`, or run `obby init` there".into())
            }
            Self::Exists { .. } => Some("use the existing store, or remove its `.obby/` directory to start over".into()),
            Self::TooNew { .. } => Some("upgrade obby to open this store; it was left untouched".into()),
            Self::Foreign { .. } => Some(
                "the file is damaged or belongs to another program; move it aside and run `obby init` to start a new store"
                    .into(),
            ),
            Self::Sqlite { source, .. } if is_busy(source) => {
                Some("another obby process holds the store; wait for it or raise `store.busy_timeout`".into())
            }
            Self::Sqlite { source, .. } if is_corrupt(source) => Some(
                "the database is damaged: `obby db-diag --profile full` shows how badly; restore `.obby/obby.db` from a backup or move it aside and re-init".into(),
            ),
            _ => None,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// Where a store lives: the project root and its `.obby/` directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The project root (the directory that holds `.obby/`); store paths are relative to it.
    pub root: PathBuf,
    /// The `.obby/` directory.
    pub dir: PathBuf,
}

impl Location {
    /// The location for a project root.
    #[must_use]
    pub fn at_root(root: &Path) -> Self {
        Self { root: root.to_path_buf(), dir: root.join(STORE_DIR) }
    }

    /// The database file.
    #[must_use]
    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// The search index directory.
    #[must_use]
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    /// Finds the store: `explicit` (a project root, a `.obby` directory or an `obby.db` file) when
    /// given, otherwise the nearest `.obby/obby.db` walking up from `start`.
    ///
    /// # Errors
    /// [`StoreError::NotAStore`] for an explicit path without a store, [`StoreError::NotFound`]
    /// when the walk finds none.
    pub fn discover(start: &Path, explicit: Option<&Path>) -> Result<Self, StoreError> {
        if let Some(path) = explicit {
            let path = crate::paths::normalize(start, path);
            if path.join(STORE_DIR).join(DB_FILE).is_file() {
                return Ok(Self::at_root(&path));
            }
            if path.file_name().is_some_and(|n| n == STORE_DIR) && path.join(DB_FILE).is_file() {
                let root = path.parent().unwrap_or(&path).to_path_buf();
                return Ok(Self { root, dir: path });
            }
            if path.file_name().is_some_and(|n| n == DB_FILE) && path.is_file() {
                let dir = path.parent().unwrap_or(&path).to_path_buf();
                let root = dir.parent().unwrap_or(&dir).to_path_buf();
                return Ok(Self { root, dir });
            }
            return Err(StoreError::NotAStore { path });
        }
        let mut dir = Some(start);
        while let Some(d) = dir {
            if d.join(STORE_DIR).join(DB_FILE).is_file() {
                return Ok(Self::at_root(d));
            }
            dir = d.parent();
        }
        Err(StoreError::NotFound { start: start.to_path_buf() })
    }
}

/// An open store.
pub struct Store {
    conn: Connection,
    location: Location,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("location", &self.location).finish_non_exhaustive()
    }
}

impl Store {
    /// Creates a new store at `root/.obby/`.
    ///
    /// # Errors
    /// [`StoreError::Exists`] when one is there already; I/O and SQLite errors.
    pub fn init(root: &Path) -> Result<Self, StoreError> {
        let location = Location::at_root(root);
        if location.db_path().exists() {
            return Err(StoreError::Exists { path: location.dir });
        }
        std::fs::create_dir_all(&location.dir)
            .map_err(|source| StoreError::Io { path: location.dir.clone(), source })?;
        let store = Self::open_rw(&location, DEFAULT_BUSY_TIMEOUT, true)?;
        Ok(store)
    }

    /// Opens an existing store for writing, migrating it to the current schema.
    ///
    /// # Errors
    /// [`StoreError::TooNew`] for a newer store (left untouched), [`StoreError::Foreign`] for a
    /// file that is not an obby store, SQLite errors.
    pub fn open(location: &Location, busy_timeout: Duration) -> Result<Self, StoreError> {
        Self::open_rw(location, busy_timeout, false)
    }

    fn open_rw(
        location: &Location,
        busy_timeout: Duration,
        create: bool,
    ) -> Result<Self, StoreError> {
        let path = location.db_path();
        let sq = |source| StoreError::Sqlite { path: path.clone(), source };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(&path, flags).map_err(sq)?;
        conn.busy_timeout(busy_timeout).map_err(sq)?;
        // Refuse a newer or foreign file before changing anything (journal mode included).
        let version = schema::check_version(&conn, &path, create)?;
        if create {
            // Content blobs mostly spill into overflow pages, wasting half a page each on
            // average; 1 KiB pages keep that waste small (measured: 4 KiB pages added a third to
            // the store of a 20k-file tree). Only possible before the first write.
            conn.pragma_update(None, "page_size", 1024).map_err(sq)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sq)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sq)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sq)?;
        let mut store = Self { conn, location: location.clone() };
        schema::migrate(&mut store.conn, &path, version)?;
        Ok(store)
    }

    /// Opens a store read-only (queries, search, diff): no write can happen through it, and it
    /// never waits for writers (WAL readers see the last committed state).
    ///
    /// # Errors
    /// As [`Store::open`]; a store older than [`schema::MIN_READ_VERSION`] is refused with a
    /// hint to run a writing command first (an older one that differs only in indexes is read as it is).
    pub fn open_read_only(location: &Location) -> Result<Self, StoreError> {
        let path = location.db_path();
        let sq = |source| StoreError::Sqlite { path: path.clone(), source };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&path, flags).map_err(sq)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(sq)?;
        let version = schema::check_version(&conn, &path, false)?;
        if version < schema::MIN_READ_VERSION {
            return Err(StoreError::Foreign {
                path,
                reason: format!(
                    "schema version {version} needs an upgrade to {}; run `obby track` once to migrate it",
                    schema::CURRENT_VERSION
                ),
            });
        }
        conn.pragma_update(None, "query_only", "ON").map_err(sq)?;
        Ok(Self { conn, location: location.clone() })
    }

    /// The store's location.
    #[must_use]
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The project root.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.location.root
    }

    /// The underlying connection, for modules that run their own SQL (queries, search, import).
    #[must_use]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Mutable access to the connection (transactions).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Wraps a SQLite error with this store's path.
    #[must_use]
    pub fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.location.db_path(), source }
    }

    /// Starts a batched writer; `source` names what is writing (`track`, `watch`, `import`).
    ///
    /// # Errors
    /// SQLite errors (a busy store after the busy timeout).
    pub fn batch(&mut self, source: &str) -> Result<Batch<'_>, StoreError> {
        Batch::begin(self, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_discover_from_a_subdirectory() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        Store::init(&root).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        let loc = Location::discover(&root.join("a/b"), None).unwrap();
        assert_eq!(loc.root, root);
        assert!(matches!(Store::init(&root), Err(StoreError::Exists { .. })));
        let explicit = Location::discover(Path::new("/"), Some(&root.join(".obby"))).unwrap();
        assert_eq!(explicit.root, root);
    }

    #[test]
    fn no_store_is_a_hinted_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Location::discover(tmp.path(), None).unwrap_err();
        assert!(err.hint().unwrap().contains("obby init"));
    }
}
