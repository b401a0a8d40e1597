//! Version ordering per ecosystem and the OSV range rules.
//!
//! Each ecosystem orders versions its own way: SemVer 2 for crates.io and npm (the `semver`
//! crate; npm's leading `v`/`=` accepted), Go module versions (a `v` prefix, pseudo-versions that
//! are SemVer pre-releases, `+incompatible` ignored for ordering), and PEP 440 for PyPI
//! ([`pep440`]). [`affected_by_ranges`] applies the OSV schema's evaluation rules
//! (introduced/fixed/last_affected/limit events and explicit `versions` lists); [`cargo_req`]
//! turns RustSec's `patched`/`unaffected` requirements into intervals.

pub mod cargo_req;
pub mod pep440;

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::Ecosystem;
pub use pep440::Pep440;

/// A version parsed in its ecosystem's rules.
#[derive(Clone, Debug)]
pub enum Version {
    /// SemVer (crates.io, npm, Go).
    Semver(semver::Version),
    /// PEP 440 (PyPI).
    Pep440(Pep440),
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Semver(a), Self::Semver(b)) => a.cmp_precedence(b),
            (Self::Pep440(a), Self::Pep440(b)) => a.cmp(b),
            (Self::Semver(_), Self::Pep440(_)) => Ordering::Less,
            (Self::Pep440(_), Self::Semver(_)) => Ordering::Greater,
        }
    }
}

impl Version {
    /// Parses `text` with `eco`'s rules; `None` when it is not a version there.
    #[must_use]
    pub fn parse(eco: Ecosystem, text: &str) -> Option<Self> {
        let t = text.trim();
        match eco {
            Ecosystem::Cargo => semver::Version::parse(t).ok().map(Self::Semver),
            Ecosystem::Npm => {
                let t = t.trim_start_matches('=').trim_start_matches('v');
                semver::Version::parse(t).ok().map(Self::Semver)
            }
            Ecosystem::Go => {
                let t = t.strip_prefix('v').unwrap_or(t);
                let mut v = semver::Version::parse(t).ok()?;
                // `+incompatible` (and any build metadata) plays no part in Go's ordering.
                v.build = semver::BuildMetadata::EMPTY;
                Some(Self::Semver(v))
            }
            Ecosystem::PyPI => Pep440::parse(t).map(Self::Pep440),
        }
    }

    /// True for pre-releases (SemVer pre-release, PEP 440 a/b/rc/dev).
    #[must_use]
    pub fn is_prerelease(&self) -> bool {
        match self {
            Self::Semver(v) => !v.pre.is_empty(),
            Self::Pep440(v) => v.is_prerelease(),
        }
    }

    /// True when an upgrade from `self` to `to` stays compatible: same major for SemVer >= 1
    /// (same minor for 0.x, same patch for 0.0.x), same first release segment for PEP 440.
    #[must_use]
    pub fn compatible_with(&self, to: &Self) -> bool {
        match (self, to) {
            (Self::Semver(a), Self::Semver(b)) => {
                if a.major > 0 {
                    a.major == b.major
                } else if a.minor > 0 {
                    b.major == 0 && a.minor == b.minor
                } else {
                    b.major == 0 && b.minor == 0 && a.patch == b.patch
                }
            }
            (Self::Pep440(a), Self::Pep440(b)) => a.release().first() == b.release().first(),
            _ => false,
        }
    }
}

/// One OSV range event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first affected version (`0`: from the beginning).
    Introduced(String),
    /// The first fixed version.
    Fixed(String),
    /// The last affected version.
    LastAffected(String),
    /// An upper limit of the range.
    Limit(String),
}

/// One OSV range: its type (`SEMVER`, `ECOSYSTEM`, `GIT`) and events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Range type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Events in the order given.
    pub events: Vec<Event>,
}

/// A version that failed to parse in its ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{version}` is not a valid {ecosystem} version")]
pub struct BadVersion {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The text.
    pub version: String,
}

fn parse_bound(eco: Ecosystem, text: &str) -> Result<Option<Version>, BadVersion> {
    if text.trim() == "0" {
        return Ok(None);
    }
    Version::parse(eco, text)
        .map(Some)
        .ok_or_else(|| BadVersion { ecosystem: eco, version: text.to_owned() })
}

/// Is `v` inside one OSV range? Events are sorted by version, then walked: an `introduced` at or
/// below `v` opens the range, a `fixed` at or below `v` or a `last_affected` below `v` closes it;
/// a range with `limit` events only covers versions below one of them. `GIT` ranges are skipped.
///
/// # Errors
/// An event version that does not parse in the ecosystem.
pub fn in_range(eco: Ecosystem, v: &Version, range: &Range) -> Result<bool, BadVersion> {
    if range.kind.eq_ignore_ascii_case("GIT") {
        return Ok(false);
    }
    // (version (None = zero), order among equal versions, event)
    let mut events: Vec<(Option<Version>, u8, &Event)> = Vec::with_capacity(range.events.len());
    let mut limits = Vec::new();
    for e in &range.events {
        match e {
            Event::Introduced(t) => events.push((parse_bound(eco, t)?, 1, e)),
            Event::Fixed(t) => events.push((parse_bound(eco, t)?, 0, e)),
            Event::LastAffected(t) => events.push((parse_bound(eco, t)?, 2, e)),
            Event::Limit(t) => {
                if t.trim() != "*" {
                    limits.push(parse_bound(eco, t)?);
                }
            }
        }
    }
    if !limits.is_empty() && !limits.iter().any(|l| l.as_ref().is_some_and(|l| v < l)) {
        return Ok(false);
    }
    events.sort_by(|a, b| match (&a.0, &b.0) {
        (None, None) => a.1.cmp(&b.1),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y).then(a.1.cmp(&b.1)),
    });
    let mut affected = false;
    for (bound, _, e) in &events {
        let at_or_below = bound.as_ref().is_none_or(|b| b <= v);
        match e {
            Event::Introduced(_) if at_or_below => affected = true,
            Event::Fixed(_) if at_or_below => affected = false,
            Event::LastAffected(_) if bound.as_ref().is_some_and(|b| b < v) => affected = false,
            _ => {}
        }
    }
    Ok(affected)
}

/// The OSV rule for one `affected` entry: listed in `versions`, or inside any range.
///
/// # Errors
/// A range event that does not parse in the ecosystem.
pub fn affected_by_ranges(
    eco: Ecosystem,
    v: &Version,
    raw: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<bool, BadVersion> {
    if versions.iter().any(|x| x == raw || Version::parse(eco, x).is_some_and(|x| &x == v)) {
        return Ok(true);
    }
    for r in ranges {
        if in_range(eco, v, r)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every `fixed` version named in the ranges (candidates for an upgrade).
#[must_use]
pub fn fixed_versions(ranges: &[Range]) -> Vec<String> {
    ranges
        .iter()
        .filter(|r| !r.kind.eq_ignore_ascii_case("GIT"))
        .flat_map(|r| r.events.iter())
        .filter_map(|e| match e {
            Event::Fixed(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
