//! `obby init`.

use anyhow::Context as _;

use crate::cli::init::InitArgs;
use crate::error::ResultExt as _;
use crate::paths::{display_path, normalize};
use crate::store::Store;
use crate::{Context, ExitStatus};

/// Runs `obby init`.
///
/// # Errors
/// A missing directory, an existing store, I/O and SQLite errors.
pub fn run(args: &InitArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let dir = args.dir.as_deref().map_or_else(|| ctx.cwd.clone(), |d| normalize(&ctx.cwd, d));
    let meta = std::fs::metadata(&dir)
        .with_context(|| format!("cannot use `{}` as a project root", display_path(&dir)))
        .hint("create the directory first, or name an existing one")?;
    if !meta.is_dir() {
        return Err(crate::error::with_hint(
            format!("`{}` is not a directory", display_path(&dir)),
            "name the project's root directory",
        ));
    }
    let store = Store::init(&dir)?;
    let location = store.location().clone();
    if ctx.printer.is_json() {
        ctx.printer.record(
            "init",
            &serde_json::json!({
                "root": display_path(&location.root),
                "store": display_path(&location.dir),
                "schema_version": crate::store::schema::CURRENT_VERSION,
            }),
        )?;
    } else {
        ctx.printer.info(format!("initialised an obby store in `{}`", display_path(&location.dir)));
        ctx.printer
            .info("next: `obby track` records the files, `obby watch --track` keeps recording");
    }
    Ok(ExitStatus::Success)
}
