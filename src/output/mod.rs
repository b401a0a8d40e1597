//! The one place that decides what is written where.
//!
//! Data goes to stdout, everything else (messages, warnings, per-item errors, progress) to
//! stderr. In `--json` mode stdout carries only JSON Lines in the envelope described in
//! [`json`]; the run's closing `summary` line is written by [`Printer::finish`], so it is there on
//! every run, failures included. Color and progress are resolved once, when the printer is built.

pub mod json;
pub mod table;

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use owo_colors::OwoColorize;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ExitStatus;

/// When to use color, as given by `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise.
    #[default]
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// How the printer was asked to behave; built from the global flags and the environment.
#[derive(Clone, Debug, Default)]
pub struct PrinterOptions {
    /// `--json`: JSON Lines on stdout.
    pub json: bool,
    /// `-q`: no per-item lines or messages, errors only.
    pub quiet: bool,
    /// `-v` count.
    pub verbose: u8,
    /// `--color`.
    pub color: ColorChoice,
    /// `--no-progress` or `OBBY_NO_PROGRESS`.
    pub no_progress: bool,
}

/// Writes data, messages and progress for one run of one command.
pub struct Printer {
    opts: PrinterOptions,
    color: bool,
    color_err: bool,
    progress: bool,
    out: Mutex<io::BufWriter<io::Stdout>>,
    line_flush: std::sync::atomic::AtomicBool,
    summary: Mutex<Map<String, Value>>,
    command: Mutex<String>,
    started: Instant,
}

/// Resolves `--color`, NO_COLOR, CLICOLOR_FORCE/FORCE_COLOR and terminal detection, in that order.
fn resolve_color(choice: ColorChoice, json: bool, is_tty: bool) -> bool {
    if json {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set =
                |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") || set("FORCE_COLOR") {
                true
            } else {
                is_tty && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

impl Printer {
    /// Builds a printer, resolving color and progress once.
    #[must_use]
    pub fn new(opts: PrinterOptions) -> Self {
        let color = resolve_color(opts.color, opts.json, io::stdout().is_terminal());
        let color_err = resolve_color(opts.color, false, io::stderr().is_terminal());
        let progress = !opts.json
            && !opts.quiet
            && !opts.no_progress
            && std::env::var_os("OBBY_NO_PROGRESS").is_none_or(|v| v.is_empty() || v == "0")
            && io::stderr().is_terminal();
        Self {
            opts,
            color,
            color_err,
            progress,
            out: Mutex::new(io::BufWriter::with_capacity(64 * 1024, io::stdout())),
            line_flush: std::sync::atomic::AtomicBool::new(false),
            summary: Mutex::new(Map::new()),
            command: Mutex::new(String::new()),
            started: Instant::now(),
        }
    }

    /// True in `--json` mode.
    #[must_use]
    pub fn is_json(&self) -> bool {
        self.opts.json
    }

    /// True with `-q`.
    #[must_use]
    pub fn is_quiet(&self) -> bool {
        self.opts.quiet
    }

    /// The `-v` count.
    #[must_use]
    pub fn verbosity(&self) -> u8 {
        self.opts.verbose
    }

    /// True when stdout output may be colored.
    #[must_use]
    pub fn color(&self) -> bool {
        self.color
    }

    /// The palette for stdout (no-op styles when color is off).
    #[must_use]
    pub fn palette(&self) -> Palette {
        Palette { on: self.color }
    }

    /// Names the command in the closing summary (`obby track` -> `track`).
    pub fn set_command(&self, name: &str) {
        if let Ok(mut c) = self.command.lock() {
            name.clone_into(&mut c);
        }
    }

    /// Flush stdout after every line (streams such as `watch`).
    pub fn set_line_flush(&self, on: bool) {
        self.line_flush.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    fn with_out(
        &self,
        f: impl FnOnce(&mut io::BufWriter<io::Stdout>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut out)?;
        if self.line_flush.load(std::sync::atomic::Ordering::Relaxed) {
            out.flush()?;
        }
        Ok(())
    }

    /// Writes one line of human data to stdout.
    ///
    /// # Errors
    /// Fails when stdout cannot be written (a closed pipe ends the run quietly).
    pub fn line(&self, text: impl std::fmt::Display) -> io::Result<()> {
        self.with_out(|out| writeln!(out, "{text}"))
    }

    /// Writes raw bytes to stdout (NUL-separated path lists, file content).
    ///
    /// # Errors
    /// Fails when stdout cannot be written.
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        self.with_out(|out| out.write_all(bytes))
    }

    /// Writes one JSON Lines record, `{"type": kind, "data": data}`, to stdout.
    ///
    /// # Errors
    /// Fails when stdout cannot be written or the data does not serialise.
    pub fn record(&self, kind: &str, data: &impl Serialize) -> io::Result<()> {
        let line = json::envelope(kind, data)?;
        self.with_out(|out| {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")
        })
    }

    /// Adds a field to the closing `summary` record (`--json`).
    pub fn summary_field(&self, key: &str, value: impl Serialize) {
        if let (Ok(mut map), Ok(v)) = (self.summary.lock(), serde_json::to_value(value)) {
            map.insert(key.to_owned(), v);
        }
    }

    /// A message for the user on stderr, silenced by `-q`.
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.opts.quiet {
            let _ = writeln!(io::stderr().lock(), "{msg}");
        }
    }

    /// A message shown only with `-v`.
    pub fn debug(&self, msg: impl std::fmt::Display) {
        if self.opts.verbose > 0 {
            let _ = writeln!(io::stderr().lock(), "{msg}");
        }
    }

    /// A warning on stderr (`warning: ...`); shown even with `-q`.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        let label =
            if self.color_err { "warning".yellow().bold().to_string() } else { "warning".into() };
        let _ = writeln!(io::stderr().lock(), "{label}: {msg}");
    }

    /// An error about one item (a file, a lockfile) while the run goes on: `obby: <item>: <error>`
    /// on stderr, and an `error` record on stdout in `--json` mode.
    ///
    /// # Errors
    /// Fails only when stdout cannot be written.
    pub fn item_error(
        &self,
        item: impl std::fmt::Display,
        err: impl std::fmt::Display,
    ) -> io::Result<()> {
        let _ = writeln!(io::stderr().lock(), "obby: {item}: {err}");
        if self.opts.json {
            self.record(
                "error",
                &serde_json::json!({ "item": item.to_string(), "message": err.to_string() }),
            )?;
        }
        Ok(())
    }

    /// A progress bar on stderr, hidden unless stderr is a terminal and progress is allowed.
    #[must_use]
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_owned());
        bar
    }

    /// Reports a failed run: `error:` / `Caused by:` / `hint:` on stderr, and in `--json` mode an
    /// `error` record on stdout.
    pub fn report_error(&self, err: &anyhow::Error) {
        let msgs = crate::error::messages(err);
        let hint = crate::error::find_hint(err);
        let mut e = io::stderr().lock();
        let (label, hint_label) = if self.color_err {
            ("error".red().bold().to_string(), "hint".cyan().bold().to_string())
        } else {
            ("error".to_owned(), "hint".to_owned())
        };
        let _ = writeln!(e, "{label}: {}", msgs.first().map_or("", String::as_str));
        for cause in msgs.iter().skip(1) {
            let _ = writeln!(e, "  Caused by: {cause}");
        }
        if let Some(h) = &hint {
            let _ = writeln!(e, "{hint_label}: {h}");
        }
        if self.opts.json {
            let _ = self.record(
                "error",
                &serde_json::json!({
                    "message": msgs.first(),
                    "causes": msgs.get(1..).unwrap_or_default(),
                    "hint": hint,
                }),
            );
        }
    }

    /// Ends the run: writes the `summary` record in `--json` mode and flushes stdout.
    ///
    /// # Errors
    /// Fails when stdout cannot be written.
    pub fn finish(&self, status: ExitStatus) -> io::Result<()> {
        if self.opts.json {
            let mut data = Map::new();
            data.insert("schema".into(), json::SCHEMA_VERSION.into());
            let command = self.command.lock().map(|c| c.clone()).unwrap_or_default();
            data.insert("command".into(), command.into());
            data.insert("exit_code".into(), status.code().into());
            let elapsed = self.started.elapsed();
            data.insert("elapsed_ms".into(), serde_json::json!(elapsed.as_secs_f64() * 1000.0));
            if let Ok(extra) = self.summary.lock() {
                for (k, v) in extra.iter() {
                    data.insert(k.clone(), v.clone());
                }
            }
            self.record("summary", &data)?;
        }
        self.with_out(Write::flush)
    }
}

