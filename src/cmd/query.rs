//! `obby query`: runs a named query (or `--sql`) and prints its rows.
//!
//! JSON records (`--json`):
//! - `row`: one per result row, an object whose keys are the column names in column order;
//!   text as strings, numbers as numbers, NULL as null, blobs (non-UTF-8 paths, binary
//!   content) as `{"bytes": base64}`.
//! - `query` (`--list`): `{"name", "description", "origin", "params": [{"name", "type",
//!   "default", "required", "help", "choices"}]}`.
//! - `plan` (`--explain`): `{"detail"}`, one per step of SQLite's query plan.
//! - `summary` carries `query` (the name, or `--sql`), `rows`, and `truncated` (true when
//!   `--limit` cut the rows of a query without a `limit` parameter).

use crate::cli::query::QueryArgs;
use crate::error::ResultExt as _;
use crate::output::table::new_table;
use crate::query::format::{JsonRow, cell_text, clip, csv_line, tsv_line};
use crate::query::params::{ParseContext, resolve, split_assignment};
use crate::query::{Executor, QueryDef, QueryError, QuerySet};
use crate::{Context, ExitStatus};

/// Characters of a table cell before it is cut (without `--wide`).
const CELL_CHARS: usize = 60;
/// Lines of a multi-line value (a diff, content) before it is cut (without `--wide`).
const BLOCK_LINES: usize = 60;

/// A query error with its hint, for the printer.
fn hinted(e: QueryError) -> anyhow::Error {
    match e.hint() {
        Some(h) => Err::<(), _>(e).hint(h).unwrap_err(),
        None => e.into(),
    }
}

/// Runs `obby query`.
///
/// # Errors
/// No store, a bad query file, an unknown query or parameter, a value of the wrong type, SQL
/// that does not prepare or would write; SQLite errors.
pub fn run(args: &QueryArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let location = ctx.locate_store();
    let mut set = QuerySet::builtin().map_err(hinted)?;
    if let Ok(loc) = &location {
        let user = loc.dir.join("queries.yaml");
        if user.is_file() {
            set.add_file(&user).map_err(hinted)?;
        }
    }
    for file in &args.queries {
        set.add_file(&crate::paths::normalize(&ctx.cwd, file)).map_err(hinted)?;
    }
    if args.list {
        return list(&set, ctx);
    }
    let location = location?;

    // Positional NAME=VALUE words, then --param ones (the later wins).
    let mut words: Vec<&str> = args.params.iter().map(String::as_str).collect();
    let name = match (&args.sql, args.name.as_deref()) {
        (Some(_), Some(first)) => {
            words.insert(0, first);
            None
        }
        (_, name) => name,
    };
    words.extend(args.param.iter().map(String::as_str));
    let mut given =
        words.into_iter().map(split_assignment).collect::<Result<Vec<_>, _>>().map_err(hinted)?;

    let ad_hoc;
    let query: &QueryDef = match (&args.sql, name) {
        (Some(sql), _) => {
            ad_hoc = Executor::ad_hoc(sql, &given);
            &ad_hoc
        }
        (None, Some(name)) => set.get(name).map_err(hinted)?,
        (None, None) => {
            return Err(crate::error::with_hint(
                "no query given",
                "name a query (`obby query --list` shows them) or pass `--sql \"SELECT ...\"`",
            ));
        }
    };
    let mut max_rows = None;
    if let Some(n) = args.limit {
        if query.param("limit").is_some() {
            given.push(("limit".into(), n.to_string()));
        } else {
            max_rows = Some(n);
        }
    }
    let values = resolve(query, &given, &ParseContext::new(ctx.cwd.clone(), location.root.clone()))
        .map_err(hinted)?;

    let mut store = crate::store::Store::open_read_only(&location)?;
    let exec = Executor::new(&mut store).map_err(hinted)?;
    ctx.printer.summary_field("query", &query.name);
    if args.explain {
        let plan = exec.plan(query, &values).map_err(hinted)?;
        for detail in &plan {
            if ctx.printer.is_json() {
                ctx.printer.record("plan", &serde_json::json!({ "detail": detail }))?;
            } else {
                ctx.printer.line(detail)?;
            }
        }
        return Ok(ExitStatus::Success);
    }
    print_rows(args, ctx, &exec, query, &values, max_rows)
}

