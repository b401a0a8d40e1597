//! Code-aware tokenizers for the index, and the same splitting for queries and highlighting.
//!
//! Source code names things by gluing words together (`parseConfigFile`, `parse_config_file`,
//! `parse-config-file`, `ParseConfig`, `utf8Decode`), so a search for `parse config` must find all
//! of them. [`CodeTokenizer`] emits, for every identifier-like word, the whole word lowercased and
//! then each of its parts (split at `_`, `-`, lower-to-upper case changes, the end of an acronym
//! and letter/digit boundaries), the parts at consecutive positions starting at the whole word's
//! position, so a phrase query `"parse config"` matches the parts of `parseConfigFile`. Words that
//! look like hashes or encoded data (very long, without separators) are dropped to keep the
//! index small.
//!
//! [`PathPrefixTokenizer`] turns `src/store/mod.rs` into `src`, `src/store`, `src/store/mod.rs`,
//! so `path:src/store` is one term lookup; [`LowerRawTokenizer`] keeps a value whole, lowercased
//! (extensions, languages, import keys).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words longer than this (in bytes) without `_`/`-` separators are treated as data, not names.
const MAX_PLAIN_WORD: usize = 48;
/// No single token longer than this is indexed.
const MAX_TOKEN: usize = 96;

/// One token of [`code_tokens`]: lowercased text, byte range in the input, position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeToken {
    /// Lowercased text.
    pub text: String,
    /// Byte offset of the first byte.
    pub from: usize,
    /// Byte offset after the last byte.
    pub to: usize,
    /// Token position (parts follow their whole word).
    pub position: usize,
    /// True for the whole word, false for a part of it.
    pub whole: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Calls `emit` for every token of `text`; see the module documentation.
pub fn for_each_token(text: &str, mut emit: impl FnMut(CodeToken)) {
    let bytes = text.as_bytes();
    let mut position = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        // Fast skip of ASCII non-word bytes.
        let b = bytes[i];
        if b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_') {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        // A word: word chars, with single `-` joining two word chars (kebab-case).
        let start = i;
        let mut end = i;
        let mut iter = text[i..].char_indices().peekable();
        while let Some((off, ch)) = iter.next() {
            let joins = ch == '-'
                && iter.peek().is_some_and(|&(_, n)| n.is_alphanumeric())
                && end == i + off;
            if is_word_char(ch) {
                end = i + off + ch.len_utf8();
            } else if !joins {
                break;
            }
        }
        let word = &text[start..end];
        i = end;
        position = emit_word(word, start, position, &mut emit);
    }
}

/// Emits the whole word and its parts; returns the next free position.
fn emit_word(word: &str, start: usize, position: usize, emit: &mut impl FnMut(CodeToken)) -> usize {
    let has_sep = word.contains(['_', '-']);
    if word.len() > MAX_TOKEN || (!has_sep && word.len() > MAX_PLAIN_WORD) {
        return position;
    }
    let parts = split_parts(word);
    let whole = word.to_lowercase();
    let single = parts.len() == 1 && parts[0].1 - parts[0].0 == word.len();
    emit(CodeToken { text: whole, from: start, to: start + word.len(), position, whole: true });
    if single || parts.is_empty() {
        return position + 1;
    }
    for (k, &(a, b)) in parts.iter().enumerate() {
        emit(CodeToken {
            text: word[a..b].to_lowercase(),
            from: start + a,
            to: start + b,
            position: position + k,
            whole: false,
        });
    }
    position + parts.len()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Lower,
    Upper,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_numeric() {
        Class::Digit
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_alphabetic() {
        Class::Lower
    } else {
        Class::Other
    }
}

/// Byte ranges of the parts of one word.
fn split_parts(word: &str) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut part_start: Option<usize> = None;
    for (k, &(off, c)) in chars.iter().enumerate() {
        if c == '_' || c == '-' {
            if let Some(s) = part_start.take() {
                parts.push((s, off));
            }
            continue;
        }
        let Some(s) = part_start else {
            part_start = Some(off);
            continue;
        };
        let prev = class(chars[k - 1].1);
        let cur = class(c);
        let next = chars.get(k + 1).map(|&(_, n)| class(n));
        let boundary = match (prev, cur) {
            // `HTTPServer`: the `S` starts a new part because a lowercase letter follows it.
            (Class::Upper, Class::Upper) => next == Some(Class::Lower),
            (Class::Lower, Class::Upper)
            | (Class::Digit, Class::Lower | Class::Upper)
            | (Class::Lower | Class::Upper, Class::Digit) => true,
            _ => false,
        };
        if boundary {
            parts.push((s, off));
            part_start = Some(off);
        }
    }
    if let Some(s) = part_start {
        parts.push((s, word.len()));
    }
    parts
}

