//! `obby search`.

use crate::cli::search::SearchArgs;
use crate::{Context, ExitStatus};

/// Runs `obby search`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &SearchArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("search"))
}
