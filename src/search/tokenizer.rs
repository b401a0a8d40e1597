//! Code-aware tokenizers for the index, and the same splitting for queries and highlighting.
//!
//! Source code names things by gluing words together (`parseConfigFile`, `parse_config_file`,
//! `parse-config-file`, `ParseConfig`, `utf8Decode`), so a search for `parse config` must find all
//! of them. [`CodeTokenizer`] emits, for every identifier-like word, the whole word lowercased and
//! then each of its parts (split at `_`, `-`, lower-to-upper case changes, the end of an acronym
//! and letter/digit boundaries), the parts at consecutive positions starting at the whole word's
//! position, so a phrase query `"parse config"` matches the parts of `parseConfigFile`. Words that
//! look like hashes or encoded data (very long, without separators) are dropped to keep the
//! index small, and numbers (a word that starts with a digit and has no `_`/`-`: `404`,
//! `0x1f2e`, `1u32`) are one token, not split.
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

// What a byte of a word is; a word's flags are the union over its bytes, which tells in one
// pass whether it needs splitting or lowercasing.
/// `a`-`z`.
const LOWER: u8 = 1;
/// `A`-`Z`.
const UPPER: u8 = 2;
/// `0`-`9`.
const DIGIT: u8 = 4;
/// `_`.
const UNDERSCORE: u8 = 8;
/// A `-` joining two runs (kebab-case); set on words only.
const DASH: u8 = 16;
/// A char outside ASCII; set on words only.
const WIDE: u8 = 32;

const fn byte_classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'_' {
            UNDERSCORE
        } else {
            0
        };
        b += 1;
    }
    t
}

/// The class of every byte: non-zero for the ASCII word bytes (letters, digits, `_`).
static CLASSES: [u8; 256] = byte_classes();

/// Finds the next word at or after `*i` and moves `*i` past it: its byte range and flags. A
/// word is a run of letters, digits and `_`, with a single `-` joining two such runs
/// (kebab-case).
fn next_word(text: &str, i: &mut usize) -> Option<(usize, usize, u8)> {
    let bytes = text.as_bytes();
    loop {
        let b = *bytes.get(*i)?;
        if CLASSES[b as usize] != 0 {
            break;
        }
        if b.is_ascii() {
            *i += 1;
            continue;
        }
        let c = char_at(text, *i)?;
        if is_word_char(c) {
            break;
        }
        *i += c.len_utf8();
    }
    let start = *i;
    let mut j = start;
    let mut flags = 0u8;
    loop {
        while let Some(&b) = bytes.get(j) {
            let class = CLASSES[b as usize];
            if class == 0 {
                break;
            }
            flags |= class;
            j += 1;
        }
        let Some(&b) = bytes.get(j) else { break };
        if b == b'-' {
            if char_at(text, j + 1).is_some_and(char::is_alphanumeric) {
                flags |= DASH;
                j += 1;
                continue;
            }
            break;
        }
        if b.is_ascii() {
            break;
        }
        let Some(c) = char_at(text, j) else { break };
        if !is_word_char(c) {
            break;
        }
        flags |= WIDE;
        j += c.len_utf8();
    }
    *i = j;
    Some((start, j, flags))
}

/// Lowercases `s`, a word or part of one with the given flags, into `out` (ASCII without
/// allocating).
fn lower_into(s: &str, flags: u8, out: &mut String) {
    out.clear();
    if flags & WIDE != 0 {
        out.push_str(&s.to_lowercase());
    } else {
        out.push_str(s);
        if flags & UPPER != 0 {
            out.make_ascii_lowercase();
        }
    }
}

/// One token found by [`Cursor::next`]: byte range, position, whole word or part, and the
/// flags of its word.
type Found = (usize, usize, usize, bool, u8);

/// Walks the tokens of a text: whole words, then their parts.
#[derive(Clone, Debug, Default)]
struct Cursor {
    i: usize,
    position: usize,
    start: usize,
    word_pos: usize,
    flags: u8,
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

    /// The next token.
    fn next(&mut self, text: &str) -> Option<Found> {
        if self.part < self.parts.len() {
            let (a, b) = self.parts[self.part];
            let pos = self.word_pos + self.part;
            self.part += 1;
            return Some((self.start + a, self.start + b, pos, false, self.flags));
        }
        loop {
            let (start, end, flags) = next_word(text, &mut self.i)?;
            let len = end - start;
            let has_sep = flags & (UNDERSCORE | DASH) != 0;
            if len > MAX_TOKEN || (!has_sep && len > MAX_PLAIN_WORD) {
                continue;
            }
            // Plain lowercase words (most of any text) have no parts: skip the split. Numbers
            // and numeric literals (`0x1f2e`, `1u32`, `3e10`: a digit first, no separator) are
            // kept whole: their parts are noise, and in data tables they are a large share of
            // all tokens.
            let numeric = !has_sep && text.as_bytes()[start].is_ascii_digit();
            if numeric || flags == LOWER {
                self.parts.clear();
            } else {
                split_parts_into(&text[start..end], flags & WIDE == 0, &mut self.parts);
            }
            let single = self.parts.is_empty()
                || (self.parts.len() == 1 && self.parts[0].1 - self.parts[0].0 == len);
            self.start = start;
            self.word_pos = self.position;
            self.flags = flags;
            self.part = 0;
            if single {
                self.parts.clear();
                self.position += 1;
            } else {
                self.position += self.parts.len();
            }
            return Some((start, end, self.word_pos, true, flags));
        }
    }
}

/// Calls `emit` for every token of `text`; see the module documentation.
pub fn for_each_token(text: &str, mut emit: impl FnMut(CodeToken)) {
    let mut cursor = Cursor::default();
    while let Some((from, to, position, whole, flags)) = cursor.next(text) {
        let mut lower = String::with_capacity(to - from);
        lower_into(&text[from..to], flags, &mut lower);
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
    match CLASSES[b as usize] {
        DIGIT => Class::Digit,
        UPPER => Class::Upper,
        LOWER => Class::Lower,
        _ => Class::Other,
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
fn split_parts_into(word: &str, ascii: bool, parts: &mut Vec<(usize, usize)>) {
    parts.clear();
    let mut part_start: Option<usize> = None;
    if ascii {
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
        let Some((from, to, position, _, flags)) = self.cursor.next(self.text) else {
            return false;
        };
        lower_into(&self.text[from..to], flags, &mut self.token.text);
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
    fn numbers_and_numeric_literals_stay_whole() {
        assert_eq!(texts("0x1F2e 1u32 3e10 404"), ["0x1f2e", "1u32", "3e10", "404"]);
        assert_eq!(texts("3rd_party"), ["3rd_party", "3", "rd", "party"]);
        assert_eq!(texts("v2"), ["v2", "v", "2"]);
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
