//! The JSON Lines export format, written by `obby export jsonl` and read by
//! `obby import jsonl`.
//!
//! One JSON object per line, each with a `type`:
//! - first `{"type":"obby-export","format":1,"exported_at":"<RFC 3339>"}`;
//! - then one `version` line per recorded version, oldest first:
//!   `{"type":"version","id":12,"path":"notes/a.md","old_path":null,"change":"modified",
//!   "kind":"file","time":"2026-11-23T10:00:00.000Z","recorded_at":1795000000000,"hash":"<sha256>",
//!   "size":120,"lines_added":2,"lines_removed":1,"batch":3,"origin":null,
//!   "encoding":"text","content":"..."}`. `encoding` is `text` (UTF-8 content as a string),
//!   `base64` (anything else), or `null` with `content` null for a deletion or content the store
//!   did not keep. Paths that are not UTF-8 are `{"bytes":"<base64>"}`.
//! - then one `note` line per note (imported summaries):
//!   `{"type":"note","path":"notes/a.md","time":...,"recorded_at":...,"source":"import",
//!   "summary":...,"body":...,"topics":[...],"keywords":[...],"impact":"minor","origin":...}`.

use std::io::Write;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ContentCache, ExportError, ExportReport, for_each_version};
use crate::import::Observer;
use crate::output::json::path_value;
use crate::paths::RelPath;
use crate::store::Store;
use crate::timeparse::format_ms;

/// The format number written in the header line.
pub const FORMAT: u32 = 1;

/// One line of the export.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    /// The first line.
    #[serde(rename = "obby-export")]
    Header {
        /// [`FORMAT`].
        format: u32,
        /// When the export ran.
        #[serde(default)]
        exported_at: String,
    },
    /// A version.
    Version(VersionLine),
    /// A note.
    Note(NoteLine),
}

/// A version line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VersionLine {
    /// Id in the exporting store.
    #[serde(default)]
    pub id: i64,
    /// The path.
    pub path: Value,
    /// The previous path of a rename.
    #[serde(default)]
    pub old_path: Option<Value>,
    /// created, modified, deleted or renamed.
    pub change: String,
    /// file or symlink.
    #[serde(default = "default_kind")]
    pub kind: String,
    /// The time (RFC 3339, UTC); informative, `recorded_at` is authoritative.
    #[serde(default)]
    pub time: String,
    /// The time in ms since the epoch.
    pub recorded_at: i64,
    /// Content hash (SHA-256 hex).
    #[serde(default)]
    pub hash: Option<String>,
    /// Content size.
    #[serde(default)]
    pub size: Option<i64>,
    /// Lines added.
    #[serde(default)]
    pub lines_added: i64,
    /// Lines removed.
    #[serde(default)]
    pub lines_removed: i64,
    /// The batch (tracking run) in the exporting store.
    #[serde(default)]
    pub batch: i64,
    /// Import origin in the exporting store.
    #[serde(default)]
    pub origin: Option<String>,
    /// `text`, `base64`, or null.
    #[serde(default)]
    pub encoding: Option<String>,
    /// The content.
    #[serde(default)]
    pub content: Option<String>,
}

fn default_kind() -> String {
    "file".into()
}

/// A note line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NoteLine {
    /// The file it is about.
    #[serde(default)]
    pub path: Option<Value>,
    /// RFC 3339 time.
    #[serde(default)]
    pub time: String,
    /// ms since the epoch.
    pub recorded_at: i64,
    /// Who wrote it (`import`).
    #[serde(default)]
    pub source: String,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Body.
    #[serde(default)]
    pub body: Option<String>,
    /// Topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Impact.
    #[serde(default)]
    pub impact: Option<String>,
    /// Origin identity.
    #[serde(default)]
    pub origin: Option<String>,
}

fn io_err(e: std::io::Error) -> ExportError {
    ExportError::Io { path: "-".into(), source: e }
}

fn write_line(out: &mut dyn Write, line: &Line) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, line).map_err(|e| io_err(e.into()))?;
    out.write_all(b"\n").map_err(io_err)
}