/// All tokens of `text`, in order.
#[must_use]
pub fn code_tokens(text: &str) -> Vec<CodeToken> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t));
    out
}

/// A token stream over pre-computed tokens.
pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The code-aware tokenizer (registered as `code`).
#[derive(Clone, Default)]
pub struct CodeTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let tokens = &mut self.tokens;
        for_each_token(text, |t| {
            tokens.push(Token {
                offset_from: t.from,
                offset_to: t.to,
                position: t.position,
                text: t.text,
                position_length: 1,
            });
        });
        VecTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

/// Every directory prefix of a `/`-separated path, and the path itself (registered as
/// `path_prefix`).
#[derive(Clone, Default)]
pub struct PathPrefixTokenizer {
    tokens: Vec<Token>,
}

/// The prefixes [`PathPrefixTokenizer`] emits, lowercased.
#[must_use]
pub fn path_prefixes(path: &str) -> Vec<String> {
    let lower = path.trim_matches('/').to_lowercase();
    let mut out: Vec<String> = lower
        .match_indices('/')
        .map(|(i, _)| lower[..i].to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if !lower.is_empty() {
        out.push(lower);
    }
    out
}

impl Tokenizer for PathPrefixTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        for (position, p) in path_prefixes(text).into_iter().enumerate() {
            self.tokens.push(Token {
                offset_from: 0,
                offset_to: text.len(),
                position,
                text: p,
                position_length: 1,
            });
        }
        VecTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

/// The whole value, lowercased, as one token (registered as `lower_raw`).
#[derive(Clone, Default)]
pub struct LowerRawTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for LowerRawTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        if !text.is_empty() {
            self.tokens.push(Token {
                offset_from: 0,
                offset_to: text.len(),
                position: 0,
                text: text.to_lowercase(),
                position_length: 1,
            });
        }
        VecTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        code_tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn camel_snake_kebab_and_digits_split_and_keep_the_whole() {
        assert_eq!(texts("parseConfigFile"), ["parseconfigfile", "parse", "config", "file"]);
        assert_eq!(texts("parse_config_file"), ["parse_config_file", "parse", "config", "file"]);
        assert_eq!(texts("ParseConfig"), ["parseconfig", "parse", "config"]);
        assert_eq!(texts("my-component"), ["my-component", "my", "component"]);
        assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
        assert_eq!(texts("utf8Decode"), ["utf8decode", "utf", "8", "decode"]);
        assert_eq!(texts("plain words"), ["plain", "words"]);
        assert_eq!(texts("a - b --flag"), ["a", "b", "flag"]);
    }

    #[test]
    fn parts_sit_at_consecutive_positions_after_the_whole() {
        let toks = code_tokens("x parseConfig y");
        let pos: Vec<(String, usize)> = toks.iter().map(|t| (t.text.clone(), t.position)).collect();
        assert_eq!(
            pos,
            [
                ("x".into(), 0),
                ("parseconfig".into(), 1),
                ("parse".into(), 1),
                ("config".into(), 2),
                ("y".into(), 3)
            ]
        );
        assert_eq!(&"x parseConfig y"[toks[3].from..toks[3].to], "Config");
    }

    #[test]
    fn data_like_words_are_dropped_and_unicode_is_kept() {
        let hash = "a".repeat(64);
        assert!(texts(&hash).is_empty());
        assert_eq!(texts("Grüße café"), ["grüße", "café"]);
    }

    #[test]
    fn path_prefixes_cover_every_directory() {
        assert_eq!(path_prefixes("src/store/mod.rs"), ["src", "src/store", "src/store/mod.rs"]);
        assert_eq!(path_prefixes("README.md"), ["readme.md"]);
    }
}
