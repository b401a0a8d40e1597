//! CVSS base scores from vector strings, computed here rather than trusted from a database.
//!
//! CVSS v3.0/v3.1 and v2 use the specifications' base-score formulas exactly (including v3.1's
//! `Roundup`). CVSS v4.0 defines its score by a lookup over ~270 "macro vectors"; obby does not
//! carry that table, so a v4 vector is scored with the v3.1 formula over its closest v3 metrics
//! (AT:P as AC:H, subsequent-system impact as a scope change) and marked approximate. The
//! qualitative rating (LOW..CRITICAL) is what the audit uses, and it agrees with the official
//! calculator on common vectors.

use std::collections::HashMap;

/// A score and how it was computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// Base score, 0.0-10.0.
    pub base: f64,
    /// CVSS major version (2, 3, 4).
    pub version: u8,
    /// True for a v4 score approximated with the v3.1 formula.
    pub approximate: bool,
}

/// A vector that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CVSS vector `{vector}`: {reason}")]
pub struct BadVector {
    /// The vector text.
    pub vector: String,
    /// What is wrong.
    pub reason: String,
}

fn metrics(body: &str, vector: &str) -> Result<HashMap<String, String>, BadVector> {
    let mut map = HashMap::new();
    for part in body.split('/').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once(':').ok_or_else(|| BadVector {
            vector: vector.to_owned(),
            reason: format!("`{part}` is not METRIC:VALUE"),
        })?;
        if map.insert(k.to_owned(), v.to_owned()).is_some() {
            return Err(BadVector { vector: vector.to_owned(), reason: format!("`{k}` twice") });
        }
    }
    Ok(map)
}

fn get(
    m: &HashMap<String, String>,
    key: &str,
    table: &[(&str, f64)],
    vector: &str,
) -> Result<f64, BadVector> {
    let value = m.get(key).ok_or_else(|| BadVector {
        vector: vector.to_owned(),
        reason: format!("missing metric `{key}`"),
    })?;
    table.iter().find(|(k, _)| k == value).map(|(_, w)| *w).ok_or_else(|| BadVector {
        vector: vector.to_owned(),
        reason: format!("`{key}:{value}` is not a valid value"),
    })
}

/// CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input.
fn roundup(x: f64) -> f64 {
    let int = (x * 100_000.0).round() as i64;
    if int % 10_000 == 0 { int as f64 / 100_000.0 } else { ((int / 10_000) + 1) as f64 / 10.0 }
}

const AV: &[(&str, f64)] = &[("N", 0.85), ("A", 0.62), ("L", 0.55), ("P", 0.2)];
const AC: &[(&str, f64)] = &[("L", 0.77), ("H", 0.44)];
const UI: &[(&str, f64)] = &[("N", 0.85), ("R", 0.62)];
const CIA: &[(&str, f64)] = &[("H", 0.56), ("L", 0.22), ("N", 0.0)];

fn v3_formula(av: f64, ac: f64, pr_level: &str, ui: f64, changed: bool, cia: [f64; 3]) -> f64 {
    let pr = match (pr_level, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        _ => 0.5,
    };
    let iss = 1.0 - (1.0 - cia[0]) * (1.0 - cia[1]) * (1.0 - cia[2]);
    let impact =
        if changed { 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15) } else { 6.42 * iss };
    if impact <= 0.0 {
        return 0.0;
    }
    let exploitability = 8.22 * av * ac * pr * ui;
    if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    }
}

fn v3(body: &str, vector: &str) -> Result<f64, BadVector> {
    let m = metrics(body, vector)?;
    let av = get(&m, "AV", AV, vector)?;
    let ac = get(&m, "AC", AC, vector)?;
    let ui = get(&m, "UI", UI, vector)?;
    get(&m, "PR", &[("N", 0.0), ("L", 0.0), ("H", 0.0)], vector)?;
    let changed = get(&m, "S", &[("U", 0.0), ("C", 1.0)], vector)? > 0.5;
    let c = get(&m, "C", CIA, vector)?;
    let i = get(&m, "I", CIA, vector)?;
    let a = get(&m, "A", CIA, vector)?;
    let pr = m.get("PR").map_or("N", String::as_str);
    Ok(v3_formula(av, ac, pr, ui, changed, [c, i, a]))
}

