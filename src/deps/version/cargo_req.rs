//! RustSec's `patched` and `unaffected` version requirements as intervals.
//!
//! A RustSec advisory affects a version unless one of its `patched` or `unaffected`
//! requirements covers it. Cargo's requirement matching hides pre-releases from requirements
//! that do not name one, which would make `2.0.0-rc.1` look unaffected by nothing at all; the
//! advisory database means plain version order instead, so each requirement becomes an interval
//! over SemVer precedence (`^1.2.3` = `[1.2.3, 2.0.0)`), as the database's own OSV export does.

use semver::{Comparator, Op, Version, VersionReq};

/// One end of an interval.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Inclusive(Version),
    Exclusive(Version),
}

/// A parsed requirement: an intersection of comparator intervals.
#[derive(Clone, Debug)]
pub struct Requirement {
    lower: Bound,
    upper: Bound,
}

fn fill(c: &Comparator) -> Version {
    let mut v = Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0));
    v.pre.clone_from(&c.pre);
    v
}

/// The version just after the last given part: `1.2` -> `1.3.0`, `1` -> `2.0.0`.
fn bump_last(c: &Comparator) -> Version {
    match (c.minor, c.patch) {
        (None, _) => Version::new(c.major + 1, 0, 0),
        (Some(m), None) => Version::new(c.major, m + 1, 0),
        (Some(m), Some(p)) => Version::new(c.major, m, p + 1),
    }
}

fn caret_upper(c: &Comparator) -> Version {
    match (c.major, c.minor, c.patch) {
        (0, None, _) => Version::new(1, 0, 0),
        (0, Some(0), None) => Version::new(0, 1, 0),
        (0, Some(0), Some(p)) => Version::new(0, 0, p + 1),
        (0, Some(m), _) => Version::new(0, m + 1, 0),
        (maj, _, _) => Version::new(maj + 1, 0, 0),
    }
}

fn interval(c: &Comparator) -> (Bound, Bound) {
    use Bound::{Exclusive, Inclusive, Unbounded};
    match c.op {
        Op::Exact | Op::Wildcard => {
            if c.patch.is_some() {
                (Inclusive(fill(c)), Inclusive(fill(c)))
            } else {
                (Inclusive(fill(c)), Exclusive(bump_last(c)))
            }
        }
        Op::Greater => {
            if c.patch.is_some() {
                (Exclusive(fill(c)), Unbounded)
            } else {
                (Inclusive(bump_last(c)), Unbounded)
            }
        }
        Op::GreaterEq => (Inclusive(fill(c)), Unbounded),
        Op::Less => (Unbounded, Exclusive(fill(c))),
        Op::LessEq => {
            if c.patch.is_some() {
                (Unbounded, Inclusive(fill(c)))
            } else {
                (Unbounded, Exclusive(bump_last(c)))
            }
        }
        Op::Tilde => {
            let upper = if c.minor.is_some() {
                Version::new(c.major, c.minor.unwrap_or(0) + 1, 0)
            } else {
                Version::new(c.major + 1, 0, 0)
            };
            (Inclusive(fill(c)), Exclusive(upper))
        }
        _ => (Inclusive(fill(c)), Exclusive(caret_upper(c))),
    }
}

fn tighter_lower(a: Bound, b: Bound) -> Bound {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Inclusive(x) | Bound::Exclusive(x), Bound::Inclusive(y) | Bound::Exclusive(y)) => {
            match x.cmp_precedence(y) {
                std::cmp::Ordering::Less => b,
                std::cmp::Ordering::Greater => a,
                std::cmp::Ordering::Equal => {
                    if matches!(a, Bound::Exclusive(_)) {
                        a
                    } else {
                        b
                    }
                }
            }
        }
    }
}

fn tighter_upper(a: Bound, b: Bound) -> Bound {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Inclusive(x) | Bound::Exclusive(x), Bound::Inclusive(y) | Bound::Exclusive(y)) => {
            match x.cmp_precedence(y) {
                std::cmp::Ordering::Less => a,
                std::cmp::Ordering::Greater => b,
                std::cmp::Ordering::Equal => {
                    if matches!(a, Bound::Exclusive(_)) {
                        a
                    } else {
                        b
                    }
                }
            }
        }
    }
}

