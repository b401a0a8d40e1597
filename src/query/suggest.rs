//! "Did you mean": the known names closest to a mistyped one.

/// Up to `n` of `candidates` that look like `name` (small edit distance, or one contains the
/// other), closest first.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let wanted = name.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let d = distance(&wanted, &c.to_ascii_lowercase());
            let related = wanted.len() >= 3 && (c.contains(wanted.as_str()) || wanted.contains(c));
            (d <= limit || related).then_some((if related { d.min(limit) } else { d }, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c.to_owned()).collect()
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_fragments_find_their_names() {
        let names = ["recent-diffs", "diffs-since", "file-versions", "time-analysis"];
        assert_eq!(closest("recent-dif", names.iter().copied(), 3)[0], "recent-diffs");
        assert_eq!(closest("recnet-diffs", names.iter().copied(), 3)[0], "recent-diffs");
        assert!(closest("diffs", names.iter().copied(), 3).contains(&"diffs-since".to_owned()));
        assert!(closest("zzzzzz", names.iter().copied(), 3).is_empty());
    }
}
