//! Tracked paths: a version (`--from`/`--to` REV, default the newest) against another or the
//! working copy. REV is a version id (the path as it was at that version of the store), `~N`
//! (N versions before the path's newest), or a time (the version current then).

use std::path::Path;

use rusqlite::OptionalExtension as _;

use super::{Report, Side};
use crate::error::with_hint;
use crate::paths::{RelPath, display_path};
use crate::store::Store;
use crate::store::read::{VERSION_COLUMNS, VersionRow};

/// A revision as the user wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rev {
    /// The state as of this version id.
    Id(i64),
    /// N versions before the newest.
    Back(usize),
    /// The state at this time (UTC ms).
    Time(i64),
}

impl Rev {
    pub(crate) fn parse(text: &str) -> anyhow::Result<Self> {
        let t = text.trim();
        let hint = "REV is a version id (see `obby log`), ~N (N versions back), or a time such as 2h, yesterday or 2026-11-20";
        if let Some(n) = t.strip_prefix('~') {
            let n = if n.is_empty() {
                1
            } else {
                n.parse().map_err(|_| with_hint(format!("`{text}` is not a revision"), hint))?
            };
            return Ok(Self::Back(n));
        }
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let id =
                t.parse().map_err(|_| with_hint(format!("`{text}` is not a revision"), hint))?;
            return Ok(Self::Id(id));
        }
        let ts = crate::timeparse::parse_time(t, jiff::Timestamp::now())
            .map_err(|e| with_hint(format!("`{text}` is not a revision: {e}"), hint))?;
        Ok(Self::Time(ts.as_millisecond()))
    }
}

/// The version of `path` at `rev`. With `strict`, `~N` beyond the path's oldest version is an
/// error (a single file was asked for); otherwise the path did not exist that far back.
fn version_at(
    store: &Store,
    path: &RelPath,
    rev: Rev,
    strict: bool,
) -> anyhow::Result<Option<VersionRow>> {
    let conn = store.conn();
    let one = |cond: &str, value: i64| -> anyhow::Result<Option<VersionRow>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM versions v JOIN files f ON f.id = v.file_id \
             WHERE f.path = ?1 AND {cond} ORDER BY v.id DESC LIMIT 1"
        );
        Ok(conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(rusqlite::params![path, value], VersionRow::from_row).optional()
            })
            .map_err(|e| store.err(e))?)
    };
    match rev {
        Rev::Id(id) => one("v.id <= ?2", id),
        Rev::Time(ms) => one("v.recorded_at <= ?2", ms),
        Rev::Back(n) => {
            let rows = crate::store::read::versions_of(conn, path, Some(n + 1))
                .map_err(|e| store.err(e))?;
            if strict && rows.len() <= n {
                let have = rows.len();
                return Err(with_hint(
                    format!(
                        "`{path}` has no version ~{n}: it has {have} recorded version{}",
                        if have == 1 { "" } else { "s" }
                    ),
                    "~0 is the newest version, ~1 the one before; `obby log PATH` lists them",
                ));
            }
            Ok(rows.into_iter().nth(n))
        }
    }
}

/// Recorded paths equal to `rel` or under it.
fn known_files(store: &Store, rel: &RelPath) -> anyhow::Result<Vec<RelPath>> {
    let conn = store.conn();
    if rel.is_empty() {
        let mut stmt =
            conn.prepare("SELECT path FROM files ORDER BY path").map_err(|e| store.err(e))?;
        let rows = stmt.query_map([], |r| r.get::<_, RelPath>(0)).map_err(|e| store.err(e))?;
        return Ok(rows.collect::<Result<_, _>>().map_err(|e| store.err(e))?);
    }
    let mut lo = rel.as_bytes().to_vec();
    lo.push(b'/');
    let mut hi = rel.as_bytes().to_vec();
    hi.push(b'/' + 1);
    let mut stmt = conn
        .prepare(
            "SELECT path FROM files WHERE path = ?1 OR (path >= ?2 AND path < ?3) ORDER BY path",
        )
        .map_err(|e| store.err(e))?;
    let rows = stmt
        .query_map((rel, RelPath::from_bytes(lo), RelPath::from_bytes(hi)), |r| {
            r.get::<_, RelPath>(0)
        })
        .map_err(|e| store.err(e))?;
    Ok(rows.collect::<Result<_, _>>().map_err(|e| store.err(e))?)
}

