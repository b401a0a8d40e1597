# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_obby_global_optspecs
    string join \n store= json q/quiet v/verbose color= no-progress h/help V/version
end

function __fish_obby_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_obby_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_obby_using_subcommand
    set -l cmd (__fish_obby_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c obby -n "__fish_obby_needs_command" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_needs_command" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_needs_command" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_needs_command" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_needs_command" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_needs_command" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_needs_command" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_needs_command" -f -a "init" -d 'Create a store (`.obby/`) in a directory'
complete -c obby -n "__fish_obby_needs_command" -f -a "track" -d 'Record the current state of the files in scope as new versions'
complete -c obby -n "__fish_obby_needs_command" -f -a "diff" -d 'Show differences between files, directories or recorded versions'
complete -c obby -n "__fish_obby_needs_command" -f -a "log" -d 'List recorded versions, newest first'
complete -c obby -n "__fish_obby_needs_command" -f -a "config" -d 'Show the effective settings and where each one came from'
complete -c obby -n "__fish_obby_needs_command" -f -a "watch" -d 'Watch a tree and stream change events (and record them with --track)'
complete -c obby -n "__fish_obby_needs_command" -f -a "query" -d 'Run named, typed SQL queries over the history'
complete -c obby -n "__fish_obby_needs_command" -f -a "search" -d 'Search files and their history with a full-text index'
complete -c obby -n "__fish_obby_needs_command" -f -a "db-diag" -d 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database'
complete -c obby -n "__fish_obby_needs_command" -f -a "deps" -d 'Audit dependency lockfiles against vulnerability advisories, offline'
complete -c obby -n "__fish_obby_needs_command" -f -a "import" -d 'Import history from another tool (the original Python obby, JSON Lines)'
complete -c obby -n "__fish_obby_needs_command" -f -a "export" -d 'Export the history (to a git repository, JSON Lines)'
complete -c obby -n "__fish_obby_needs_command" -f -a "generate" -d 'Generate shell completions and man pages'
complete -c obby -n "__fish_obby_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand init" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand init" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand init" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand init" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand init" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand init" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand init" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand track" -s j -l threads -d 'Hashing threads (default: one per core)' -r
complete -c obby -n "__fish_obby_using_subcommand track" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand track" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand track" -l stdin -d 'Read paths (one per line) or `obby watch --json` events from stdin and record those'
complete -c obby -n "__fish_obby_using_subcommand track" -s 0 -l null -d 'With --stdin: paths are NUL-separated'
complete -c obby -n "__fish_obby_using_subcommand track" -l no-ignore -d 'Include files that .obbyignore and .gitignore exclude'
complete -c obby -n "__fish_obby_using_subcommand track" -l follow -d 'Follow symbolic links (by default a link is recorded as a link)'
complete -c obby -n "__fish_obby_using_subcommand track" -s n -l dry-run -d 'Show what would be recorded without writing anything (no line stats, version ids 0)'
complete -c obby -n "__fish_obby_using_subcommand track" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand track" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand track" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand track" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand track" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand track" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand diff" -l from -d 'Old side: a version id, ~N, or a time' -r
complete -c obby -n "__fish_obby_using_subcommand diff" -l to -d 'New side: a version id, ~N, or a time (default: the working copy)' -r
complete -c obby -n "__fish_obby_using_subcommand diff" -s U -l unified -d 'Lines of context' -r
complete -c obby -n "__fish_obby_using_subcommand diff" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand diff" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand diff" -l stat -d 'Show a diffstat instead of the diff'
complete -c obby -n "__fish_obby_using_subcommand diff" -l name-only -d 'Show only the names of changed files'
complete -c obby -n "__fish_obby_using_subcommand diff" -s w -l ignore-whitespace -d 'Ignore changes in whitespace'
complete -c obby -n "__fish_obby_using_subcommand diff" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand diff" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand diff" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand diff" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand diff" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand log" -l since -d 'Only versions recorded since this time (`2h`, `yesterday`, `2026-11-20`)' -r
complete -c obby -n "__fish_obby_using_subcommand log" -s n -l limit -d 'At most this many versions' -r
complete -c obby -n "__fish_obby_using_subcommand log" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand log" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand log" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand log" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand log" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand log" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand log" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand config" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand config" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand config" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand config" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand config" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand config" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand config" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand watch" -l debounce -d 'Quiet time before a path\'s event is printed; 0 prints at once [default: watch.debounce, 500ms]' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l format -d 'Print each event through a template: {kind} {path} {old_path} {abs_path} {abs_old_path} {time} {is_dir} {seq}; `{{` and `}}` are literal braces' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l poll -d 'Poll by comparing stat data instead of using inotify, every INTERVAL [default: watch.poll_interval, 1s]' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l glob -d 'Only report paths matching this glob (against the path from the root, or the file name); repeatable' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l ext -d 'Only report files with these extensions (comma-separated, without dots)' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l kinds -d 'Only report these kinds (comma-separated: created, modified, deleted, renamed, rescan); `rescan` is always reported' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l since -d 'First replay the events recorded after SEQ (a sequence number from the event log) or TIME (e.g. `2h`, `yesterday`, RFC 3339), and what changed on disk since the last recording, then go on live' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l max-events -d 'Exit after printing N events' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l timeout -d 'Exit after watching this long (pending events are printed first)' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l serve -d 'Also serve the events over HTTP on ADDR (`127.0.0.1:7777`; port 0 picks a free one): Server-Sent Events at /events, Prometheus text at /metrics, /healthz and /readyz' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l serve-token -d 'Require `Authorization: Bearer TOKEN` (or `?token=TOKEN`) on every request to the server' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l serve-replay -d 'Events kept for subscribers that reconnect with Last-Event-ID' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l max-watches -d 'Pretend the inotify watch limit is N (tests of the polling fallback)' -r
complete -c obby -n "__fish_obby_using_subcommand watch" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand watch" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand watch" -s 0 -l print0 -d 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)'
complete -c obby -n "__fish_obby_using_subcommand watch" -l track -d 'Record every event\'s file in the store as it happens (and the event in its event log)'
complete -c obby -n "__fish_obby_using_subcommand watch" -l stats -d 'On exit, print counters: events seen, coalesced, emitted, overflows, watches, peak RSS'
complete -c obby -n "__fish_obby_using_subcommand watch" -l no-ignore -d 'Include files that .obbyignore and .gitignore exclude'
complete -c obby -n "__fish_obby_using_subcommand watch" -l serve-public -d 'Allow --serve on an address other than loopback (anyone who reaches it reads the events)'
complete -c obby -n "__fish_obby_using_subcommand watch" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand watch" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand watch" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand watch" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand watch" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand query" -s p -l param -d 'A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE)' -r
complete -c obby -n "__fish_obby_using_subcommand query" -s n -l limit -d 'Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at most N rows)' -r
complete -c obby -n "__fish_obby_using_subcommand query" -l queries -d 'Also load the queries of this YAML file (repeatable; later files override earlier ones)' -r -F
complete -c obby -n "__fish_obby_using_subcommand query" -l sql -d 'Run this read-only SQL instead of a named query (parameters are bound as text)' -r
complete -c obby -n "__fish_obby_using_subcommand query" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand query" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand query" -l list -d 'List the queries with their descriptions and parameters'
complete -c obby -n "__fish_obby_using_subcommand query" -l explain -d 'Show the query plan (EXPLAIN QUERY PLAN) instead of running the query'
complete -c obby -n "__fish_obby_using_subcommand query" -l csv -d 'Write CSV (with a header row) instead of a table'
complete -c obby -n "__fish_obby_using_subcommand query" -l tsv -d 'Write tab-separated values (with a header row) instead of a table'
complete -c obby -n "__fish_obby_using_subcommand query" -l wide -d 'Show table cells in full instead of fitting the terminal'
complete -c obby -n "__fish_obby_using_subcommand query" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand query" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand query" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand query" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand query" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand search" -s n -l limit -d 'Show at most N files (default: the `search.limit` setting, 20)' -r
complete -c obby -n "__fish_obby_using_subcommand search" -l sort -d 'Order by relevance (with a recency boost) or by last change alone' -r -f -a "relevance\t'Relevance (BM25) with a recency boost'
recent\t'Most recently changed first'"
complete -c obby -n "__fish_obby_using_subcommand search" -l recent -d 'List files changed within DURATION (e.g. `2h`, `3d`), newest first, from git and the store, with change counts' -r
complete -c obby -n "__fish_obby_using_subcommand search" -l related -d 'List files related to FILE: imports both ways, changed together, shared rare terms' -r -F
complete -c obby -n "__fish_obby_using_subcommand search" -l lines -d 'Matching lines shown per file' -r
complete -c obby -n "__fish_obby_using_subcommand search" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand search" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand search" -l fuzzy -d 'Tolerate typos in every word (Levenshtein distance 1 for words of 3-5 characters, 2 for longer ones)'
complete -c obby -n "__fish_obby_using_subcommand search" -l defs -d 'Rank files that define the words (functions, types, classes, modules) first'
complete -c obby -n "__fish_obby_using_subcommand search" -l history -d 'Also search past versions kept in the store, reporting the version and when'
complete -c obby -n "__fish_obby_using_subcommand search" -s l -l files -d 'Print only the paths of matching files'
complete -c obby -n "__fish_obby_using_subcommand search" -s 0 -l null -d 'End each path with a NUL byte instead of a newline (implies --files)'
complete -c obby -n "__fish_obby_using_subcommand search" -s u -l update -d 'Walk the tree and re-index changed files before searching'
complete -c obby -n "__fish_obby_using_subcommand search" -l rebuild -d 'Rebuild the index from scratch (also repairs a damaged index)'
complete -c obby -n "__fish_obby_using_subcommand search" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand search" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand search" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand search" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand search" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l profile -d 'How much work to do [default: setting `dbdiag.profile`, else quick]' -r -f -a "quick\t'Schema-sized work only: estimates from the statistics the database keeps, no full scans'
standard\t'Adds exact row counts and space per table and index (one pass over every page)'
deep\t'Adds `PRAGMA quick_check` (SQLite) / invalid-index checks'
full\t'Adds `PRAGMA integrity_check` and `PRAGMA foreign_key_check`'"
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l check -d 'Run only these checks (repeatable, or comma-separated); a named check runs at least at its own profile' -r
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l skip -d 'Do not run these checks (repeatable, or comma-separated)' -r
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l queries -d 'A workload to plan: an SQL file, or a queries.yaml (`obby query` format)' -r -F
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l log -d 'A statement log for N+1 detection: one statement per line (PostgreSQL log lines accepted)' -r -F
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l n-plus-one-min -d 'N+1: the least number of runs of one lookup in a row that is reported' -r
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l indexes -d 'Declared indexes (indexes.yaml: table, name, columns, unique, where) to compare' -r -F
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l busy-timeout -d 'How long to wait on a locked SQLite database [default: setting `dbdiag.busy_timeout`]' -r
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l statement-timeout -d 'PostgreSQL statement timeout' -r
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l fail-on -d 'The lowest severity that makes the exit status 1' -r -f -a "info\t'Any finding'
warning\t'Warnings and errors'
error\t'Errors only'
never\t'Never fail on findings'"
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l format -d 'Output format (`json` is the same as the global `--json`)' -r -f -a "text\t'A readable report'
json\t'JSON Lines'
sarif\t'SARIF 2.1.0 for code-scanning upload'"
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l pg -d 'Connect to PostgreSQL using the PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l list-checks -d 'List the checks and exit'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l apply -d 'Create the declared indexes the database lacks (needs --allow-write)'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l dry-run -d 'Print the DDL --apply would run, and run nothing'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l allow-write -d 'Allow commands that write to the database'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand db-diag" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "audit" -d 'Audit lockfiles and show the findings, grouped by package'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "check" -d 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "report" -d 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "update" -d 'Plan (and apply) the smallest upgrades that fix the findings'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "db" -d 'Manage the local advisory cache (import, update, status)'
complete -c obby -n "__fish_obby_using_subcommand deps; and not __fish_seen_subcommand_from audit check report update db help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l db-dir -d 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l severity -d 'Show only vulnerabilities at or above this severity (unknown severities always show)' -r -f -a "low\t'LOW and above'
medium\t'MEDIUM and above'
high\t'HIGH and above'
critical\t'CRITICAL only (and unknown severities)'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l ignore -d 'Ignore an advisory by id or alias (repeatable)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l ignore-file -d 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l omit -d 'Leave out packages of a scope (repeatable)' -r -f -a "dev\t'Development dependencies'
optional\t'Optional dependencies'
build\t'Build dependencies'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l policy -d 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l no-cache -d 'Do not read or write the result cache'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l check-yanked -d 'Also report yanked crates.io releases, asking the registry\'s sparse index over HTTP'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l wide -d 'Show table cells in full instead of fitting the terminal'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from audit" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l db-dir -d 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l severity -d 'Show only vulnerabilities at or above this severity (unknown severities always show)' -r -f -a "low\t'LOW and above'
medium\t'MEDIUM and above'
high\t'HIGH and above'
critical\t'CRITICAL only (and unknown severities)'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l ignore -d 'Ignore an advisory by id or alias (repeatable)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l ignore-file -d 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l omit -d 'Leave out packages of a scope (repeatable)' -r -f -a "dev\t'Development dependencies'
optional\t'Optional dependencies'
build\t'Build dependencies'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l policy -d 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l fail-on -d 'Lowest severity that fails (default: setting `deps.fail_on`, `critical`)' -r -f -a "low\t'LOW and above'
medium\t'MEDIUM and above'
high\t'HIGH and above'
critical\t'CRITICAL only (and unknown severities)'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l max-db-age -d 'Advisory data older than this fails (default: setting `deps.max_db_age`, 7d)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l no-cache -d 'Do not read or write the result cache'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l check-yanked -d 'Also report yanked crates.io releases, asking the registry\'s sparse index over HTTP'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l wide -d 'Show table cells in full instead of fitting the terminal'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l ci-mode -d 'Non-interactive: no color, no progress; anything not checked is an error (exit 2)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l allow-empty -d 'No lockfile found is success instead of an error'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l db-dir -d 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l severity -d 'Show only vulnerabilities at or above this severity (unknown severities always show)' -r -f -a "low\t'LOW and above'
medium\t'MEDIUM and above'
high\t'HIGH and above'
critical\t'CRITICAL only (and unknown severities)'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l ignore -d 'Ignore an advisory by id or alias (repeatable)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l ignore-file -d 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l omit -d 'Leave out packages of a scope (repeatable)' -r -f -a "dev\t'Development dependencies'
optional\t'Optional dependencies'
build\t'Build dependencies'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l policy -d 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l format -d 'Output format' -r -f -a "json\t'JSON Lines: `package`, `finding`, `not_checked`, `summary` records'
sarif\t'SARIF 2.1.0 for code-scanning upload'
markdown\t'Markdown for a pull-request comment'
cyclonedx\t'CycloneDX 1.5 JSON SBOM with vulnerabilities'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l no-cache -d 'Do not read or write the result cache'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l check-yanked -d 'Also report yanked crates.io releases, asking the registry\'s sparse index over HTTP'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l wide -d 'Show table cells in full instead of fitting the terminal'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from report" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l db-dir -d 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l severity -d 'Show only vulnerabilities at or above this severity (unknown severities always show)' -r -f -a "low\t'LOW and above'
medium\t'MEDIUM and above'
high\t'HIGH and above'
critical\t'CRITICAL only (and unknown severities)'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l ignore -d 'Ignore an advisory by id or alias (repeatable)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l ignore-file -d 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l omit -d 'Leave out packages of a scope (repeatable)' -r -f -a "dev\t'Development dependencies'
optional\t'Optional dependencies'
build\t'Build dependencies'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l policy -d 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)' -r
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l no-cache -d 'Do not read or write the result cache'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l check-yanked -d 'Also report yanked crates.io releases, asking the registry\'s sparse index over HTTP'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l wide -d 'Show table cells in full instead of fitting the terminal'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l auto-patch -d 'Apply the plan (ecosystem tools, or direct edits of requirements.txt)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l dry-run -d 'With --auto-patch: show the commands and edits without running them'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -l db-dir -d 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -f -a "import" -d 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -f -a "update" -d 'Re-import every source from where it was imported (git sources are fetched)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show each source: commit or date, record counts, age'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from db" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "audit" -d 'Audit lockfiles and show the findings, grouped by package'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "check" -d 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "report" -d 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "update" -d 'Plan (and apply) the smallest upgrades that fix the findings'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "db" -d 'Manage the local advisory cache (import, update, status)'
complete -c obby -n "__fish_obby_using_subcommand deps; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand import" -l format -d 'The source\'s format (detected from its content by default)' -r -f -a "auto\t'Detect: a SQLite file is an original obby database, anything else JSON Lines'
obby-db\t'The original Python obby\'s SQLite database'
jsonl\t'obby\'s JSON Lines export'"
complete -c obby -n "__fish_obby_using_subcommand import" -l from-root -d 'The original project root the database\'s absolute paths are relative to (as the old machine wrote it, e.g. `/home/me/project` or `C:\\Users\\me\\project`); guessed when absent' -r
complete -c obby -n "__fish_obby_using_subcommand import" -l timezone -d 'Time zone the original\'s local `timestamp` columns were written in (IANA name or `+HH:MM`); default: this machine\'s zone (setting `import.timezone`)' -r
complete -c obby -n "__fish_obby_using_subcommand import" -l busy-timeout -d 'How long to wait for a source database another program holds locked (`5s`, `1m`)' -r
complete -c obby -n "__fish_obby_using_subcommand import" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand import" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand import" -l dry-run -d 'Read and check everything, print what would be imported, write nothing'
complete -c obby -n "__fish_obby_using_subcommand import" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand import" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand import" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand import" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand import" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -f -a "git" -d 'Write the history into a git repository (created when missing)'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -f -a "jsonl" -d 'Stream the history as JSON Lines (see docs/export.md for the format)'
complete -c obby -n "__fish_obby_using_subcommand export; and not __fish_seen_subcommand_from git jsonl help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l per-version -d 'One commit per version instead of one per tracking batch'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l force -d 'Add the history on top of a repository whose history obby did not write'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l no-checkout -d 'Leave the repository\'s work tree and index alone (only commits and the branch change)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from git" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from jsonl" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "git" -d 'Write the history into a git repository (created when missing)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "jsonl" -d 'Stream the history as JSON Lines (see docs/export.md for the format)'
complete -c obby -n "__fish_obby_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "completions" -d 'Completions for bash, zsh, fish, elvish and powershell into DIR'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "man" -d '`obby.1` and one page per subcommand into DIR'
complete -c obby -n "__fish_obby_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -l store -d 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory' -r -F
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -l color -d 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'Color when the output is a terminal and neither NO_COLOR nor `--json` says otherwise'
always\t'Always color'
never\t'Never color'"
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -l json -d 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -s q -l quiet -d 'Print only errors and data, no per-item lines or messages'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -s v -l verbose -d 'Say more about what is happening (repeat for more)'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -l no-progress -d 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from man" -s V -l version -d 'Print version'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Completions for bash, zsh, fish, elvish and powershell into DIR'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "man" -d '`obby.1` and one page per subcommand into DIR'
complete -c obby -n "__fish_obby_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "init" -d 'Create a store (`.obby/`) in a directory'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "track" -d 'Record the current state of the files in scope as new versions'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "diff" -d 'Show differences between files, directories or recorded versions'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "log" -d 'List recorded versions, newest first'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "config" -d 'Show the effective settings and where each one came from'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "watch" -d 'Watch a tree and stream change events (and record them with --track)'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "query" -d 'Run named, typed SQL queries over the history'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "search" -d 'Search files and their history with a full-text index'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "db-diag" -d 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "deps" -d 'Audit dependency lockfiles against vulnerability advisories, offline'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "import" -d 'Import history from another tool (the original Python obby, JSON Lines)'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "export" -d 'Export the history (to a git repository, JSON Lines)'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "generate" -d 'Generate shell completions and man pages'
complete -c obby -n "__fish_obby_using_subcommand help; and not __fish_seen_subcommand_from init track diff log config watch query search db-diag deps import export generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from deps" -f -a "audit" -d 'Audit lockfiles and show the findings, grouped by package'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from deps" -f -a "check" -d 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from deps" -f -a "report" -d 'Write the inventory with findings (json, sarif, markdown, cyclonedx)'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from deps" -f -a "update" -d 'Plan (and apply) the smallest upgrades that fix the findings'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from deps" -f -a "db" -d 'Manage the local advisory cache (import, update, status)'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from export" -f -a "git" -d 'Write the history into a git repository (created when missing)'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from export" -f -a "jsonl" -d 'Stream the history as JSON Lines (see docs/export.md for the format)'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "completions" -d 'Completions for bash, zsh, fish, elvish and powershell into DIR'
complete -c obby -n "__fish_obby_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "man" -d '`obby.1` and one page per subcommand into DIR'
