use super::*;

fn text(diff: &TextDiff<'_>, ctx: usize) -> String {
    let mut out = Vec::new();
    for h in diff.hunks(ctx) {
        h.write_to(&mut out, crate::output::Palette::new(false), false);
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn stats_count_added_and_removed_lines() {
    assert_eq!(line_stats(b"a\nb\nc\n", b"a\nB\nc\nd\n"), (2, 1));
    assert_eq!(line_stats(b"", b"x\ny\n"), (2, 0));
    assert_eq!(line_stats(b"same\n", b"same\n"), (0, 0));
}

#[test]
fn unified_hunks_match_diff_u() {
    let old = b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    let new = b"1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n";
    let d = TextDiff::new(old, new, &DiffOptions::default());
    assert_eq!(text(&d, 3), "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n");
    assert_eq!(text(&d, 0), "@@ -4 +4 @@\n-4\n+four\n");
}

#[test]
fn pure_insert_and_delete_ranges() {
    let d =
        TextDiff::new(b"a\nb\n", b"a\nx\nb\n", &DiffOptions { context: 0, ..Default::default() });
    assert_eq!(text(&d, 0), "@@ -1,0 +2 @@\n+x\n");
    let d = TextDiff::new(b"", b"x\n", &DiffOptions::default());
    assert_eq!(text(&d, 3), "@@ -0,0 +1 @@\n+x\n");
}

#[test]
fn missing_final_newline_is_shown() {
    let d = TextDiff::new(b"a\nb", b"a\nb\n", &DiffOptions::default());
    assert_eq!(text(&d, 3), "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

#[test]
fn ignore_whitespace_hides_spacing_changes() {
    let opts = DiffOptions { ignore_whitespace: true, ..Default::default() };
    assert!(!TextDiff::new(b"a  b\n\tc\n", b"a b\nc \n", &opts).has_changes());
    assert!(TextDiff::new(b"a b\n", b"a c\n", &opts).has_changes());
}

#[test]
fn scattered_edits_in_a_large_file() {
    let mut old = String::new();
    let mut new = String::new();
    for i in 0..20_000 {
        old.push_str(&format!("line {i} of the file\n"));
        if i % 100 == 7 {
            new.push_str(&format!("changed {i}\n"));
        } else {
            new.push_str(&format!("line {i} of the file\n"));
        }
    }
    let d = TextDiff::new(old.as_bytes(), new.as_bytes(), &DiffOptions::default());
    assert_eq!(d.stats(), (200, 200));
    assert_eq!(d.hunks(3).len(), 200);
}

#[test]
fn binary_sniffing() {
    assert!(is_binary(b"a\0b"));
    assert!(!is_binary(b"plain text\n"));
}

#[test]
fn directory_pairs_are_a_sorted_union() {
    let r = |s: &str| RelPath::from_bytes(s.as_bytes().to_vec());
    let p = dirs::pair(&[r("a"), r("c")], &[r("b"), r("c")]);
    let got: Vec<(String, bool, bool)> =
        p.iter().map(|x| (x.rel.to_string(), x.in_old, x.in_new)).collect();
    assert_eq!(
        got,
        vec![("a".into(), true, false), ("b".into(), false, true), ("c".into(), true, true)]
    );
}

use crate::paths::RelPath;

#[test]
fn unified_text_has_headers_hunks_and_nothing_for_equal_sides() {
    let text = super::unified_text(b"a\nb\n", b"a\nc\n", "a/x", "b/x", 3);
    assert_eq!(text, "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    assert_eq!(super::unified_text(b"same\n", b"same\n", "a/x", "b/x", 3), "");
    assert!(super::unified_text(b"\0bin", b"text\n", "a/x", "b/x", 3).starts_with("Binary files"));
}

#[test]
fn interned_ids_agree_when_the_table_grows() {
    // Far more distinct lines than the table was sized for, then the same lines again.
    let lines: Vec<Vec<u8>> = (0..5000).map(|i| format!("line {i}\n").into_bytes()).collect();
    let mut interner = Interner::new(4, false);
    let first: Vec<u32> = lines.iter().map(|l| interner.id(l)).collect();
    let again: Vec<u32> = lines.iter().map(|l| interner.id(l)).collect();
    assert_eq!(first, again);
    assert_eq!(first, (1..=5000).collect::<Vec<u32>>());
}

#[test]
fn shifted_sides_still_pair_equal_lines() {
    // An insertion near the top puts every later line off the diagonal.
    let old: String =
        (0..200).map(|i| ["0\n", "1\n", "2\n", "3\n", "4\n", "5\n", "6\n"][i % 7]).collect();
    let new = format!("new\n{old}end\n");
    let diff = TextDiff::new(old.as_bytes(), new.as_bytes(), &DiffOptions::default());
    assert_eq!(diff.stats(), (2, 0));
}