/// Streams the history (versions under `paths`, or all) and every note to `out`.
///
/// # Errors
/// Store errors; write errors (a closed pipe among them).
pub fn export(
    store: &Store,
    out: &mut dyn Write,
    paths: &[RelPath],
    obs: &mut dyn Observer,
) -> Result<ExportReport, ExportError> {
    let mut report = ExportReport::default();
    let header =
        Line::Header { format: FORMAT, exported_at: format_ms(crate::timeparse::now_ms()) };
    write_line(out, &header)?;
    let mut cache = ContentCache::default();
    for_each_version(store, 0, paths, |v| {
        if obs.should_stop() {
            report.interrupted = true;
            return Ok(false);
        }
        let row = &v.row;
        let content = match &row.hash {
            Some(h) => cache.get(store, h)?,
            None => None,
        };
        if row.hash.is_some() && content.is_none() {
            report.without_content += 1;
        }
        let (encoding, text) = match content.as_deref() {
            None => (None, None),
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => (Some("text".to_owned()), Some(s.to_owned())),
                Err(_) => (
                    Some("base64".to_owned()),
                    Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
                ),
            },
        };
        let line = Line::Version(VersionLine {
            id: row.id,
            path: path_value(row.path.as_bytes()),
            old_path: row.old_path.as_ref().map(|p| path_value(p.as_bytes())),
            change: row.change.clone(),
            kind: row.kind.clone(),
            time: format_ms(row.recorded_at),
            recorded_at: row.recorded_at,
            hash: row.hash.clone(),
            size: row.size,
            lines_added: row.lines_added,
            lines_removed: row.lines_removed,
            batch: row.batch_id,
            origin: v.origin.clone(),
            encoding,
            content: text,
        });
        write_line(out, &line)?;
        report.versions += 1;
        report.last_version = Some(row.id);
        obs.progress(1);
        Ok::<_, ExportError>(true)
    })?;
    if !report.interrupted {
        report.notes = export_notes(store, out, paths)?;
    }
    out.flush().map_err(io_err)?;
    Ok(report)
}

fn export_notes(store: &Store, out: &mut dyn Write, paths: &[RelPath]) -> Result<u64, ExportError> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT f.path, n.recorded_at, n.source, n.summary, n.body, n.topics, n.keywords, n.impact, n.origin \
             FROM notes n LEFT JOIN files f ON f.id = n.file_id ORDER BY n.id",
        )
        .map_err(|e| store.err(e))?;
    let mut rows = stmt.query([]).map_err(|e| store.err(e))?;
    let mut count = 0;
    let list = |s: Option<String>| -> Vec<String> {
        s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
    };
    while let Some(r) = rows.next().map_err(|e| store.err(e))? {
        let path: Option<RelPath> = r.get(0).map_err(|e| store.err(e))?;
        if !paths.is_empty() && !path.as_ref().is_some_and(|p| under_any(p, paths)) {
            continue;
        }
        let recorded_at: i64 = r.get(1).map_err(|e| store.err(e))?;
        let line = Line::Note(NoteLine {
            path: path.map(|p| path_value(p.as_bytes())),
            time: format_ms(recorded_at),
            recorded_at,
            source: r.get(2).map_err(|e| store.err(e))?,
            summary: r.get(3).map_err(|e| store.err(e))?,
            body: r.get(4).map_err(|e| store.err(e))?,
            topics: list(r.get(5).map_err(|e| store.err(e))?),
            keywords: list(r.get(6).map_err(|e| store.err(e))?),
            impact: r.get(7).map_err(|e| store.err(e))?,
            origin: r.get(8).map_err(|e| store.err(e))?,
        });
        write_line(out, &line)?;
        count += 1;
    }
    Ok(count)
}

/// True when `path` is one of `roots` or under one of them.
#[must_use]
pub fn under_any(path: &RelPath, roots: &[RelPath]) -> bool {
    roots.iter().any(|r| {
        r.is_empty()
            || path == r
            || path.as_bytes().starts_with(r.as_bytes())
                && path.as_bytes().get(r.as_bytes().len()) == Some(&b'/')
    })
}
