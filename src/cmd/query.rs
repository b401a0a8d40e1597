//! `obby query`.

use crate::cli::query::QueryArgs;
use crate::{Context, ExitStatus};

/// Runs `obby query`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &QueryArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("query"))
}
