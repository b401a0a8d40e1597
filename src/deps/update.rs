//! Upgrade planning: for each vulnerable package, the smallest version that fixes every
//! advisory on it, staying semver-compatible when such a version exists; and the direct edit of
//! pinned `requirements.txt` lines.

use serde::Serialize;

use super::audit::{Decision, Finding};
use super::db::{Db, DbError};
use super::lockfile::LockKind;
use super::version::Version;
use super::{Ecosystem, Kind};

/// One planned upgrade.
#[derive(Clone, Debug, Serialize)]
pub struct Planned {
    /// Lockfile.
    pub lockfile: String,
    /// Format (decides how it is applied).
    pub kind: LockKind,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package.
    pub package: String,
    /// Installed version.
    pub from: String,
    /// Target version (none when no known version fixes anything).
    pub to: Option<String>,
    /// True when `to` is semver-compatible with `from`.
    pub compatible: bool,
    /// Advisories the upgrade fixes.
    pub fixes: Vec<String>,
    /// Advisories still affecting `to` (or with no fix at all).
    pub remaining: Vec<String>,
}

/// Plans upgrades for the vulnerabilities (failing or warned) among `findings`.
///
/// # Errors
/// SQLite errors.
pub fn plan(db: &Db, kind: LockKind, findings: &[Finding]) -> Result<Vec<Planned>, DbError> {
    let mut keys: Vec<(Ecosystem, String, String, String)> = findings
        .iter()
        .filter(|f| {
            f.kind == Kind::Vulnerability && matches!(f.decision, Decision::Fail | Decision::Warn)
        })
        .map(|f| (f.ecosystem, f.package.clone(), f.version.clone(), f.lockfile.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for (eco, package, version, lockfile) in keys {
        let Some(installed) = Version::parse(eco, &version) else { continue };
        let ids: Vec<&str> = findings
            .iter()
            .filter(|f| {
                f.package == package && f.version == version && f.kind == Kind::Vulnerability
            })
            .map(|f| f.advisory.as_str())
            .collect();
        let name = eco.normalize_name(&package);
        let advisories: Vec<_> = db
            .lookup(eco, &name)?
            .into_iter()
            .map(|(_, a)| a)
            .filter(|a| a.kind == Kind::Vulnerability && a.ids().any(|i| ids.contains(&i)))
            .collect();
        let entries: Vec<_> = advisories
            .iter()
            .flat_map(|a| {
                a.affected
                    .iter()
                    .filter(|x| x.ecosystem == eco && x.package == name)
                    .map(move |x| (a.id.clone(), x))
            })
            .collect();
        let mut candidates: Vec<(Version, String)> = entries
            .iter()
            .flat_map(|(_, x)| x.fixed_versions())
            .filter_map(|t| Version::parse(eco, &t).map(|v| (v, t)))
            .filter(|(v, _)| *v > installed && !v.is_prerelease())
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        candidates.dedup_by(|a, b| a.0 == b.0);
        let still = |v: &Version, raw: &str| -> Vec<String> {
            let mut ids: Vec<String> = entries
                .iter()
                .filter(|(_, x)| x.affects(v, raw).unwrap_or(true))
                .map(|(id, _)| id.clone())
                .collect();
            ids.dedup();
            ids
        };
        let fixing: Vec<&(Version, String)> =
            candidates.iter().filter(|(v, t)| still(v, t).is_empty()).collect();
        let chosen = fixing
            .iter()
            .find(|(v, _)| installed.compatible_with(v))
            .or_else(|| fixing.first())
            .copied()
            .or_else(|| candidates.last());
        let all: Vec<String> = {
            let mut v: Vec<String> = entries.iter().map(|(id, _)| id.clone()).collect();
            v.dedup();
            v
        };
        let (to, compatible, remaining) = match chosen {
            Some((v, t)) => (Some(t.clone()), installed.compatible_with(v), still(v, t)),
            None => (None, false, all.clone()),
        };
        let fixes = all.iter().filter(|i| !remaining.contains(i)).cloned().collect();
        out.push(Planned {
            lockfile,
            kind,
            ecosystem: eco,
            package,
            from: version,
            to,
            compatible,
            fixes,
            remaining,
        });
    }
    Ok(out)
}

/// Rewrites `name==from` to `name==to` in a requirements file, keeping extras, markers, hashes
/// and comments; returns the new text and how many lines changed. Hash pins of the old version
/// no longer match the new one, so lines with `--hash` are left alone.
#[must_use]
pub fn patch_requirements(text: &str, name: &str, from: &str, to: &str) -> (String, usize) {
    let want = Ecosystem::PyPI.normalize_name(name);
    let mut changed = 0;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let end = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .unwrap_or(trimmed.len());
        let is_pkg = end > 0 && Ecosystem::PyPI.normalize_name(&trimmed[..end]) == want;
        let pin = format!("=={from}");
        if is_pkg
            && !line.contains("--hash")
            && let Some(p) = line.find(&pin)
        {
            let after = &line[p + pin.len()..];
            if after.is_empty()
                || after.starts_with(|c: char| c.is_whitespace() || c == ';' || c == '#')
            {
                out.push_str(&line[..p]);
                out.push_str("==");
                out.push_str(to);
                out.push_str(after);
                changed += 1;
                continue;
            }
        }
        out.push_str(line);
    }
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::patch_requirements;

    #[test]
    fn requirement_pins_are_rewritten_in_place() {
        let text = "# app\nDjango[bcrypt]==3.2.0 ; python_version >= '3.8'  # web\nrequests==2.0.0\ndjango-extra==3.2.0\n";
        let (out, n) = patch_requirements(text, "django", "3.2.0", "3.2.25");
        assert_eq!(n, 1);
        assert!(out.contains("Django[bcrypt]==3.2.25 ; python_version"));
        assert!(out.contains("django-extra==3.2.0"));
        assert!(out.contains("requests==2.0.0"));
    }
}
