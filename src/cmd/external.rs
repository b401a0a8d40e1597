//! Unknown subcommands: `obby foo ARGS` runs `obby-foo ARGS` from PATH, as git and cargo do, so
//! the toolkit can grow outside this crate.

use std::ffi::OsString;
use std::process::Command;

use crate::{Context, ExitStatus};

/// Runs `obby-NAME` with the remaining arguments and passes its exit status on.
///
/// # Errors
/// No such program on PATH (with a hint), or it could not be started.
pub fn run(args: &[OsString], _ctx: &Context) -> anyhow::Result<ExitStatus> {
    let Some((name, rest)) = args.split_first() else {
        return Err(crate::error::with_hint("no subcommand given", "see `obby --help`"));
    };
    let mut program = OsString::from("obby-");
    program.push(name);
    match Command::new(&program).args(rest).status() {
        Ok(status) => Ok(match status.code() {
            Some(0) => ExitStatus::Success,
            Some(1) => ExitStatus::Negative,
            Some(130) | None => ExitStatus::Interrupted,
            Some(_) => ExitStatus::Error,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(crate::error::with_hint(
            format!("unknown subcommand `{}`", name.to_string_lossy()),
            format!("see `obby --help`, or put an `{}` program on PATH", program.to_string_lossy()),
        )),
        Err(e) => {
            Err(anyhow::Error::new(e)
                .context(format!("cannot run `{}`", program.to_string_lossy())))
        }
    }
}
