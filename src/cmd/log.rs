//! `obby log`: recorded versions, newest first.

use crate::cli::log::LogArgs;
use crate::paths::{RelPath, normalize};
use crate::store::read::{VERSION_COLUMNS, VersionRow};
use crate::timeparse::{format_local, format_ms, parse_time};
use crate::{Context, ExitStatus};

/// Runs `obby log`.
///
/// # Errors
/// No store, a bad `--since`, a path outside the store root, SQLite errors.
pub fn run(args: &LogArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let store = ctx.open_store_read_only()?;
    let since = args.since.as_deref().map(|s| parse_time(s, jiff::Timestamp::now())).transpose()?;
    let prefix = match &args.path {
        Some(p) => Some(RelPath::from_path(store.root(), &normalize(&ctx.cwd, p))?),
        None => None,
    };
    let mut sql = format!(
        "SELECT {VERSION_COLUMNS} FROM versions v JOIN files f ON f.id = v.file_id WHERE 1"
    );
    let mut params: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    if let Some(prefix) = prefix.filter(|p| !p.is_empty()) {
        // The path itself, or everything under it as a directory.
        sql.push_str(" AND (f.path = ?1 OR (f.path >= ?2 AND f.path < ?3))");
        let mut lo = prefix.as_bytes().to_vec();
        lo.push(b'/');
        let mut hi = prefix.as_bytes().to_vec();
        hi.push(b'/' + 1);
        params.push(Box::new(prefix));
        params.push(Box::new(RelPath::from_bytes(lo)));
        params.push(Box::new(RelPath::from_bytes(hi)));
    }
    if let Some(since) = since {
        sql.push_str(&format!(" AND v.recorded_at >= ?{}", params.len() + 1));
        params.push(Box::new(since.as_millisecond()));
    }
    sql.push_str(&format!(" ORDER BY v.id DESC LIMIT ?{}", params.len() + 1));
    params.push(Box::new(args.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX))));
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql).map_err(|e| store.err(e))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), VersionRow::from_row)
        .map_err(|e| store.err(e))?;
    let pal = ctx.printer.palette();
    let mut count = 0u64;
    for row in rows {
        let v = row.map_err(|e| store.err(e))?;
        count += 1;
        if ctx.printer.is_json() {
            let mut data = serde_json::to_value(&v)?;
            data["recorded"] = format_ms(v.recorded_at).into();
            ctx.printer.record("version", &data)?;
            continue;
        }
        let what = match (v.change.as_str(), &v.old_path) {
            ("renamed", Some(old)) => format!("{old} -> {}", v.path),
            _ => v.path.to_string(),
        };
        let change = match v.change.as_str() {
            "created" => pal.added("created "),
            "deleted" => pal.removed("deleted "),
            "renamed" => pal.changed("renamed "),
            _ => pal.changed("modified"),
        };
        ctx.printer.line(format!(
            "{:>6}  {}  {change}  {}  {}",
            v.id,
            pal.dim(&format_local(v.recorded_at)),
            pal.path(&what),
            pal.dim(&format!("+{} -{}", v.lines_added, v.lines_removed)),
        ))?;
    }
    ctx.printer.summary_field("versions", count);
    Ok(if count == 0 { ExitStatus::Negative } else { ExitStatus::Success })
}
