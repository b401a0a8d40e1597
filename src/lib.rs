//! obby: keeps a project's history of text files without asking anything of the user.
//!
//! The binary is a thin shell around [`run`]: it parses argv once into settings and a
//! [`Context`], dispatches to one command in [`cmd`], and turns the outcome into an exit status.
//! Library modules (the store, scope rules, hashing, tracking, diffing, and the tools that ride
//! on them) never print and never read argv; see `ARCHITECTURE.md` for the map.

#![deny(missing_docs)]

pub mod alloc;
pub mod cli;
pub mod cmd;
pub mod dbdiag;
pub mod deps;
pub mod diff;
pub mod error;
pub mod export;
pub mod hash;
pub mod import;
pub mod output;
pub mod paths;
pub mod query;
pub mod scope;
pub mod search;
pub mod serve;
pub mod settings;
pub mod store;
pub mod timeparse;
pub mod track;
pub mod watch;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use clap::Parser as _;

pub use error::ExitStatus;
use output::{Printer, PrinterOptions};
use settings::Settings;
use store::{Location, Store, StoreError};

/// Everything a command needs: resolved settings, the printer, and the working directory.
pub struct Context {
    /// Output.
    pub printer: Printer,
    /// Resolved settings (flags are applied by each command over these).
    pub settings: Settings,
    /// The directory obby was started in.
    pub cwd: PathBuf,
    store_override: Option<PathBuf>,
    interrupted: Arc<AtomicBool>,
    handlers: std::sync::Once,
}

impl Context {
    /// Builds the context from the global flags and the environment.
    ///
    /// # Errors
    /// An unreadable working directory or a malformed config file.
    pub fn new(global: &cli::GlobalArgs) -> anyhow::Result<Self> {
        let printer = Printer::new(PrinterOptions {
            json: global.json,
            quiet: global.quiet,
            verbose: global.verbose,
            color: global.color,
            no_progress: global.no_progress,
        });
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let store_override = global.store.clone().filter(|p| !p.as_os_str().is_empty());
        let project = Location::discover(&cwd, store_override.as_deref()).ok().map(|l| l.dir);
        let settings = Settings::load(project.as_deref())?;
        for w in &settings.warnings {
            printer.warn(w);
        }
        Ok(Self {
            printer,
            settings,
            cwd,
            store_override,
            interrupted: Arc::new(AtomicBool::new(false)),
            handlers: std::sync::Once::new(),
        })
    }

    /// The `--store`/`OBBY_STORE` override, if given.
    #[must_use]
    pub fn store_override(&self) -> Option<&Path> {
        self.store_override.as_deref()
    }

    /// Finds the store for this run.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] / [`StoreError::NotAStore`], with a hint to run `obby init`.
    pub fn locate_store(&self) -> Result<Location, StoreError> {
        Location::discover(&self.cwd, self.store_override.as_deref())
    }

    /// Opens the store for writing (waiting up to `store.busy_timeout` for another writer).
    ///
    /// # Errors
    /// No store, a newer or foreign store, SQLite errors.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let location = self.locate_store()?;
        let timeout = self.settings.get_duration("store.busy_timeout")?;
        Ok(Store::open(&location, timeout)?)
    }

    /// Opens the store read-only (queries, search, diff).
    ///
    /// # Errors
    /// No store, a newer or foreign store, SQLite errors.
    pub fn open_store_read_only(&self) -> anyhow::Result<Store> {
        let location = self.locate_store()?;
        Ok(Store::open_read_only(&location)?)
    }

    /// From now on Ctrl-C and SIGTERM set a flag instead of killing the process (a second
    /// Ctrl-C still kills it at once); long-running commands call this, then poll
    /// [`Context::check_interrupted`] between units of work so committed work is kept.
    #[must_use]
    pub fn catch_interrupts(&self) -> Arc<AtomicBool> {
        self.handlers.call_once(|| {
            for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                let _ = signal_hook::flag::register_conditional_shutdown(
                    sig,
                    130,
                    Arc::clone(&self.interrupted),
                );
                let _ = signal_hook::flag::register(sig, Arc::clone(&self.interrupted));
            }
        });
        Arc::clone(&self.interrupted)
    }

    /// True once Ctrl-C or SIGTERM arrived (after [`Context::catch_interrupts`]).
    #[must_use]
    pub fn is_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// Fails with [`error::Interrupted`] once Ctrl-C or SIGTERM arrived.
    ///
    /// # Errors
    /// [`error::Interrupted`].
    pub fn check_interrupted(&self) -> Result<(), error::Interrupted> {
        if self.is_interrupted() { Err(error::Interrupted) } else { Ok(()) }
    }
}

/// Runs obby with the given argv and returns the process exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    ExitCode::from(run_status(&args).code())
}

fn run_status(args: &[OsString]) -> ExitStatus {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, args),
    };
    let name = cli.command.name();
    let ctx = match Context::new(&cli.global) {
        Ok(ctx) => ctx,
        Err(e) => {
            let printer =
                Printer::new(PrinterOptions { json: cli.global.json, ..PrinterOptions::default() });
            printer.set_command(&name);
            printer.report_error(&e);
            let _ = printer.finish(ExitStatus::Error);
            return ExitStatus::Error;
        }
    };
    ctx.printer.set_command(&name);
    let status = match cmd::dispatch(cli.command, &ctx) {
        Ok(status) => status,
        Err(e) if error::is_broken_pipe(&e) => return ExitStatus::Success,
        Err(e) if error::is_interrupted(&e) => {
            ctx.printer.report_error(&e);
            ExitStatus::Interrupted
        }
        Err(e) => {
            ctx.printer.report_error(&e);
            ExitStatus::Error
        }
    };
    match ctx.printer.finish(status) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        _ => status,
    }
}

/// clap's own output for help and version, its usage errors as exit 2 (with a JSON error record
/// when `--json` was asked for, so the output stays JSON Lines).
fn usage_error(e: &clap::Error, args: &[OsString]) -> ExitStatus {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitStatus::Success;
    }
    if args.iter().any(|a| a == "--json") {
        let printer = Printer::new(PrinterOptions { json: true, ..PrinterOptions::default() });
        let text = e.to_string();
        let first =
            text.lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned();
        let err = error::with_hint(first, "see `obby --help`");
        printer.report_error(&err);
        let _ = printer.finish(ExitStatus::Error);
        return ExitStatus::Error;
    }
    let _ = e.print();
    ExitStatus::Error
}
