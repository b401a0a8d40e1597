//! `obby watch`.

use std::path::PathBuf;

use clap::Args;

/// Watch a tree and stream change events (and record them with --track).
///
/// Watches the paths (default: the store root, or the current directory without a store)
/// recursively under the same scope rules as `track` (`.obbywatch`, `.obbyignore`, `.gitignore`;
/// `.obby/` and `.git/` never) and prints one event per change once the path has been quiet for
/// the debounce time: `created`, `modified`, `deleted`, `renamed` (with the old path) and
/// `rescan` (events may have been lost: rescan that tree). Changes within the window coalesce:
/// create+modify is `created`, create+delete nothing, modify+delete `deleted`, and an editor's
/// atomic save (temp file renamed over the file) one `modified`.
///
/// A `ready` line (stderr; a `ready` record with --json) says when every watch is in place.
/// Output is flushed per event. Where inotify cannot see changes (NFS, SMB, 9p/WSL, FUSE) and
/// past the inotify watch limit, obby polls instead and says so. If a watched directory is
/// deleted, obby reports it `deleted` and exits with status 2.
///
/// Examples:
///   $ obby watch
///   $ obby watch notes/ --ext md --kinds created,modified
///   $ obby watch --json | obby track --stdin
///   $ obby watch --track
///   $ obby watch --track --since 1200
///   $ obby watch -0 --debounce 1s | xargs -0 -n1 echo changed
///   $ obby watch --format '{kind} {path}'
///   $ obby watch --poll=2s /mnt/share
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Paths to watch (default: the store root, or the current directory without a store).
    pub paths: Vec<PathBuf>,
    /// Quiet time before a path's event is printed; 0 prints at once [default: watch.debounce,
    /// 500ms].
    #[arg(long, value_name = "DURATION")]
    pub debounce: Option<String>,
    /// Print the paths of the events, each followed by a NUL byte (for `xargs -0`).
    #[arg(short = '0', long = "print0", conflicts_with = "format")]
    pub print0: bool,
    /// Print each event through a template: {kind} {path} {old_path} {abs_path} {abs_old_path}
    /// {time} {is_dir} {seq}; `{{` and `}}` are literal braces.
    #[arg(long, value_name = "TEMPLATE")]
    pub format: Option<String>,
    /// Record every event's file in the store as it happens (and the event in its event log).
    #[arg(long)]
    pub track: bool,
    /// Poll by comparing stat data instead of using inotify, every INTERVAL [default:
    /// watch.poll_interval, 1s].
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    pub poll: Option<String>,
    /// Only report paths matching this glob (against the path from the root, or the file name);
    /// repeatable.
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Only report files with these extensions (comma-separated, without dots).
    #[arg(long, value_name = "EXT", value_delimiter = ',')]
    pub ext: Vec<String>,
    /// Only report these kinds (comma-separated: created, modified, deleted, renamed, rescan);
    /// `rescan` is always reported.
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// First replay the events recorded after SEQ (a sequence number from the event log) or
    /// TIME (e.g. `2h`, `yesterday`, RFC 3339), and what changed on disk since the last
    /// recording, then go on live.
    #[arg(long, value_name = "SEQ|TIME")]
    pub since: Option<String>,
    /// Exit after printing N events.
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
    /// Exit after watching this long (pending events are printed first).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// On exit, print counters: events seen, coalesced, emitted, overflows, watches, peak RSS.
    #[arg(long)]
    pub stats: bool,
    /// Include files that .obbyignore and .gitignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also serve the events over HTTP on ADDR (`127.0.0.1:7777`; port 0 picks a free one):
    /// Server-Sent Events at /events, Prometheus text at /metrics, /healthz and /readyz.
    #[arg(long, value_name = "ADDR", help_heading = "Serving")]
    pub serve: Option<std::net::SocketAddr>,
    /// Allow --serve on an address other than loopback (anyone who reaches it reads the events).
    #[arg(long, requires = "serve", help_heading = "Serving")]
    pub serve_public: bool,
    /// Require `Authorization: Bearer TOKEN` (or `?token=TOKEN`) on every request to the server.
    #[arg(
        long,
        env = "OBBY_SERVE_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        help_heading = "Serving"
    )]
    pub serve_token: Option<String>,
    /// Events kept for subscribers that reconnect with Last-Event-ID.
    #[arg(long, value_name = "N", default_value_t = 1024, help_heading = "Serving")]
    pub serve_replay: usize,
    /// Pretend the inotify watch limit is N (tests of the polling fallback).
    #[arg(long, value_name = "N", hide = true)]
    pub max_watches: Option<usize>,
}
