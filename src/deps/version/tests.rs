//! Property-style tests of the range rules: ranges are compared with a brute-force model over a
//! grid of versions per ecosystem.

use super::*;

fn r(events: &[Event]) -> Range {
    Range { kind: "ECOSYSTEM".into(), events: events.to_vec() }
}
fn intro(s: &str) -> Event {
    Event::Introduced(s.into())
}
fn fixed(s: &str) -> Event {
    Event::Fixed(s.into())
}
fn last(s: &str) -> Event {
    Event::LastAffected(s.into())
}

fn hit(eco: Ecosystem, v: &str, range: &Range) -> bool {
    let parsed = Version::parse(eco, v).unwrap_or_else(|| panic!("{v}"));
    in_range(eco, &parsed, range).expect("range parses")
}

#[test]
fn several_introduced_fixed_pairs_match_a_brute_force_model() {
    let eco = Ecosystem::Cargo;
    // Grid of versions, with pre-releases between the releases.
    let mut grid = Vec::new();
    for minor in 0..6 {
        grid.push(format!("1.{minor}.0-alpha.1"));
        grid.push(format!("1.{minor}.0"));
        grid.push(format!("1.{minor}.5"));
    }
    let range = r(&[fixed("1.2.0"), intro("1.0.5"), intro("1.3.0-alpha.1"), fixed("1.4.5")]);
    for v in &grid {
        let x = Version::parse(eco, v).expect("grid");
        let lo1 = Version::parse(eco, "1.0.5").expect("v");
        let hi1 = Version::parse(eco, "1.2.0").expect("v");
        let lo2 = Version::parse(eco, "1.3.0-alpha.1").expect("v");
        let hi2 = Version::parse(eco, "1.4.5").expect("v");
        let model = (x >= lo1 && x < hi1) || (x >= lo2 && x < hi2);
        assert_eq!(hit(eco, v, &range), model, "{v}");
    }
}

#[test]
fn pre_releases_of_the_fixed_version_are_still_affected() {
    let range = r(&[intro("0"), fixed("2.0.0")]);
    assert!(hit(Ecosystem::Cargo, "2.0.0-rc.1", &range));
    assert!(!hit(Ecosystem::Cargo, "2.0.0", &range));
    assert!(hit(Ecosystem::Npm, "v1.9.9", &range));
    assert!(!hit(Ecosystem::Npm, "2.0.1-beta", &range));
}

#[test]
fn last_affected_includes_the_named_version_only() {
    let range = r(&[intro("1.0.0"), last("1.2.3")]);
    assert!(hit(Ecosystem::Cargo, "1.2.3", &range));
    assert!(!hit(Ecosystem::Cargo, "1.2.4-pre", &range));
    assert!(!hit(Ecosystem::Cargo, "0.9.0", &range));
    assert!(hit(Ecosystem::Cargo, "1.0.0", &range));
}

#[test]
fn limit_caps_the_range() {
    let mut range = r(&[intro("0")]);
    range.events.push(Event::Limit("3.0.0".into()));
    assert!(hit(Ecosystem::Cargo, "2.9.9", &range));
    assert!(!hit(Ecosystem::Cargo, "3.0.0", &range));
}

#[test]
fn pep440_epochs_locals_and_pre_releases() {
    let eco = Ecosystem::PyPI;
    let range = r(&[intro("0"), fixed("2.0.1")]);
    assert!(hit(eco, "2.0", &range));
    assert!(hit(eco, "2.0.1rc1", &range));
    assert!(hit(eco, "2.0.1.dev3", &range));
    assert!(!hit(eco, "2.0.1", &range));
    assert!(!hit(eco, "2.0.1+local.1", &range));
    assert!(hit(eco, "2.0.0+local.1", &range));
    // An epoch puts a version after every epoch-0 version.
    assert!(!hit(eco, "1!0.1", &range));
    let epoch_range = r(&[intro("1!1.0"), fixed("1!1.5")]);
    assert!(hit(eco, "1!1.2", &epoch_range));
    assert!(!hit(eco, "5.0", &epoch_range));
    assert!(hit(eco, "2.0.0.post1", &r(&[intro("2.0.0.post1"), fixed("2.0.1")])));
    assert!(!hit(eco, "2.0.0", &r(&[intro("2.0.0.post1"), fixed("2.0.1")])));
}

#[test]
fn go_pseudo_versions_and_incompatible() {
    let eco = Ecosystem::Go;
    let range = r(&[intro("0"), fixed("3.0.0-20220521103104-8f96da9f5d5e")]);
    assert!(hit(eco, "v3.0.0-20210107192922-496545a6307b", &range));
    assert!(!hit(eco, "v3.0.0-20220521103104-8f96da9f5d5e", &range));
    assert!(!hit(eco, "v3.0.1", &range));
    assert!(hit(eco, "v2.9.0", &range));
    let inc = r(&[intro("2.0.0"), fixed("2.5.0")]);
    assert!(hit(eco, "v2.3.0+incompatible", &inc));
    assert!(!hit(eco, "v2.5.0+incompatible", &inc));
    // A pseudo-version based on a later tag sorts after that tag's release.
    let pseudo = r(&[intro("0"), fixed("1.4.1")]);
    assert!(!hit(eco, "v1.4.2-0.20220101000000-abcdefabcdef", &pseudo));
    assert!(hit(eco, "v1.4.1-0.20220101000000-abcdefabcdef", &pseudo));
}

