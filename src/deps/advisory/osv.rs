//! OSV records (the schema shared by the GitHub advisory database, PyPA, Go vulndb and OSV
//! exports), in JSON or YAML.

use serde::{Deserialize, Deserializer};

use super::{Advisory, Affected};
use crate::deps::version::{Event, Range};
use crate::deps::{Ecosystem, Kind};

/// A string that YAML may have written as a number.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum S {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(match S::deserialize(d)? {
        S::Text(s) => s,
        S::Int(i) => i.to_string(),
        S::Float(f) => f.to_string(),
    })
}

fn lenient_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "lenient_string")] String);
    Ok(Option::<Vec<W>>::deserialize(d)?.unwrap_or_default().into_iter().map(|w| w.0).collect())
}

#[derive(Deserialize)]
struct RawOsv {
    id: String,
    #[serde(default, deserialize_with = "lenient_strings")]
    aliases: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    withdrawn: Option<serde_json::Value>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
    #[serde(default)]
    affected: Option<Vec<RawAffected>>,
    #[serde(default)]
    database_specific: Option<serde_json::Value>,
    #[serde(default)]
    references: Option<Vec<RawReference>>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    url: String,
}

#[derive(Deserialize)]
struct RawAffected {
    #[serde(default)]
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Option<Vec<RawRange>>,
    #[serde(default, deserialize_with = "lenient_strings")]
    versions: Vec<String>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
}

#[derive(Deserialize)]
struct RawPackage {
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<std::collections::BTreeMap<String, serde_json::Value>>,
}

/// What an OSV file turned out to be.
pub enum Parsed {
    /// An advisory with at least one package in an ecosystem obby audits.
    Advisory(Box<Advisory>),
    /// Withdrawn: not imported.
    Withdrawn,
    /// Valid, but about other ecosystems only.
    Foreign,
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn convert(raw: RawOsv) -> Result<Parsed, String> {
    if raw.withdrawn.as_ref().is_some_and(|w| !w.is_null()) {
        return Ok(Parsed::Withdrawn);
    }
    let db = raw.database_specific.as_ref();
    let kind = match db.and_then(|d| d.get("informational")).and_then(|v| v.as_str()) {
        Some("unmaintained") => Kind::Unmaintained,
        Some("unsound") => Kind::Unsound,
        Some(_) => Kind::Notice,
        None => Kind::Vulnerability,
    };
    let rating = db.and_then(|d| d.get("severity")).and_then(|v| v.as_str()).map(str::to_owned);
    let mut cvss: Vec<String> = Vec::new();
    let mut add_severity = |list: &Option<Vec<RawSeverity>>| {
        for s in list.iter().flatten() {
            if s.kind.starts_with("CVSS") && !cvss.contains(&s.score) {
                cvss.push(s.score.clone());
            }
        }
    };
    add_severity(&raw.severity);
    let mut affected = Vec::new();
    for a in raw.affected.into_iter().flatten() {
        add_severity(&a.severity);
        let Some(pkg) = a.package else { continue };
        let Some(eco) = Ecosystem::from_osv(&pkg.ecosystem) else { continue };
        let mut ranges = Vec::new();
        for r in a.ranges.into_iter().flatten() {
            let mut events = Vec::new();
            for e in r.events {
                for (k, v) in e {
                    let t = value_text(&v);
                    events.push(match k.as_str() {
                        "introduced" => Event::Introduced(t),
                        "fixed" => Event::Fixed(t),
                        "last_affected" => Event::LastAffected(t),
                        "limit" => Event::Limit(t),
                        other => return Err(format!("unknown range event `{other}`")),
                    });
                }
            }
            ranges.push(Range { kind: r.kind, events });
        }
        let entry = Affected {
            ecosystem: eco,
            package: eco.normalize_name(&pkg.name),
            ranges,
            versions: a.versions,
            patched: Vec::new(),
            unaffected: Vec::new(),
            rustsec: false,
        };
        // Range versions are checked when evaluated: a bad one makes the package `not checked`
        // at audit time rather than silently dropping the whole advisory here.
        affected.push(entry);
    }
    if affected.is_empty() {
        return Ok(Parsed::Foreign);
    }
    let url = raw
        .references
        .iter()
        .flatten()
        .find(|r| r.kind == "ADVISORY")
        .or_else(|| raw.references.iter().flatten().next())
        .map(|r| r.url.clone())
        .or_else(|| db.and_then(|d| d.get("url")).and_then(|v| v.as_str()).map(str::to_owned));
    let summary = raw.summary.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| {
        let d = raw.details.unwrap_or_default();
        let first = d.lines().next().unwrap_or_default();
        crate::output::table::truncate(first, 100)
    });
    Ok(Parsed::Advisory(Box::new(Advisory {
        id: raw.id,
        aliases: raw.aliases,
        summary,
        kind,
        cvss,
        rating,
        url,
        published: raw.published,
        modified: raw.modified,
        affected,
    })))
}

