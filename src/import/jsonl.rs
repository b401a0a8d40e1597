//! Reading obby's JSON Lines export (see [`crate::export::jsonl`] for the format) back in.
//!
//! A version line becomes a [`Change`] with its content; its `origin` is kept when the line
//! has one (so a history imported from the original and passed through JSON Lines keeps its
//! identity), and is otherwise derived from the path, time, change and hash, so importing the
//! same file twice adds nothing.

use std::io::BufRead;
use std::path::PathBuf;

use base64::Engine as _;

use super::{Change, ChangeKind, Content, ImportError, Item, Note, origin_id};
use crate::export::jsonl::{FORMAT, Line, NoteLine, VersionLine};
use crate::output::json::path_from_value;
use crate::paths::RelPath;

/// Reads export lines one at a time.
pub struct JsonlReader<R> {
    reader: R,
    path: PathBuf,
    line: u64,
    buf: String,
}

impl<R: BufRead> JsonlReader<R> {
    /// A reader over `reader`; `path` names the source in errors (`-` for stdin).
    pub fn new(reader: R, path: PathBuf) -> Self {
        Self { reader, path, line: 0, buf: String::new() }
    }

    fn bad(&self, reason: impl Into<String>) -> ImportError {
        ImportError::BadLine { path: self.path.clone(), line: self.line, reason: reason.into() }
    }

    fn version(&self, v: VersionLine) -> Result<Change, ImportError> {
        let path = path_from_value(&v.path)
            .map(RelPath::from_bytes)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| self.bad("`path` is not a path"))?;
        let old_path = match &v.old_path {
            None | Some(serde_json::Value::Null) => None,
            Some(p) => Some(
                path_from_value(p)
                    .map(RelPath::from_bytes)
                    .ok_or_else(|| self.bad("`old_path` is not a path"))?,
            ),
        };
        let change = ChangeKind::parse(&v.change)
            .ok_or_else(|| self.bad(format!("unknown change `{}`", v.change)))?;
        let content = match (v.encoding.as_deref(), v.content) {
            (Some("text"), Some(text)) => Content::Bytes(text.into_bytes()),
            (Some("base64"), Some(b64)) => Content::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(b64.as_bytes())
                    .map_err(|e| self.bad(format!("bad base64 content: {e}")))?,
            ),
            (Some(other), Some(_)) => return Err(self.bad(format!("unknown encoding `{other}`"))),
            _ if change == ChangeKind::Deleted => Content::None,
            _ => Content::Missing,
        };
        let origin = v.origin.clone().unwrap_or_else(|| {
            origin_id(
                "jsonl",
                &[
                    path.as_bytes(),
                    &v.recorded_at.to_le_bytes(),
                    v.change.as_bytes(),
                    v.hash.as_deref().unwrap_or("").as_bytes(),
                    old_path.as_ref().map_or(&[][..], RelPath::as_bytes),
                ],
            )
        });
        Ok(Change {
            origin,
            path,
            old_path,
            change,
            recorded_at: v.recorded_at,
            content,
            claimed_hash: v.hash,
            kind: if v.kind == "symlink" { v.kind } else { "file".into() },
        })
    }

    fn note(n: NoteLine) -> Note {
        let path = n.path.as_ref().and_then(path_from_value).map(RelPath::from_bytes);
        let origin = n.origin.unwrap_or_else(|| {
            origin_id(
                "jsonl-note",
                &[
                    path.as_ref().map_or(&[][..], RelPath::as_bytes),
                    &n.recorded_at.to_le_bytes(),
                    n.summary.as_deref().unwrap_or("").as_bytes(),
                ],
            )
        });
        Note {
            origin,
            path,
            recorded_at: n.recorded_at,
            summary: n.summary,
            body: n.body,
            topics: n.topics,
            keywords: n.keywords,
            impact: n.impact,
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Item, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_line(&mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    return Some(Err(ImportError::Io { path: self.path.clone(), source }));
                }
            }
            let text = self.buf.trim();
            if text.is_empty() {
                continue;
            }
            let parsed: Line = match serde_json::from_str(text) {
                Ok(l) => l,
                Err(e) => return Some(Err(self.bad(format!("not an export line: {e}")))),
            };
            return Some(match parsed {
                Line::Header { format, .. } if format > FORMAT => Err(self.bad(format!(
                    "export format {format} is newer than this obby reads ({FORMAT})"
                ))),
                Line::Header { .. } => continue,
                Line::Version(v) => self.version(v).map(Item::Change),
                Line::Note(n) => Ok(Item::Note(Self::note(n))),
            });
        }
    }
}
