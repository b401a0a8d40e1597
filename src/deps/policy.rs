//! What to do with a finding: the ignore file (`.obby/deps-ignore.yaml`), `--ignore`, the
//! per-kind policy (deny, warn or allow each of vulnerability, unsound, unmaintained, notice,
//! yanked; optionally deny for direct dependencies only), the `--severity` filter and
//! `--fail-on` threshold.
//!
//! The ignore file is a YAML list (or `{ignore: [...]}`) of entries:
//!
//! ```yaml
//! - id: RUSTSEC-2020-0071      # or any alias (CVE-..., GHSA-...)
//!   reason: not reachable: we never call localtime
//!   expires: 2026-12-31        # optional; after it the finding reports again
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::audit::{Decision, Finding};
use super::{Kind, Severity};

/// A bad ignore file or policy value.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The ignore file cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The ignore file is malformed.
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Line.
        line: usize,
        /// Column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A `--policy` value does not parse.
    #[error(
        "invalid policy `{0}`: expected KIND=deny|warn|allow[:direct], KIND one of vulnerability, unsound, unmaintained, notice, yanked"
    )]
    BadPolicy(String),
}

/// One ignore entry.
#[derive(Clone, Debug)]
pub struct Ignore {
    /// Advisory id or alias.
    pub id: String,
    /// Why.
    pub reason: String,
    /// After this date the entry no longer applies.
    pub expires: Option<jiff::civil::Date>,
    /// Where it came from (file path or `--ignore`).
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IgnoreDoc {
    List(Vec<RawIgnore>),
    Table { ignore: Vec<RawIgnore> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    id: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    expires: Option<String>,
}

/// Reads an ignore file; a missing file is no entries.
///
/// # Errors
/// Unreadable, invalid YAML, or a bad `expires` date (with the line of the entry).
pub fn load_ignore_file(path: &Path) -> Result<Vec<Ignore>, PolicyError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(PolicyError::Read { path: path.to_owned(), source }),
    };
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let perr = |line, col, message: String| PolicyError::Parse {
        path: path.to_owned(),
        line,
        col,
        message,
    };
    let doc: IgnoreDoc = serde_norway::from_str(&text).map_err(|e| {
        let (l, c) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let m = e.to_string();
        perr(l, c, m.split(" at line ").next().unwrap_or(&m).to_owned())
    })?;
    let raw = match doc {
        IgnoreDoc::List(l) | IgnoreDoc::Table { ignore: l } => l,
    };
    let mut out = Vec::new();
    for r in raw {
        let expires = match r.expires.as_deref() {
            None => None,
            Some(d) => Some(d.trim().parse::<jiff::civil::Date>().map_err(|_| {
                let (l, c) = text
                    .find(&format!("expires: {d}"))
                    .or_else(|| text.find(d))
                    .map_or((1, 1), |o| super::line_col(&text, o));
                perr(l, c, format!("`expires` of {} is not a date (YYYY-MM-DD): `{d}`", r.id))
            })?),
        };
        out.push(Ignore {
            id: r.id,
            reason: r.reason.unwrap_or_else(|| "no reason given".into()),
            expires,
            origin: path.display().to_string(),
        });
    }
    Ok(out)
}

/// What to do with one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Fail.
    Deny,
    /// Warn.
    Warn,
    /// Say nothing.
    Allow,
}

/// A kind's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The action.
    pub action: Action,
    /// Deny only findings on direct dependencies (transitive ones warn).
    pub direct_only: bool,
}

/// Parses `deny`, `warn`, `allow`, optionally with `:direct`.
///
/// # Errors
/// Anything else.
pub fn parse_rule(text: &str) -> Result<Rule, PolicyError> {
    let (action, modifier) = text.split_once(':').unwrap_or((text, ""));
    let action = match action.trim() {
        "deny" => Action::Deny,
        "warn" => Action::Warn,
        "allow" => Action::Allow,
        _ => return Err(PolicyError::BadPolicy(text.to_owned())),
    };
    let direct_only = match modifier.trim() {
        "" => false,
        "direct" => true,
        _ => return Err(PolicyError::BadPolicy(text.to_owned())),
    };
    Ok(Rule { action, direct_only })
}

