
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'obby' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'obby'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'obby' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a store (`.obby/`) in a directory')
            [CompletionResult]::new('track', 'track', [CompletionResultType]::ParameterValue, 'Record the current state of the files in scope as new versions')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show differences between files, directories or recorded versions')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'List recorded versions, newest first')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the effective settings and where each one came from')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch a tree and stream change events (and record them with --track)')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run named, typed SQL queries over the history')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search files and their history with a full-text index')
            [CompletionResult]::new('db-diag', 'db-diag', [CompletionResultType]::ParameterValue, 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database')
            [CompletionResult]::new('deps', 'deps', [CompletionResultType]::ParameterValue, 'Audit dependency lockfiles against vulnerability advisories, offline')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import history from another tool (the original Python obby, JSON Lines)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the history (to a git repository, JSON Lines)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions and man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;init' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;track' {
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Hashing threads (default: one per core)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Hashing threads (default: one per core)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read paths (one per line) or `obby watch --json` events from stdin and record those')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'With --stdin: paths are NUL-separated')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'With --stdin: paths are NUL-separated')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Include files that .obbyignore and .gitignore exclude')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links (by default a link is recorded as a link)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show what would be recorded without writing anything (no line stats, version ids 0)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be recorded without writing anything (no line stats, version ids 0)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;diff' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Old side: a version id, ~N, or a time')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'New side: a version id, ~N, or a time (default: the working copy)')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Lines of context')
            [CompletionResult]::new('--unified', '--unified', [CompletionResultType]::ParameterName, 'Lines of context')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'Show a diffstat instead of the diff')
            [CompletionResult]::new('--name-only', '--name-only', [CompletionResultType]::ParameterName, 'Show only the names of changed files')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Ignore changes in whitespace')
            [CompletionResult]::new('--ignore-whitespace', '--ignore-whitespace', [CompletionResultType]::ParameterName, 'Ignore changes in whitespace')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;log' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only versions recorded since this time (`2h`, `yesterday`, `2026-11-20`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'At most this many versions')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many versions')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;config' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;watch' {
            [CompletionResult]::new('--debounce', '--debounce', [CompletionResultType]::ParameterName, 'Quiet time before a path''s event is printed; 0 prints at once [default: watch.debounce, 500ms]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print each event through a template: {kind} {path} {old_path} {abs_path} {abs_old_path} {time} {is_dir} {seq}; `{{` and `}}` are literal braces')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Poll by comparing stat data instead of using inotify, every INTERVAL [default: watch.poll_interval, 1s]')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only report paths matching this glob (against the path from the root, or the file name); repeatable')
            [CompletionResult]::new('--ext', '--ext', [CompletionResultType]::ParameterName, 'Only report files with these extensions (comma-separated, without dots)')
            [CompletionResult]::new('--kinds', '--kinds', [CompletionResultType]::ParameterName, 'Only report these kinds (comma-separated: created, modified, deleted, renamed, rescan); `rescan` is always reported')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'First replay the events recorded after SEQ (a sequence number from the event log) or TIME (e.g. `2h`, `yesterday`, RFC 3339), and what changed on disk since the last recording, then go on live')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'Exit after printing N events')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit after watching this long (pending events are printed first)')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Also serve the events over HTTP on ADDR (`127.0.0.1:7777`; port 0 picks a free one): Server-Sent Events at /events, Prometheus text at /metrics, /healthz and /readyz')
            [CompletionResult]::new('--serve-token', '--serve-token', [CompletionResultType]::ParameterName, 'Require `Authorization: Bearer TOKEN` (or `?token=TOKEN`) on every request to the server')
            [CompletionResult]::new('--serve-replay', '--serve-replay', [CompletionResultType]::ParameterName, 'Events kept for subscribers that reconnect with Last-Event-ID')
            [CompletionResult]::new('--max-watches', '--max-watches', [CompletionResultType]::ParameterName, 'Pretend the inotify watch limit is N (tests of the polling fallback)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)')
            [CompletionResult]::new('--print0', '--print0', [CompletionResultType]::ParameterName, 'Print the paths of the events, each followed by a NUL byte (for `xargs -0`)')
            [CompletionResult]::new('--track', '--track', [CompletionResultType]::ParameterName, 'Record every event''s file in the store as it happens (and the event in its event log)')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'On exit, print counters: events seen, coalesced, emitted, overflows, watches, peak RSS')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Include files that .obbyignore and .gitignore exclude')
            [CompletionResult]::new('--serve-public', '--serve-public', [CompletionResultType]::ParameterName, 'Allow --serve on an address other than loopback (anyone who reaches it reads the events)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;query' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A parameter of the query, as NAME=VALUE (repeatable; same as a positional NAME=VALUE)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at most N rows)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Shorthand for `limit=N` (for a query without a `limit` parameter, or `--sql`: print at most N rows)')
            [CompletionResult]::new('--queries', '--queries', [CompletionResultType]::ParameterName, 'Also load the queries of this YAML file (repeatable; later files override earlier ones)')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'Run this read-only SQL instead of a named query (parameters are bound as text)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the queries with their descriptions and parameters')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the query plan (EXPLAIN QUERY PLAN) instead of running the query')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Write CSV (with a header row) instead of a table')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'Write tab-separated values (with a header row) instead of a table')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show table cells in full instead of fitting the terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;search' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N files (default: the `search.limit` setting, 20)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N files (default: the `search.limit` setting, 20)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order by relevance (with a recency boost) or by last change alone')
            [CompletionResult]::new('--recent', '--recent', [CompletionResultType]::ParameterName, 'List files changed within DURATION (e.g. `2h`, `3d`), newest first, from git and the store, with change counts')
            [CompletionResult]::new('--related', '--related', [CompletionResultType]::ParameterName, 'List files related to FILE: imports both ways, changed together, shared rare terms')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Matching lines shown per file')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--fuzzy', '--fuzzy', [CompletionResultType]::ParameterName, 'Tolerate typos in every word (Levenshtein distance 1 for words of 3-5 characters, 2 for longer ones)')
            [CompletionResult]::new('--defs', '--defs', [CompletionResultType]::ParameterName, 'Rank files that define the words (functions, types, classes, modules) first')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Also search past versions kept in the store, reporting the version and when')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Print only the paths of matching files')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Print only the paths of matching files')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End each path with a NUL byte instead of a newline (implies --files)')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End each path with a NUL byte instead of a newline (implies --files)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Walk the tree and re-index changed files before searching')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Walk the tree and re-index changed files before searching')
            [CompletionResult]::new('--rebuild', '--rebuild', [CompletionResultType]::ParameterName, 'Rebuild the index from scratch (also repairs a damaged index)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;db-diag' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'How much work to do [default: setting `dbdiag.profile`, else quick]')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run only these checks (repeatable, or comma-separated); a named check runs at least at its own profile')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run these checks (repeatable, or comma-separated)')
            [CompletionResult]::new('--queries', '--queries', [CompletionResultType]::ParameterName, 'A workload to plan: an SQL file, or a queries.yaml (`obby query` format)')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'A statement log for N+1 detection: one statement per line (PostgreSQL log lines accepted)')
            [CompletionResult]::new('--n-plus-one-min', '--n-plus-one-min', [CompletionResultType]::ParameterName, 'N+1: the least number of runs of one lookup in a row that is reported')
            [CompletionResult]::new('--indexes', '--indexes', [CompletionResultType]::ParameterName, 'Declared indexes (indexes.yaml: table, name, columns, unique, where) to compare')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait on a locked SQLite database [default: setting `dbdiag.busy_timeout`]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'PostgreSQL statement timeout')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the exit status 1')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (`json` is the same as the global `--json`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--pg', '--pg', [CompletionResultType]::ParameterName, 'Connect to PostgreSQL using the PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)')
            [CompletionResult]::new('--list-checks', '--list-checks', [CompletionResultType]::ParameterName, 'List the checks and exit')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Create the declared indexes the database lacks (needs --allow-write)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the DDL --apply would run, and run nothing')
            [CompletionResult]::new('--allow-write', '--allow-write', [CompletionResultType]::ParameterName, 'Allow commands that write to the database')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit lockfiles and show the findings, grouped by package')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write the inventory with findings (json, sarif, markdown, cyclonedx)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Plan (and apply) the smallest upgrades that fix the findings')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Manage the local advisory cache (import, update, status)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;deps;audit' {
            [CompletionResult]::new('--db-dir', '--db-dir', [CompletionResultType]::ParameterName, 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Show only vulnerabilities at or above this severity (unknown severities always show)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore an advisory by id or alias (repeatable)')
            [CompletionResult]::new('--ignore-file', '--ignore-file', [CompletionResultType]::ParameterName, 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)')
            [CompletionResult]::new('--omit', '--omit', [CompletionResultType]::ParameterName, 'Leave out packages of a scope (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache')
            [CompletionResult]::new('--check-yanked', '--check-yanked', [CompletionResultType]::ParameterName, 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show table cells in full instead of fitting the terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;check' {
            [CompletionResult]::new('--db-dir', '--db-dir', [CompletionResultType]::ParameterName, 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Show only vulnerabilities at or above this severity (unknown severities always show)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore an advisory by id or alias (repeatable)')
            [CompletionResult]::new('--ignore-file', '--ignore-file', [CompletionResultType]::ParameterName, 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)')
            [CompletionResult]::new('--omit', '--omit', [CompletionResultType]::ParameterName, 'Leave out packages of a scope (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Lowest severity that fails (default: setting `deps.fail_on`, `critical`)')
            [CompletionResult]::new('--max-db-age', '--max-db-age', [CompletionResultType]::ParameterName, 'Advisory data older than this fails (default: setting `deps.max_db_age`, 7d)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache')
            [CompletionResult]::new('--check-yanked', '--check-yanked', [CompletionResultType]::ParameterName, 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show table cells in full instead of fitting the terminal')
            [CompletionResult]::new('--ci-mode', '--ci-mode', [CompletionResultType]::ParameterName, 'Non-interactive: no color, no progress; anything not checked is an error (exit 2)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'No lockfile found is success instead of an error')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;report' {
            [CompletionResult]::new('--db-dir', '--db-dir', [CompletionResultType]::ParameterName, 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Show only vulnerabilities at or above this severity (unknown severities always show)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore an advisory by id or alias (repeatable)')
            [CompletionResult]::new('--ignore-file', '--ignore-file', [CompletionResultType]::ParameterName, 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)')
            [CompletionResult]::new('--omit', '--omit', [CompletionResultType]::ParameterName, 'Leave out packages of a scope (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache')
            [CompletionResult]::new('--check-yanked', '--check-yanked', [CompletionResultType]::ParameterName, 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show table cells in full instead of fitting the terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;update' {
            [CompletionResult]::new('--db-dir', '--db-dir', [CompletionResultType]::ParameterName, 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Show only vulnerabilities at or above this severity (unknown severities always show)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Ignore an advisory by id or alias (repeatable)')
            [CompletionResult]::new('--ignore-file', '--ignore-file', [CompletionResultType]::ParameterName, 'Ignore file (default: `.obby/deps-ignore.yaml` in the current directory)')
            [CompletionResult]::new('--omit', '--omit', [CompletionResultType]::ParameterName, 'Leave out packages of a scope (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Policy for a kind of advisory: `KIND=deny|warn|allow[:direct]` (repeatable). Kinds: vulnerability (default deny), unsound, unmaintained, notice, yanked (default warn)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache')
            [CompletionResult]::new('--check-yanked', '--check-yanked', [CompletionResultType]::ParameterName, 'Also report yanked crates.io releases, asking the registry''s sparse index over HTTP')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show table cells in full instead of fitting the terminal')
            [CompletionResult]::new('--auto-patch', '--auto-patch', [CompletionResultType]::ParameterName, 'Apply the plan (ecosystem tools, or direct edits of requirements.txt)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --auto-patch: show the commands and edits without running them')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;db' {
            [CompletionResult]::new('--db-dir', '--db-dir', [CompletionResultType]::ParameterName, 'Advisory cache directory (default: `$XDG_CACHE_HOME/obby/deps`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-import every source from where it was imported (git sources are fetched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each source: commit or date, record counts, age')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;deps;db;import' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the source in the cache (default: the directory or repository name)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;db;update' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;db;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;deps;db;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-import every source from where it was imported (git sources are fetched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each source: commit or date, record counts, age')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;deps;db;help;import' {
            break
        }
        'obby;deps;db;help;update' {
            break
        }
        'obby;deps;db;help;status' {
            break
        }
        'obby;deps;db;help;help' {
            break
        }
        'obby;deps;help' {
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit lockfiles and show the findings, grouped by package')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write the inventory with findings (json, sarif, markdown, cyclonedx)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Plan (and apply) the smallest upgrades that fix the findings')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Manage the local advisory cache (import, update, status)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;deps;help;audit' {
            break
        }
        'obby;deps;help;check' {
            break
        }
        'obby;deps;help;report' {
            break
        }
        'obby;deps;help;update' {
            break
        }
        'obby;deps;help;db' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-import every source from where it was imported (git sources are fetched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each source: commit or date, record counts, age')
            break
        }
        'obby;deps;help;db;import' {
            break
        }
        'obby;deps;help;db;update' {
            break
        }
        'obby;deps;help;db;status' {
            break
        }
        'obby;deps;help;help' {
            break
        }
        'obby;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The source''s format (detected from its content by default)')
            [CompletionResult]::new('--from-root', '--from-root', [CompletionResultType]::ParameterName, 'The original project root the database''s absolute paths are relative to (as the old machine wrote it, e.g. `/home/me/project` or `C:\Users\me\project`); guessed when absent')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'Time zone the original''s local `timestamp` columns were written in (IANA name or `+HH:MM`); default: this machine''s zone (setting `import.timezone`)')
            [CompletionResult]::new('--busy-timeout', '--busy-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a source database another program holds locked (`5s`, `1m`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read and check everything, print what would be imported, write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;export' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Write the history into a git repository (created when missing)')
            [CompletionResult]::new('jsonl', 'jsonl', [CompletionResultType]::ParameterValue, 'Stream the history as JSON Lines (see docs/export.md for the format)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;export;git' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--per-version', '--per-version', [CompletionResultType]::ParameterName, 'One commit per version instead of one per tracking batch')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Add the history on top of a repository whose history obby did not write')
            [CompletionResult]::new('--no-checkout', '--no-checkout', [CompletionResultType]::ParameterName, 'Leave the repository''s work tree and index alone (only commits and the branch change)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;export;jsonl' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;export;help' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Write the history into a git repository (created when missing)')
            [CompletionResult]::new('jsonl', 'jsonl', [CompletionResultType]::ParameterValue, 'Stream the history as JSON Lines (see docs/export.md for the format)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;export;help;git' {
            break
        }
        'obby;export;help;jsonl' {
            break
        }
        'obby;export;help;help' {
            break
        }
        'obby;generate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Completions for bash, zsh, fish, elvish and powershell into DIR')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, '`obby.1` and one page per subcommand into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;generate;completions' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;generate;man' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store at PATH (a project root, its `.obby` directory, or `obby.db`) instead of searching upward from the current directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines to stdout (`{"type":...,"data":...}`), ending with a `summary` record')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data, no per-item lines or messages')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (also: OBBY_NO_PROGRESS=1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'obby;generate;help' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Completions for bash, zsh, fish, elvish and powershell into DIR')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, '`obby.1` and one page per subcommand into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;generate;help;completions' {
            break
        }
        'obby;generate;help;man' {
            break
        }
        'obby;generate;help;help' {
            break
        }
        'obby;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a store (`.obby/`) in a directory')
            [CompletionResult]::new('track', 'track', [CompletionResultType]::ParameterValue, 'Record the current state of the files in scope as new versions')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show differences between files, directories or recorded versions')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'List recorded versions, newest first')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the effective settings and where each one came from')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch a tree and stream change events (and record them with --track)')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run named, typed SQL queries over the history')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search files and their history with a full-text index')
            [CompletionResult]::new('db-diag', 'db-diag', [CompletionResultType]::ParameterValue, 'Diagnose the health, size and indexes of a SQLite or PostgreSQL database')
            [CompletionResult]::new('deps', 'deps', [CompletionResultType]::ParameterValue, 'Audit dependency lockfiles against vulnerability advisories, offline')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import history from another tool (the original Python obby, JSON Lines)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the history (to a git repository, JSON Lines)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions and man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'obby;help;init' {
            break
        }
        'obby;help;track' {
            break
        }
        'obby;help;diff' {
            break
        }
        'obby;help;log' {
            break
        }
        'obby;help;config' {
            break
        }
        'obby;help;watch' {
            break
        }
        'obby;help;query' {
            break
        }
        'obby;help;search' {
            break
        }
        'obby;help;db-diag' {
            break
        }
        'obby;help;deps' {
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit lockfiles and show the findings, grouped by package')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Audit for CI: exit 1 on findings at or above --fail-on or stale data, 2 on anything not checked')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write the inventory with findings (json, sarif, markdown, cyclonedx)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Plan (and apply) the smallest upgrades that fix the findings')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Manage the local advisory cache (import, update, status)')
            break
        }
        'obby;help;deps;audit' {
            break
        }
        'obby;help;deps;check' {
            break
        }
        'obby;help;deps;report' {
            break
        }
        'obby;help;deps;update' {
            break
        }
        'obby;help;deps;db' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import advisories from a directory (RustSec advisory-db, OSV JSON/YAML tree) or a git URL (cloned or fetched into the cache)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-import every source from where it was imported (git sources are fetched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each source: commit or date, record counts, age')
            break
        }
        'obby;help;deps;db;import' {
            break
        }
        'obby;help;deps;db;update' {
            break
        }
        'obby;help;deps;db;status' {
            break
        }
        'obby;help;import' {
            break
        }
        'obby;help;export' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Write the history into a git repository (created when missing)')
            [CompletionResult]::new('jsonl', 'jsonl', [CompletionResultType]::ParameterValue, 'Stream the history as JSON Lines (see docs/export.md for the format)')
            break
        }
        'obby;help;export;git' {
            break
        }
        'obby;help;export;jsonl' {
            break
        }
        'obby;help;generate' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Completions for bash, zsh, fish, elvish and powershell into DIR')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, '`obby.1` and one page per subcommand into DIR')
            break
        }
        'obby;help;generate;completions' {
            break
        }
        'obby;help;generate;man' {
            break
        }
        'obby;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
