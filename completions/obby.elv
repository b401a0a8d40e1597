
use builtin;
use str;

set edit:completion:arg-completer[obby] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'obby'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'obby'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a store (`.obby/`) in a directory'
            cand track 'Record the current state of the files in scope as new versions'
            cand diff 'Show differences between files, directories or recorded versions'
            cand log 'List recorded versions, newest first'
            cand config 'Show the effective settings and where each one came from'
            cand watch 'Watch a tree and stream change events (and record them with --track)'
            cand query 'Run named, typed SQL queries over the history'
            cand search 'Search files and their history with a full-text index'
            cand db-diag 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database'
            cand deps 'Audit dependency lockfiles against vulnerability advisories, offline'
            cand import 'Import history from another tool (the original Python obby, JSON Lines)'
            cand export 'Export the history (to a git repository, JSON Lines)'
            cand generate 'Generate shell completions and man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;init'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;track'= {
            cand -j 'Hashing threads (default: one per core)'
            cand --threads 'Hashing threads (default: one per core)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --stdin 'Read paths (one per line) or `obby watch --json` events from stdin and record those'
            cand -0 'With --stdin: paths are NUL-separated'
            cand --null 'With --stdin: paths are NUL-separated'
            cand --no-ignore 'Include files that .obbyignore and .gitignore exclude'
            cand --follow 'Follow symbolic links (by default a link is recorded as a link)'
            cand -n 'Show what would be recorded without writing anything (no line stats, version ids 0)'
            cand --dry-run 'Show what would be recorded without writing anything (no line stats, version ids 0)'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;diff'= {
            cand --from 'Old side: a version id, ~N, or a time'
            cand --to 'New side: a version id, ~N, or a time (default: the working copy)'
            cand -U 'Lines of context'
            cand --unified 'Lines of context'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --stat 'Show a diffstat instead of the diff'
            cand --name-only 'Show only the names of changed files'
            cand -w 'Ignore changes in whitespace'
            cand --ignore-whitespace 'Ignore changes in whitespace'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;log'= {
            cand --since 'Only versions recorded since this time (`2h`, `yesterday`, `2026-11-20`)'
            cand -n 'At most this many versions'
            cand --limit 'At most this many versions'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;config'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;watch'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;query'= {
            cand -p 'A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE)'
            cand --param 'A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE)'
            cand -n 'Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at most N rows)'
            cand --limit 'Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at most N rows)'
            cand --queries 'Also load the queries of this YAML file (repeatable; later files override earlier ones)'
            cand --sql 'Run this read-only SQL instead of a named query (parameters are bound as text)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --list 'List the queries with their descriptions and parameters'
            cand --explain 'Show the query plan (EXPLAIN QUERY PLAN) instead of running the query'
            cand --csv 'Write CSV (with a header row) instead of a table'
            cand --tsv 'Write tab-separated values (with a header row) instead of a table'
            cand --wide 'Show table cells in full instead of fitting the terminal'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;search'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;db-diag'= {
            cand --profile 'How much work to do [default: setting `dbdiag.profile`, else quick]'
            cand --check 'Run only these checks (repeatable, or comma-separated); a named check runs at least at its own profile'
            cand --skip 'Do not run these checks (repeatable, or comma-separated)'
            cand --queries 'A workload to plan: an SQL file, or a queries.yaml (`obby query` format)'
            cand --log 'A statement log for N+1 detection: one statement per line (PostgreSQL log lines accepted)'
            cand --n-plus-one-min 'N+1: the least number of runs of one lookup in a row that is reported'
            cand --indexes 'Declared indexes (indexes.yaml: table, name, columns, unique, where) to compare'
            cand --busy-timeout 'How long to wait on a locked SQLite database [default: setting `dbdiag.busy_timeout`]'
            cand --statement-timeout 'PostgreSQL statement timeout'
            cand --fail-on 'The lowest severity that makes the exit status 1'
            cand --format 'Output format (`json` is the same as the global `--json`)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --pg 'Connect to PostgreSQL using the PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)'
            cand --list-checks 'List the checks and exit'
            cand --apply 'Create the declared indexes the database lacks (needs --allow-write)'
            cand --dry-run 'Print the DDL --apply would run, and run nothing'
            cand --allow-write 'Allow commands that write to the database'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;deps'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand audit 'Audit lockfiles and show the findings'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;deps;audit'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;deps;check'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;deps;report'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;deps;update'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;deps;help'= {
            cand audit 'Audit lockfiles and show the findings'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;deps;help;audit'= {
        }
        &'obby;deps;help;check'= {
        }
        &'obby;deps;help;report'= {
        }
        &'obby;deps;help;update'= {
        }
        &'obby;deps;help;help'= {
        }
        &'obby;import'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;export'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;generate'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand completions 'Completions for bash, zsh, fish, elvish and powershell into DIR'
            cand man '`obby.1` and one page per subcommand into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;generate;completions'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;generate;man'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
            cand -q 'Print only errors and data, no per-item lines or messages'
            cand --quiet 'Print only errors and data, no per-item lines or messages'
            cand -v 'Say more about what is happening (repeat for more)'
            cand --verbose 'Say more about what is happening (repeat for more)'
            cand --no-progress 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'obby;generate;help'= {
            cand completions 'Completions for bash, zsh, fish, elvish and powershell into DIR'
            cand man '`obby.1` and one page per subcommand into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;generate;help;completions'= {
        }
        &'obby;generate;help;man'= {
        }
        &'obby;generate;help;help'= {
        }
        &'obby;help'= {
            cand init 'Create a store (`.obby/`) in a directory'
            cand track 'Record the current state of the files in scope as new versions'
            cand diff 'Show differences between files, directories or recorded versions'
            cand log 'List recorded versions, newest first'
            cand config 'Show the effective settings and where each one came from'
            cand watch 'Watch a tree and stream change events (and record them with --track)'
            cand query 'Run named, typed SQL queries over the history'
            cand search 'Search files and their history with a full-text index'
            cand db-diag 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database'
            cand deps 'Audit dependency lockfiles against vulnerability advisories, offline'
            cand import 'Import history from another tool (the original Python obby, JSON Lines)'
            cand export 'Export the history (to a git repository, JSON Lines)'
            cand generate 'Generate shell completions and man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;help;init'= {
        }
        &'obby;help;track'= {
        }
        &'obby;help;diff'= {
        }
        &'obby;help;log'= {
        }
        &'obby;help;config'= {
        }
        &'obby;help;watch'= {
        }
        &'obby;help;query'= {
        }
        &'obby;help;search'= {
        }
        &'obby;help;db-diag'= {
        }
        &'obby;help;deps'= {
            cand audit 'Audit lockfiles and show the findings'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
        }
        &'obby;help;deps;audit'= {
        }
        &'obby;help;deps;check'= {
        }
        &'obby;help;deps;report'= {
        }
        &'obby;help;deps;update'= {
        }
        &'obby;help;import'= {
        }
        &'obby;help;export'= {
        }
        &'obby;help;generate'= {
            cand completions 'Completions for bash, zsh, fish, elvish and powershell into DIR'
            cand man '`obby.1` and one page per subcommand into DIR'
        }
        &'obby;help;generate;completions'= {
        }
        &'obby;help;generate;man'= {
        }
        &'obby;help;help'= {
        }
    ]
    $completions[$command]
}
