//! A small fingerprint of a text's lines, to tell which earlier file a new one resembles before
//! paying for a delta against it.
//!
//! A [`Sketch`] keeps the [`K`] smallest hashes of a text's distinct lines (a bottom-k MinHash).
//! Two sketches estimate the Jaccard similarity of the two sets of lines: of the `K` smallest
//! hashes of both together, the share found in both. Copies of a file with a few lines changed
//! score near 1, unrelated files near 0. Workers compute it beside the hash, so the writer only
//! compares 2 x `K` numbers per candidate.

/// Hashes kept per text.
pub const K: usize = 16;

/// The bottom-k line hashes of a text, ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sketch([u64; K]);

impl Sketch {
    /// The sketch of `text`; `None` when it has fewer than [`K`] distinct non-blank lines (too
    /// little to compare that way).
    #[must_use]
    pub fn of(text: &[u8]) -> Option<Self> {
        let mut low = [u64::MAX; K];
        for line in text.split(|&b| b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let h = line_hash(line);
            // `low` is sorted ascending; the largest kept is at the end.
            if h >= low[K - 1] || low.contains(&h) {
                continue;
            }
            let at = low.partition_point(|&x| x < h);
            low.copy_within(at..K - 1, at + 1);
            low[at] = h;
        }
        (low[K - 1] != u64::MAX).then_some(Self(low))
    }

    /// Estimated Jaccard similarity of the two texts' lines, from 0 to [`K`] (in `K`ths).
    #[must_use]
    pub fn similarity(&self, other: &Self) -> usize {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut both, mut taken) = (0, 0, 0, 0);
        while taken < K && i < K && j < K {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
            taken += 1;
        }
        both
    }
}

/// A 64-bit hash of one line, eight bytes at a time, with a final mix so that the smallest
/// values are spread evenly over lines.
fn line_hash(line: &[u8]) -> u64 {
    const M: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (line.len() as u64).wrapping_mul(M);
    let mut words = line.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(M).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(M);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: impl Iterator<Item = String>) -> Vec<u8> {
        let mut out = Vec::new();
        for l in lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn the_same_lines_score_full_and_other_lines_score_nothing() {
        let a = text((0..300).map(|i| format!("let x{i} = {i};")));
        let b = text((0..300).map(|i| format!("fn other_{i}() {{}}")));
        let sa = Sketch::of(&a).unwrap();
        assert_eq!(sa.similarity(&sa), K);
        // Line order does not matter, only the set of lines.
        let mut reversed: Vec<&[u8]> = a.split(|&c| c == b'\n').collect();
        reversed.reverse();
        assert_eq!(Sketch::of(&reversed.join(&b'\n')).unwrap(), sa);
        assert_eq!(sa.similarity(&Sketch::of(&b).unwrap()), 0);
    }

    #[test]
    fn a_few_changed_lines_keep_most_of_the_score_and_half_keeps_about_a_third() {
        let base: Vec<String> = (0..400).map(|i| format!("    value_{i} += {};", i * 7)).collect();
        let a = Sketch::of(&text(base.iter().cloned())).unwrap();
        let edited = base
            .iter()
            .enumerate()
            .map(|(i, l)| if i % 100 == 0 { format!("{l} // changed") } else { l.clone() });
        assert!(a.similarity(&Sketch::of(&text(edited)).unwrap()) >= K - 3);
        // Half the lines replaced: Jaccard 200 / 600 = 1/3.
        let half = base
            .iter()
            .enumerate()
            .map(|(i, l)| if i % 2 == 0 { format!("other {i}") } else { l.clone() });
        let s = a.similarity(&Sketch::of(&text(half)).unwrap());
        assert!((1..=K / 2 + 1).contains(&s), "{s}");
    }

    #[test]
    fn short_or_blank_texts_have_no_sketch() {
        assert!(Sketch::of(b"").is_none());
        assert!(Sketch::of(&text((0..K - 1).map(|i| format!("line {i}")))).is_none());
        assert!(Sketch::of(&text((0..100).map(|_| "same line".to_owned()))).is_none());
        assert!(Sketch::of(&[b'\n'; 500]).is_none());
        assert!(Sketch::of(&text((0..K).map(|i| format!("line {i}")))).is_some());
    }
}
