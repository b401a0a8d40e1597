//! `obby deps`: the library behind the offline dependency audit.
//!
//! It owns everything that does not print: finding and parsing lockfiles ([`lockfile`]), reading
//! advisory sources (RustSec advisory-db, OSV JSON/YAML trees, git repositories) into a compact
//! local SQLite cache ([`advisory`], [`db`]), each ecosystem's version ordering and the OSV range
//! rules ([`version`]), CVSS scoring ([`cvss`]), matching packages against advisories
//! ([`audit`]), the ignore file and per-kind policy ([`policy`]), the report formats
//! ([`report`]), upgrade planning ([`update`]) and, only when asked, yanked releases from the
//! Rust registry's sparse index ([`yanked`], the one part that uses the network). The command
//! layer (`cmd::deps`) decides what is shown and the exit status.

pub mod advisory;
pub mod audit;
pub mod cvss;
pub mod db;
pub mod lockfile;
pub mod policy;
pub mod report;
pub mod update;
pub mod version;
pub mod yanked;

use serde::{Deserialize, Serialize};

/// A package ecosystem obby can audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    /// Rust crates (crates.io).
    #[serde(rename = "crates.io")]
    Cargo,
    /// JavaScript packages (npm registry).
    #[serde(rename = "npm")]
    Npm,
    /// Python packages (PyPI).
    #[serde(rename = "PyPI")]
    PyPI,
    /// Go modules.
    #[serde(rename = "Go")]
    Go,
}

impl Ecosystem {
    /// Every ecosystem, in display order.
    pub const ALL: [Ecosystem; 4] = [Self::Cargo, Self::Npm, Self::PyPI, Self::Go];

    /// The OSV ecosystem name (`crates.io`, `npm`, `PyPI`, `Go`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cargo => "crates.io",
            Self::Npm => "npm",
            Self::PyPI => "PyPI",
            Self::Go => "Go",
        }
    }

    /// Parses an OSV ecosystem name (a `:suffix` such as `Debian:11` is not one of ours).
    #[must_use]
    pub fn from_osv(name: &str) -> Option<Self> {
        match name {
            "crates.io" => Some(Self::Cargo),
            "npm" => Some(Self::Npm),
            "PyPI" => Some(Self::PyPI),
            "Go" => Some(Self::Go),
            _ => None,
        }
    }

    /// The package name as the ecosystem compares it: PEP 503 normalisation for PyPI
    /// (lower case, runs of `-`, `_`, `.` become one `-`), unchanged elsewhere.
    #[must_use]
    pub fn normalize_name(self, name: &str) -> String {
        match self {
            Self::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                    } else {
                        if sep && !out.is_empty() {
                            out.push('-');
                        }
                        sep = false;
                        out.push(c.to_ascii_lowercase());
                    }
                }
                out
            }
            _ => name.to_owned(),
        }
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an advisory is about; policies are set per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A security vulnerability.
    Vulnerability,
    /// Unsound API (RustSec informational).
    Unsound,
    /// Unmaintained package (RustSec informational).
    Unmaintained,
    /// Any other informational notice.
    Notice,
    /// A yanked release.
    Yanked,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] =
        [Self::Vulnerability, Self::Unsound, Self::Unmaintained, Self::Notice, Self::Yanked];

    /// The lower-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vulnerability => "vulnerability",
            Self::Unsound => "unsound",
            Self::Unmaintained => "unmaintained",
            Self::Notice => "notice",
            Self::Yanked => "yanked",
        }
    }

    /// Parses a lower-case kind name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim().to_ascii_lowercase())
    }
}

/// Severity of a finding; `Unknown` when no source rates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// Informational advisories carry no severity.
    None,
    /// CVSS 0.1-3.9.
    Low,
    /// CVSS 4.0-6.9.
    Medium,
    /// CVSS 7.0-8.9.
    High,
    /// CVSS 9.0-10.0.
    Critical,
    /// No rating in any source; counts as failing in `deps check`.
    Unknown,
}

impl Severity {
    /// The severity of a CVSS base score.
    #[must_use]
    pub fn from_score(score: f64) -> Self {
        if score >= 9.0 {
            Self::Critical
        } else if score >= 7.0 {
            Self::High
        } else if score >= 4.0 {
            Self::Medium
        } else if score > 0.0 {
            Self::Low
        } else {
            Self::None
        }
    }

    /// Parses a rating word (`low`, `moderate`/`medium`, `high`, `critical`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Self::None),
            "low" => Some(Self::Low),
            "medium" | "moderate" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            "unknown" => Some(Self::Unknown),
            _ => None,
        }
    }

    /// Upper-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// True when a finding of this severity meets a `--fail-on`/`--severity` threshold; an
    /// unknown severity always does (never silently pass what could not be rated).
    #[must_use]
    pub fn at_least(self, threshold: Self) -> bool {
        self == Self::Unknown || self >= threshold
    }
}

/// Where a 0-based byte offset falls in `text`, as 1-based (line, column).
#[must_use]
#[allow(clippy::naive_bytecount)] // lockfiles are small; no extra crate for this
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

/// Writes `file` through a temporary file beside it and a rename, so a reader sees all of it
/// or none; best effort (the caches it serves work without the copy), a failure leaves nothing.
pub(crate) fn write_by_rename(file: &std::path::Path, bytes: &[u8]) {
    let Some(dir) = file.parent() else { return };
    let tmp = dir.join(format!(
        ".{}.{}",
        file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        std::process::id()
    ));
    let ok = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, file));
    if ok.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_are_normalised() {
        assert_eq!(Ecosystem::PyPI.normalize_name("Foo_Bar.baz"), "foo-bar-baz");
        assert_eq!(Ecosystem::PyPI.normalize_name("a--_b"), "a-b");
        assert_eq!(Ecosystem::Cargo.normalize_name("Foo_Bar"), "Foo_Bar");
    }

    #[test]
    fn unknown_severity_meets_every_threshold() {
        assert!(Severity::Unknown.at_least(Severity::Critical));
        assert!(Severity::High.at_least(Severity::Medium));
        assert!(!Severity::Medium.at_least(Severity::High));
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
