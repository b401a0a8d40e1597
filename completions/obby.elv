
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
