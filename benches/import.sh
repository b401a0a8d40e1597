#!/usr/bin/env bash
# Benchmark of `obby import` and `obby export git`.
#
# Generates a database in the original Python obby's format with FILES files x VERSIONS versions
# (default 10,000 x 10 = 100,000 versions of ~1.5 KB markdown notes, each version editing a few
# lines), then measures:
#   - `obby import`: versions/s (target >= 20,000/s) and the store size against the source
#     database's (target: no larger);
#   - `obby export git` against `git fast-import` fed the same history (the stream is made from
#     `obby export jsonl`, outside the timing): ratio reported (target: obby at least as fast).
# Usage: benches/import.sh [FILES] [VERSIONS]   (BIN=path/to/obby to use another binary)
# Knobs (environment):
#   SRC_DB=path   reuse the database at path when it exists, else generate it there (kept);
#   ONLY=import   measure the import only (skip the export part);
#   BASE_BIN=path another obby (e.g. a build from before a change): its import is run too,
#                 alternating with BIN over RUNS runs (default 1), and the ratio is printed.
set -euo pipefail

FILES=${1:-10000}
VERSIONS=${2:-10}
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT_DIR/target/release/obby}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SRC_DB=${SRC_DB:-$WORK/old/.db/obby.db}
ONLY=${ONLY:-}
BASE_BIN=${BASE_BIN:-}
RUNS=${RUNS:-1}
export OBBY_NO_PROGRESS=1

command -v python3 >/dev/null || { echo "bench-import: python3 is needed to generate the database"; exit 1; }
[ -x "$BIN" ] || { echo "bench-import: build first (make build)"; exit 1; }

# timed OUT CMD...: runs CMD, writes "WALL CPU" seconds to OUT (CPU = user + sys of the command).
# Both are reported: on a shared machine the wall time mostly measures the other tenants.
timed() {
  local out=$1; shift
  python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.time()
subprocess.run(cmd, check=True)
wall = time.time() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "w").write(f"{wall:.3f} {r.ru_utime + r.ru_stime:.3f}\n")
PY
}

if [ -s "$SRC_DB" ]; then
echo "== reusing $SRC_DB"
else
echo "== generating an original-format database: $FILES files x $VERSIONS versions"
python3 - "$SRC_DB" "$FILES" "$VERSIONS" "$ROOT_DIR/tests/fixtures/import/schema.sql" <<'PY'
import hashlib, os, random, sqlite3, sys, datetime
db, files, versions, schema = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
os.makedirs(os.path.dirname(db), exist_ok=True)
con = sqlite3.connect(db)
con.executescript(open(schema).read())
rnd = random.Random(42)
words = "note idea plan meeting draft review todo follow up project design test release bug fix".split()
def para():
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 16)))
t0 = datetime.datetime(2024, 1, 1, 8, 0, 0)
root = "/home/alice/notes-project"
fv, cd = [], []
vid = 0
contents = {}
for f in range(files):
    lines = [f"# Note {f}", ""] + [para() for _ in range(20)]
    contents[f] = lines
events = [(v, f) for v in range(versions) for f in range(files)]
for n, (v, f) in enumerate(events):
    lines = contents[f]
    if v > 0:
        for _ in range(3):
            lines[rnd.randrange(2, len(lines))] = para()
        lines.append(para())
    text = "\n".join(lines) + "\n"
    h = hashlib.sha256(text.encode()).hexdigest()
    ts = (t0 + datetime.timedelta(seconds=n * 7)).strftime("%Y-%m-%d %H:%M:%S.%f")
    path = f"{root}/notes/d{f % 100:02d}/note{f}.md"
    vid += 1
    fv.append((vid, path, h, text, len(lines), ts, "change", ts))
    cd.append((path, vid - files if v > 0 else None, vid, "modified" if v else "created", "", 4, 3, ts, ts))
con.executemany("INSERT INTO file_versions(id, file_path, content_hash, content, line_count, timestamp, change_description, created_at) VALUES (?,?,?,?,?,?,?,?)", fv)
con.executemany("INSERT INTO content_diffs(file_path, old_version_id, new_version_id, change_type, diff_content, lines_added, lines_removed, timestamp, created_at) VALUES (?,?,?,?,?,?,?,?,?)", cd)
con.commit()
con.execute("VACUUM")
con.close()
PY
fi
SRC_SIZE=$(stat -c %s "$SRC_DB")
TOTAL=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM file_versions').fetchone()[0])" "$SRC_DB")

