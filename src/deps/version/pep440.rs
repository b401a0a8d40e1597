//! PEP 440 versions: parsing (with the spec's normalisations) and ordering.
//!
//! Written from the specification rather than borrowed: epochs (`1!2.0`), release segments
//! compared with trailing zeros ignored, pre-releases (`a`/`b`/`rc` and their spellings), post
//! (`.post1`, `-1`), dev releases, and local labels (`+ubuntu.1`), with the ordering rules of
//! the spec (a dev release of a final sorts before its pre-releases, a local label sorts after
//! the public version).

use std::cmp::Ordering;

/// A parsed PEP 440 version.
#[derive(Clone, Debug)]
pub struct Pep440 {
    epoch: u64,
    release: Vec<u64>,
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<LocalPart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum LocalPart {
    Num(u64),
    Text(String),
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Num(a), Self::Num(b)) => a.cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            // Numeric segments sort after alphanumeric ones.
            (Self::Num(_), Self::Text(_)) => Ordering::Greater,
            (Self::Text(_), Self::Num(_)) => Ordering::Less,
        }
    }
}

/// Scans `s` from `i`: an optional separator (`.`, `-`, `_`).
fn skip_sep(b: &[u8], i: usize) -> usize {
    if i < b.len() && matches!(b[i], b'.' | b'-' | b'_') { i + 1 } else { i }
}

fn number(b: &[u8], i: usize) -> Option<(u64, usize)> {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    let text = std::str::from_utf8(&b[i..j]).ok()?;
    Some((text.parse().ok()?, j))
}

fn word<'a>(b: &[u8], i: usize, words: &[&'a str]) -> Option<(&'a str, usize)> {
    // Longest match first so `preview` wins over `pre`.
    let mut best: Option<(&str, usize)> = None;
    for w in words {
        let end = i + w.len();
        if end <= b.len()
            && b[i..end].eq_ignore_ascii_case(w.as_bytes())
            && best.is_none_or(|(bw, _)| bw.len() < w.len())
        {
            best = Some((w, end));
        }
    }
    best
}