/// Styles for human output; every method returns the text unchanged when color is off, so color
/// never carries meaning alone.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    on: bool,
}

impl Palette {
    /// A palette with color on or off.
    #[must_use]
    pub fn new(on: bool) -> Self {
        Self { on }
    }

    fn paint(self, text: &str, f: impl FnOnce(&str) -> String) -> String {
        if self.on { f(text) } else { text.to_owned() }
    }

    /// Added lines and created files.
    #[must_use]
    pub fn added(self, text: &str) -> String {
        self.paint(text, |t| t.green().to_string())
    }

    /// Removed lines and deleted files.
    #[must_use]
    pub fn removed(self, text: &str) -> String {
        self.paint(text, |t| t.red().to_string())
    }

    /// Modified files, hunk headers.
    #[must_use]
    pub fn changed(self, text: &str) -> String {
        self.paint(text, |t| t.cyan().to_string())
    }

    /// Paths.
    #[must_use]
    pub fn path(self, text: &str) -> String {
        self.paint(text, |t| t.magenta().to_string())
    }

    /// Headers and emphasis.
    #[must_use]
    pub fn bold(self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }

    /// Secondary information.
    #[must_use]
    pub fn dim(self, text: &str) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }

    /// Warnings and medium severity.
    #[must_use]
    pub fn warn(self, text: &str) -> String {
        self.paint(text, |t| t.yellow().to_string())
    }

    /// Matches in search results.
    #[must_use]
    pub fn matched(self, text: &str) -> String {
        self.paint(text, |t| t.red().bold().to_string())
    }
}
