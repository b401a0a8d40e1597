//! `obby generate`: shell completions and man pages from the clap definition, so they never
//! drift from the binary (CI regenerates them and fails on a difference).

use std::path::Path;

use anyhow::Context as _;
use clap_complete::Shell;

use crate::cli::generate::{GenerateArgs, GenerateWhat};
use crate::{Context, ExitStatus};

/// Runs `obby generate`.
///
/// # Errors
/// The output directory cannot be written.
pub fn run(args: &GenerateArgs, _ctx: &Context) -> anyhow::Result<ExitStatus> {
    match &args.what {
        GenerateWhat::Completions { dir } => completions(dir)?,
        GenerateWhat::Man { dir } => man(dir)?,
    }
    Ok(ExitStatus::Success)
}

fn completions(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell] {
        let mut cmd = crate::cli::command();
        clap_complete::generate_to(shell, &mut cmd, "obby", dir).with_context(|| {
            format!("cannot write {shell} completions into `{}`", dir.display())
        })?;
    }
    Ok(())
}

fn man(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let cmd = crate::cli::command();
    write_page(dir, "obby", cmd.clone())?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("obby-{}", sub.get_name());
        write_page(dir, &name, sub.clone().name(name.clone()))?;
        for inner in sub.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let inner_name = format!("{name}-{}", inner.get_name());
            write_page(dir, &inner_name, inner.clone().name(inner_name.clone()))?;
        }
    }
    Ok(())
}

fn write_page(dir: &Path, name: &str, cmd: clap::Command) -> anyhow::Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf).context("cannot render the man page")?;
    std::fs::write(&path, buf).with_context(|| format!("cannot write `{}`", path.display()))
}
