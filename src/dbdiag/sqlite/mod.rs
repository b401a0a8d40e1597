//! The SQLite driver: opens a user's database read-only (never creating it), reads its schema
//! once, and runs the checks of the registry on it.
//!
//! The file is opened with `SQLITE_OPEN_READ_ONLY` (no `CREATE`), so a mistyped path is an error
//! and not a new empty database, and a busy timeout so a writer holding a lock makes us wait, then
//! fail with [`DbDiagError::Busy`]. The schema (tables, columns, indexes with their key columns,
//! foreign keys) is loaded once at open through the `pragma_*` table-valued functions and shared
//! by the checks, the index advisor and the declared-index comparison.

pub(crate) mod checks;
mod pages;
mod space;

pub use checks::actual_indexes;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{DbDiagError, Driver, Engine, Options, Outcome, Profile};

/// One index of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexMeta {
    /// Its name (`sqlite_autoindex_*` for UNIQUE/PRIMARY KEY constraints).
    pub name: String,
    /// Key columns in order; an expression key is `<expr>`.
    pub columns: Vec<String>,
    /// UNIQUE.
    pub unique: bool,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint), `pk` (PRIMARY KEY).
    pub origin: String,
    /// Has a WHERE clause.
    pub partial: bool,
    /// Its CREATE INDEX text (none for automatic indexes).
    pub sql: Option<String>,
}

/// A foreign key of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    /// Child columns, in order.
    pub columns: Vec<String>,
    /// The parent table.
    pub parent: String,
}

/// One table of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableMeta {
    /// Its name.
    pub name: String,
    /// Its CREATE text.
    pub sql: Option<String>,
    /// `table`, `virtual` or `shadow` (tables a virtual table keeps its data in).
    pub kind: String,
    /// WITHOUT ROWID.
    pub without_rowid: bool,
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The columns of the INTEGER PRIMARY KEY or PRIMARY KEY, in key order.
    pub primary_key: Vec<String>,
    /// Its indexes.
    pub indexes: Vec<IndexMeta>,
    /// Its foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
}

/// The user-visible schema of the main database.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Ordinary tables (virtual and shadow tables included, marked by `kind`).
    pub tables: Vec<TableMeta>,
    /// Views: (name, CREATE VIEW text).
    pub views: Vec<(String, String)>,
}

impl Schema {
    /// The ordinary (not virtual, not shadow) tables.
    pub fn plain_tables(&self) -> impl Iterator<Item = &TableMeta> {
        self.tables.iter().filter(|t| t.kind == "table")
    }

    /// A table by name (case-insensitive, as SQLite resolves names).
    #[must_use]
    pub fn table(&self, name: &str) -> Option<&TableMeta> {
        self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}

/// An open SQLite database under diagnosis.
pub struct Sqlite {
    conn: Connection,
    path: PathBuf,
    schema: Schema,
    busy_timeout: Duration,
    dbstat: Option<std::collections::BTreeMap<String, space::BtreeStat>>,
    advice: Option<Vec<crate::dbdiag::advisor::QueryAdvice>>,
}

impl Sqlite {
    /// Opens `path` read-only with a busy timeout and loads its schema.
    ///
    /// # Errors
    /// [`DbDiagError::Missing`] (nothing is created), [`DbDiagError::NotADatabase`],
    /// [`DbDiagError::Busy`], [`DbDiagError::Corrupt`], other SQLite errors.
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Self, DbDiagError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DbDiagError::Missing(path.to_owned()));
            }
            Err(source) => return Err(DbDiagError::Read { path: path.to_owned(), source }),
            Ok(m) if m.is_dir() => return Err(DbDiagError::NotADatabase(path.to_owned())),
            Ok(_) => {}
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let fail = |e| classify(path, busy_timeout, e);
        let conn = Connection::open_with_flags(path, flags).map_err(fail)?;
        conn.busy_timeout(busy_timeout).map_err(fail)?;
        // Reading the schema takes the shared lock: a locked, encrypted or foreign file fails here.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
            .map_err(fail)?;
        let schema = load_schema(&conn).map_err(fail)?;
        Ok(Self { conn, path: path.to_owned(), schema, busy_timeout, dbstat: None, advice: None })
    }

    /// The schema read at open.
    #[must_use]
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The connection (read-only).
    #[must_use]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Turns a SQLite error on this database into a [`DbDiagError`].
    pub(crate) fn err(&self, e: rusqlite::Error) -> DbDiagError {
        classify(&self.path, self.busy_timeout, e)
    }
}

/// When the file is shorter than its header says: a sentence saying so.
#[must_use]
pub fn truncation(path: &Path) -> Option<String> {
    use std::io::Read as _;
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut header).ok()?;
    let len = file.metadata().ok()?.len();
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let expected = page_size * pages;
    (len < expected).then(|| {
        format!("the file holds {len} bytes but its header says {expected} ({pages} pages): it is truncated")
    })
}