/// The content of a recorded version (`None` after reporting an unreadable blob).
fn recorded(
    report: &mut Report<'_>,
    store: &Store,
    path: &RelPath,
    row: Option<&VersionRow>,
) -> anyhow::Result<Option<Side>> {
    let Some(hash) = row.and_then(|r| r.hash.as_deref()) else { return Ok(Some(Side::Missing)) };
    match crate::store::blob_content(store.conn(), hash) {
        Ok(bytes) => Ok(Some(Side::Content(bytes))),
        Err(e) => {
            report.item_error(&path.to_string(), &e)?;
            Ok(None)
        }
    }
}

/// The working copy, normalised as `track` records it, with its hash.
fn working(
    report: &mut Report<'_>,
    root: &Path,
    path: &RelPath,
) -> anyhow::Result<Option<(Side, Option<String>)>> {
    let abs = path.to_path(root);
    let md = match std::fs::symlink_metadata(&abs) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Some((Side::Missing, None)));
        }
        Err(e) => {
            report.item_error(&display_path(&abs), &e)?;
            return Ok(None);
        }
    };
    if md.is_dir() {
        return Ok(Some((Side::Missing, None)));
    }
    let hashed = if md.file_type().is_symlink() {
        match std::fs::read_link(&abs) {
            Ok(t) => crate::hash::hash_bytes(super::os_bytes(&t), usize::MAX),
            Err(e) => {
                report.item_error(&display_path(&abs), &e)?;
                return Ok(None);
            }
        }
    } else {
        match crate::hash::hash_file(&abs, usize::MAX) {
            Ok(f) => f.hashed,
            Err(e) => {
                report.item_error(&display_path(&abs), &e)?;
                return Ok(None);
            }
        }
    };
    let content = hashed.content.unwrap_or_default();
    Ok(Some((Side::Content(content), Some(hashed.hash))))
}

fn note(row: Option<&VersionRow>) -> String {
    row.map(|r| format!("(version {})", r.id)).unwrap_or_default()
}

/// Diffs the versions of a tracked path (or every tracked path under a directory).
pub(super) fn tracked(
    report: &mut Report<'_>,
    ctx: &crate::Context,
    path: &Path,
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<()> {
    let store = ctx.open_store_read_only()?;
    let root = store.root().to_path_buf();
    let rel = crate::cmd::track::store_path(&root, &ctx.cwd, path)?;
    let from = from.map(Rev::parse).transpose()?;
    let to = to.map(Rev::parse).transpose()?;
    let files = known_files(&store, &rel)?;
    if files.is_empty() {
        let what = if rel.to_path(&root).exists() {
            "is not tracked"
        } else {
            "does not exist and was never tracked"
        };
        return Err(with_hint(
            format!("`{}` {what}", display_path(path)),
            "run `obby track` to record it, or give two files to compare them directly",
        ));
    }
    // `~N` of one file that has fewer versions is an error; under a directory, a file with fewer
    // versions did not exist then.
    let strict = files.len() == 1 && files[0] == rel;
    for f in files {
        let old_row = match from {
            Some(rev) => version_at(&store, &f, rev, strict)?,
            None => {
                crate::store::read::latest_version(store.conn(), &f).map_err(|e| store.err(e))?
            }
        };
        let old_hash = old_row.as_ref().and_then(|r| r.hash.clone());
        let (new_side, new_note) = if let Some(rev) = to {
            let row = version_at(&store, &f, rev, strict)?;
            if row.as_ref().and_then(|r| r.hash.as_ref()) == old_hash.as_ref() {
                continue;
            }
            let Some(side) = recorded(report, &store, &f, row.as_ref())? else { continue };
            (side, note(row.as_ref()))
        } else {
            let Some((side, hash)) = working(report, &root, &f)? else { continue };
            if hash.is_some() && hash == old_hash {
                continue;
            }
            if matches!(side, Side::Missing) && old_hash.is_none() {
                continue;
            }
            (side, "(working copy)".to_owned())
        };
        let Some(old_side) = recorded(report, &store, &f, old_row.as_ref())? else { continue };
        let old_note = note(old_row.as_ref());
        report.pair((f.as_bytes(), &old_note), (f.as_bytes(), &new_note), &old_side, &new_side)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_parse() {
        assert_eq!(Rev::parse("~2").unwrap(), Rev::Back(2));
        assert_eq!(Rev::parse("~").unwrap(), Rev::Back(1));
        assert_eq!(Rev::parse("42").unwrap(), Rev::Id(42));
        assert!(matches!(Rev::parse("2h").unwrap(), Rev::Time(_)));
        assert!(Rev::parse("someday").is_err());
    }
}