impl Requirement {
    /// Parses one requirement (`>= 1.2.3, < 1.3`, `^0.4`, `=1.0.0`, `*`).
    ///
    /// # Errors
    /// The requirement does not parse.
    pub fn parse(text: &str) -> Result<Self, semver::Error> {
        let req = VersionReq::parse(text)?;
        let mut lower = Bound::Unbounded;
        let mut upper = Bound::Unbounded;
        for c in &req.comparators {
            let (lo, hi) = interval(c);
            lower = tighter_lower(lower, lo);
            upper = tighter_upper(upper, hi);
        }
        Ok(Self { lower, upper })
    }

    /// True when `v` is inside the interval.
    #[must_use]
    pub fn contains(&self, v: &Version) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let above = match &self.lower {
            Bound::Unbounded => true,
            Bound::Inclusive(l) => matches!(v.cmp_precedence(l), Greater | Equal),
            Bound::Exclusive(l) => v.cmp_precedence(l) == Greater,
        };
        let below = match &self.upper {
            Bound::Unbounded => true,
            Bound::Inclusive(u) => matches!(v.cmp_precedence(u), Less | Equal),
            Bound::Exclusive(u) => v.cmp_precedence(u) == Less,
        };
        above && below
    }

    /// The smallest version the requirement admits, when it has a lower bound (the fixed version
    /// a `patched` requirement names).
    #[must_use]
    pub fn minimum(&self) -> Option<Version> {
        match &self.lower {
            Bound::Inclusive(v) => Some(v.clone()),
            Bound::Exclusive(v) => {
                let mut next = Version::new(v.major, v.minor, v.patch + 1);
                if !v.pre.is_empty() {
                    next = Version::new(v.major, v.minor, v.patch);
                }
                Some(next)
            }
            Bound::Unbounded => None,
        }
    }
}

/// RustSec's rule: affected unless a `patched` or `unaffected` requirement covers `v`.
#[must_use]
pub fn rustsec_affected(v: &Version, patched: &[Requirement], unaffected: &[Requirement]) -> bool {
    !patched.iter().chain(unaffected).any(|r| r.contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).expect("version")
    }
    fn req(s: &str) -> Requirement {
        Requirement::parse(s).expect("req")
    }

    #[test]
    fn caret_tilde_and_ranges() {
        assert!(req("^1.2.3").contains(&v("1.9.0")));
        assert!(!req("^1.2.3").contains(&v("2.0.0")));
        assert!(req("^0.2.3").contains(&v("0.2.9")));
        assert!(!req("^0.2.3").contains(&v("0.3.0")));
        assert!(req("~1.2").contains(&v("1.2.9")));
        assert!(!req("~1.2").contains(&v("1.3.0")));
        assert!(req(">= 0.9.4").contains(&v("5.0.0")));
        assert!(!req(">= 0.9.4").contains(&v("0.9.3")));
        assert!(req(">= 42.0.2, < 43.0.0").contains(&v("42.5.0")));
        assert!(!req(">= 42.0.2, < 43.0.0").contains(&v("43.0.0")));
        assert!(req("< 0.8").contains(&v("0.7.99")));
        assert!(req("=1.0.0").contains(&v("1.0.0")));
        assert!(!req("=1.0.0").contains(&v("1.0.1")));
        assert!(req("<= 1.2").contains(&v("1.2.7")));
        assert!(req("> 1.2").contains(&v("1.3.0")));
        assert!(!req("> 1.2").contains(&v("1.2.9")));
    }

    #[test]
    fn pre_releases_follow_plain_order() {
        // 2.0.0-rc.1 is below the patched 2.0.0: still affected.
        let patched = [req(">= 2.0.0")];
        assert!(rustsec_affected(&v("2.0.0-rc.1"), &patched, &[]));
        assert!(!rustsec_affected(&v("2.0.1"), &patched, &[]));
        // A requirement that names a pre-release admits later pre-releases.
        assert!(req(">= 1.0.0-alpha.3").contains(&v("1.0.0-beta.1")));
    }

    #[test]
    fn patched_and_unaffected_combine() {
        let patched = [req(">= 1.4.1, < 1.5.0"), req(">= 1.5.2")];
        let unaffected = [req("< 1.0.0")];
        for (ver, affected) in [
            ("0.9.0", false),
            ("1.0.0", true),
            ("1.4.0", true),
            ("1.4.1", false),
            ("1.5.0", true),
            ("1.5.1", true),
            ("1.5.2", false),
        ] {
            assert_eq!(rustsec_affected(&v(ver), &patched, &unaffected), affected, "{ver}");
        }
        // No patched versions: every version is affected.
        assert!(rustsec_affected(&v("9.9.9"), &[], &[]));
        assert_eq!(req(">= 1.5.2").minimum(), Some(v("1.5.2")));
    }
}