# import_once BIN DIR: a fresh store in DIR, the import timed into DIR.t
import_once() {
  rm -rf "$2"; mkdir -p "$2"
  (cd "$2" && "$1" init -q >/dev/null && timed "$2.t" "$1" import "$SRC_DB" --timezone UTC -q)
}
vps() { python3 -c "import sys; w, c = map(float, open(sys.argv[1]).read().split()); print(int($TOTAL / w), int($TOTAL / c))" "$1"; }
if [ -n "$BASE_BIN" ]; then
  echo "== obby import ($TOTAL versions): $BASE_BIN (before) vs $BIN (after), alternating, $RUNS runs"
  for i in $(seq "$RUNS"); do
    import_once "$BASE_BIN" "$WORK/base"; read -r BW BC < <(vps "$WORK/base.t")
    import_once "$BIN" "$WORK/proj"; read -r AW AC < <(vps "$WORK/proj.t")
    echo "run $i: before ${BW} versions/s wall (${BC}/CPU-s), after ${AW} versions/s wall (${AC}/CPU-s): ratio after/before $(python3 -c "print(f'{$AW / $BW:.2f}')") wall, $(python3 -c "print(f'{$AC / $BC:.2f}')") CPU"
  done
fi
echo "== obby import ($TOTAL versions)"
import_once "$BIN" "$WORK/proj"
cp "$WORK/proj.t" "$WORK/t.import"
cd "$WORK/proj"
read -r IMPORT_S IMPORT_CPU < "$WORK/t.import"
sqlite3_size() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); print(c.execute('PRAGMA page_count').fetchone()[0]*c.execute('PRAGMA page_size').fetchone()[0])" "$1"; }
STORE_SIZE=$(sqlite3_size "$WORK/proj/.obby/obby.db")
VPS=$(python3 -c "print(int($TOTAL / $IMPORT_S))")
VPS_CPU=$(python3 -c "print(int($TOTAL / $IMPORT_CPU))")
echo "import: ${IMPORT_S}s wall, ${IMPORT_CPU}s CPU: ${VPS} versions/s wall, ${VPS_CPU} versions per CPU-second (target >= 20000/s)"
echo "store size: $STORE_SIZE bytes vs source database $SRC_SIZE bytes (ratio $(python3 -c "print(f'{$STORE_SIZE / $SRC_SIZE:.3f}')"), target <= 1)"
[ "$ONLY" = import ] && exit 0

echo "== obby export git"
timed "$WORK/t.export" "$BIN" export git "$WORK/git-obby" --no-checkout -q
read -r EXPORT_S EXPORT_CPU < "$WORK/t.export"
echo "obby export git: ${EXPORT_S}s wall, ${EXPORT_CPU}s CPU ($(git -C "$WORK/git-obby" rev-list --count HEAD) commits)"

if command -v git >/dev/null; then
  echo "== git fast-import, fed the same history"
  "$BIN" export jsonl -o "$WORK/history.jsonl"
  python3 - "$WORK/history.jsonl" "$WORK/stream.fi" <<'PY'
import json, sys, base64
src, dst = sys.argv[1], sys.argv[2]
out = open(dst, "wb")
mark = 0
commits = []
cur_key, cur = None, []
batches = {}
for line in open(src, encoding="utf-8"):
    r = json.loads(line)
    if r.get("type") != "version":
        continue
    key = (r["batch"], r["recorded_at"])
    if key != cur_key and cur:
        commits.append(cur); cur = []
    cur_key = key
    cur.append(r)
if cur:
    commits.append(cur)
for i, group in enumerate(commits):
    t = group[-1]["recorded_at"] // 1000
    msg = f"{len(group)} changes\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer obby <obby@localhost> {t} +0000\n".encode())
    out.write(b"data %d\n" % len(msg) + msg)
    for r in group:
        if r["change"] == "deleted" or r.get("content") is None:
            out.write(b"D " + r["path"].encode() + b"\n")
            continue
        if r.get("old_path"):
            out.write(b"D " + r["old_path"].encode() + b"\n")
        data = r["content"].encode() if r["encoding"] == "text" else base64.b64decode(r["content"])
        out.write(b"M 100644 inline " + r["path"].encode() + b"\n")
        out.write(b"data %d\n" % len(data) + data + b"\n")
out.close()
PY
  git init -q "$WORK/git-fi"
  timed "$WORK/t.fi" sh -c "git -C '$WORK/git-fi' fast-import --quiet < '$WORK/stream.fi'"
  read -r FI_S FI_CPU < "$WORK/t.fi"
  echo "git fast-import: ${FI_S}s wall, ${FI_CPU}s CPU ($(git -C "$WORK/git-fi" rev-list --count main) commits)"
  echo "ratio git fast-import / obby export git: wall $(python3 -c "print(f'{$FI_S / $EXPORT_S:.2f}')"), CPU $(python3 -c "print(f'{$FI_CPU / $EXPORT_CPU:.2f}')") (>= 1 means obby is at least as fast)"
  echo "repository size: obby $(du -sk "$WORK/git-obby/.git" | cut -f1) KiB, fast-import $(du -sk "$WORK/git-fi/.git" | cut -f1) KiB"
else
  echo "git fast-import: skipped (git is not installed)"
fi
