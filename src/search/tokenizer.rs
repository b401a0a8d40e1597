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

/// The char at byte `i` (a char boundary), if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|t| t.chars().next())
}

/// Finds the next word at or after `*i` and moves `*i` past it. A word is a run of letters,
/// digits and `_`, with a single `-` joining two such runs (kebab-case).
fn next_word(text: &str, i: &mut usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    while *i < bytes.len() {
        let b = bytes[*i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                break;
            }
            *i += 1;
            continue;
        }
        let c = char_at(text, *i)?;
        if is_word_char(c) {
            break;
        }
        *i += c.len_utf8();
    }
    if *i >= bytes.len() {
        return None;
    }
    let start = *i;
    let mut end = start;
    let mut j = start;
    while j < bytes.len() {
        let b = bytes[j];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                j += 1;
                end = j;
                continue;
            }
            if b == b'-' && end == j && char_at(text, j + 1).is_some_and(char::is_alphanumeric) {
                j += 1;
                continue;
            }
            break;
        }
        let Some(c) = char_at(text, j) else { break };
        if !is_word_char(c) {
            break;
        }
        j += c.len_utf8();
        end = j;
    }
    *i = end;
    Some((start, end))
}

/// Lowercases `s` into `out` (ASCII without allocating).
fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// Walks the tokens of a text: whole words, then their parts.
#[derive(Clone, Debug, Default)]
struct Cursor {
    i: usize,
    position: usize,
    start: usize,
    word_pos: usize,
    parts: Vec<(usize, usize)>,
    part: usize,
}

impl Cursor {
    fn reset(&mut self) {
        self.i = 0;
        self.position = 0;
        self.parts.clear();
        self.part = 0;
    }

    /// The next token: byte range, position, and whether it is a whole word.
    fn next(&mut self, text: &str) -> Option<(usize, usize, usize, bool)> {
        if self.part < self.parts.len() {
            let (a, b) = self.parts[self.part];
            let pos = self.word_pos + self.part;
            self.part += 1;
            return Some((self.start + a, self.start + b, pos, false));
        }
        loop {
            let (start, end) = next_word(text, &mut self.i)?;
            let word = &text[start..end];
            let has_sep = word.bytes().any(|b| b == b'_' || b == b'-');
            if word.len() > MAX_TOKEN || (!has_sep && word.len() > MAX_PLAIN_WORD) {
                continue;
            }
            split_parts_into(word, &mut self.parts);
            let single = self.parts.is_empty()
                || (self.parts.len() == 1 && self.parts[0].1 - self.parts[0].0 == word.len());
            self.start = start;
            self.word_pos = self.position;
            self.part = 0;
            if single {
                self.parts.clear();
                self.position += 1;
            } else {
                self.position += self.parts.len();
            }
            return Some((start, end, self.word_pos, true));
        }
    }
}

/// Calls `emit` for every token of `text`; see the module documentation.
pub fn for_each_token(text: &str, mut emit: impl FnMut(CodeToken)) {
    let mut cursor = Cursor::default();
    while let Some((from, to, position, whole)) = cursor.next(text) {
        let mut lower = String::with_capacity(to - from);
        lower_into(&text[from..to], &mut lower);
        emit(CodeToken { text: lower, from, to, position, whole });
    }
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

fn ascii_class(b: u8) -> Class {
    if b.is_ascii_digit() {
        Class::Digit
    } else if b.is_ascii_uppercase() {
        Class::Upper
    } else if b.is_ascii_lowercase() {
        Class::Lower
    } else {
        Class::Other
    }
}

fn boundary(prev: Class, cur: Class, next: Option<Class>) -> bool {
    match (prev, cur) {
        // `HTTPServer`: the `S` starts a new part because a lowercase letter follows it.
        (Class::Upper, Class::Upper) => next == Some(Class::Lower),
        (Class::Lower, Class::Upper)
        | (Class::Digit, Class::Lower | Class::Upper)
        | (Class::Lower | Class::Upper, Class::Digit) => true,
        _ => false,
    }
}

/// Byte ranges of the parts of one word, into `parts`.
fn split_parts_into(word: &str, parts: &mut Vec<(usize, usize)>) {
    parts.clear();
    let mut part_start: Option<usize> = None;
    if word.is_ascii() {
        let b = word.as_bytes();
        for k in 0..b.len() {
            let c = b[k];
            if c == b'_' || c == b'-' {
                if let Some(s) = part_start.take() {
                    parts.push((s, k));
                }
                continue;
            }
            let Some(s) = part_start else {
                part_start = Some(k);
                continue;
            };
            let next = b.get(k + 1).map(|&n| ascii_class(n));
            if boundary(ascii_class(b[k - 1]), ascii_class(c), next) {
                parts.push((s, k));
                part_start = Some(k);
            }
        }
    } else {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
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
            let next = chars.get(k + 1).map(|&(_, n)| class(n));
            if boundary(class(chars[k - 1].1), class(c), next) {
                parts.push((s, off));
                part_start = Some(off);
            }
        }
    }
    if let Some(s) = part_start {
        parts.push((s, word.len()));
    }
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

/// The code-aware tokenizer (registered as `code`): streams tokens without allocating.
#[derive(Clone, Default)]
pub struct CodeTokenizer {
    cursor: Cursor,
    token: Token,
}

/// The token stream of [`CodeTokenizer`].
pub struct CodeTokenStream<'a> {
    text: &'a str,
    cursor: &'a mut Cursor,
    token: &'a mut Token,
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to, position, _)) = self.cursor.next(self.text) else { return false };
        lower_into(&self.text[from..to], &mut self.token.text);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = position;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        self.cursor.reset();
        self.token.reset();
        CodeTokenStream { text, cursor: &mut self.cursor, token: &mut self.token }
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
    fn the_streaming_tokenizer_agrees_with_code_tokens() {
        let text = "x parseConfig HTTPServer_v2 café-au-lait __init__ a-b--c";
        let mut tok = CodeTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        let want: Vec<_> =
            code_tokens(text).into_iter().map(|t| (t.text, t.from, t.to, t.position)).collect();
        assert_eq!(got, want);
        assert!(texts("a-b--c").contains(&"a-b".to_owned()));
    }

    #[test]
    fn path_prefixes_cover_every_directory() {
        assert_eq!(path_prefixes("src/store/mod.rs"), ["src", "src/store", "src/store/mod.rs"]);
        assert_eq!(path_prefixes("README.md"), ["readme.md"]);
    }
}
