
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
            cand --debounce 'Quiet time before a path''s event is printed; 0 prints at once [default: watch.debounce, 500ms]'
            cand --format 'Print each event through a template: {kind} {path} {old_path} {abs_path} {abs_old_path} {time} {is_dir} {seq}; `{{` and `}}` are literal braces'
            cand --poll 'Poll by comparing stat data instead of using inotify, every INTERVAL [default: watch.poll_interval, 1s]'
            cand --glob 'Only report paths matching this glob (against the path from the root, or the file name); repeatable'
            cand --ext 'Only report files with these extensions (comma-separated, without dots)'
            cand --kinds 'Only report these kinds (comma-separated: created, modified, deleted, renamed, rescan); `rescan` is always reported'
            cand --since 'First replay the events recorded after SEQ (a sequence number from the event log) or TIME (e.g. `2h`, `yesterday`, RFC 3339), and what changed on disk since the last recording, then go on live'
            cand --max-events 'Exit after printing N events'
            cand --timeout 'Exit after watching this long (pending events are printed first)'
            cand --serve 'Also serve the events over HTTP on ADDR (`127.0.0.1:7777`; port 0 picks a free one): Server-Sent Events at /events, Prometheus text at /metrics, /healthz and /readyz'
            cand --serve-token 'Require `Authorization: Bearer TOKEN` (or `?token=TOKEN`) on every request to the server'
            cand --serve-replay 'Events kept for subscribers that reconnect with Last-Event-ID'
            cand --max-watches 'Pretend the inotify watch limit is N (tests of the polling fallback)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -0 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)'
            cand --print0 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)'
            cand --track 'Record every event''s file in the store as it happens (and the event in its event log)'
            cand --stats 'On exit, print counters: events seen, coalesced, emitted, overflows, watches, peak RSS'
            cand --no-ignore 'Include files that .obbyignore and .gitignore exclude'
            cand --serve-public 'Allow --serve on an address other than loopback (anyone who reaches it reads the events)'
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
            cand -n 'Show at most N files (default: the `search.limit` setting, 20)'
            cand --limit 'Show at most N files (default: the `search.limit` setting, 20)'
            cand --sort 'Order by relevance (with a recency boost) or by last change alone'
            cand --recent 'List files changed within DURATION (e.g. `2h`, `3d`), newest first, from git and the store, with change counts'
            cand --related 'List files related to FILE: imports both ways, changed together, shared rare terms'
            cand --lines 'Matching lines shown per file'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --fuzzy 'Tolerate typos in every word (Levenshtein distance 1 for words of 3-5 characters, 2 for longer ones)'
            cand --defs 'Rank files that define the words (functions, types, classes, modules) first'
            cand --history 'Also search past versions kept in the store, reporting the version and when'
            cand -l 'Print only the paths of matching files'
            cand --files 'Print only the paths of matching files'
            cand -0 'End each path with a NUL byte instead of a newline (implies --files)'
            cand --null 'End each path with a NUL byte instead of a newline (implies --files)'
            cand -u 'Walk the tree and re-index changed files before searching'
            cand --update 'Walk the tree and re-index changed files before searching'
            cand --rebuild 'Rebuild the index from scratch (also repairs a damaged index)'
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
            cand audit 'Audit lockfiles and show the findings, grouped by package'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
            cand db 'Manage the local advisory cache (import, update, status)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;deps;audit'= {
            cand --db-dir 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)'
            cand --severity 'Show only vulnerabilities at or above this severity (unknown severities always show)'
            cand --ignore 'Ignore an advisory by id or alias (repeatable)'
            cand --ignore-file 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)'
            cand --omit 'Leave out packages of a scope (repeatable)'
            cand --policy 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --no-cache 'Do not read or write the result cache'
            cand --check-yanked 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP'
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
        &'obby;deps;check'= {
            cand --db-dir 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)'
            cand --severity 'Show only vulnerabilities at or above this severity (unknown severities always show)'
            cand --ignore 'Ignore an advisory by id or alias (repeatable)'
            cand --ignore-file 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)'
            cand --omit 'Leave out packages of a scope (repeatable)'
            cand --policy 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)'
            cand --fail-on 'Lowest severity that fails (default: setting `deps.fail_on`, `critical`)'
            cand --max-db-age 'Advisory data older than this fails (default: setting `deps.max_db_age`, 7d)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --no-cache 'Do not read or write the result cache'
            cand --check-yanked 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP'
            cand --wide 'Show table cells in full instead of fitting the terminal'
            cand --ci-mode 'Non-interactive: no color, no progress; anything not checked is an error (exit 2)'
            cand --allow-empty 'No lockfile found is success instead of an error'
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
            cand --db-dir 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)'
            cand --severity 'Show only vulnerabilities at or above this severity (unknown severities always show)'
            cand --ignore 'Ignore an advisory by id or alias (repeatable)'
            cand --ignore-file 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)'
            cand --omit 'Leave out packages of a scope (repeatable)'
            cand --policy 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)'
            cand --format 'Output format'
            cand -o 'Write to FILE instead of stdout'
            cand --output 'Write to FILE instead of stdout'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --no-cache 'Do not read or write the result cache'
            cand --check-yanked 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP'
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
        &'obby;deps;update'= {
            cand --db-dir 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)'
            cand --severity 'Show only vulnerabilities at or above this severity (unknown severities always show)'
            cand --ignore 'Ignore an advisory by id or alias (repeatable)'
            cand --ignore-file 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)'
            cand --omit 'Leave out packages of a scope (repeatable)'
            cand --policy 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --no-cache 'Do not read or write the result cache'
            cand --check-yanked 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP'
            cand --wide 'Show table cells in full instead of fitting the terminal'
            cand --auto-patch 'Apply the plan (ecosystem tools, or direct edits of requirements.txt)'
            cand --dry-run 'With --auto-patch: show the commands and edits without running them'
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
        &'obby;deps;db'= {
            cand --db-dir 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)'
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
            cand import 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)'
            cand update 'Re-import every source from where it was imported (git sources are fetched)'
            cand status 'Show each source: commit or date, record counts, age'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;deps;db;import'= {
            cand --name 'Name of the source in the cache (default: the directory or repository name)'
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
        &'obby;deps;db;update'= {
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
        &'obby;deps;db;status'= {
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
        &'obby;deps;db;help'= {
            cand import 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)'
            cand update 'Re-import every source from where it was imported (git sources are fetched)'
            cand status 'Show each source: commit or date, record counts, age'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;deps;db;help;import'= {
        }
        &'obby;deps;db;help;update'= {
        }
        &'obby;deps;db;help;status'= {
        }
        &'obby;deps;db;help;help'= {
        }
        &'obby;deps;help'= {
            cand audit 'Audit lockfiles and show the findings, grouped by package'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
            cand db 'Manage the local advisory cache (import, update, status)'
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
        &'obby;deps;help;db'= {
            cand import 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)'
            cand update 'Re-import every source from where it was imported (git sources are fetched)'
            cand status 'Show each source: commit or date, record counts, age'
        }
        &'obby;deps;help;db;import'= {
        }
        &'obby;deps;help;db;update'= {
        }
        &'obby;deps;help;db;status'= {
        }
        &'obby;deps;help;help'= {
        }
        &'obby;import'= {
            cand --format 'The source''s format (detected from its content by default)'
            cand --from-root 'The original project root the database''s absolute paths are relative to (as the old machine wrote it, e.g. `/home/me/project` or `C:\Users\me\project`); guessed when absent'
            cand --timezone 'Time zone the original''s local `timestamp` columns were written in (IANA name or `+HH:MM`); default: this machine''s zone (setting `import.timezone`)'
            cand --busy-timeout 'How long to wait for a source database another program holds locked (`5s`, `1m`)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --dry-run 'Read and check everything, print what would be imported, write nothing'
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
            cand git 'Write the history into a git repository (created when missing)'
            cand jsonl 'Stream the history as JSON Lines (see docs/export.md for the format)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;export;git'= {
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --per-version 'One commit per version instead of one per tracking batch'
            cand --force 'Add the history on top of a repository whose history obby did not write'
            cand --no-checkout 'Leave the repository''s work tree and index alone (only commits and the branch change)'
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
        &'obby;export;jsonl'= {
            cand -o 'Write to FILE instead of stdout'
            cand --output 'Write to FILE instead of stdout'
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
        &'obby;export;help'= {
            cand git 'Write the history into a git repository (created when missing)'
            cand jsonl 'Stream the history as JSON Lines (see docs/export.md for the format)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'obby;export;help;git'= {
        }
        &'obby;export;help;jsonl'= {
        }
        &'obby;export;help;help'= {
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
            cand audit 'Audit lockfiles and show the findings, grouped by package'
            cand check 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
            cand report 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
            cand update 'Plan (and apply) the smallest upgrades that fix the findings'
            cand db 'Manage the local advisory cache (import, update, status)'
        }
        &'obby;help;deps;audit'= {
        }
        &'obby;help;deps;check'= {
        }
        &'obby;help;deps;report'= {
        }
        &'obby;help;deps;update'= {
        }
        &'obby;help;deps;db'= {
            cand import 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)'
            cand update 'Re-import every source from where it was imported (git sources are fetched)'
            cand status 'Show each source: commit or date, record counts, age'
        }
        &'obby;help;deps;db;import'= {
        }
        &'obby;help;deps;db;update'= {
        }
        &'obby;help;deps;db;status'= {
        }
        &'obby;help;import'= {
        }
        &'obby;help;export'= {
            cand git 'Write the history into a git repository (created when missing)'
            cand jsonl 'Stream the history as JSON Lines (see docs/export.md for the format)'
        }
        &'obby;help;export;git'= {
        }
        &'obby;help;export;jsonl'= {
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