/// Parses an OSV record in JSON.
///
/// # Errors
/// Invalid JSON (with line:column) or a record that breaks the schema.
pub fn parse_json(text: &str) -> Result<Parsed, String> {
    let raw: RawOsv =
        serde_json::from_str(text).map_err(|e| format!("{}:{}: {e}", e.line(), e.column()))?;
    convert(raw)
}

/// Parses an OSV record in YAML.
///
/// # Errors
/// Invalid YAML (with line:column) or a record that breaks the schema.
pub fn parse_yaml(text: &str) -> Result<Parsed, String> {
    let raw: RawOsv = serde_norway::from_str(text).map_err(|e| match e.location() {
        Some(l) => format!("{}:{}: {e}", l.line(), l.column()),
        None => e.to_string(),
    })?;
    convert(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_go_record_parses() {
        let text = r#"{"id":"GO-2022-0603","aliases":["CVE-2022-28948"],"summary":"Panic in gopkg.in/yaml.v3",
          "affected":[{"package":{"name":"gopkg.in/yaml.v3","ecosystem":"Go"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"3.0.0-20220521103104-8f96da9f5d5e"}]}]}]}"#;
        let Ok(Parsed::Advisory(a)) = parse_json(text) else { panic!() };
        assert_eq!(a.affected[0].package, "gopkg.in/yaml.v3");
        assert_eq!(a.rated().severity, crate::deps::Severity::Unknown);
    }

    #[test]
    fn a_pypa_yaml_record_parses_with_normalised_names() {
        let text = "id: PYSEC-2007-1\naffected:\n- package:\n    name: Django\n    ecosystem: PyPI\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: \"0\"\n    - fixed: \"1.1\"\n  versions:\n  - 1.0.1\naliases:\n- CVE-2007-5712\n";
        let Ok(Parsed::Advisory(a)) = parse_yaml(text) else { panic!() };
        assert_eq!(a.affected[0].package, "django");
        assert_eq!(a.affected[0].versions, vec!["1.0.1".to_owned()]);
    }

    #[test]
    fn withdrawn_foreign_and_malformed() {
        assert!(matches!(
            parse_json(r#"{"id":"X","withdrawn":"2020-01-01T00:00:00Z","affected":[]}"#),
            Ok(Parsed::Withdrawn)
        ));
        assert!(matches!(
            parse_json(r#"{"id":"X","affected":[{"package":{"name":"a","ecosystem":"Debian"}}]}"#),
            Ok(Parsed::Foreign)
        ));
        let e = parse_json("{\"id\": \n 3").err().expect("error");
        assert!(e.starts_with("2:"), "{e}");
        assert!(parse_json(r#"{"id":"X","affected":[{"package":{"name":"a","ecosystem":"npm"},"ranges":[{"type":"SEMVER","events":[{"bogus":"1.0.0"}]}]}]}"#).is_err());
    }
}