#[test]
fn explicit_versions_lists_and_git_ranges() {
    let eco = Ecosystem::PyPI;
    let v = Version::parse(eco, "1.0.3").expect("v");
    let git = Range { kind: "GIT".into(), events: vec![intro("0")] };
    assert!(
        affected_by_ranges(eco, &v, "1.0.3", std::slice::from_ref(&git), &["1.0.3".into()])
            .expect("ok")
    );
    assert!(!affected_by_ranges(eco, &v, "1.0.3", &[git], &["1.0.4".into()]).expect("ok"));
    // `1.0.3` listed as `1.0.3.0` is the same PEP 440 version.
    assert!(affected_by_ranges(eco, &v, "1.0.3", &[], &["1.0.3.0".into()]).expect("ok"));
}

#[test]
fn a_bad_event_version_is_an_error_not_a_silent_miss() {
    let range = r(&[intro("0"), fixed("not-a-version")]);
    let v = Version::parse(Ecosystem::Cargo, "1.0.0").expect("v");
    assert!(in_range(Ecosystem::Cargo, &v, &range).is_err());
}

#[test]
fn unparseable_installed_versions_are_none() {
    assert!(Version::parse(Ecosystem::Cargo, "1.0").is_none());
    assert!(Version::parse(Ecosystem::Go, "master").is_none());
    assert!(Version::parse(Ecosystem::PyPI, "1.0-foo").is_none());
    assert!(Version::parse(Ecosystem::Npm, "github:a/b").is_none());
}

#[test]
fn compatibility_follows_semver_rules() {
    let p = |s: &str| Version::parse(Ecosystem::Cargo, s).expect("v");
    assert!(p("1.2.3").compatible_with(&p("1.9.0")));
    assert!(!p("1.2.3").compatible_with(&p("2.0.0")));
    assert!(p("0.2.3").compatible_with(&p("0.2.9")));
    assert!(!p("0.2.3").compatible_with(&p("0.3.0")));
}

/// A tiny deterministic generator (no extra crate): the same cases on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn random_ranges_agree_with_a_brute_force_model_in_every_ecosystem() {
    let mut rng = Lcg(42);
    for eco in [Ecosystem::Cargo, Ecosystem::Npm, Ecosystem::Go, Ecosystem::PyPI] {
        // A sorted grid of distinct versions, pre-releases included.
        let mut grid: Vec<String> = Vec::new();
        for minor in 0..5 {
            for patch in 0..3 {
                if eco == Ecosystem::PyPI {
                    grid.push(format!("1.{minor}.{patch}rc1"));
                    grid.push(format!("1.{minor}.{patch}"));
                    grid.push(format!("1.{minor}.{patch}.post1"));
                } else {
                    grid.push(format!("1.{minor}.{patch}-alpha.1"));
                    grid.push(format!("1.{minor}.{patch}"));
                }
            }
        }
        let parsed: Vec<Version> =
            grid.iter().map(|g| Version::parse(eco, g).expect("grid")).collect();
        for w in parsed.windows(2) {
            assert!(w[0] < w[1], "grid must be increasing");
        }
        for _ in 0..200 {
            // 1-3 disjoint [introduced, fixed) or [introduced, last_affected] intervals.
            let mut cuts: Vec<usize> =
                (0..6).map(|_| rng.next(grid.len() as u64) as usize).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut events = Vec::new();
            let mut model = vec![false; grid.len()];
            for pair in cuts.chunks(2) {
                let lo = pair[0];
                let last = rng.next(2) == 0;
                events.push(intro(&grid[lo]));
                match pair.get(1) {
                    Some(&hi) if last => {
                        events.push(Event::LastAffected(grid[hi].clone()));
                        model[lo..=hi].iter_mut().for_each(|m| *m = true);
                    }
                    Some(&hi) => {
                        events.push(fixed(&grid[hi]));
                        model[lo..hi].iter_mut().for_each(|m| *m = true);
                    }
                    None => model[lo..].iter_mut().for_each(|m| *m = true),
                }
            }
            // Event order in a record is arbitrary: shuffle it.
            for i in (1..events.len()).rev() {
                events.swap(i, rng.next(i as u64 + 1) as usize);
            }
            let range = Range { kind: "ECOSYSTEM".into(), events };
            for (i, v) in parsed.iter().enumerate() {
                let got = in_range(eco, v, &range).expect("parses");
                assert_eq!(got, model[i], "{eco} {} in {range:?}", grid[i]);
            }
        }
    }
}
