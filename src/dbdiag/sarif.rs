//! SARIF 2.1.0 output for code-scanning upload (`--format sarif`).
//!
//! One run, tool `obby db-diag`, one rule per registry check with the check id as the stable
//! rule id, one result per finding: `error` -> `error`, `warning` -> `warning`, `info` -> `note`.
//! The database object (table, index, query) is a logical location; when the target or the
//! workload is a file, it is the physical location too, so the upload shows it.

use serde_json::{Value, json};

use super::{CHECKS, Finding, Severity};

/// Builds the SARIF log.
#[must_use]
pub fn log(findings: &[Finding], artifact: Option<&str>, version: &str) -> Value {
    let rules: Vec<Value> = CHECKS
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.id,
                "shortDescription": { "text": c.summary },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(s) = &f.suggestion {
                text.push_str(" Suggestion: ");
                text.push_str(s);
            }
            let mut location = json!({
                "logicalLocations": [{ "name": f.object, "kind": "object" }],
            });
            if let Some(uri) = artifact {
                location["physicalLocation"] = json!({ "artifactLocation": { "uri": uri } });
            }
            json!({
                "ruleId": f.check,
                "ruleIndex": CHECKS.iter().position(|c| c.id == f.check).unwrap_or(0),
                "level": match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                "message": { "text": text },
                "locations": [location],
                "partialFingerprints": { "obbyDbDiag/v1": format!("{}:{}", f.check, f.object) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "obby db-diag",
                "version": version,
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_severities_and_rules() {
        let f = vec![Finding::new("space", Severity::Info, "t", "m").suggest("VACUUM;")];
        let log = log(&f, Some("app.db"), "0.1.0");
        let r = &log["runs"][0]["results"][0];
        assert_eq!(r["level"], "note");
        assert_eq!(r["ruleId"], "space");
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], "space");
        assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app.db");
    }
}
