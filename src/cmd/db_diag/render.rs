//! How a db-diag run is shown: a readable report (a section per check, its table, its findings
//! colored by severity), JSON Lines records (see the module above), or one SARIF document.

use std::collections::BTreeMap;

use serde_json::json;

use crate::ExitStatus;
use crate::cli::db_diag::{FailOn, Format};
use crate::dbdiag::{CHECKS, CheckReport, Finding, Profile, Severity, Status, Table};
use crate::output::Printer;
use crate::output::table::{new_table, truncate};

/// Collects and writes the report of one run.
pub(super) struct Report<'a> {
    printer: &'a Printer,
    format: Format,
    fail_on: FailOn,
    findings: Vec<Finding>,
    durations: serde_json::Map<String, serde_json::Value>,
    check_failed: bool,
}

impl<'a> Report<'a> {
    pub(super) fn new(printer: &'a Printer, format: Format, fail_on: FailOn) -> Self {
        Self {
            printer,
            format,
            fail_on,
            findings: Vec::new(),
            durations: serde_json::Map::new(),
            check_failed: false,
        }
    }

    fn json(&self) -> bool {
        self.printer.is_json()
    }

    fn text(&self) -> bool {
        !self.json() && self.format != Format::Sarif
    }

    pub(super) fn target(
        &mut self,
        engine: &str,
        shown: &str,
        profile: Profile,
    ) -> std::io::Result<()> {
        self.printer.summary_field("engine", engine);
        self.printer.summary_field("profile", profile.name());
        if self.json() {
            return self.printer.record(
                "target",
                &json!({ "engine": engine, "target": shown, "profile": profile.name() }),
            );
        }
        if self.text() && !self.printer.is_quiet() {
            let pal = self.printer.palette();
            self.printer.line(format!(
                "{} {} ({engine}, profile {})",
                pal.bold("db-diag"),
                pal.path(shown),
                profile.name()
            ))?;
        }
        Ok(())
    }

    pub(super) fn ddl(&mut self, sql: &str, applied: bool) -> std::io::Result<()> {
        if self.json() {
            return self.printer.record("ddl", &json!({ "sql": sql, "applied": applied }));
        }
        if self.format == Format::Sarif {
            return Ok(());
        }
        if applied {
            self.printer.info(format!("applied: {sql}"));
            Ok(())
        } else {
            self.printer.line(sql)
        }
    }

    /// The database could not even be read: one integrity finding.
    pub(super) fn corrupt(&mut self, detail: &str) -> std::io::Result<()> {
        let finding = Finding::new(
            "integrity",
            Severity::Error,
            "database",
            format!("corrupt: {detail}"),
        )
        .suggest("restore from a backup, or recover the data with the sqlite3 `.recover` command");
        let report = CheckReport {
            id: "integrity",
            status: Status::Findings,
            reason: None,
            duration_ms: 0.0,
            table: None,
            findings: vec![finding],
        };
        self.check(&report)
    }

    pub(super) fn check(&mut self, r: &CheckReport) -> std::io::Result<()> {
        self.durations.insert(r.id.to_owned(), json!((r.duration_ms * 1000.0).round() / 1000.0));
        if r.status == Status::Error {
            self.check_failed = true;
            self.printer.item_error(r.id, r.reason.as_deref().unwrap_or("failed"))?;
        }
        if self.json() {
            for f in &r.findings {
                self.printer.record("finding", f)?;
            }
            let data = json!({
                "id": r.id,
                "status": r.status,
                "reason": r.reason,
                "duration_ms": r.duration_ms,
                "findings": r.findings.len(),
                "table": r.table,
            });
            self.printer.record("check", &data)?;
        } else if self.text() {
            self.text_check(r)?;
        }
        self.findings.extend(r.findings.iter().cloned());
        Ok(())
    }