/// Runs DDL on the database in one transaction (the only write db-diag does, behind
/// `--apply --allow-write`); the file must exist, it is never created.
///
/// # Errors
/// [`DbDiagError::Missing`], [`DbDiagError::Busy`], SQLite errors.
pub fn apply(path: &Path, busy_timeout: Duration, ddl: &[String]) -> Result<(), DbDiagError> {
    if !path.exists() {
        return Err(DbDiagError::Missing(path.to_owned()));
    }
    let fail = |e| classify(path, busy_timeout, e);
    let mut conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(fail)?;
    conn.busy_timeout(busy_timeout).map_err(fail)?;
    let tx =
        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(fail)?;
    for sql in ddl {
        tx.execute_batch(sql).map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

/// Sorts a SQLite error into the cases a user can act on.
pub(crate) fn classify(path: &Path, waited: Duration, e: rusqlite::Error) -> DbDiagError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => DbDiagError::NotADatabase(path.to_owned()),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            DbDiagError::Busy { path: path.to_owned(), waited }
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            DbDiagError::Corrupt { path: path.to_owned(), detail: e.to_string() }
        }
        _ => DbDiagError::Sqlite { path: path.to_owned(), source: e },
    }
}

impl Driver for Sqlite {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn run_check(
        &mut self,
        id: &'static str,
        profile: Profile,
        opts: &Options,
    ) -> Result<Outcome, DbDiagError> {
        match id {
            "table_stats" => space::table_stats(self, profile),
            "space" => space::space(self, profile),
            "integrity" => checks::integrity(self, profile),
            "stale_stats" => checks::stale_stats(self, profile),
            "missing_index" => checks::missing_index(self, opts),
            "fk_without_index" => Ok(checks::fk_without_index(&self.schema)),
            "duplicate_index" => Ok(checks::duplicate_index(&self.schema)),
            "redundant_index" => Ok(checks::redundant_index(&self.schema)),
            "unused_index" => checks::unused_index(self, opts),
            "connections" => checks::connections(self),
            "pragmas" => checks::pragmas(self),
            "n_plus_one" => Ok(super::nplusone::check(opts)),
            "declared_indexes" => Ok(checks::declared(self, opts)),
            other => Ok(Outcome::skipped(format!("`{other}` is not a SQLite check"))),
        }
    }
}

fn load_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut schema = Schema::default();
    let mut list = conn.prepare(
        "SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let rows = list.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?))
    })?;
    let mut sql_of = conn.prepare("SELECT sql FROM sqlite_schema WHERE name = ?1")?;
    for row in rows {
        let (name, kind, without_rowid) = row?;
        let sql: Option<String> = sql_of.query_row([&name], |r| r.get(0)).unwrap_or(None);
        if kind == "view" {
            schema.views.push((name, sql.unwrap_or_default()));
            continue;
        }
        let mut table = TableMeta {
            name,
            sql,
            kind,
            without_rowid,
            columns: Vec::new(),
            primary_key: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        };
        if table.kind == "table" {
            load_table(conn, &mut table)?;
        }
        schema.tables.push(table);
    }
    Ok(schema)
}

fn load_table(conn: &Connection, t: &mut TableMeta) -> rusqlite::Result<()> {
    let mut cols =
        conn.prepare_cached("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let mut pk: Vec<(i64, String)> = Vec::new();
    for row in cols.query_map([&t.name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (name, key) = row?;
        if key > 0 {
            pk.push((key, name.clone()));
        }
        t.columns.push(name);
    }
    pk.sort();
    t.primary_key = pk.into_iter().map(|(_, n)| n).collect();
    let mut list = conn.prepare_cached(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
    )?;
    let mut keys = conn
        .prepare_cached("SELECT cid, name FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno")?;
    let mut sql_of = conn.prepare_cached("SELECT sql FROM sqlite_schema WHERE name = ?1")?;
    let indexes: Vec<(String, bool, String, bool)> = list
        .query_map([&t.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, unique, origin, partial) in indexes {
        let columns = keys
            .query_map([&name], |r| {
                let cid: i64 = r.get(0)?;
                let col: Option<String> = r.get(1)?;
                Ok(if cid == -2 { "<expr>".to_owned() } else { col.unwrap_or_default() })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let sql: Option<String> = sql_of.query_row([&name], |r| r.get(0)).unwrap_or(None);
        t.indexes.push(IndexMeta { name, columns, unique, origin, partial, sql });
    }
    let mut fks = conn.prepare_cached(
        "SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
    )?;
    let mut last: Option<i64> = None;
    for row in fks.query_map([&t.name], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })? {
        let (id, parent, from) = row?;
        match t.foreign_keys.last_mut() {
            Some(fk) if last == Some(id) => fk.columns.push(from),
            _ => t.foreign_keys.push(ForeignKey { columns: vec![from], parent }),
        }
        last = Some(id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(sql: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        (dir, path)
    }

    #[test]
    fn loads_schema_with_indexes_and_foreign_keys() {
        let (_d, path) = fixture(
            "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
             CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), v TEXT);
             CREATE INDEX c_v ON c(v, lower(v));
             CREATE VIEW cv AS SELECT * FROM c;",
        );
        let db = Sqlite::open(&path, Duration::from_millis(10)).unwrap();
        let c = db.schema().table("c").unwrap();
        assert_eq!(c.columns, ["id", "p_id", "v"]);
        assert_eq!(c.indexes[0].columns, ["v", "<expr>"]);
        assert_eq!(c.foreign_keys[0].columns, ["p_id"]);
        assert_eq!(db.schema().table("p").unwrap().indexes[0].origin, "u");
        assert_eq!(db.schema().views.len(), 1);
    }

    #[test]
    fn missing_file_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.db");
        assert!(matches!(Sqlite::open(&path, Duration::ZERO), Err(DbDiagError::Missing(_))));
        assert!(!path.exists());
    }
}
