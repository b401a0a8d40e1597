//! SQL functions that give queries what plain SQL cannot see: blob content (zstd and delta
//! encoded in the store), diffs between versions, glob matching and readable times.
//!
//! | function                          | returns                                              |
//! |-----------------------------------|------------------------------------------------------|
//! | `obby_content(hash)`              | the content (text, or a blob for binary content)     |
//! | `obby_diff(old_hash, new_hash[, path])` | a unified diff (NULL hashes are empty files)   |
//! | `obby_matches(hash, keyword)`     | lines of the content containing `keyword` (any case) |
//! | `obby_glob(pattern, path)`        | 1 when `path` matches the glob, else 0               |
//! | `obby_time(ms)`                   | UTC milliseconds as RFC 3339 text                    |
//!
//! Content is read through a second read-only connection (the function runs inside the query's
//! own statement) and memoised: a decoded blob and a computed diff never change, since blobs are
//! addressed by their hash. Decoding a delta chain keeps every intermediate version, so the
//! previous version of a file, usually the base of the next, costs nothing more. The memo is
//! bounded by size and dropped whole when full.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::store::blob::{self, Codec};

/// `PRAGMA mmap_size` of the query connections.
pub const MMAP_SIZE: i64 = 0;
/// `PRAGMA cache_size` of the query connections (negative: KiB). The store's pages are 1 KiB,
/// so SQLite's default of 2 MiB held too few of the blob index's pages for a query that decodes
/// thousands of blobs, and they were read again and again.
pub const CACHE_SIZE: i64 = -32768;
/// Bytes of decoded content kept in the memo before it is dropped.
const CONTENT_BUDGET: usize = 64 << 20;
/// Bytes of diff text kept in the memo before it is dropped.
const DIFF_BUDGET: usize = 16 << 20;

/// Decoded content and diffs, shared by the SQL functions of one connection.
pub struct ContentCache {
    db_path: PathBuf,
    /// The project root: live files' content may be read from the working tree.
    root: PathBuf,
    conn: Option<Connection>,
    content: HashMap<String, Option<Arc<Vec<u8>>>>,
    content_bytes: usize,
    diffs: HashMap<(Option<String>, Option<String>), Arc<str>>,
    diff_bytes: usize,
    /// A query is running: its content reads share one read transaction.
    in_run: bool,
    /// The content connection holds that read transaction open.
    txn_open: bool,
}

type Shared = Arc<Mutex<ContentCache>>;

impl ContentCache {
    fn new(db_path: &Path, root: &Path) -> Self {
        Self {
            db_path: db_path.to_path_buf(),
            root: root.to_path_buf(),
            conn: None,
            content: HashMap::new(),
            content_bytes: 0,
            diffs: HashMap::new(),
            diff_bytes: 0,
            in_run: false,
            txn_open: false,
        }
    }

    /// A query starts: the content it reads comes from one snapshot, read in one transaction
    /// (a transaction per blob cost more than the blob itself: a `recent-diffs` reads hundreds).
    pub fn begin_run(&mut self) {
        self.in_run = true;
    }

    /// The query is done: the snapshot is released, so a long-lived executor sees new versions.
    pub fn end_run(&mut self) {
        self.in_run = false;
        if std::mem::take(&mut self.txn_open)
            && let Some(conn) = &self.conn
        {
            let _ = conn.execute_batch("COMMIT");
        }
    }

    /// Forgets every memoised blob and diff.
    pub fn clear(&mut self) {
        self.content.clear();
        self.diffs.clear();
        self.content_bytes = 0;
        self.diff_bytes = 0;
    }

