//! Exit statuses and the error types every command shares.
//!
//! Library modules return their own `thiserror` enums; commands add context with `anyhow` and,
//! where the user can do something about it, a hint ([`ResultExt::hint`]). Only [`crate::run`]
//! prints an error, so every failure looks the same: `error: <what>`, `  Caused by: <why>` lines,
//! then `hint: <what to do>`.

use std::fmt;

/// How a run ended; the process exit code is the discriminant.
///
/// | code | meaning |
/// |------|---------|
/// | 0    | success, or something was found |
/// | 1    | a valid negative answer: no match, differences, findings at or above the threshold |
/// | 2    | an error |
/// | 130  | interrupted (Ctrl-C) |
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(into = "u8")]
pub enum ExitStatus {
    /// Success, or something was found.
    Success = 0,
    /// A valid negative answer.
    Negative = 1,
    /// An error (also: an error on one item while the rest of the run went on).
    Error = 2,
    /// Interrupted by a signal.
    Interrupted = 130,
}

impl ExitStatus {
    /// The numeric exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The worse of two statuses (error beats negative beats success).
    #[must_use]
    pub fn max(self, other: Self) -> Self {
        if other.rank() > self.rank() { other } else { self }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Negative => 1,
            Self::Error => 2,
            Self::Interrupted => 3,
        }
    }
}

impl From<ExitStatus> for u8 {
    fn from(status: ExitStatus) -> u8 {
        status.code()
    }
}

/// An error with a hint that tells the user what to do next.
///
/// It displays as the error it wraps, so wrapping adds no line to the `Caused by` chain.
#[derive(Debug)]
pub struct Hinted {
    hint: String,
    inner: anyhow::Error,
}

impl Hinted {
    /// The hint text.
    #[must_use]
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

/// The run was interrupted (Ctrl-C or SIGTERM); maps to exit status 130.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// Builds an error from a message and a hint.
pub fn with_hint(message: impl fmt::Display, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted { hint: hint.into(), inner: anyhow::anyhow!("{message}") })
}

/// Adds a hint to any error result.
pub trait ResultExt<T> {
    /// Attaches `hint` to the error, if any.
    ///
    /// # Errors
    /// Returns the original error, now carrying the hint.
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::Error::new(Hinted { hint: hint.into(), inner: e.into() }))
    }
}

/// The first hint found along the error's chain.
#[must_use]
pub fn find_hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| {
        cause.downcast_ref::<Hinted>().map(|h| h.hint.clone()).or_else(|| {
            cause
                .downcast_ref::<crate::store::StoreError>()
                .and_then(crate::store::StoreError::hint)
        })
    })
}

/// True when the error is (or was caused by) a closed stdout pipe, which ends a run quietly.
#[must_use]
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// True when the error means the run was interrupted.
#[must_use]
pub fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.downcast_ref::<Interrupted>().is_some())
}

/// The messages of the error chain, outermost first, with repeats removed.
#[must_use]
pub fn messages(err: &anyhow::Error) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.last() != Some(&text) {
            out.push(text);
        }
    }
    out
}
