//! A fluent harness for running the obby binary in a fresh temporary directory.
//!
//! Every run clears `OBBY_*` variables, sets `NO_COLOR=1` and `OBBY_NO_PROGRESS=1`, points
//! `XDG_CONFIG_HOME`/`XDG_CACHE_HOME` into the temp dir, and runs `env!("CARGO_BIN_EXE_obby")`.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A temporary project directory.
pub struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A fresh, empty directory.
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("tempdir") }
    }

    /// A fresh directory with a store in it (`obby init` ran).
    pub fn with_store() -> Self {
        let env = Self::new();
        env.obby(&["init"]).run().code(0);
        env
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// An absolute path inside the directory.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating parent directories).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, content).expect("write");
        self
    }

    /// Reads a file as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).expect("read")
    }

    /// Removes a file.
    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.join(rel)).expect("remove");
        self
    }

    /// An obby command run in this directory.
    pub fn obby(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_obby"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("OBBY_") {
                cmd.env_remove(key);
            }
        }
        cmd.args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("OBBY_NO_PROGRESS", "1")
            .env("XDG_CONFIG_HOME", self.join(".test-config"))
            .env("XDG_CACHE_HOME", self.join(".test-cache"))
            .env_remove("CLICOLOR_FORCE")
            .env_remove("FORCE_COLOR");
        Run { cmd, stdin: None }
    }
}

/// A command about to run.
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Run {
    /// Adds an argument.
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Runs in a subdirectory.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Feeds stdin.
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// The underlying command, for tests that need to manage the process themselves.
    pub fn command(self) -> Command {
        self.cmd
    }

    /// Runs to completion.
    pub fn run(mut self) -> Output {
        self.cmd.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn obby");
        if let Some(input) = self.stdin.take() {
            let mut pipe = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        let out = child.wait_with_output().expect("wait");
        Output {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            raw_stdout: out.stdout,
        }
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    /// Exit code (-1 when killed by a signal).
    pub status: i32,
    /// stdout as text.
    pub stdout: String,
    /// stderr as text.
    pub stderr: String,
    /// stdout as bytes.
    pub raw_stdout: Vec<u8>,
}

impl Output {
    /// Asserts the exit code.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.status, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts stdout does not contain `needle`.
    #[track_caller]
    pub fn stdout_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stdout.contains(needle),
            "stdout has {needle:?}\n--- stdout\n{}",
            self.stdout
        );
        self
    }

    /// Asserts stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts stderr is a one-line error plus at most a hint (no panic, no backtrace).
    #[track_caller]
    pub fn clean_error(&self) -> &Self {
        assert!(
            self.stderr.starts_with("error: "),
            "stderr does not start with `error: `:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }

    /// Parses stdout as JSON Lines, asserting every line is valid JSON in the envelope and the
    /// last one is the summary; returns the records.
    #[track_caller]
    pub fn json(&self) -> Vec<serde_json::Value> {
        let records: Vec<serde_json::Value> = self
            .stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("invalid JSON line {line:?}: {e}"))
            })
            .collect();
        for r in &records {
            assert!(r.get("type").and_then(|t| t.as_str()).is_some(), "record without type: {r}");
            assert!(r.get("data").is_some(), "record without data: {r}");
        }
        let last =
            records.last().unwrap_or_else(|| panic!("no JSON output; stderr:\n{}", self.stderr));
        assert_eq!(last["type"], "summary", "last record is not the summary: {last}");
        assert_eq!(
            last["data"]["exit_code"], self.status,
            "summary exit code disagrees with the process"
        );
        records
    }

    /// The records of one type.
    #[track_caller]
    pub fn records(&self, kind: &str) -> Vec<serde_json::Value> {
        self.json().into_iter().filter(|r| r["type"] == kind).map(|r| r["data"].clone()).collect()
    }
}