impl Pep440 {
    /// Parses a version; `None` when it is not valid PEP 440.
    #[must_use]
    #[allow(clippy::many_single_char_names)]
    pub fn parse(text: &str) -> Option<Self> {
        let s = text.trim();
        let b = s.as_bytes();
        let mut i = 0;
        if i < b.len() && (b[i] == b'v' || b[i] == b'V') {
            i += 1;
        }
        let mut epoch = 0;
        if let Some((n, j)) = number(b, i)
            && j < b.len()
            && b[j] == b'!'
        {
            epoch = n;
            i = j + 1;
        }
        let mut release = Vec::new();
        let (n, j) = number(b, i)?;
        release.push(n);
        i = j;
        while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            let (n, j) = number(b, i + 1)?;
            release.push(n);
            i = j;
        }
        let mut v = Self { epoch, release, pre: None, post: None, dev: None, local: Vec::new() };
        // Pre-release.
        let j = skip_sep(b, i);
        if let Some((w, k)) = word(b, j, &["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"])
        {
            let kind = match w {
                "a" | "alpha" => 0,
                "b" | "beta" => 1,
                _ => 2,
            };
            let k2 = skip_sep(b, k);
            let (n, end) = number(b, k2).unwrap_or((0, k));
            v.pre = Some((kind, n));
            i = end;
        }
        // Post-release: `-N` or `[sep]post|rev|r[sep]N`.
        if i < b.len() && b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let (n, end) = number(b, i + 1)?;
            v.post = Some(n);
            i = end;
        } else {
            let j = skip_sep(b, i);
            if let Some((_, k)) = word(b, j, &["post", "rev", "r"]) {
                let k2 = skip_sep(b, k);
                let (n, end) = number(b, k2).unwrap_or((0, k));
                v.post = Some(n);
                i = end;
            }
        }
        // Dev release.
        let j = skip_sep(b, i);
        if let Some((_, k)) = word(b, j, &["dev"]) {
            let k2 = skip_sep(b, k);
            let (n, end) = number(b, k2).unwrap_or((0, k));
            v.dev = Some(n);
            i = end;
        }
        // Local label.
        if i < b.len() && b[i] == b'+' {
            let label = &s[i + 1..];
            if label.is_empty() {
                return None;
            }
            for part in label.split(['.', '-', '_']) {
                if part.is_empty() || !part.bytes().all(|c| c.is_ascii_alphanumeric()) {
                    return None;
                }
                v.local.push(match part.parse::<u64>() {
                    Ok(n) if part.bytes().all(|c| c.is_ascii_digit()) => LocalPart::Num(n),
                    _ => LocalPart::Text(part.to_ascii_lowercase()),
                });
            }
            i = b.len();
        }
        if i != b.len() {
            return None;
        }
        Some(v)
    }

    /// True for pre-releases and dev releases.
    #[must_use]
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// The release segments (for compatibility checks).
    #[must_use]
    pub fn release(&self) -> &[u64] {
        &self.release
    }

    fn release_cmp(&self, other: &Self) -> Ordering {
        let len = self.release.len().max(other.release.len());
        for k in 0..len {
            let a = self.release.get(k).copied().unwrap_or(0);
            let b = other.release.get(k).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// Sort key of the pre-release part: a dev-only release sorts before every pre-release,
    /// a final release after them.
    fn pre_key(&self) -> (i8, u8, u64) {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (-1, 0, 0),
            (None, _, _) => (1, 0, 0),
            (Some((k, n)), _, _) => (0, k, n),
        }
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440 {}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release_cmp(other))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            // No post release sorts before any post release.
            .then_with(|| self.post.map(|p| p + 1).cmp(&other.post.map(|p| p + 1)))
            // No dev release sorts after any dev release.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

#[cfg(test)]
mod tests {
    use super::Pep440;

    fn v(s: &str) -> Pep440 {
        Pep440::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn the_specs_ordering_example_holds() {
        // The ordering example from PEP 440, plus epochs and locals.
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "2.0",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        // Every pair, not only neighbours (transitivity of the written rules).
        for (i, a) in ordered.iter().enumerate() {
            for b in &ordered[i + 1..] {
                assert!(v(a) < v(b), "{a} < {b}");
                assert!(v(b) > v(a), "{b} > {a}");
            }
        }
    }

    #[test]
    fn normalised_spellings_are_equal() {
        let same = [
            ("1.0", "1.0.0"),
            ("1.0", "v1.0"),
            ("1.0alpha1", "1.0a1"),
            ("1.0-beta.2", "1.0b2"),
            ("1.0c1", "1.0rc1"),
            ("1.0pre1", "1.0rc1"),
            ("1.0-1", "1.0.post1"),
            ("1.0.rev1", "1.0.post1"),
            ("1.0-dev", "1.0.dev0"),
            ("0!1.0", "1.0"),
            ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
            ("1.0a", "1.0a0"),
        ];
        for (a, b) in same {
            assert_eq!(v(a), v(b), "{a} == {b}");
        }
    }

    #[test]
    fn invalid_versions_are_refused() {
        for bad in ["", "abc", "1.0+", "1.0+a..b", "1.0 2", "1..0", "1.0-foo", "1.0.x"] {
            assert!(Pep440::parse(bad).is_none(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn generated_release_numbers_order_like_tuples() {
        // Property: for release tuples, the order equals the tuple order with zero padding.
        let mut seeds: Vec<Vec<u64>> = Vec::new();
        for a in 0..4 {
            for b in 0..4 {
                seeds.push(vec![a, b]);
                for c in 0..3 {
                    seeds.push(vec![a, b, c]);
                }
            }
        }
        for x in &seeds {
            for y in &seeds {
                let pad = |t: &Vec<u64>| {
                    let mut t = t.clone();
                    t.resize(3, 0);
                    t
                };
                let text =
                    |t: &Vec<u64>| t.iter().map(ToString::to_string).collect::<Vec<_>>().join(".");
                assert_eq!(v(&text(x)).cmp(&v(&text(y))), pad(x).cmp(&pad(y)), "{x:?} {y:?}");
            }
        }
    }
}
