//! Stand-ins for `crate::hash` (SHA-256 of text with `\r\n`/`\r` -> `\n`) and `crate::diff`
//! (line statistics), which land on `main` with `obby track`.
//!
//! TODO(import): replace with `crate::hash` / `crate::diff` once they are merged, and delete
//! this file.

use sha2::Digest as _;

/// SHA-256 (lowercase hex) of content; text has `\r\n` and lone `\r` turned into `\n` first.
pub(crate) fn content_hash(content: &[u8], is_text: bool) -> String {
    let mut h = sha2::Sha256::new();
    if is_text && content.contains(&b'\r') {
        let mut out = Vec::with_capacity(content.len());
        let mut i = 0;
        while i < content.len() {
            if content[i] == b'\r' {
                out.push(b'\n');
                if content.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            } else {
                out.push(content[i]);
            }
            i += 1;
        }
        h.update(&out);
    } else {
        h.update(content);
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// True when content looks like text (no NUL byte in the first 8 KiB), as git decides.
pub(crate) fn is_text(content: &[u8]) -> bool {
    !content[..content.len().min(8192)].contains(&0)
}

/// Lines in content (a last line without `\n` counts).
pub(crate) fn line_count(content: &[u8]) -> u64 {
    #[allow(clippy::naive_bytecount)] // a stand-in; crate::diff replaces it
    let n = content.iter().filter(|&&b| b == b'\n').count() as u64;
    n + u64::from(content.last().is_some_and(|&b| b != b'\n'))
}

/// Lines added and removed going from `old` to `new`.
pub(crate) fn line_stats(old: &[u8], new: &[u8]) -> (u64, u64) {
    if old.is_empty() {
        return (line_count(new), 0);
    }
    if new.is_empty() {
        return (0, line_count(old));
    }
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(old.as_ref(), new.as_ref());
    let (mut added, mut removed) = (0, 0);
    for op in diff.ops() {
        match op.tag() {
            similar::DiffTag::Insert => added += op.new_range().len() as u64,
            similar::DiffTag::Delete => removed += op.old_range().len() as u64,
            similar::DiffTag::Replace => {
                added += op.new_range().len() as u64;
                removed += op.old_range().len() as u64;
            }
            similar::DiffTag::Equal => {}
        }
    }
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_do_not_change_the_hash() {
        let a = content_hash(b"a\nb\n", true);
        assert_eq!(a, content_hash(b"a\r\nb\r\n", true));
        assert_eq!(a, content_hash(b"a\rb\r", true));
        assert_ne!(a, content_hash(b"a\r\nb\r\n", false));
        assert_eq!(
            content_hash(b"", true),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn stats() {
        assert_eq!(line_stats(b"a\nb\nc\n", b"a\nB\nc\nd\n"), (2, 1));
        assert_eq!(line_stats(b"", b"x\ny"), (2, 0));
        assert_eq!(line_stats(b"x\n", b""), (0, 1));
    }
}
