
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
            cand --debounce 'Quiet time before a path''s event is printed; 0 prints at once [default: watch.debounce, 500ms]'
            cand --format 'Print each event through a template: {kind} {path} {old_path} {abs_path} {abs_old_path} {time} {is_dir} {seq}; `{{` and `}}` are literal braces'
            cand --poll 'Poll by comparing stat data instead of using inotify, every INTERVAL [default: watch.poll_interval, 1s]'
            cand --glob 'Only report paths matching this glob (against the path from the root, or the file name); repeatable'
            cand --ext 'Only report files with these extensions (comma-separated, without dots)'
            cand --kinds 'Only report these kinds (comma-separated: created, modified, deleted, renamed, rescan); `rescan` is always reported'
            cand --since 'First replay the events recorded after SEQ (a sequence number from the event log) or TIME (e.g. `2h`, `yesterday`, RFC 3339), and what changed on disk since the last recording, then go on live'
            cand --max-events 'Exit after printing N events'
            cand --timeout 'Exit after watching this long (pending events are printed first)'
            cand --max-watches 'Pretend the inotify watch limit is N (tests of the polling fallback)'
            cand --store 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory'
            cand --color 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never'
            cand -0 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)'
            cand --print0 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)'
            cand --track 'Record every event''s file in the store as it happens (and the event in its event log)'
            cand --stats 'On exit, print counters: events seen, coalesced, emitted, overflows, watches, peak RSS'
            cand --no-ignore 'Include files that .obbyignore and .gitignore exclude'
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
