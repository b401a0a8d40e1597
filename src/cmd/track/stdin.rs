//! `obby track --stdin`: paths (lines, or NUL-separated with `-0`) or `obby watch --json` events
//! read from stdin, recorded in small batches as they arrive, so `obby watch --json | obby track
//! --stdin` records changes while the watcher runs.
//!
//! An event line is `{"type":"event","data":{"kind":"created|modified|deleted|renamed|rescan",
//! "path":...,"old_path":...}}` with paths absolute or relative to the current directory (a
//! non-UTF-8 path as `{"bytes": base64}`). `rescan` records the whole tree (or the directory it
//! names); records of other types are ignored.

use std::ffi::OsStr;
use std::io::BufRead as _;
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use super::{CliSink, add, map_err, store_path};
use crate::Context;
use crate::cli::track::TrackArgs;
use crate::output::json::path_from_value;
use crate::paths::RelPath;
use crate::scope::Scope;
use crate::store::Store;
use crate::track::{TrackOptions, TrackSink, TrackSummary};

/// How long to keep gathering input after the first item of a batch.
const GATHER: Duration = Duration::from_millis(50);
/// Paths per batch at most.
const BATCH_MAX: usize = 20_000;

/// One item read from stdin.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    /// A path to record.
    Path(PathBuf),
    /// Record the whole tree (`None`) or one directory.
    Rescan(Option<PathBuf>),
    /// An unreadable line.
    Bad(String),
}

fn os_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(bytes))
}

/// Parses one item (a path, or a JSON Lines record).
fn parse(item: &[u8], line_no: usize, out: &mut Vec<Input>) {
    if item.first() == Some(&b'{') {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(item) else {
            out.push(Input::Bad(format!("line {line_no}: not a JSON record")));
            return;
        };
        if value["type"] != "event" {
            return;
        }
        let data = &value["data"];
        let path = path_from_value(&data["path"]).filter(|p| !p.is_empty()).map(|p| os_path(&p));
        if data["kind"] == "rescan" {
            out.push(Input::Rescan(path));
            return;
        }
        if let Some(old) = path_from_value(&data["old_path"]).filter(|p| !p.is_empty()) {
            out.push(Input::Path(os_path(&old)));
        }
        match path {
            Some(p) => out.push(Input::Path(p)),
            None => out.push(Input::Bad(format!("line {line_no}: event without a path"))),
        }
        return;
    }
    out.push(Input::Path(os_path(item)));
}

/// Reads stdin on a thread of its own, sending items as they are parsed.
fn spawn_reader(null: bool) -> crossbeam_channel::Receiver<Input> {
    let (tx, rx) = crossbeam_channel::bounded::<Input>(BATCH_MAX);
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let sep = if null { 0 } else { b'\n' };
        let mut buf = Vec::new();
        let mut line_no = 0;
        loop {
            buf.clear();
            match input.read_until(sep, &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(Input::Bad(format!("cannot read stdin: {e}")));
                    break;
                }
            }
            line_no += 1;
            let mut item = buf.as_slice();
            if item.last() == Some(&sep) {
                item = &item[..item.len() - 1];
            }
            if !null && item.last() == Some(&b'\r') {
                item = &item[..item.len() - 1];
            }
            if item.is_empty() {
                continue;
            }
            let mut parsed = Vec::new();
            parse(item, line_no, &mut parsed);
            for p in parsed {
                if tx.send(p).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Reads stdin to its end, recording batch after batch.
#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    args: &TrackArgs,
    ctx: &Context,
    store: &mut Store,
    scope: &Scope,
    opts: &TrackOptions,
    sink: &mut CliSink<'_>,
    interrupted: &AtomicBool,
    total: &mut TrackSummary,
) -> anyhow::Result<()> {
    let rx = spawn_reader(args.null);
    let root = store.root().to_path_buf();
    loop {
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(item) => item,
            Err(RecvTimeoutError::Timeout) => {
                if interrupted.load(Ordering::Relaxed) {
                    return Err(crate::error::Interrupted.into());
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let mut items = vec![first];
        let deadline = Instant::now() + GATHER;
        while items.len() < BATCH_MAX {
            match rx.recv_deadline(deadline) {
                Ok(item) => items.push(item),
                Err(_) => break,
            }
        }
        let mut whole_tree = false;
        let mut paths: Vec<RelPath> = Vec::with_capacity(items.len());
        for item in items {
            let p = match item {
                Input::Bad(msg) => {
                    total.errors += 1;
                    sink.item_error(std::path::Path::new("<stdin>"), &msg)?;
                    continue;
                }
                Input::Rescan(None) => {
                    whole_tree = true;
                    continue;
                }
                Input::Rescan(Some(p)) | Input::Path(p) => p,
            };
            match store_path(&root, &ctx.cwd, &p) {
                Ok(rel) if rel.is_empty() => whole_tree = true,
                Ok(rel) => paths.push(rel),
                Err(e) => {
                    total.errors += 1;
                    sink.item_error(&p, &format!("{e:#}"))?;
                }
            }
        }
        paths.sort();
        paths.dedup();
        let s = if whole_tree {
            crate::track::track_tree(store, scope, &[], opts, sink, interrupted)
        } else if paths.is_empty() {
            continue;
        } else {
            crate::track::track_paths(store, scope, &paths, opts, sink, interrupted)
        };
        add(total, &map_err(s)?);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Vec<Input> {
        let mut out = Vec::new();
        parse(line.as_bytes(), 1, &mut out);
        out
    }

    #[test]
    fn plain_paths_and_events() {
        assert_eq!(parsed("a/b.md"), vec![Input::Path("a/b.md".into())]);
        assert_eq!(
            parsed(
                r#"{"type":"event","data":{"kind":"renamed","path":"/r/new","old_path":"/r/old","is_dir":false}}"#
            ),
            vec![Input::Path("/r/old".into()), Input::Path("/r/new".into())]
        );
        assert_eq!(
            parsed(r#"{"type":"event","data":{"kind":"rescan","path":"/r","old_path":null}}"#),
            vec![Input::Rescan(Some("/r".into()))]
        );
        assert!(parsed(r#"{"type":"summary","data":{}}"#).is_empty());
        assert!(matches!(parsed("{nope").as_slice(), [Input::Bad(_)]));
    }

    #[test]
    fn non_utf8_event_paths_are_bytes() {
        let got =
            parsed(r#"{"type":"event","data":{"kind":"created","path":{"bytes":"Y2Fm6S5tZA=="}}}"#);
        assert_eq!(got, vec![Input::Path(os_path(b"caf\xe9.md"))]);
    }
}
