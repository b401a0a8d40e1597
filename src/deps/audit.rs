//! Matching a lockfile's packages against the advisory cache.
//!
//! Only registry packages are matched (path, git and workspace packages never are). A package
//! whose version does not parse in its ecosystem, or whose advisory cannot be evaluated, is
//! reported as *not checked*, as is every package of an ecosystem with no imported data: an
//! audit never says "clean" about something it could not check. The same vulnerability known
//! under several ids (CVE, GHSA, RUSTSEC, PYSEC, GO) from several sources is reported once.
//! Results are cached per lockfile content and data version.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use super::advisory::Advisory;
use super::db::{Db, DbError};
use super::lockfile::{Lockfile, Origin, Scope};
use super::version::Version;
use super::{Ecosystem, Kind, Severity};

/// What the policy decided about a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Fails the run (exit 1).
    Fail,
    /// Shown as a warning.
    Warn,
    /// Ignored by `--ignore` or the ignore file (with the reason).
    Ignored,
    /// Allowed by policy (not shown).
    Allowed,
    /// Below the `--severity` filter (not shown).
    Filtered,
}

/// One advisory affecting one installed package.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    /// Lockfile path as given.
    pub lockfile: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name.
    pub package: String,
    /// Installed version.
    pub version: String,
    /// Advisory id.
    pub advisory: String,
    /// Other ids (merged from every source that had it).
    pub aliases: Vec<String>,
    /// Kind.
    pub kind: Kind,
    /// Severity.
    pub severity: Severity,
    /// CVSS base score, when scored.
    pub score: Option<f64>,
    /// Why the severity is unknown or approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_note: Option<String>,
    /// Title.
    pub title: String,
    /// The smallest version above the installed one that fixes it.
    pub fixed: Option<String>,
    /// Link.
    pub url: Option<String>,
    /// The source(s) it came from.
    pub source: String,
    /// Direct dependency?
    pub direct: bool,
    /// One dependency path.
    pub path: Vec<String>,
    /// Scope.
    pub scope: Option<Scope>,
    /// The policy's decision.
    pub decision: Decision,
    /// Why (ignore reason, policy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Something the audit could not check.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NotChecked {
    /// Lockfile.
    pub lockfile: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package, when one package is concerned.
    pub package: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// Packages concerned (1 for a package, all of them for an ecosystem without data).
    pub packages: usize,
    /// Why.
    pub reason: String,
}

/// The audit of one lockfile.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Audited {
    /// The parsed lockfile.
    pub lockfile: Lockfile,
    /// Findings (decisions not yet applied: `fail`).
    pub findings: Vec<Finding>,
    /// What could not be checked.
    pub not_checked: Vec<NotChecked>,
    /// True when answered from the result cache.
    #[serde(default)]
    pub cached: bool,
}