#[allow(clippy::many_single_char_names)] // the specification's metric names
fn v2(body: &str, vector: &str) -> Result<f64, BadVector> {
    let m = metrics(body, vector)?;
    let av = get(&m, "AV", &[("L", 0.395), ("A", 0.646), ("N", 1.0)], vector)?;
    let ac = get(&m, "AC", &[("H", 0.35), ("M", 0.61), ("L", 0.71)], vector)?;
    let au = get(&m, "Au", &[("M", 0.45), ("S", 0.56), ("N", 0.704)], vector)?;
    let cia = &[("N", 0.0), ("P", 0.275), ("C", 0.660)];
    let c = get(&m, "C", cia, vector)?;
    let i = get(&m, "I", cia, vector)?;
    let a = get(&m, "A", cia, vector)?;
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let exploitability = 20.0 * av * ac * au;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    Ok((base * 10.0).round() / 10.0)
}

#[allow(clippy::many_single_char_names)] // the specification's metric names
fn v4(body: &str, vector: &str) -> Result<f64, BadVector> {
    let m = metrics(body, vector)?;
    let av = get(&m, "AV", AV, vector)?;
    let ac = get(&m, "AC", AC, vector)?;
    let at = get(&m, "AT", &[("N", 1.0), ("P", 0.57)], vector)?;
    get(&m, "PR", &[("N", 0.0), ("L", 0.0), ("H", 0.0)], vector)?;
    let ui = get(&m, "UI", &[("N", 0.85), ("P", 0.62), ("A", 0.55)], vector)?;
    let vc = get(&m, "VC", CIA, vector)?;
    let vi = get(&m, "VI", CIA, vector)?;
    let va = get(&m, "VA", CIA, vector)?;
    let sc = get(&m, "SC", CIA, vector)?;
    let si = get(&m, "SI", CIA, vector)?;
    let sa = get(&m, "SA", CIA, vector)?;
    let changed = sc.max(si).max(sa) >= 0.56;
    let pr = m.get("PR").map_or("N", String::as_str);
    Ok(v3_formula(av, ac * at, pr, ui, changed, [vc.max(sc), vi.max(si), va.max(sa)]))
}

/// Scores a CVSS vector (`CVSS:3.1/...`, `CVSS:4.0/...`, or a bare v2 vector `AV:N/AC:L/...`).
///
/// # Errors
/// An unknown version, a missing metric or an invalid value.
pub fn score(vector: &str) -> Result<Score, BadVector> {
    let t = vector.trim();
    if let Some(body) = t.strip_prefix("CVSS:3.1/").or_else(|| t.strip_prefix("CVSS:3.0/")) {
        return Ok(Score { base: v3(body, t)?, version: 3, approximate: false });
    }
    if let Some(body) = t.strip_prefix("CVSS:4.0/") {
        return Ok(Score { base: v4(body, t)?, version: 4, approximate: true });
    }
    if let Some(body) = t.strip_prefix("CVSS:2.0/").or_else(|| t.strip_prefix("(AV")) {
        let body = if t.starts_with("(AV") { &t[1..t.len().saturating_sub(1)] } else { body };
        return Ok(Score { base: v2(body, t)?, version: 2, approximate: false });
    }
    if t.starts_with("AV:") && t.contains("Au:") {
        return Ok(Score { base: v2(t, t)?, version: 2, approximate: false });
    }
    Err(BadVector { vector: t.to_owned(), reason: "unknown CVSS version".into() })
}

#[cfg(test)]
mod tests {
    use super::score;

    #[test]
    fn v3_scores_match_the_official_calculator() {
        for (vector, expected) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", 4.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0),
        ] {
            assert!((score(vector).expect(vector).base - expected).abs() < 1e-9, "{vector}");
        }
    }

    #[test]
    fn v2_scores_match_the_specification() {
        assert!((score("AV:N/AC:L/Au:N/C:P/I:P/A:P").expect("v2").base - 7.5).abs() < 1e-9);
        assert!((score("AV:N/AC:M/Au:N/C:N/I:P/A:N").expect("v2").base - 4.3).abs() < 1e-9);
    }

    #[test]
    fn v4_scores_land_in_the_right_band() {
        let s =
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").expect("v4");
        assert!(s.base >= 9.0 && s.approximate);
        let low =
            score("CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N").expect("v4");
        assert!(low.base < 4.0, "{}", low.base);
    }

    #[test]
    fn invalid_vectors_are_errors() {
        for bad in [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:9.9/AV:N",
            "garbage",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ] {
            assert!(score(bad).is_err(), "{bad}");
        }
    }
}
