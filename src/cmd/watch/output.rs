//! How events are written to stdout: a human line, a JSON record, a NUL-terminated path, or a
//! user template. Every form is flushed per event (the printer is in line-flush mode).
//!
//! JSON records written here:
//!
//! - `{"type":"event","data":{"kind":"created|modified|deleted|renamed|rescan","path":...,
//!   "old_path":...|null,"is_dir":bool,"time":"RFC 3339 UTC","seq":N}}`: `path` and `old_path`
//!   are absolute, a string or `{"bytes": base64}` for names that are not UTF-8; `seq` (the
//!   event log's sequence number) is there only with `--track` or for replayed events.
//! - `{"type":"ready","data":{"roots":[...],"watches":N,"polled_dirs":N,"elapsed_ms":F}}`
//!   once every watch is in place.
//!
//! The closing `summary` carries the counters: `events_seen`, `coalesced`, `emitted`,
//! `overflows`, `watches`, `peak_watches`, `polled_dirs`, `peak_rss_kib`.

use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use anyhow::bail;
use serde::Serialize;

use crate::Context;
use crate::error::ResultExt as _;
use crate::output::json::path_value;
use crate::paths::display_path;
use crate::watch::{Event, EventKind, EventSink};

/// One piece of a `--format` template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Text(String),
    Field(Field),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Kind,
    Path,
    OldPath,
    AbsPath,
    AbsOldPath,
    Time,
    IsDir,
    Seq,
}

const FIELDS: &[(&str, Field)] = &[
    ("kind", Field::Kind),
    ("path", Field::Path),
    ("old_path", Field::OldPath),
    ("abs_path", Field::AbsPath),
    ("abs_old_path", Field::AbsOldPath),
    ("time", Field::Time),
    ("is_dir", Field::IsDir),
    ("seq", Field::Seq),
];

fn parse_template(text: &str) -> anyhow::Result<Vec<Seg>> {
    let mut segs = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let Some((_, f)) = FIELDS.iter().find(|(n, _)| *n == name) else {
                    let known: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                    return Err(anyhow::anyhow!("unknown field `{{{name}}}` in --format"))
                        .hint(format!("fields: {}", known.join(", ")));
                };
                if !lit.is_empty() {
                    segs.push(Seg::Text(std::mem::take(&mut lit)));
                }
                segs.push(Seg::Field(*f));
            }
            '}' => bail!("unmatched `}}` in --format (write `}}}}` for a literal brace)"),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        segs.push(Seg::Text(lit));
    }
    Ok(segs)
}

enum Style {
    Human,
    Json,
    Print0,
    Template(Vec<Seg>),
}

/// Writes events to stdout through the printer.
pub struct Stdout<'a> {
    ctx: &'a Context,
    style: Style,
}

/// The `data` of an `event` record; the server sends the same object.
#[derive(Serialize)]
pub(super) struct EventRecord {
    kind: EventKind,
    path: serde_json::Value,
    old_path: Option<serde_json::Value>,
    is_dir: bool,
    time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<i64>,
}

impl EventRecord {
    /// The record of one event.
    pub(super) fn new(e: &Event, seq: Option<i64>) -> Self {
        Self {
            kind: e.kind,
            path: path_value(e.path.as_os_str().as_bytes()),
            old_path: e.old_path.as_ref().map(|p| path_value(p.as_os_str().as_bytes())),
            is_dir: e.is_dir,
            time: crate::timeparse::format_ms(e.time_ms),
            seq,
        }
    }
}

impl<'a> Stdout<'a> {
    /// The writer for this run's flags.
    ///
    /// # Errors
    /// A bad `--format` template.
    pub fn new(ctx: &'a Context, print0: bool, format: Option<&str>) -> anyhow::Result<Self> {
        let style = if let Some(t) = format {
            Style::Template(parse_template(t)?)
        } else if print0 {
            Style::Print0
        } else if ctx.printer.is_json() {
            Style::Json
        } else {
            Style::Human
        };
        Ok(Self { ctx, style })
    }