    fn text_check(&self, r: &CheckReport) -> std::io::Result<()> {
        let pal = self.printer.palette();
        let quiet = self.printer.is_quiet();
        if !quiet {
            let status = match r.status {
                Status::Ok => pal.added("ok"),
                Status::Findings => pal.warn(&format!("{} finding(s)", r.findings.len())),
                Status::Skipped => {
                    pal.dim(&format!("skipped: {}", r.reason.as_deref().unwrap_or("")))
                }
                Status::Error => {
                    pal.removed(&format!("error: {}", r.reason.as_deref().unwrap_or("")))
                }
            };
            self.printer.line("")?;
            self.printer.line(format!(
                "{} {status} {}",
                pal.bold(r.id),
                pal.dim(&format!("({:.1} ms)", r.duration_ms))
            ))?;
            if let Some(t) = &r.table
                && !t.rows.is_empty()
            {
                self.printer.line(table_text(t))?;
            }
        }
        for f in &r.findings {
            let sev = match f.severity {
                Severity::Error => pal.removed("error"),
                Severity::Warning => pal.warn("warning"),
                Severity::Info => pal.dim("info"),
            };
            self.printer.line(format!("  {sev}: {}: {}", pal.bold(&f.object), f.message))?;
            if let Some(s) = &f.suggestion {
                self.printer.line(format!("    {} {s}", pal.changed("fix:")))?;
            }
        }
        Ok(())
    }

    pub(super) fn finish(self, artifact: Option<&str>) -> anyhow::Result<ExitStatus> {
        let mut counts: BTreeMap<&str, usize> =
            [("error", 0), ("warning", 0), ("info", 0)].into_iter().collect();
        for f in &self.findings {
            *counts.entry(f.severity.name()).or_default() += 1;
        }
        let worst = self.findings.iter().map(|f| f.severity).max();
        let mut status = super::status_for(worst, self.fail_on);
        if self.check_failed {
            status = status.max(ExitStatus::Error);
        }
        self.printer.summary_field("findings", &counts);
        self.printer.summary_field("checks", &self.durations);
        self.printer.summary_field(
            "fail_on",
            match self.fail_on {
                FailOn::Info => "info",
                FailOn::Warning => "warning",
                FailOn::Error => "error",
                FailOn::Never => "never",
            },
        );
        if self.format == Format::Sarif && !self.json() {
            let log =
                crate::dbdiag::sarif::log(&self.findings, artifact, env!("CARGO_PKG_VERSION"));
            self.printer.line(serde_json::to_string_pretty(&log)?)?;
        } else if self.text() && !self.printer.is_quiet() {
            self.printer.line("")?;
            self.printer.line(format!(
                "{} error, {} warning, {} info",
                counts["error"], counts["warning"], counts["info"]
            ))?;
        }
        Ok(status)
    }
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "-".to_owned(),
        serde_json::Value::String(s) => truncate(s, 60),
        other => other.to_string(),
    }
}

fn table_text(t: &Table) -> String {
    let mut table = new_table(t.columns.iter().copied(), false);
    for row in &t.rows {
        table.add_row(row.iter().map(cell));
    }
    table.to_string()
}

/// `--list-checks`.
pub(super) fn list_checks(printer: &Printer) -> anyhow::Result<ExitStatus> {
    if printer.is_json() {
        for c in CHECKS {
            printer.record("check_def", c)?;
        }
        return Ok(ExitStatus::Success);
    }
    let mut table = new_table(["id", "profile", "engines", "what it looks for"], false);
    for c in CHECKS {
        let engines = c
            .engines
            .iter()
            .map(|e| match e {
                crate::dbdiag::Engine::Sqlite => "sqlite",
                crate::dbdiag::Engine::Postgres => "postgres",
            })
            .collect::<Vec<_>>()
            .join(", ");
        table.add_row([c.id, c.profile.name(), &engines, c.summary]);
    }
    printer.line(table)?;
    Ok(ExitStatus::Success)
}
