//! `obby config`.

use clap::Args;

/// Show the effective settings and where each one came from.
///
/// Settings resolve in this order: flags, `OBBY_*` environment variables, the project's
/// `.obby/config.toml`, the user's `$XDG_CONFIG_HOME/obby/config.toml`, defaults.
///
/// Examples:
///   $ obby config
///   $ obby config watch.debounce
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Show only this key.
    pub key: Option<String>,
}
