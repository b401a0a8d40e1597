#!/usr/bin/env bash
# Benchmark of `obby query` on a generated store of 100,000 versions of 10,000 files:
#  1. whole process, with hyperfine: `obby query recent-diffs --limit 50` side by side with the
#     `sqlite3` shell running the same SQL on the same file, then time-analysis and topic-files
#     (each against its sqlite3 twin);
#  2. in process, with criterion (benches/query.rs): queries per second through the library.
# Prints the ratios. Run by `make bench-query` after a release build.
#
# The sqlite3 shell cannot call obby's SQL functions (content and diffs live zstd/delta-encoded
# in the store), so its twin of each query is the same SQL with those columns replaced by the
# raw values they are computed from: sqlite3 does strictly less work than obby.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/obby}
WORK=${OBBY_BENCH_DIR:-target/bench-query}
FILES=${FILES:-10000}
VERSIONS=${VERSIONS:-100000}
RUNS=${RUNS:-50}

[ -x "$BIN" ] || cargo build --release --locked
have() { command -v "$1" >/dev/null 2>&1; }
install_apt() {
  if have apt-get; then
    (apt-get install -y "$1" || sudo -n apt-get install -y "$1") >/dev/null 2>&1 || true
  fi
}
have hyperfine || install_apt hyperfine
have sqlite3 || install_apt sqlite3

STORE="$WORK/store"
if [ ! -f "$STORE/.obby/obby.db" ] || [ "$(cat "$WORK/shape" 2>/dev/null)" != "$FILES $VERSIONS" ]; then
  rm -rf "$STORE" && mkdir -p "$STORE"
  cargo run --release --locked --quiet --example query_store -- "$STORE" "$FILES" "$VERSIONS"
  echo "$FILES $VERSIONS" >"$WORK/shape"
fi
DB="$STORE/.obby/obby.db"
echo "store: $DB ($(du -h "$DB" | cut -f1), $VERSIONS versions of $FILES files)"

# The sqlite3 twins: the built-in SQL with obby_* columns replaced by their inputs.
RECENT_SQL="SELECT v.id, v.recorded_at AS recorded, f.path, v.change, v.lines_added AS added, v.lines_removed AS removed,
  coalesce((SELECT p.blob_hash FROM versions p WHERE p.file_id = v.file_id AND p.id < v.id ORDER BY p.id DESC LIMIT 1),
           (SELECT p.blob_hash FROM files o JOIN versions p ON p.file_id = o.id WHERE o.path = v.old_path AND p.id < v.id ORDER BY p.id DESC LIMIT 1)) AS old_hash,
  v.blob_hash
FROM versions v JOIN files f ON f.id = v.file_id
ORDER BY v.recorded_at DESC, v.id DESC LIMIT 50;"
TIME_SQL="SELECT strftime('%Y-%m-%d', start / 1000, 'unixepoch') AS bucket, count(*) AS changes, count(DISTINCT file_id) AS files,
  sum(lines_added) AS added, sum(lines_removed) AS removed, sum(change = 'created') AS created, sum(change = 'deleted') AS deleted
FROM (SELECT v.recorded_at / 86400000 * 86400000 AS start, v.file_id, v.lines_added, v.lines_removed, v.change
      FROM versions v WHERE v.recorded_at >= 0 AND v.recorded_at < 9999999999999)
GROUP BY start ORDER BY start;"
# sqlite3 cannot look inside the content; its twin matches the path only.
TOPIC_SQL="SELECT f.path, v.recorded_at AS changed, v.change, s.hash, s.size
FROM file_state s JOIN files f ON f.id = s.file_id JOIN versions v ON v.id = s.last_version_id
WHERE instr(lower(f.path), 'config') > 0
ORDER BY s.last_version_id DESC LIMIT 50;"

median_ms() { # hyperfine json, command index
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]; print('%.2f' % (r['median']*1000))" "$1" "$2"
}

printf '%s\n' "$RECENT_SQL" >"$WORK/recent-diffs.sql"
printf '%s\n' "$TIME_SQL" >"$WORK/time-analysis.sql"
printf '%s\n' "$TOPIC_SQL" >"$WORK/topic-files.sql"

if have hyperfine; then
  declare -a CASES=(
    "recent-diffs|$BIN query --store $STORE recent-diffs --limit 50 --json"
    "time-analysis|$BIN query --store $STORE time-analysis --json"
    "topic-files|$BIN query --store $STORE topic-files keyword=config --json"
  )
  printf '\n%-14s %12s %12s %8s\n' query "obby ms" "sqlite3 ms" ratio
  for case in "${CASES[@]}"; do
    IFS='|' read -r name obby <<<"$case"
    out="$WORK/hyperfine-$name.json"
    args=(--warmup 5 --runs "$RUNS" -N --export-json "$out" --style none "$obby")
    if have sqlite3; then
      # hyperfine -N runs without a shell, so sqlite3 reads the SQL file with `.read`.
      args+=("sqlite3 -json $DB '.read $WORK/$name.sql'")
    fi
    hyperfine "${args[@]}" >/dev/null 2>&1
    o=$(median_ms "$out" 0)
    if have sqlite3; then
      s=$(median_ms "$out" 1)
      printf '%-14s %12s %12s %8s\n' "$name" "$o" "$s" "$(python3 -c "print('%.2f' % ($o/$s))")"
    else
      printf '%-14s %12s %12s %8s\n' "$name" "$o" "-" "-"
    fi
  done
  have sqlite3 || echo "(sqlite3 missing and could not be installed: no side-by-side ratio)"
else
  echo "hyperfine missing and could not be installed: skipping the whole-process comparison"
fi

echo
echo "in-process (criterion, benches/query.rs, store $STORE):"
OBBY_BENCH_STORE="$STORE" cargo bench --locked --quiet --bench query -- --warm-up-time 1 --measurement-time 3 --noplot >"$WORK/criterion.log" 2>&1 || \
  echo "criterion run failed (see $WORK/criterion.log)"
for b in recent-diffs_warm recent-diffs_cold time-analysis topic-files file-versions; do
  est="target/criterion/query/$b/new/estimates.json"
  [ -f "$est" ] || continue
  python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['median']['point_estimate']; print('%-20s %10.1f us/query %10.0f queries/s' % (sys.argv[2], ns/1000, 1e9/ns))" "$est" "$b"
done
