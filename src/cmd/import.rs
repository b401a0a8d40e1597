//! `obby import`.

use crate::cli::import::ImportArgs;
use crate::{Context, ExitStatus};

/// Runs `obby import`.
///
/// # Errors
/// Not available yet.
pub fn run(_args: &ImportArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    Err(super::not_built("import"))
}