/// Everything that decides findings.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Rule per kind.
    pub rules: HashMap<Kind, Rule>,
    /// Ignore entries.
    pub ignores: Vec<Ignore>,
    /// Hide vulnerabilities below this (`--severity`).
    pub min_severity: Option<Severity>,
    /// Denied vulnerabilities below this only warn (`check --fail-on`).
    pub fail_on: Option<Severity>,
    /// Today (for `expires`).
    pub today: jiff::civil::Date,
}

impl Policy {
    /// The defaults: vulnerabilities deny, informational kinds warn.
    #[must_use]
    pub fn new(today: jiff::civil::Date) -> Self {
        let mut rules = HashMap::new();
        for k in Kind::ALL {
            let action = if k == Kind::Vulnerability { Action::Deny } else { Action::Warn };
            rules.insert(k, Rule { action, direct_only: false });
        }
        Self { rules, ignores: Vec::new(), min_severity: None, fail_on: None, today }
    }

    /// Applies `KIND=RULE`.
    ///
    /// # Errors
    /// Unknown kind or rule.
    pub fn set(&mut self, spec: &str) -> Result<(), PolicyError> {
        let (kind, rule) =
            spec.split_once('=').ok_or_else(|| PolicyError::BadPolicy(spec.to_owned()))?;
        let kind = Kind::parse(kind).ok_or_else(|| PolicyError::BadPolicy(spec.to_owned()))?;
        self.rules
            .insert(kind, parse_rule(rule).map_err(|_| PolicyError::BadPolicy(spec.to_owned()))?);
        Ok(())
    }

    /// Decides every finding; returns the warnings about ignore entries (expired, or matching
    /// nothing).
    pub fn decide(&self, findings: &mut [Finding]) -> Vec<String> {
        let mut used = vec![false; self.ignores.len()];
        let mut expired_hit = vec![false; self.ignores.len()];
        for f in findings.iter_mut() {
            let mut ignored = None;
            for (i, ig) in self.ignores.iter().enumerate() {
                let matches = ig.id == f.advisory || f.aliases.contains(&ig.id);
                if !matches {
                    continue;
                }
                used[i] = true;
                if ig.expires.is_some_and(|d| d < self.today) {
                    expired_hit[i] = true;
                    continue;
                }
                ignored = Some(ig);
                break;
            }
            if let Some(ig) = ignored {
                f.decision = Decision::Ignored;
                f.reason = Some(ig.reason.clone());
                continue;
            }
            let rule = self
                .rules
                .get(&f.kind)
                .copied()
                .unwrap_or(Rule { action: Action::Warn, direct_only: false });
            f.decision = match rule.action {
                Action::Allow => Decision::Allowed,
                Action::Warn => Decision::Warn,
                Action::Deny if rule.direct_only && !f.direct => {
                    f.reason =
                        Some(format!("{} policy denies direct dependencies only", f.kind.as_str()));
                    Decision::Warn
                }
                Action::Deny => match self.fail_on {
                    Some(t) if f.kind == Kind::Vulnerability && !f.severity.at_least(t) => {
                        f.reason = Some(format!("below --fail-on {}", t.as_str()));
                        Decision::Warn
                    }
                    _ => Decision::Fail,
                },
            };
            if f.kind == Kind::Vulnerability
                && let Some(min) = self.min_severity
                && !f.severity.at_least(min)
            {
                f.decision = Decision::Filtered;
            }
        }
        let mut warnings = Vec::new();
        for (i, ig) in self.ignores.iter().enumerate() {
            if expired_hit[i] {
                if let Some(d) = ig.expires {
                    warnings.push(format!(
                        "ignore entry {} ({}) expired on {d}; reporting it again",
                        ig.id, ig.origin
                    ));
                }
            } else if !used[i] {
                warnings.push(format!("ignore entry {} ({}) matches nothing", ig.id, ig.origin));
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        assert_eq!(
            parse_rule("deny:direct").expect("rule"),
            Rule { action: Action::Deny, direct_only: true }
        );
        assert!(parse_rule("block").is_err());
        let mut p = Policy::new(jiff::civil::date(2026, 1, 1));
        assert!(p.set("unmaintained=deny").is_ok());
        assert!(p.set("stale=deny").is_err());
    }

    #[test]
    fn a_bad_date_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = dir.path().join("ignore.yaml");
        std::fs::write(&f, "- id: RUSTSEC-2020-0071\n  reason: x\n  expires: 2026-13-45\n")
            .expect("write");
        let e = load_ignore_file(&f).expect_err("error").to_string();
        assert!(e.contains(":3:") && e.contains("not a date"), "{e}");
    }
}