    fn rel(&self, path: &Path) -> String {
        display_path(&self.rel_path(path))
    }

    fn rel_path(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.ctx.cwd) {
            Ok(r) if r.as_os_str().is_empty() => PathBuf::from("."),
            Ok(r) => r.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Says that every watch is in place.
    ///
    /// # Errors
    /// stdout cannot be written.
    pub fn ready(&self, roots: &[PathBuf], watches: u64, polled: u64, ms: f64) -> io::Result<()> {
        if self.ctx.printer.is_json() && matches!(self.style, Style::Json) {
            let roots: Vec<serde_json::Value> =
                roots.iter().map(|r| path_value(r.as_os_str().as_bytes())).collect();
            return self.ctx.printer.record(
                "ready",
                &serde_json::json!({
                    "roots": roots, "watches": watches, "polled_dirs": polled, "elapsed_ms": ms,
                }),
            );
        }
        let names: Vec<String> = roots.iter().map(|r| self.rel(r)).collect();
        let polled = if polled > 0 { format!(", {polled} polled") } else { String::new() };
        let dirs = if watches == 1 { "directory" } else { "directories" };
        let names = names.join(", ");
        self.ctx.printer.info(format!("ready: watching {names} ({watches} {dirs}{polled})"));
        Ok(())
    }

    fn field(&self, f: Field, e: &Event, seq: Option<i64>) -> String {
        match f {
            Field::Kind => e.kind.as_str().to_owned(),
            Field::Path => self.rel(&e.path),
            Field::OldPath => e.old_path.as_deref().map(|p| self.rel(p)).unwrap_or_default(),
            Field::AbsPath => display_path(&e.path),
            Field::AbsOldPath => e.old_path.as_deref().map(display_path).unwrap_or_default(),
            Field::Time => crate::timeparse::format_ms(e.time_ms),
            Field::IsDir => e.is_dir.to_string(),
            Field::Seq => seq.map(|s| s.to_string()).unwrap_or_default(),
        }
    }
}

impl EventSink for Stdout<'_> {
    fn event(&mut self, e: &Event, seq: Option<i64>) -> io::Result<()> {
        let printer = &self.ctx.printer;
        match &self.style {
            Style::Json => printer.record("event", &EventRecord::new(e, seq)),
            Style::Print0 => {
                let mut bytes = self.rel_path(&e.path).into_os_string().into_vec();
                bytes.push(0);
                printer.raw(&bytes)
            }
            Style::Template(segs) => {
                let mut line = String::new();
                for s in segs {
                    match s {
                        Seg::Text(t) => line.push_str(t),
                        Seg::Field(f) => line.push_str(&self.field(*f, e, seq)),
                    }
                }
                printer.line(line)
            }
            Style::Human => {
                let pal = printer.palette();
                let kind = format!("{:<8}", e.kind.as_str());
                let kind = match e.kind {
                    EventKind::Created => pal.added(&kind),
                    EventKind::Deleted => pal.removed(&kind),
                    EventKind::Rescan => pal.warn(&kind),
                    EventKind::Modified | EventKind::Renamed => pal.changed(&kind),
                };
                let slash = if e.is_dir && e.kind != EventKind::Rescan { "/" } else { "" };
                let mut path = pal.path(&format!("{}{slash}", self.rel(&e.path)));
                if let Some(old) = &e.old_path {
                    path = format!("{}{slash} -> {path}", self.rel(old));
                }
                let time = crate::timeparse::format_local(e.time_ms);
                let time = time.rsplit(' ').next().unwrap_or(&time).to_owned();
                printer.line(format!("{} {kind} {path}", pal.dim(&time)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_fields_and_escapes() {
        let segs = parse_template("{kind} {{x}} {path}").unwrap();
        assert_eq!(
            segs,
            vec![Seg::Field(Field::Kind), Seg::Text(" {x} ".into()), Seg::Field(Field::Path),]
        );
        assert!(parse_template("{nope}").is_err());
        assert!(parse_template("a } b").is_err());
    }
}
