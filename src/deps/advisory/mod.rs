//! The advisory model every source is normalised to (the OSV model, trimmed to what an audit
//! needs), and the readers of each source format.
//!
//! [`rustsec`] reads RustSec advisory-db Markdown files (TOML front matter in a fenced block),
//! [`osv`] reads OSV records in JSON or YAML, [`import`] walks a directory or a git tree and
//! parses every record it finds (malformed ones are counted and skipped, never fatal).

pub mod import;
pub mod osv;
pub mod rustsec;

use serde::{Deserialize, Serialize};

use super::version::{self, BadVersion, Range, Version, cargo_req};
use super::{Ecosystem, Kind, Severity};

/// One advisory, normalised.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Advisory {
    /// Its id (`RUSTSEC-2021-0001`, `GHSA-...`, `PYSEC-...`, `GO-...`).
    pub id: String,
    /// Other ids of the same vulnerability (CVE, GHSA, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One-line title.
    #[serde(default)]
    pub summary: String,
    /// What kind of advisory it is.
    pub kind: Kind,
    /// CVSS vectors given by the source, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cvss: Vec<String>,
    /// The source's own rating word (`HIGH`, `MODERATE`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// A link for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date (or RustSec `date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last modification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The affected packages.
    pub affected: Vec<Affected>,
}

/// One affected package of an advisory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Affected {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name, normalised for the ecosystem.
    pub package: String,
    /// OSV ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// RustSec requirements (`rustsec` is true): versions they cover are not affected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patched: Vec<String>,
    /// RustSec requirements of never-affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unaffected: Vec<String>,
    /// True when the entry uses RustSec's patched/unaffected rule instead of OSV ranges.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rustsec: bool,
}

/// Severity as shown: a rating, the score it came from, and a note when it could not be had.
#[derive(Clone, Debug, PartialEq)]
pub struct Rated {
    /// The qualitative rating.
    pub severity: Severity,
    /// The CVSS base score, when a vector was scored.
    pub score: Option<f64>,
    /// Why the severity is unknown or approximate.
    pub note: Option<String>,
}

impl Advisory {
    /// The severity: informational kinds have none; otherwise the first CVSS vector that scores,
    /// else the source's rating, else unknown (an invalid vector is noted).
    #[must_use]
    pub fn rated(&self) -> Rated {
        if self.kind != Kind::Vulnerability {
            return Rated { severity: Severity::None, score: None, note: None };
        }
        let mut note = None;
        for vector in &self.cvss {
            match super::cvss::score(vector) {
                Ok(s) => {
                    return Rated {
                        severity: Severity::from_score(s.base),
                        score: Some(s.base),
                        note: s.approximate.then(|| "CVSS v4 score approximated".to_owned()),
                    };
                }
                Err(e) => note = Some(e.to_string()),
            }
        }
        if let Some(sev) = self.rating.as_deref().and_then(Severity::parse) {
            return Rated { severity: sev, score: None, note };
        }
        Rated { severity: Severity::Unknown, score: None, note }
    }

    /// All ids: the advisory's own and its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

impl Affected {
    /// Is `raw` (already parsed as `v`) affected?
    ///
    /// # Errors
    /// A range or requirement in the record that does not parse.
    pub fn affects(&self, v: &Version, raw: &str) -> Result<bool, BadVersion> {
        if self.rustsec {
            let Version::Semver(sv) = v else { return Ok(false) };
            let parse = |reqs: &[String]| -> Result<Vec<cargo_req::Requirement>, BadVersion> {
                reqs.iter()
                    .map(|r| {
                        cargo_req::Requirement::parse(r).map_err(|_| BadVersion {
                            ecosystem: self.ecosystem,
                            version: r.clone(),
                        })
                    })
                    .collect()
            };
            return Ok(cargo_req::rustsec_affected(
                sv,
                &parse(&self.patched)?,
                &parse(&self.unaffected)?,
            ));
        }
        version::affected_by_ranges(self.ecosystem, v, raw, &self.ranges, &self.versions)
    }

    /// Versions that fix it (OSV `fixed` events, the lower bounds of RustSec `patched`).
    #[must_use]
    pub fn fixed_versions(&self) -> Vec<String> {
        if self.rustsec {
            return self
                .patched
                .iter()
                .filter_map(|r| cargo_req::Requirement::parse(r).ok()?.minimum())
                .map(|v| v.to_string())
                .collect();
        }
        version::fixed_versions(&self.ranges)
    }

    /// Checks every range and requirement parses (done at import, so a bad record is skipped
    /// there rather than failing an audit later).
    ///
    /// # Errors
    /// The first value that does not parse.
    pub fn validate(&self) -> Result<(), String> {
        for r in self.patched.iter().chain(&self.unaffected) {
            cargo_req::Requirement::parse(r).map_err(|e| format!("requirement `{r}`: {e}"))?;
        }
        for range in &self.ranges {
            if range.kind.eq_ignore_ascii_case("GIT") {
                continue;
            }
            for e in &range.events {
                let (version::Event::Introduced(t)
                | version::Event::Fixed(t)
                | version::Event::LastAffected(t)
                | version::Event::Limit(t)) = e;
                if t != "0" && t != "*" && Version::parse(self.ecosystem, t).is_none() {
                    return Err(format!("`{t}` is not a valid {} version", self.ecosystem));
                }
            }
        }
        Ok(())
    }
}
