//! `obby import`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Import history from the original Python obby's database, or from `obby export jsonl`.
///
/// The format is detected from the file: a SQLite database is read as the original obby's
/// `.db/obby.db` (opened read-only, never changed), anything else as JSON Lines written by `obby
/// export jsonl` (`-` reads stdin). Every version comes in with its original time, in the
/// original order; the original's semantic summaries (with topics and keywords) become notes.
/// Importing the same source twice adds nothing, and re-running an interrupted import completes
/// it. Paths are made relative to the old project root (`--from-root`, or guessed).
///
/// Examples:
///   $ obby import ../old-notes/.db/obby.db
///   $ obby import obby.db --from-root /home/me/notes-project --timezone Europe/Berlin
///   $ obby import obby.db --dry-run --json
///   $ obby export jsonl -o history.jsonl && obby import history.jsonl
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source: the original's database (`.db/obby.db`), or a JSON Lines export (`-` for stdin).
    #[arg(value_name = "SOURCE")]
    pub source: PathBuf,
    /// The source's format (detected from its content by default).
    #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
    pub format: ImportFormat,
    /// The original project root the database's absolute paths are relative to (as the old
    /// machine wrote it, e.g. `/home/me/project` or `C:\Users\me\project`); guessed when absent.
    #[arg(long, value_name = "DIR")]
    pub from_root: Option<String>,
    /// Time zone the original's local `timestamp` columns were written in (IANA name or
    /// `+HH:MM`); default: this machine's zone (setting `import.timezone`).
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Read and check everything, print what would be imported, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How long to wait for a source database another program holds locked (`5s`, `1m`).
    #[arg(long, value_name = "DURATION")]
    pub busy_timeout: Option<String>,
}

/// Import source formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Detect: a SQLite file is an original obby database, anything else JSON Lines.
    Auto,
    /// The original Python obby's SQLite database.
    ObbyDb,
    /// obby's JSON Lines export.
    Jsonl,
}
