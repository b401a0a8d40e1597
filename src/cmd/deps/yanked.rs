//! `--check-yanked`: a `yanked` finding for each crates.io package whose release was yanked,
//! from the registry's sparse index (`deps.index_url`), added before the policy decides
//! (`--policy yanked=deny|warn|allow`, default warn). The finding's `advisory` is `yanked`,
//! its `fixed` the smallest later release that is not yanked, its `source` the index.
//!
//! A crate whose status cannot be had (the index unreachable with no kept copy, not in the
//! index, the version not listed) is counted, never taken for "not yanked": a warning names it
//! and the summary carries `yanked_checked` and `yanked_unknown`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Context;
use crate::deps::audit::{Audited, Decision, Finding};
use crate::deps::lockfile::{Origin, Package};
use crate::deps::yanked::SparseIndex;
use crate::deps::{Ecosystem, Kind, Severity};

/// A package the crates.io index can answer for.
fn on_crates_io(p: &Package) -> bool {
    p.ecosystem == Ecosystem::Cargo
        && p.origin == Origin::Registry
        && p.registry.is_none()
        && p.problem.is_none()
}

/// Asks the index about every crates.io package of `results` and adds the yanked findings.
pub(super) fn add_findings(
    results: &mut [Audited],
    cache_dir: &Path,
    ctx: &Context,
) -> anyhow::Result<()> {
    let names: Vec<String> = results
        .iter()
        .flat_map(|a| &a.lockfile.packages)
        .filter(|p| on_crates_io(p))
        .map(|p| p.name.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let base = ctx.settings.get("deps.index_url");
    let timeout = ctx.settings.get_duration("deps.index_timeout")?;
    let index = SparseIndex::new(base, &cache_dir.join("index"), timeout);
    let bar = ctx.printer.progress(names.len() as u64, "asking the index");
    let answers = index.releases_many(&names, &|| bar.inc(1));
    bar.finish_and_clear();
    ctx.check_interrupted()?;
    let (mut checked, mut unknown, mut stale) = (0_usize, Vec::new(), 0_usize);
    for a in results.iter_mut() {
        let label = a.lockfile.path.display().to_string();
        for p in a.lockfile.packages.iter().filter(|p| on_crates_io(p)) {
            let releases = match answers.get(&p.name) {
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    unknown.push(e.to_string());
                    continue;
                }
                None => continue,
            };
            stale += usize::from(releases.stale.is_some());
            match releases.is_yanked(&p.version) {
                None => {
                    unknown.push(format!("{} {}: not listed in the index", p.name, p.version));
                    continue;
                }
                Some(false) => {}
                Some(true) => a.findings.push(Finding {
                    lockfile: label.clone(),
                    ecosystem: p.ecosystem,
                    package: p.name.clone(),
                    version: p.version.clone(),
                    advisory: "yanked".into(),
                    aliases: Vec::new(),
                    kind: Kind::Yanked,
                    severity: Severity::None,
                    score: None,
                    severity_note: None,
                    title: "release yanked from the registry".into(),
                    fixed: releases.next_unyanked(&p.version),
                    url: Some(format!("https://crates.io/crates/{}/{}", p.name, p.version)),
                    source: "crates.io index".into(),
                    direct: p.direct,
                    path: p.path.clone(),
                    scope: p.scope,
                    decision: Decision::Fail,
                    reason: None,
                }),
            }
            checked += 1;
        }
    }
    let printer = &ctx.printer;
    if stale > 0 {
        printer.warn(format!(
            "the index `{base}` could not be asked about {stale} package(s); their yanked status comes from the copy kept by an earlier run"
        ));
    }
    if let Some(first) = unknown.first() {
        printer.warn(format!(
            "yanked status unknown for {} package(s) (first: {first})",
            unknown.len()
        ));
    }
    printer.summary_field("yanked_checked", checked);
    printer.summary_field("yanked_unknown", unknown.len());
    Ok(())
}