    fn conn(&mut self) -> rusqlite::Result<&Connection> {
        let begin = self.in_run && !self.txn_open;
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.open()?,
        };
        if begin {
            conn.execute_batch("BEGIN")?;
            self.txn_open = true;
        }
        Ok(self.conn.insert(conn))
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.db_path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
        Ok(conn)
    }

    /// The content of `hash`, `None` when the store kept only its hash (too large).
    fn content(&mut self, hash: &str) -> rusqlite::Result<Option<Arc<Vec<u8>>>> {
        if let Some(c) = self.content.get(hash) {
            return Ok(c.clone());
        }
        // Walk down the delta chain to a memoised version or a whole one.
        let mut chain: Vec<(String, i64, usize, Vec<u8>)> = Vec::new();
        let mut next = Some(hash.to_owned());
        let mut base: Option<Arc<Vec<u8>>> = None;
        while let Some(h) = next.take() {
            if let Some(c) = self.content.get(&h) {
                base.clone_from(c);
                break;
            }
            if chain.len() > usize::try_from(blob::MAX_DELTA_DEPTH).unwrap_or(64) + 1 {
                return Err(user_error(format!("blob {hash}: delta chain too long")));
            }
            let row = self
                .conn()?
                .prepare_cached("SELECT codec, size, base_hash, data FROM blobs WHERE hash = ?1")?
                .query_row([&h], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get(3)?,
                    ))
                })
                .optional()?
                .ok_or_else(|| user_error(format!("blob {h} is missing from the store")))?;
            next = row.2;
            chain.push((h, row.0, usize::try_from(row.1).unwrap_or(0), row.3));
        }
        let mut content = base;
        for (h, codec, size, data) in chain.into_iter().rev() {
            let codec = Codec::from_i64(codec)
                .ok_or_else(|| user_error(format!("blob {h}: unknown codec")))?;
            // Content not kept (or a delta on such content) has no bytes to show.
            let decoded = if codec == Codec::Absent || (codec == Codec::Delta && content.is_none())
            {
                None
            } else {
                let bytes = blob::decode(codec, &data, size, content.as_deref().map(Vec::as_slice))
                    .map_err(|e| user_error(format!("blob {h}: {e}")))?;
                Some(Arc::new(bytes))
            };
            self.remember(h, decoded.clone());
            content = decoded;
        }
        Ok(content)
    }

    /// The content of `hash`, read from the working tree file at `path` (relative to the root)
    /// when that file still holds exactly this content, from the store otherwise.
    ///
    /// A live file's newest version is the end of its delta chain, the dearest content to
    /// decode; the file itself is one read. Its SHA-256 is checked, so what comes back is
    /// always the content of `hash` (no trust in timestamps), and content the store did not
    /// keep (too large) is not shown from the tree either.
    fn content_at(
        &mut self,
        hash: &str,
        path: Option<&[u8]>,
    ) -> rusqlite::Result<Option<Arc<Vec<u8>>>> {
        if let Some(c) = self.content.get(hash) {
            return Ok(c.clone());
        }
        if let Some(path) = path
            && let Some(content) = self.read_live(hash, path)?
        {
            let content = Arc::new(content);
            self.remember(hash.to_owned(), Some(Arc::clone(&content)));
            return Ok(Some(content));
        }
        self.content(hash)
    }

    fn read_live(&mut self, hash: &str, path: &[u8]) -> rusqlite::Result<Option<Vec<u8>>> {
        let rel = Path::new(std::ffi::OsStr::from_bytes(path));
        // Only a path inside the tree, as the store records them.
        if path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Ok(None);
        }
        let kept = self
            .conn()?
            .prepare_cached("SELECT codec, size FROM blobs WHERE hash = ?1")?
            .query_row([hash], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .optional()?;
        let Some((codec, size)) = kept else { return Ok(None) };
        if Codec::from_i64(codec).is_none_or(|c| c == Codec::Absent) {
            return Ok(None);
        }
        let file = self.root.join(rel);
        let size = u64::try_from(size).unwrap_or(0);
        // Line endings are normalised, so the file holds at most twice the content's bytes.
        match std::fs::symlink_metadata(&file) {
            Ok(m) if m.is_file() && m.len() <= size.saturating_mul(2) => {}
            _ => return Ok(None),
        }
        let Ok(hashed) = crate::hash::hash_file(&file, usize::try_from(size).unwrap_or(0)) else {
            return Ok(None);
        };
        let hashed = hashed.hashed;
        Ok(if hashed.hash == hash { hashed.content } else { None })
    }

    fn remember(&mut self, hash: String, content: Option<Arc<Vec<u8>>>) {
        let len = content.as_ref().map_or(0, |c| c.len()) + hash.len();
        if self.content_bytes + len > CONTENT_BUDGET {
            self.content.clear();
            self.content_bytes = 0;
        }
        self.content_bytes += len;
        self.content.insert(hash, content);
    }

    fn diff(
        &mut self,
        old: Option<&str>,
        new: Option<&str>,
        path: &str,
    ) -> rusqlite::Result<Option<Arc<str>>> {
        let key = (old.map(str::to_owned), new.map(str::to_owned));
        if let Some(d) = self.diffs.get(&key) {
            return Ok(Some(Arc::clone(d)));
        }
        let load = |this: &mut Self, h: Option<&str>| -> rusqlite::Result<Option<Arc<Vec<u8>>>> {
            match h {
                Some(h) => this.content(h),
                None => Ok(Some(Arc::new(Vec::new()))),
            }
        };
        let (Some(a), Some(b)) = (load(self, old)?, load(self, new)?) else { return Ok(None) };
        let text: Arc<str> =
            crate::diff::unified_text(&a, &b, &format!("a/{path}"), &format!("b/{path}"), 3).into();
        if self.diff_bytes + text.len() > DIFF_BUDGET {
            self.diffs.clear();
            self.diff_bytes = 0;
        }
        self.diff_bytes += text.len();
        self.diffs.insert(key, Arc::clone(&text));
        Ok(Some(text))
    }
}

