#!/usr/bin/env bash
# Benchmark of `obby db-diag` (run by `make bench-dbdiag` after a release build).
#
# Generates SQLite fixtures of ~100 MB and ~1 GB in a temp dir and measures, whole process:
#   - quick profile on 100 MB and 1 GB (target: < 150 ms on 1 GB, growth < 1.5x);
#   - standard profile on 1 GB (target: < 1 s) side by side with sqlite3_analyzer (Debian's
#     sqlite3-tools; target: at most 0.6x its time);
#   - index advice per query in quick mode (target: < 20 ms per query);
#   - all PostgreSQL catalog checks on a 500k-row database (target: < 50 ms), on a throw-away
#     cluster from scripts/pg-test.sh.
# Peers and tools are installed when absent (apt-get) or skipped with a printed reason.
# BENCH_SMALL_MB / BENCH_LARGE_MB change the fixture sizes; BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${OBBY_BIN:-target/release/obby}"
SMALL_MB="${BENCH_SMALL_MB:-100}"
LARGE_MB="${BENCH_LARGE_MB:-1000}"
RUNS="${BENCH_RUNS:-7}"
[ -x "$BIN" ] || { echo "bench-dbdiag: $BIN missing; run \`make build\`" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/obby-bench-dbdiag.XXXXXX")"
chmod 755 "$tmp" # the PostgreSQL cluster runs as the `postgres` user when we are root
cleanup() {
  [ -n "${PG_DIR:-}" ] && scripts/pg-test.sh stop "$PG_DIR" || true
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT

apt_install() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}

command -v sqlite3 >/dev/null 2>&1 || apt_install sqlite3 || true
command -v sqlite3_analyzer >/dev/null 2>&1 || apt_install sqlite3-tools || true

# "WALL CPU": median wall time and mean user+system CPU time of a command, in milliseconds.
# On a shared, loaded machine the CPU time is the steadier figure; both are printed.
time_ms() {
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1 ||
      hyperfine --warmup 1 --runs "$RUNS" --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1
    python3 -c "import json;r=json.load(open('$tmp/h.json'))['results'][0];print(round(r['median']*1000,1), round((r['user']+r['system'])*1000,1))"
  else
    local w=() c=()
    for _ in $(seq "$RUNS"); do
      local s e t0 t1
      s=$(date +%s%N); t0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
      eval "$*" >/dev/null 2>&1 || true
      e=$(date +%s%N); t1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
      w+=($(( (e - s) / 1000 ))); c+=($(( (t1 - t0) * 10000 )))
    done
    local wm cm
    wm=$(printf '%s\n' "${w[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}')
    cm=$(printf '%s\n' "${c[@]}" | awk '{s+=$1} END {printf "%.1f", s/NR/1000}')
    echo "$wm $cm"
  fi
}

# "LABEL" "WALL CPU" [NOTE]
row() {
  local wall cpu
  read -r wall cpu <<<"$2"
  printf '%-46s %10s ms wall %10s ms cpu   %s\n' "$1" "$wall" "$cpu" "${3:-}"
}

# Ratio of two "WALL CPU" pairs: "wall-ratio cpu-ratio".
ratios() {
  python3 -c "a='$1'.split();b='$2'.split();print(f'{float(a[0])/float(b[0]):.2f}x wall, {float(a[1])/float(b[1]):.2f}x cpu')"
}

# A database of about $2 MB: tasks with a text payload, two indexes, statistics.
make_db() {
  local path="$1" mb="$2" rows
  rows=$(( mb * 1024 * 1024 / 1450 ))
  python3 - "$path" "$rows" <<'PY'
import sqlite3, sys
path, rows = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(path)
c.executescript("""
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;
CREATE TABLE projects(id INTEGER PRIMARY KEY, owner_id INTEGER, name TEXT);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id),
                   status TEXT, priority INTEGER, created_at INTEGER, body TEXT);
""")
c.executescript("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1000) "
                "INSERT INTO projects SELECT i, i % 97, 'p' || i FROM n;")
c.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < {rows})
INSERT INTO tasks SELECT i, 1 + i % 1000, CASE i % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'done'
  WHEN 2 THEN 'blocked' ELSE 'review' END, i % 5, 1700000000 + i, hex(randomblob(500)) FROM n""")
c.executescript("""
CREATE INDEX tasks_project ON tasks(project_id);
CREATE INDEX tasks_created ON tasks(created_at);
PRAGMA analysis_limit = 1000; ANALYZE;
""")
c.commit()
c.close()
PY
}

echo "bench-dbdiag: generating fixtures in $tmp (${SMALL_MB} MB, ${LARGE_MB} MB)"
make_db "$tmp/small.db" "$SMALL_MB"
make_db "$tmp/large.db" "$LARGE_MB"
small_size=$(du -m "$tmp/small.db" | cut -f1)
large_size=$(du -m "$tmp/large.db" | cut -f1)
echo "bench-dbdiag: small.db ${small_size} MB, large.db ${large_size} MB; median of $RUNS runs"
echo

q_small=$(time_ms "$BIN" db-diag "$tmp/small.db" --fail-on never)
q_large=$(time_ms "$BIN" db-diag "$tmp/large.db" --fail-on never)
row "quick, ${small_size} MB" "$q_small"
row "quick, ${large_size} MB" "$q_large" "(target < 150 ms)"
echo "quick growth ${small_size} MB -> ${large_size} MB: $(ratios "$q_large" "$q_small")   (target < 1.5x)"

s_large=$(time_ms "$BIN" db-diag "$tmp/large.db" --profile standard --fail-on never)
row "standard, ${large_size} MB" "$s_large" "(target < 1000 ms)"
if command -v sqlite3_analyzer >/dev/null 2>&1; then
  a_large=$(time_ms sqlite3_analyzer "$tmp/large.db")
  row "sqlite3_analyzer, ${large_size} MB" "$a_large"
  echo "standard / sqlite3_analyzer: $(ratios "$s_large" "$a_large")   (target <= 0.6x)"
else
  echo "sqlite3_analyzer: skipped (not installed and sqlite3-tools could not be installed)"
fi

# Index advice: 20 queries, half needing an index, half served.
{
  for i in $(seq 1 5); do
    echo "SELECT id FROM tasks WHERE status = ? AND priority = $i ORDER BY created_at;"
    echo "SELECT id FROM tasks WHERE project_id = $i;"
    echo "SELECT * FROM projects WHERE owner_id = $i;"
    echo "SELECT id FROM tasks WHERE created_at > $i ORDER BY created_at LIMIT 10;"
  done
} >"$tmp/workload.sql"
"$BIN" db-diag "$tmp/large.db" --check missing_index --queries "$tmp/workload.sql" --json --fail-on never \
  >"$tmp/advice.json"
per_query=$(python3 - "$tmp/advice.json" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
check = [r["data"] for r in recs if r["type"] == "check"][0]
n = len(check["table"]["rows"])
print(f"{check['duration_ms'] / n:.2f}")
PY
)
advice_proc=$(time_ms "$BIN" db-diag "$tmp/large.db" --check missing_index --queries "$tmp/workload.sql" --fail-on never)
printf '%-46s %10s ms (in-process, from the check duration)   (target < 20 ms)\n' "index advice per query" "$per_query"
row "index advice, 20 queries, whole process" "$advice_proc"

# PostgreSQL: every catalog check on a 500k-row database.
echo
if PG_DSN=$(PG_DIR="$tmp/pg"; scripts/pg-test.sh start "$tmp/pg" 2>"$tmp/pg.err"); then
  PG_DIR="$tmp/pg"
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)
  psql=("${bin:-/usr/bin}/psql" -X -q -v ON_ERROR_STOP=1 "$PG_DSN")
  "${psql[@]}" -c "INSERT INTO tasks SELECT i, 1 + i % 400, 't' || i, 'open', i % 5, i FROM generate_series(3001, 500000) i" \
    -c "VACUUM ANALYZE" >/dev/null
  pg_proc=$(time_ms "$BIN" db-diag "$PG_DSN" --fail-on never)
  for i in $(seq "$RUNS"); do
    "$BIN" db-diag "$PG_DSN" --json --fail-on never >"$tmp/pg.$i.json"
  done
  pg_checks=$(python3 - "$tmp"/pg.*.json <<'PY'
import json, statistics, sys
sums = []
for path in sys.argv[1:]:
    recs = [json.loads(l) for l in open(path)]
    sums.append(sum(r["data"]["duration_ms"] for r in recs if r["type"] == "check"))
print(f"{statistics.median(sums):.1f}")
PY
)
  printf '%-46s %10s ms (in-process, sum of check durations, median)   (target < 50 ms)\n' "PostgreSQL, all checks, 500k rows" "$pg_checks"
  row "PostgreSQL, all checks, whole process" "$pg_proc"
else
  echo "PostgreSQL: skipped ($(tail -1 "$tmp/pg.err" 2>/dev/null || echo 'no server'))"
fi
