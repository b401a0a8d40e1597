//! Report documents built from audit results: SARIF 2.1.0 (code scanning), Markdown (a PR
//! comment) and CycloneDX 1.5 JSON (an SBOM with vulnerabilities). The JSON Lines report is
//! written by the command through the printer's envelope.

use serde_json::{Value, json};

use super::Ecosystem;
use super::audit::{Audited, Decision, Finding};

/// A package URL (purl) for a package.
#[must_use]
pub fn purl(eco: Ecosystem, name: &str, version: &str) -> String {
    let ty = match eco {
        Ecosystem::Cargo => "cargo",
        Ecosystem::Npm => "npm",
        Ecosystem::PyPI => "pypi",
        Ecosystem::Go => "golang",
    };
    let name = if eco == Ecosystem::Npm { name.replace('@', "%40") } else { name.to_owned() };
    format!("pkg:{ty}/{name}@{version}")
}

fn shown(f: &Finding) -> bool {
    !matches!(f.decision, Decision::Allowed | Decision::Filtered)
}

/// SARIF 2.1.0: one rule per advisory, one result per finding, located at its lockfile.
#[must_use]
pub fn sarif(results: &[Audited]) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for a in results {
        for f in a.findings.iter().filter(|f| shown(f)) {
            if seen.insert(f.advisory.clone()) {
                let mut props = json!({ "tags": ["security", f.kind.as_str()] });
                if let Some(s) = f.score {
                    props["security-severity"] = json!(format!("{s:.1}"));
                }
                rules.push(json!({
                    "id": f.advisory,
                    "name": f.advisory,
                    "shortDescription": { "text": if f.title.is_empty() { &f.advisory } else { &f.title } },
                    "helpUri": f.url,
                    "properties": props,
                }));
            }
            let level = match f.decision {
                Decision::Fail => "error",
                Decision::Warn => "warning",
                _ => "note",
            };
            let mut result = json!({
                "ruleId": f.advisory,
                "level": level,
                "message": { "text": format!(
                    "{} {} is affected by {} ({}){}; path: {}",
                    f.package, f.version, f.advisory, f.severity.as_str(),
                    f.fixed.as_ref().map(|v| format!(", fixed in {v}")).unwrap_or_default(),
                    f.path.join(" -> "),
                ) },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": f.lockfile },
                    "region": { "startLine": 1 }
                } }],
            });
            if f.decision == Decision::Ignored {
                result["suppressions"] = json!([{ "kind": "external", "justification": f.reason }]);
            }
            out.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "obby deps",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/obby/obby",
                "rules": rules,
            } },
            "results": out,
        }],
    })
}

/// Markdown for a pull-request comment.
#[must_use]
pub fn markdown(results: &[Audited]) -> String {
    let packages: usize = results.iter().map(|a| a.lockfile.packages.len()).sum();
    let findings: Vec<&Finding> =
        results.iter().flat_map(|a| &a.findings).filter(|f| shown(f)).collect();
    let not_checked: usize = results.iter().flat_map(|a| &a.not_checked).map(|n| n.packages).sum();
    let mut s = String::from("## Dependency audit\n\n");
    s.push_str(&format!(
        "{} lockfile(s), {packages} package(s), {} finding(s), {not_checked} not checked.\n\n",
        results.len(),
        findings.len()
    ));
    if !findings.is_empty() {
        s.push_str("| Package | Version | Advisory | Severity | Fixed in | Decision | Path |\n");
        s.push_str("|---|---|---|---|---|---|---|\n");
        for f in findings {
            let id = match &f.url {
                Some(u) => format!("[{}]({u})", f.advisory),
                None => f.advisory.clone(),
            };
            s.push_str(&format!(
                "| `{}` | {} | {} {} | {} | {} | {} | {} |\n",
                f.package,
                f.version,
                id,
                f.title.replace('|', "\\|"),
                f.severity.as_str(),
                f.fixed.as_deref().unwrap_or("-"),
                f.decision_label(),
                f.path.join(" → ")
            ));
        }
    }
    let nc: Vec<_> = results.iter().flat_map(|a| &a.not_checked).collect();
    if !nc.is_empty() {
        s.push_str("\n### Not checked\n\n");
        for n in nc {
            s.push_str(&format!(
                "- `{}` {}: {}\n",
                n.lockfile,
                n.package
                    .as_deref()
                    .map(|p| format!("{p} {}", n.version.as_deref().unwrap_or("")))
                    .unwrap_or_default(),
                n.reason
            ));
        }
    }
    s
}

impl Finding {
    /// `fail`, `warn`, `ignored (reason)`...
    #[must_use]
    pub fn decision_label(&self) -> String {
        match (self.decision, &self.reason) {
            (Decision::Ignored, Some(r)) => format!("ignored ({r})"),
            (Decision::Fail, _) => "fail".into(),
            (Decision::Warn, _) => "warn".into(),
            (Decision::Ignored, None) => "ignored".into(),
            (Decision::Allowed, _) => "allowed".into(),
            (Decision::Filtered, _) => "filtered".into(),
        }
    }
}

/// CycloneDX 1.5 JSON: every package as a component, findings as vulnerabilities.
#[must_use]
pub fn cyclonedx(results: &[Audited], timestamp: &str) -> Value {
    let mut components = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in results {
        for p in &a.lockfile.packages {
            if p.version.is_empty() {
                continue;
            }
            let r = purl(p.ecosystem, &p.name, &p.version);
            if seen.insert(r.clone()) {
                components.push(json!({
                    "type": "library", "bom-ref": r, "name": p.name, "version": p.version, "purl": r,
                    "scope": if p.scope == Some(super::lockfile::Scope::Dev) { "excluded" } else { "required" },
                }));
            }
        }
    }
    let mut vulns: Vec<Value> = Vec::new();
    for f in results.iter().flat_map(|a| &a.findings).filter(|f| shown(f)) {
        let r = purl(f.ecosystem, &f.package, &f.version);
        let mut rating = json!({ "severity": f.severity.as_str().to_ascii_lowercase() });
        if let Some(s) = f.score {
            rating["score"] = json!(s);
            rating["method"] = json!("CVSSv31");
        }
        let mut v = json!({
            "bom-ref": format!("{}@{}", f.advisory, r),
            "id": f.advisory,
            "source": { "name": f.source, "url": f.url },
            "references": f.aliases.iter().map(|a| json!({ "id": a, "source": { "name": "alias" } })).collect::<Vec<_>>(),
            "ratings": [rating],
            "description": f.title,
            "affects": [{ "ref": r }],
        });
        if let Some(fix) = &f.fixed {
            v["recommendation"] = json!(format!("upgrade to {fix}"));
        }
        if f.decision == Decision::Ignored {
            v["analysis"] = json!({ "state": "not_affected", "detail": f.reason });
        }
        vulns.push(v);
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": { "components": [{ "type": "application", "name": "obby", "version": env!("CARGO_PKG_VERSION") }] },
        },
        "components": components,
        "vulnerabilities": vulns,
    })
}