fn user_error(msg: String) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(msg.into())
}

fn opt_text(ctx: &Context<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    match ctx.get_raw(i) {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) | ValueRef::Blob(t) => Ok(Some(String::from_utf8_lossy(t).into_owned())),
        _ => Err(user_error(format!("argument {} must be text", i + 1))),
    }
}

/// A path argument: text or blob bytes (store paths are exact bytes), NULL for none.
fn opt_bytes<'a>(ctx: &'a Context<'_>, i: usize) -> rusqlite::Result<Option<&'a [u8]>> {
    match ctx.get_raw(i) {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) | ValueRef::Blob(t) => Ok(Some(t)),
        _ => Err(user_error(format!("argument {} must be a path", i + 1))),
    }
}

fn lock(cache: &Shared) -> std::sync::MutexGuard<'_, ContentCache> {
    cache.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registers the functions on `conn`; returns the memo they share.
///
/// # Errors
/// SQLite errors.
pub fn register(
    conn: &Connection,
    db_path: &Path,
    root: &Path,
) -> rusqlite::Result<Arc<Mutex<ContentCache>>> {
    let cache: Shared = Arc::new(Mutex::new(ContentCache::new(db_path, root)));
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;

    let c = Arc::clone(&cache);
    let content = move |ctx: &Context<'_>| -> rusqlite::Result<Value> {
        let Some(hash) = opt_text(ctx, 0)? else { return Ok(Value::Null) };
        let path = if ctx.len() > 1 { opt_bytes(ctx, 1)? } else { None };
        Ok(match lock(&c).content_at(&hash, path)? {
            None => Value::Null,
            Some(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) => Value::Text(s.to_owned()),
                Err(_) => Value::Blob(bytes.to_vec()),
            },
        })
    };
    let content1 = content.clone();
    conn.create_scalar_function("obby_content", 1, flags, move |ctx| content1(ctx))?;
    conn.create_scalar_function("obby_content", 2, flags, move |ctx| content(ctx))?;

    let c = Arc::clone(&cache);
    let diff = move |ctx: &Context<'_>| -> rusqlite::Result<Option<String>> {
        let (old, new) = (opt_text(ctx, 0)?, opt_text(ctx, 1)?);
        if old.is_none() && new.is_none() {
            return Ok(None);
        }
        let path =
            if ctx.len() > 2 { opt_text(ctx, 2)?.unwrap_or_default() } else { String::new() };
        Ok(lock(&c).diff(old.as_deref(), new.as_deref(), &path)?.map(|d| d.to_string()))
    };
    let diff2 = diff.clone();
    conn.create_scalar_function("obby_diff", 2, flags, move |ctx| diff2(ctx))?;
    conn.create_scalar_function("obby_diff", 3, flags, move |ctx| diff(ctx))?;

    let c = Arc::clone(&cache);
    let matches = move |ctx: &Context<'_>| -> rusqlite::Result<i64> {
        let (Some(hash), Some(word)) = (opt_text(ctx, 0)?, opt_text(ctx, 1)?) else { return Ok(0) };
        let path = if ctx.len() > 2 { opt_bytes(ctx, 2)? } else { None };
        let Some(content) = lock(&c).content_at(&hash, path)? else { return Ok(0) };
        Ok(count_matching_lines(&content, word.as_bytes()))
    };
    let matches2 = matches.clone();
    conn.create_scalar_function("obby_matches", 2, flags, move |ctx| matches2(ctx))?;
    conn.create_scalar_function("obby_matches", 3, flags, move |ctx| matches(ctx))?;

    conn.create_scalar_function("obby_glob", 2, flags, |ctx| {
        let matcher = ctx.get_or_create_aux(0, |v| -> Result<globset::GlobMatcher, String> {
            let pattern =
                String::from_utf8_lossy(v.as_bytes().map_err(|e| e.to_string())?).into_owned();
            let pattern = if pattern.contains('/') { pattern } else { format!("**/{pattern}") };
            globset::GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| e.to_string())
        })?;
        Ok(match ctx.get_raw(1) {
            ValueRef::Text(p) | ValueRef::Blob(p) => {
                matcher.is_match(Path::new(OsStr::from_bytes(p)))
            }
            _ => false,
        })
    })?;

    conn.create_aggregate_function("obby_distinct", 1, flags, super::distinct::Distinct)?;

    conn.create_scalar_function("obby_time", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Integer(ms) => Some(crate::timeparse::format_ms(ms)),
            ValueRef::Real(ms) => Some(crate::timeparse::format_ms(ms as i64)),
            _ => None,
        })
    })?;
    Ok(cache)
}