fn print_rows(
    args: &QueryArgs,
    ctx: &Context,
    exec: &Executor<'_>,
    query: &QueryDef,
    values: &crate::query::Values,
    max_rows: Option<u64>,
) -> anyhow::Result<ExitStatus> {
    let printer = &ctx.printer;
    let json = printer.is_json();
    let delimited = !json && (args.csv || args.tsv);
    let line = |fields: Vec<String>| {
        let refs = fields.iter().map(String::as_str);
        if args.csv { csv_line(refs) } else { tsv_line(refs) }
    };
    let mut table_rows: Vec<Vec<String>> = Vec::new();
    let mut header_done = false;
    let outcome = exec
        .run::<anyhow::Error>(query, values, max_rows, |columns, row| {
            if json {
                printer.record("row", &JsonRow { columns, values: row })?;
            } else if delimited {
                if !header_done {
                    printer.line(line(columns.to_vec()))?;
                    header_done = true;
                }
                printer.line(line(row.iter().map(cell_text).collect()))?;
            } else {
                table_rows.push(row.iter().map(cell_text).collect());
            }
            Ok(())
        })
        .map_err(|e| match e.downcast::<QueryError>() {
            Ok(q) => hinted(q),
            Err(e) => e,
        })?;
    if delimited && !header_done {
        printer.line(line(outcome.columns.clone()))?;
    }
    if !json && !delimited && !table_rows.is_empty() {
        if table_rows.iter().flatten().any(|c| c.contains('\n')) {
            print_records(ctx, &outcome.columns, &table_rows, args.wide)?;
        } else if table_rows.len() == 1 && outcome.columns.len() > 5 {
            // One wide row (totals) reads better as a column of name/value pairs.
            let mut table = new_table(["column", "value"], args.wide);
            for (name, value) in outcome.columns.iter().zip(&table_rows[0]) {
                table.add_row([name.clone(), value.clone()]);
            }
            printer.line(table)?;
        } else {
            let mut table = new_table(outcome.columns.iter().map(String::as_str), args.wide);
            for row in table_rows {
                if args.wide {
                    table.add_row(row);
                } else {
                    table.add_row(row.iter().map(|c| clip(c, 1, CELL_CHARS)));
                }
            }
            printer.line(table)?;
        }
    }
    if outcome.truncated && !json {
        printer.info(format!("(stopped after {} rows: --limit)", outcome.rows));
    }
    if outcome.rows == 0 && !json && !delimited {
        printer.info("no rows");
    }
    printer.summary_field("rows", outcome.rows);
    printer.summary_field("truncated", outcome.truncated);
    Ok(if outcome.rows == 0 { ExitStatus::Negative } else { ExitStatus::Success })
}

/// Rows with multi-line values (diffs, content) read badly in a table: each row becomes a
/// header line of its one-line values, then its multi-line values as they are, like `git log -p`.
fn print_records(
    ctx: &Context,
    columns: &[String],
    rows: &[Vec<String>],
    wide: bool,
) -> anyhow::Result<()> {
    let pal = ctx.printer.palette();
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            ctx.printer.line("")?;
        }
        let (blocks, fields): (Vec<_>, Vec<_>) =
            columns.iter().zip(row).partition(|(_, value)| value.contains('\n'));
        let head: Vec<String> = fields
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{}={value}", pal.dim(name)))
            .collect();
        ctx.printer.line(pal.bold(&head.join("  ")))?;
        for (name, value) in blocks {
            let text = if wide {
                value.trim_end().to_owned()
            } else {
                clip(value, BLOCK_LINES, usize::MAX)
            };
            for line in text.lines() {
                let line = if name == "diff" {
                    match line.as_bytes().first() {
                        Some(b'+') if !line.starts_with("+++") => pal.added(line),
                        Some(b'-') if !line.starts_with("---") => pal.removed(line),
                        Some(b'@') => pal.changed(line),
                        _ => line.to_owned(),
                    }
                } else {
                    line.to_owned()
                };
                ctx.printer.line(line)?;
            }
        }
    }
    Ok(())
}

fn list(set: &QuerySet, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let origin = |q: &QueryDef| match &q.origin {
        crate::query::Origin::Builtin => "built-in".to_owned(),
        crate::query::Origin::File(p) => crate::paths::display_path(p),
        crate::query::Origin::CommandLine => "command line".to_owned(),
    };
    if ctx.printer.is_json() {
        for q in set.iter() {
            let params: Vec<_> = q
                .params
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name, "type": p.ty, "default": p.default, "required": p.required,
                        "help": p.help, "choices": p.choices,
                    })
                })
                .collect();
            ctx.printer.record(
                "query",
                &serde_json::json!({
                    "name": q.name, "description": q.description, "origin": origin(q), "params": params,
                }),
            )?;
        }
    } else {
        let mut table = new_table(["query", "parameters", "description"], false);
        for q in set.iter() {
            let params: Vec<String> = q
                .params
                .iter()
                .map(|p| match (&p.default, p.required) {
                    (_, true) => format!("{}: {} (required)", p.name, p.ty.name()),
                    (Some(d), _) => format!("{}: {} = {d}", p.name, p.ty.name()),
                    (None, _) => format!("{}: {}", p.name, p.ty.name()),
                })
                .collect();
            let mut description = q.description.clone();
            if !matches!(q.origin, crate::query::Origin::Builtin) {
                description.push_str(&format!(" ({})", origin(q)));
            }
            table.add_row([q.name.clone(), params.join("\n"), description]);
        }
        ctx.printer.line(table)?;
    }
    ctx.printer.summary_field("queries", set.len());
    Ok(ExitStatus::Success)
}
