//! Unified diff output: hunks with context, rendered as `diff -u` text or as JSON `hunk` records.
//!
//! JSON record `hunk` (one per hunk, `obby diff --json`):
//! `{"path": <new path>, "old_path": <old path>, "old_start": 1-based, "old_lines": n,
//! "new_start": 1-based, "new_lines": n, "lines": [" context", "-removed", "+added", ...]}`;
//! a line that ends without a newline is followed by the string `"\\ No newline at end of file"`.
//! Starts follow the unified format: with a length of 0 the start is the line before.

use serde::Serialize;
use similar::DiffOp;

use super::TextDiff;
use crate::output::Palette;

/// One hunk: a run of changes with their context.
#[derive(Clone, Debug)]
pub struct Hunk<'a> {
    /// First old line (1-based; the line before when `old_len` is 0).
    pub old_start: usize,
    /// Old lines covered.
    pub old_len: usize,
    /// First new line (1-based; the line before when `new_len` is 0).
    pub new_start: usize,
    /// New lines covered.
    pub new_len: usize,
    /// `(' ' | '-' | '+', line with its terminator)`.
    pub lines: Vec<(u8, &'a [u8])>,
}

/// Marker written after a line without a final newline.
pub const NO_NEWLINE: &str = "\\ No newline at end of file";

pub(super) fn hunks<'a>(diff: &TextDiff<'a>, context: usize) -> Vec<Hunk<'a>> {
    let groups = similar::group_diff_ops(diff.ops.clone(), context);
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old_begin = first.old_range().start;
        let new_begin = first.new_range().start;
        let old_len = last.old_range().end - old_begin;
        let new_len = last.new_range().end - new_begin;
        let mut lines = Vec::with_capacity(old_len + new_len);
        for op in &group {
            match *op {
                DiffOp::Equal { old_index, len, .. } => {
                    lines.extend(diff.old[old_index..old_index + len].iter().map(|l| (b' ', *l)));
                }
                DiffOp::Delete { old_index, old_len, .. } => {
                    lines.extend(
                        diff.old[old_index..old_index + old_len].iter().map(|l| (b'-', *l)),
                    );
                }
                DiffOp::Insert { new_index, new_len, .. } => {
                    lines.extend(
                        diff.new[new_index..new_index + new_len].iter().map(|l| (b'+', *l)),
                    );
                }
                DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                    lines.extend(
                        diff.old[old_index..old_index + old_len].iter().map(|l| (b'-', *l)),
                    );
                    lines.extend(
                        diff.new[new_index..new_index + new_len].iter().map(|l| (b'+', *l)),
                    );
                }
            }
        }
        out.push(Hunk {
            old_start: if old_len == 0 { old_begin } else { old_begin + 1 },
            old_len,
            new_start: if new_len == 0 { new_begin } else { new_begin + 1 },
            new_len,
            lines,
        });
    }
    out
}

fn range(start: usize, len: usize) -> String {
    if len == 1 { start.to_string() } else { format!("{start},{len}") }
}

impl Hunk<'_> {
    /// The `@@ -a,b +c,d @@` line.
    #[must_use]
    pub fn header(&self) -> String {
        format!(
            "@@ -{} +{} @@",
            range(self.old_start, self.old_len),
            range(self.new_start, self.new_len)
        )
    }

    /// Appends the hunk as unified diff text.
    pub fn write_to(&self, out: &mut Vec<u8>, pal: Palette, color: bool) {
        out.extend_from_slice(pal.changed(&self.header()).as_bytes());
        out.push(b'\n');
        for &(tag, line) in &self.lines {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            if color && tag != b' ' {
                let mut text = String::with_capacity(body.len() + 1);
                text.push(char::from(tag));
                text.push_str(&String::from_utf8_lossy(body));
                let painted = if tag == b'+' { pal.added(&text) } else { pal.removed(&text) };
                out.extend_from_slice(painted.as_bytes());
            } else {
                out.push(tag);
                out.extend_from_slice(body);
            }
            out.push(b'\n');
            if !line.ends_with(b"\n") {
                out.extend_from_slice(NO_NEWLINE.as_bytes());
                out.push(b'\n');
            }
        }
    }

    /// The hunk as a JSON record.
    #[must_use]
    pub fn record(&self, path: serde_json::Value, old_path: serde_json::Value) -> HunkRecord {
        let mut lines = Vec::with_capacity(self.lines.len());
        for &(tag, line) in &self.lines {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            let mut text = String::with_capacity(body.len() + 1);
            text.push(char::from(tag));
            text.push_str(&String::from_utf8_lossy(body));
            lines.push(text);
            if !line.ends_with(b"\n") {
                lines.push(NO_NEWLINE.to_owned());
            }
        }
        HunkRecord {
            path,
            old_path,
            old_start: self.old_start,
            old_lines: self.old_len,
            new_start: self.new_start,
            new_lines: self.new_len,
            lines,
        }
    }
}

/// The `hunk` JSON record (see the module docs).
#[derive(Clone, Debug, Serialize)]
pub struct HunkRecord {
    /// New path.
    pub path: serde_json::Value,
    /// Old path.
    pub old_path: serde_json::Value,
    /// First old line.
    pub old_start: usize,
    /// Old lines covered.
    pub old_lines: usize,
    /// First new line.
    pub new_start: usize,
    /// New lines covered.
    pub new_lines: usize,
    /// The lines, each prefixed with ` `, `-` or `+`.
    pub lines: Vec<String>,
}