/// Lines of `content` that contain `word`, ASCII case ignored.
fn count_matching_lines(content: &[u8], word: &[u8]) -> i64 {
    if word.is_empty() {
        return 0;
    }
    let word: Vec<u8> = word.to_ascii_lowercase();
    content
        .split(|&b| b == b'\n')
        .filter(|line| line.windows(word.len()).any(|w| w.eq_ignore_ascii_case(&word)))
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `obby_content`/`obby_matches` given the live file's path: the tree's copy is used only
    /// when it is exactly the version asked for.
    #[test]
    fn live_content_comes_from_the_tree_only_when_it_is_that_version() {
        let tmp = tempfile::tempdir().unwrap();
        drop(crate::query::generate::generate(tmp.path(), 3, 6, 1).unwrap());
        let db = tmp.path().join(".obby/obby.db");
        let rw = Connection::open(&db).unwrap();
        let (hash, path): (String, String) = rw
            .query_row(
                "SELECT s.hash, f.path FROM file_state s JOIN files f ON f.id = s.file_id
                 ORDER BY f.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let file = tmp.path().join(&path);
        let on_disk = std::fs::read(&file).unwrap();
        // Damage the stored copy: only the tree can give the real content from here on.
        rw.execute(
            "UPDATE blobs SET codec = 0, data = x'21', base_hash = NULL, size = ?2 WHERE hash = ?1",
            rusqlite::params![hash, on_disk.len() as i64],
        )
        .unwrap();
        drop(rw);
        // A fresh connection each time: the memo would otherwise answer from the first read.
        let ask = |sql: &str, p: &str| -> Vec<u8> {
            let conn = Connection::open(&db).unwrap();
            register(&conn, &db, tmp.path()).unwrap();
            conn.query_row(sql, rusqlite::params![hash, p], |r| r.get(0)).unwrap()
        };
        let content = "SELECT CAST(obby_content(?1, ?2) AS BLOB)";
        assert_eq!(ask(content, &path), on_disk);
        assert_eq!(ask("SELECT CAST(obby_content(?1) || ?2 AS BLOB)", ""), b"!");
        let matches = |p: &str| -> i64 {
            let conn = Connection::open(&db).unwrap();
            register(&conn, &db, tmp.path()).unwrap();
            conn.query_row(
                "SELECT obby_matches(?1, 'TOPIC', ?2)",
                rusqlite::params![hash, p],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(matches(&path), 1);
        // Paths outside the tree are not read.
        assert_eq!(ask(content, &format!("../{}/{path}", tmp.path().display())), b"!");
        assert_eq!(ask(content, &file.display().to_string()), b"!");
        // The file changed since: the store answers.
        std::fs::write(&file, [on_disk.as_slice(), b"more\n"].concat()).unwrap();
        assert_eq!(ask(content, &path), b"!");
        assert_eq!(matches(&path), 0);
    }

    #[test]
    fn matching_lines_ignore_case() {
        assert_eq!(count_matching_lines(b"Rust is\nfun\nrUsTy\n", b"rust"), 2);
        assert_eq!(count_matching_lines(b"abc", b""), 0);
    }
}
