//! `obby config`: the effective settings and their sources.

use crate::cli::config::ConfigArgs;
use crate::output::table::new_table;
use crate::settings::KEYS;
use crate::{Context, ExitStatus};

/// Runs `obby config`.
///
/// # Errors
/// An unknown key (exit 2 with the list of keys in the hint), output errors.
pub fn run(args: &ConfigArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if let Some(key) = &args.key
        && !KEYS.iter().any(|d| d.key == key)
    {
        let known: Vec<&str> = KEYS.iter().map(|d| d.key).collect();
        return Err(crate::error::with_hint(
            format!("unknown setting `{key}`"),
            format!("known settings: {}", known.join(", ")),
        ));
    }
    let rows: Vec<_> = ctx
        .settings
        .iter()
        .filter(|(k, _, _)| args.key.as_deref().is_none_or(|want| want == *k))
        .collect();
    if ctx.printer.is_json() {
        for (key, value, source) in &rows {
            ctx.printer.record(
                "setting",
                &serde_json::json!({
                    "key": key,
                    "value": value,
                    "source": source.to_string(),
                    "env": crate::settings::env_name(key),
                }),
            )?;
        }
    } else if args.key.is_some() {
        for (_, value, _) in &rows {
            ctx.printer.line(value)?;
        }
    } else {
        let mut table = new_table(["key", "value", "source"], false);
        for (key, value, source) in &rows {
            table.add_row(vec![(*key).to_owned(), (*value).to_owned(), source.to_string()]);
        }
        ctx.printer.line(table)?;
    }
    Ok(ExitStatus::Success)
}
