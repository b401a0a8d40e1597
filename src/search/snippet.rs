//! Snippets: the lines of a file that match a query, with line numbers and the byte ranges of
//! the matches, cut from the content at display time (the index does not store content).
//!
//! Lines are tokenized with the index's own tokenizer, so a highlight lands on `Config` inside
//! `parseConfigFile` exactly where the index matched it. The lines with the most distinct query
//! terms are shown, in file order; very long lines are cut to a window around the first match.

use super::query::{Highlight, Mode};
use super::tokenizer::for_each_token;

/// Widest line shown, in bytes (longer ones are cut around the first match).
const MAX_LINE: usize = 240;
/// Matching line numbers reported per file at most.
const MAX_LINE_NUMBERS: usize = 200;

/// One line of a snippet.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SnippetLine {
    /// 1-based line number.
    pub line: usize,
    /// The line's text (possibly cut, see `cut`).
    pub text: String,
    /// Byte ranges `[start, end)` of matches within `text`.
    pub ranges: Vec<(usize, usize)>,
}

/// The snippet of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    /// Every matching line number (capped at 200).
    pub lines: Vec<usize>,
    /// The best lines, in file order.
    pub shown: Vec<SnippetLine>,
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions), stopping
/// early past `max`.
#[must_use]
#[allow(clippy::many_single_char_names)]
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
    }
    d[a.len() * w + b.len()]
}

fn matches(token: &str, h: &Highlight) -> bool {
    match h.mode {
        Mode::Exact => token == h.text,
        Mode::Prefix => token.starts_with(&h.text),
        Mode::Fuzzy(d) => edit_distance(token, &h.text, usize::from(d)) <= usize::from(d),
    }
}

/// A matching line: score, line number, text, match ranges.
type Candidate<'a> = (usize, usize, &'a str, Vec<(usize, usize)>);

/// The snippet of `content` for `highlights`, at most `max_lines` lines shown.
#[must_use]
pub fn snippet(content: &str, highlights: &[Highlight], max_lines: usize) -> Snippet {
    let mut out = Snippet::default();
    if highlights.is_empty() {
        return out;
    }
    let wanted = candidate_lines(content, highlights);
    // (score, line number, text, ranges)
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if wanted.as_ref().is_some_and(|w| w.binary_search(&n).is_err()) {
            continue;
        }
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut hit = vec![false; highlights.len()];
        for_each_token(line, |t| {
            for (k, h) in highlights.iter().enumerate() {
                if matches(&t.text, h) {
                    hit[k] = true;
                    ranges.push((t.from, t.to));
                }
            }
        });
        if ranges.is_empty() {
            continue;
        }
        if out.lines.len() < MAX_LINE_NUMBERS {
            out.lines.push(n + 1);
        }
        let score = hit.iter().filter(|h| **h).count();
        candidates.push((score, n + 1, line, merge(line, ranges)));
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.truncate(max_lines);
    candidates.sort_by_key(|c| c.1);
    out.shown =
        candidates.into_iter().map(|(_, line, text, ranges)| cut(line, text, ranges)).collect();
    out
}

/// The 0-based numbers of the lines that can match, found by a substring search in the
/// ASCII-lowercased content, so only those lines are tokenized; `None` (every line) when a
/// highlight is fuzzy or not ASCII.
fn candidate_lines(content: &str, highlights: &[Highlight]) -> Option<Vec<usize>> {
    if highlights.iter().any(|h| matches!(h.mode, Mode::Fuzzy(_)) || !h.text.is_ascii()) {
        return None;
    }
    let lower = content.to_ascii_lowercase();
    let mut offsets: Vec<usize> = Vec::new();
    for h in highlights {
        offsets.extend(lower.match_indices(h.text.as_str()).map(|(i, _)| i));
    }
    offsets.sort_unstable();
    offsets.dedup();
    let mut lines = Vec::new();
    let mut line = 0usize;
    let mut at = 0usize;
    let bytes = content.as_bytes();
    for off in offsets {
        line += bytecount_newlines(&bytes[at..off]);
        at = off;
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    Some(lines)
}

fn bytecount_newlines(b: &[u8]) -> usize {
    b.iter().fold(0, |n, &c| n + usize::from(c == b'\n'))
}

/// Sorts and joins overlapping ranges, and ranges of one identifier separated only by `_` or
/// `-` (`parse` + `config` in `parse_config`).
fn merge(line: &str, mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last)
                if a <= last.1
                    || line.get(last.1..a).is_some_and(|gap| {
                        gap.len() <= 2 && gap.bytes().all(|c| c == b'_' || c == b'-')
                    }) =>
            {
                last.1 = last.1.max(b);
            }
            _ => out.push((a, b)),
        }
    }
    out
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Trims the line and cuts long ones to a window around the first match.
fn cut(line: usize, text: &str, ranges: Vec<(usize, usize)>) -> SnippetLine {
    let end_trim = text.trim_end().len();
    let start_trim = text.len() - text.trim_start().len();
    let mut start = start_trim.min(ranges.first().map_or(0, |r| r.0));
    let mut end = end_trim.max(start);
    if end - start > MAX_LINE {
        let first = ranges.first().map_or(start, |r| r.0);
        start = floor_char(text, first.saturating_sub(MAX_LINE / 4).max(start));
        end = floor_char(text, (start + MAX_LINE).min(end));
    }
    let shown = &text[start..end];
    let ranges = ranges
        .into_iter()
        .filter(|r| r.0 >= start && r.1 <= end)
        .map(|r| (r.0 - start, r.1 - start))
        .collect();
    SnippetLine { line, text: shown.to_owned(), ranges }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str, mode: Mode) -> Highlight {
        Highlight { text: text.into(), mode }
    }

    #[test]
    fn highlights_parts_of_identifiers_with_line_numbers() {
        let text = "fn main() {}\n    let x = parseConfigFile(path);\nnothing here\n";
        let s = snippet(text, &[h("parse", Mode::Exact), h("config", Mode::Exact)], 3);
        assert_eq!(s.lines, [2]);
        let line = &s.shown[0];
        assert_eq!(line.line, 2);
        assert_eq!(line.text, "let x = parseConfigFile(path);");
        assert_eq!(&line.text[line.ranges[0].0..line.ranges[0].1], "parseConfig");
    }

    #[test]
    fn fuzzy_and_prefix_highlights() {
        let s = snippet("we receive data\nconfiguration\n", &[h("recieve", Mode::Fuzzy(2))], 3);
        assert_eq!(s.lines, [1]);
        let s = snippet("we receive data\nconfiguration\n", &[h("conf", Mode::Prefix)], 3);
        assert_eq!(s.lines, [2]);
        assert_eq!(edit_distance("recieve", "receive", 2), 1);
        assert_eq!(edit_distance("abc", "xyz", 1), 2);
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let text = format!("{}needle{}", "a ".repeat(300), " b".repeat(300));
        let s = snippet(&text, &[h("needle", Mode::Exact)], 1);
        let line = &s.shown[0];
        assert!(line.text.len() <= MAX_LINE);
        assert_eq!(&line.text[line.ranges[0].0..line.ranges[0].1], "needle");
    }
}
