#!/usr/bin/env bash
# Benchmark of the event server behind `obby watch --serve` (issue 10), loopback only.
#
# Runs examples/serve_load.rs: it starts a server process (the library's `Server` fed by a
# synthetic publisher, since the watcher feeds it in the product), opens the SSE subscribers
# from a second process, and reports: broadcast latency with 1,000 subscribers; with 10,000
# subscribers a burst of 1,000 events (subscribers that got every event, missed, p50/p99
# delivery latency), server RSS, and /metrics scrape time at that load; graceful shutdown.
# Targets (issue 10): 0 missed, p99 delivery < 50 ms, RSS < 150 MB, broadcast p50 < 5 ms with
# 1,000 clients, scrape < 5 ms. Bounded: the generator stops itself after MAX_SECONDS.
#
#   CLIENTS=10000 EVENTS=1000 MAX_SECONDS=240 benches/serve.sh
#
# LOAD=/tmp/serve_load_before runs another build of the load generator (and so of the server it
# starts) instead of building this tree's: for before/after runs side by side.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-10000}
EVENTS=${EVENTS:-1000}
LATENCY_CLIENTS=${LATENCY_CLIENTS:-1000}
LATENCY_EVENTS=${LATENCY_EVENTS:-200}
# Phase 1 is measured once per gap (µs) between events: 2 ms (a sustained 500 events/s) and
# 20 ms (each event broadcast on its own, the latency of one event rather than of a queue).
LATENCY_GAPS_US=${LATENCY_GAPS_US:-2000,20000}
MAX_SECONDS=${MAX_SECONDS:-240}

# Both processes need a descriptor per connection (plus a few): raise the limit here, for the
# benchmark only; the product never changes it.
need=$((CLIENTS + 256))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then
    echo "bench-serve: the hard descriptor limit is $hard; serving $((hard - 256)) clients instead of $CLIENTS"
    CLIENTS=$((hard - 256))
    need=$hard
fi
ulimit -n "$need"

LOAD=${LOAD:-}
if [ -z "$LOAD" ]; then
    ${CARGO:-cargo} build --release --example serve_load --quiet
    LOAD=target/release/examples/serve_load
fi
echo "bench-serve: $CLIENTS subscribers, burst of $EVENTS events; $LATENCY_CLIENTS subscribers x $LATENCY_EVENTS events (gaps $LATENCY_GAPS_US µs) for broadcast latency (ulimit -n $(ulimit -n))"
timeout $((MAX_SECONDS + 30)) "$LOAD" \
    --clients "$CLIENTS" --events "$EVENTS" \
    --latency-clients "$LATENCY_CLIENTS" --latency-events "$LATENCY_EVENTS" \
    --latency-gaps-us "$LATENCY_GAPS_US" \
    --max-seconds "$MAX_SECONDS"