/// The result-cache key of a lockfile: its bytes (and the manifest beside it, which some
/// formats read), the data version and this obby's version.
#[must_use]
pub fn cache_key(lockfile: &std::path::Path, data_version: &str) -> Option<String> {
    let mut h = sha2::Sha256::new();
    h.update(std::fs::read(lockfile).ok()?);
    if let Some(dir) = lockfile.parent() {
        for side in ["package.json", "pyproject.toml"] {
            if let Ok(b) = std::fs::read(dir.join(side)) {
                h.update(side.as_bytes());
                h.update(&b);
            }
        }
    }
    h.update(data_version.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    let mut hex = String::with_capacity(64);
    for b in h.finalize() {
        let _ = write!(hex, "{b:02x}");
    }
    Some(hex)
}

fn prefers(eco: Ecosystem, id: &str) -> u8 {
    let native = match eco {
        Ecosystem::Cargo => "RUSTSEC-",
        Ecosystem::Go => "GO-",
        Ecosystem::PyPI => "PYSEC-",
        Ecosystem::Npm => "GHSA-",
    };
    if id.starts_with(native) {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else {
        2
    }
}

struct Hit {
    source: String,
    adv: std::rc::Rc<Advisory>,
    fixed: Option<String>,
}

/// Audits one parsed lockfile against the cache.
///
/// # Errors
/// SQLite errors.
pub fn audit(db: &Db, lock: Lockfile, with_data: &[Ecosystem]) -> Result<Audited, DbError> {
    let label = lock.path.display().to_string();
    let mut findings = Vec::new();
    let mut not_checked = Vec::new();
    let mut missing: std::collections::BTreeMap<Ecosystem, usize> =
        std::collections::BTreeMap::new();
    // Each package's name as its ecosystem compares names (registry packages only).
    let names: Vec<Option<String>> = lock
        .packages
        .iter()
        .map(|p| (p.origin == Origin::Registry).then(|| p.ecosystem.normalize_name(&p.name)))
        .collect();
    // One query per ecosystem for every package name of the lockfile.
    let mut found: Vec<(Ecosystem, std::collections::HashMap<String, super::db::Matches>)> =
        Vec::new();
    for eco in with_data {
        let refs: Vec<&str> = lock
            .packages
            .iter()
            .zip(&names)
            .filter(|(p, _)| p.ecosystem == *eco)
            .filter_map(|(_, n)| n.as_deref())
            .collect();
        if !refs.is_empty() {
            found.push((*eco, db.lookup_many(*eco, &refs)?));
        }
    }
    for (pkg, name) in lock.packages.iter().zip(&names) {
        // Only registry packages have a name to match.
        let Some(name) = name else { continue };
        if let Some(problem) = &pkg.problem {
            not_checked.push(NotChecked {
                lockfile: label.clone(),
                ecosystem: pkg.ecosystem,
                package: Some(pkg.name.clone()),
                version: Some(pkg.version.clone()),
                packages: 1,
                reason: problem.clone(),
            });
            continue;
        }
        if !with_data.contains(&pkg.ecosystem) {
            *missing.entry(pkg.ecosystem).or_default() += 1;
            continue;
        }
        let Some(advisories) =
            found.iter().find(|(e, _)| *e == pkg.ecosystem).and_then(|(_, m)| m.get(name))
        else {
            continue;
        };
        let Some(v) = Version::parse(pkg.ecosystem, &pkg.version) else {
            not_checked.push(NotChecked {
                lockfile: label.clone(),
                ecosystem: pkg.ecosystem,
                package: Some(pkg.name.clone()),
                version: Some(pkg.version.clone()),
                packages: 1,
                reason: format!("`{}` is not a valid {} version", pkg.version, pkg.ecosystem),
            });
            continue;
        };
        let mut hits: Vec<Hit> = Vec::new();
        for (source, adv) in advisories {
            for aff in
                adv.affected.iter().filter(|a| a.ecosystem == pkg.ecosystem && a.package == *name)
            {
                match aff.affects(&v, &pkg.version) {
                    Ok(true) => {
                        let fixed = aff
                            .fixed_versions()
                            .iter()
                            .filter_map(|f| {
                                Version::parse(pkg.ecosystem, f).map(|p| (p, f.clone()))
                            })
                            .filter(|(p, _)| *p > v)
                            .min_by(|a, b| a.0.cmp(&b.0))
                            .map(|(_, f)| f);
                        hits.push(Hit { source: source.clone(), adv: adv.clone(), fixed });
                        break;
                    }
                    Ok(false) => {}
                    Err(e) => not_checked.push(NotChecked {
                        lockfile: label.clone(),
                        ecosystem: pkg.ecosystem,
                        package: Some(pkg.name.clone()),
                        version: Some(pkg.version.clone()),
                        packages: 1,
                        reason: format!("advisory {}: {e}", adv.id),
                    }),
                }
            }
        }
        findings.extend(merge(&label, pkg, hits));
    }
    for (eco, n) in missing {
        not_checked.push(NotChecked {
            lockfile: label.clone(),
            ecosystem: eco,
            package: None,
            version: None,
            packages: n,
            reason: format!("no {eco} advisory data imported"),
        });
    }
    Ok(Audited { lockfile: lock, findings, not_checked, cached: false })
}

/// Groups hits that share an id or alias and makes one finding per group.
fn merge(label: &str, pkg: &super::lockfile::Package, mut hits: Vec<Hit>) -> Vec<Finding> {
    hits.sort_by(|a, b| {
        prefers(pkg.ecosystem, &a.adv.id)
            .cmp(&prefers(pkg.ecosystem, &b.adv.id))
            .then(a.adv.id.cmp(&b.adv.id))
    });
    let mut groups: Vec<(BTreeSet<String>, Vec<usize>)> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        let ids: BTreeSet<String> = h.adv.ids().map(str::to_owned).collect();
        // Shared aliases merge records of one vulnerability from different databases; two
        // distinct records of the same database (RUSTSEC-2019-0036 unsound and
        // RUSTSEC-2020-0036 unmaintained share their CVEs) stay two findings.
        let prefix = |id: &str| id.split('-').next().unwrap_or("").to_owned();
        let compatible = |g: usize| {
            groups[g].1.iter().all(|&m| {
                let other = &hits[m].adv;
                other.kind == h.adv.kind
                    && (other.id == h.adv.id || prefix(&other.id) != prefix(&h.adv.id))
            })
        };
        let matching: Vec<usize> = (0..groups.len())
            .filter(|&g| !groups[g].0.is_disjoint(&ids) && compatible(g))
            .collect();
        if let Some((&first, rest)) = matching.split_first() {
            for &g in rest.iter().rev() {
                let (ids2, members) = groups.remove(g);
                groups[first].0.extend(ids2);
                groups[first].1.extend(members);
            }
            groups[first].0.extend(ids);
            groups[first].1.push(i);
        } else {
            groups.push((ids, vec![i]));
        }
    }
    let mut out = Vec::new();
    for (ids, mut members) in groups {
        members.sort_unstable();
        let primary = &hits[members[0]];
        let mut rated = primary.adv.rated();
        if rated.severity == Severity::Unknown
            && let Some(r) = members
                .iter()
                .map(|&m| hits[m].adv.rated())
                .find(|r| r.severity != Severity::Unknown)
        {
            rated = r;
        }
        let fixed = members.iter().find_map(|&m| hits[m].fixed.clone());
        let mut sources: Vec<String> = members.iter().map(|&m| hits[m].source.clone()).collect();
        sources.dedup();
        let aliases: Vec<String> = ids.into_iter().filter(|i| *i != primary.adv.id).collect();
        out.push(Finding {
            lockfile: label.to_owned(),
            ecosystem: pkg.ecosystem,
            package: pkg.name.clone(),
            version: pkg.version.clone(),
            advisory: primary.adv.id.clone(),
            aliases,
            kind: primary.adv.kind,
            severity: rated.severity,
            score: rated.score,
            severity_note: rated.note,
            title: primary.adv.summary.clone(),
            fixed,
            url: primary.adv.url.clone(),
            source: sources.join(","),
            direct: pkg.direct,
            path: pkg.path.clone(),
            scope: pkg.scope,
            decision: Decision::Fail,
            reason: None,
        });
    }
    out
}
