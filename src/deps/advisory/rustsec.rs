//! RustSec advisory-db records: a Markdown file that starts with a ```toml fenced block (the
//! front matter: `[advisory]`, `[versions]`, `[affected]`), followed by the `# Title` and the
//! description.

use serde::Deserialize;

use super::{Advisory, Affected};
use crate::deps::{Ecosystem, Kind};

#[derive(Deserialize)]
struct Front {
    advisory: Header,
    #[serde(default)]
    versions: Versions,
}

#[derive(Deserialize)]
struct Header {
    id: String,
    package: String,
    #[serde(default)]
    date: Option<toml::Value>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    yanked: Option<bool>,
}

#[derive(Deserialize, Default)]
struct Versions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

/// What a RustSec file turned out to be.
pub enum Parsed {
    /// An advisory.
    Advisory(Box<Advisory>),
    /// A withdrawn advisory (not imported).
    Withdrawn,
}

/// True when `text` looks like a RustSec advisory (starts with a ```toml fence).
#[must_use]
pub fn is_rustsec(text: &str) -> bool {
    text.trim_start().starts_with("```toml")
}

/// Parses one RustSec Markdown advisory.
///
/// # Errors
/// A missing fence, invalid TOML (with line:column in the file), or an invalid requirement.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let start = text.find("```toml").ok_or("no ```toml front matter")?;
    let body_start = start + "```toml".len();
    let end_rel = text[body_start..].find("\n```").ok_or("unterminated ```toml block")?;
    let toml_text = &text[body_start..body_start + end_rel];
    let front: Front = toml::from_str(toml_text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| {
            let (l, c) = crate::deps::line_col(text, body_start + s.start);
            (l, c)
        });
        format!("{line}:{col}: {}", e.message())
    })?;
    if front.advisory.withdrawn.is_some() {
        return Ok(Parsed::Withdrawn);
    }
    let rest = &text[body_start + end_rel + 4..];
    let title =
        front.advisory.title.clone().or_else(|| {
            rest.lines().find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
        });
    let kind = match front.advisory.informational.as_deref().map(str::trim) {
        None | Some("") => {
            if front.advisory.yanked == Some(true) {
                Kind::Yanked
            } else {
                Kind::Vulnerability
            }
        }
        Some("unmaintained") => Kind::Unmaintained,
        Some("unsound") => Kind::Unsound,
        Some(_) => Kind::Notice,
    };
    let affected = Affected {
        ecosystem: Ecosystem::Cargo,
        package: front.advisory.package.clone(),
        ranges: Vec::new(),
        versions: Vec::new(),
        patched: front.versions.patched,
        unaffected: front.versions.unaffected,
        rustsec: true,
    };
    affected.validate()?;
    let date = front.advisory.date.map(|d| match d {
        toml::Value::String(s) => s,
        other => other.to_string(),
    });
    let url = front
        .advisory
        .url
        .or_else(|| Some(format!("https://rustsec.org/advisories/{}.html", front.advisory.id)));
    Ok(Parsed::Advisory(Box::new(Advisory {
        id: front.advisory.id,
        aliases: front.advisory.aliases,
        summary: title.unwrap_or_default(),
        kind,
        cvss: front.advisory.cvss.into_iter().collect(),
        rating: None,
        url,
        published: date.clone(),
        modified: date,
        affected: vec![affected],
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYPER: &str = "```toml\n[advisory]\nid = \"RUSTSEC-2016-0002\"\npackage = \"hyper\"\ndate = \"2016-05-09\"\naliases = [\"CVE-2016-10932\"]\ncvss = \"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N\"\n\n[versions]\npatched = [\">= 0.9.4\"]\n```\n\n# HTTPS MitM vulnerability\n\nText.\n";

    #[test]
    fn a_real_record_parses() {
        let Ok(Parsed::Advisory(a)) = parse(HYPER) else { panic!("should parse") };
        assert_eq!(a.id, "RUSTSEC-2016-0002");
        assert_eq!(a.summary, "HTTPS MitM vulnerability");
        assert_eq!(a.kind, Kind::Vulnerability);
        assert_eq!(a.affected[0].patched, vec![">= 0.9.4".to_owned()]);
        assert_eq!(a.rated().severity, crate::deps::Severity::Medium);
    }

    #[test]
    fn bad_toml_reports_a_position_in_the_file() {
        let err = parse("```toml\n[advisory]\nid = \n```\n").err().expect("error");
        assert!(err.starts_with("3:"), "{err}");
    }

    #[test]
    fn withdrawn_and_informational() {
        let w = HYPER.replace("[versions]", "withdrawn = \"2020-01-01\"\n[versions]");
        // `withdrawn` belongs to [advisory]; put it there.
        let w = w
            .replace("date = ", "withdrawn = \"2020-01-01\"\ndate = ")
            .replace("withdrawn = \"2020-01-01\"\n[versions]", "[versions]");
        assert!(matches!(parse(&w), Ok(Parsed::Withdrawn)));
        let i = HYPER.replace("date = ", "informational = \"unmaintained\"\ndate = ");
        let Ok(Parsed::Advisory(a)) = parse(&i) else { panic!() };
        assert_eq!(a.kind, Kind::Unmaintained);
    }
}
