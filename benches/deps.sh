#!/usr/bin/env bash
# Benchmark of `obby deps` against cargo-audit, on the shared advisory snapshots.
#
#   make bench-deps            (builds target/release/obby first)
#   benches/deps.sh            (uses $OBBY or target/release/obby)
#
# Measures: import of the three snapshots (RustSec, PyPA, Go vulndb); whole-process audit of a
# ~600-package Cargo.lock (obby cold and cached vs `cargo audit --db SNAPSHOT --no-fetch`);
# auditing 20 lockfiles of a monorepo at once; and the agreement of the (package, version,
# advisory) sets found by obby and cargo-audit on several Cargo.lock files.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OBBY="${OBBY:-$ROOT/target/release/obby}"
SNAPSHOT="${ADVISORIES_TAR:-$ROOT/../shared/advisories.tar.gz}"
[ -f "$SNAPSHOT" ] || SNAPSHOT=/work/shared/advisories.tar.gz
RUNS="${RUNS:-20}"

[ -x "$OBBY" ] || { echo "bench-deps: $OBBY not built (run: cargo build --release)"; exit 1; }
[ -f "$SNAPSHOT" ] || { echo "bench-deps: advisory snapshot not found ($SNAPSHOT)"; exit 1; }
command -v python3 >/dev/null || { echo "bench-deps: python3 is needed to generate the lockfiles"; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export OBBY_DEPS_DB="$WORK/db" NO_COLOR=1 OBBY_NO_PROGRESS=1
tar -xzf "$SNAPSHOT" -C "$WORK"
ADV="$WORK/advisories"

now_ms() { date +%s%3N; }
median_ms() { # median wall time in ms of running "$@" N times; also sets CPU_MS (user+sys)
  local n="$1"; shift
  if command -v hyperfine >/dev/null; then
    local out="$WORK/hf.json"
    hyperfine -N -i --runs "$n" --warmup 1 --export-json "$out" -- "$(printf '%q ' "$@")" >/dev/null 2>&1 || true
    python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
print(f"{r['median']*1000:.1f} {(r['user']+r['system'])*1000:.1f}")
PY
    return
  fi
  local times=()
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f -", a[int((NR+1)/2)]/1000}'
}

echo "== import of the three snapshots"
total=0
for src in rustsec pypa go; do
  t0=$(now_ms)
  "$OBBY" deps db import "$ADV/$src" -q
  t1=$(now_ms)
  echo "  $src: $((t1 - t0)) ms"
  total=$((total + t1 - t0))
done
echo "  total: $total ms (target: < 5000 ms)"
"$OBBY" deps db status

echo
echo "== generating lockfiles"
python3 - "$ADV/rustsec/crates" "$ROOT/Cargo.lock" "$WORK" <<'PY'
import os, re, sys
crates_dir, own_lock, work = sys.argv[1:4]
reg = 'registry+https://github.com/rust-lang/crates.io-index'
# The project's own lockfile's registry packages (real names and versions)...
text = open(own_lock).read()
pkgs = []
for block in text.split('[[package]]')[1:]:
    name = re.search(r'^name = "([^"]+)"', block, re.M).group(1)
    ver = re.search(r'^version = "([^"]+)"', block, re.M).group(1)
    if 'source = "registry+' in block:
        pkgs.append((name, ver))
seen = {(n, v) for n, v in pkgs}
# ...plus crates named in RustSec, at versions taken from their own advisories' boundaries.
for i, crate in enumerate(sorted(os.listdir(crates_dir))):
    if len(pkgs) >= 600:
        break
    bounds = []
    for f in sorted(os.listdir(os.path.join(crates_dir, crate))):
        t = open(os.path.join(crates_dir, crate, f)).read()
        bounds += re.findall(r'(\d+\.\d+\.\d+)', t.split('```')[1] if '```' in t else '')
    choices = ['0.1.0'] + bounds
    ver = choices[i % len(choices)]
    if (crate, ver) not in seen:
        seen.add((crate, ver))
        pkgs.append((crate, ver))
def write(path, pkgs):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as out:
        out.write('version = 3\n\n[[package]]\nname = "bench-app"\nversion = "0.1.0"\ndependencies = [\n')
        for n, v in pkgs:
            out.write(f' "{n} {v}",\n')
        out.write(']\n')
        for n, v in sorted(pkgs):
            out.write(f'\n[[package]]\nname = "{n}"\nversion = "{v}"\nsource = "{reg}"\n')
write(os.path.join(work, 'big', 'Cargo.lock'), pkgs)
print(f'  big/Cargo.lock: {len(pkgs)} packages')
PY
mkdir -p "$WORK/own" "$WORK/fixture"
cp "$ROOT/Cargo.lock" "$WORK/own/Cargo.lock"
cp "$ROOT/tests/fixtures/deps/project/rust/Cargo.lock" "$WORK/fixture/Cargo.lock"
mkdir -p "$WORK/mono"
for i in $(seq 5); do cp -r "$ROOT/tests/fixtures/deps/project" "$WORK/mono/svc$i"; done
echo "  monorepo: $(find "$WORK/mono" -type f | wc -l) lockfiles"

echo
echo "== whole-process audit of big/Cargo.lock (median of $RUNS runs)"
"$OBBY" deps audit "$WORK/big/Cargo.lock" >/dev/null 2>&1 || true   # fills the result cache
CARGO_AUDIT=""
if command -v cargo-audit >/dev/null; then
  CARGO_AUDIT=cargo-audit
elif command -v cargo >/dev/null; then
  echo "  installing cargo-audit (cargo install --locked cargo-audit; takes minutes)"
  if cargo install --locked cargo-audit >/dev/null 2>&1; then CARGO_AUDIT=cargo-audit; fi
fi
# No yanked checks (they need the network); cargo-audit reads .cargo/audit.toml in the cwd.
mkdir -p "$WORK/.cargo"
printf '[yanked]\nenabled = false\n' > "$WORK/.cargo/audit.toml"
CA_ARGS=(--db "$ADV/rustsec" --no-fetch -f "$WORK/big/Cargo.lock")
if command -v hyperfine >/dev/null; then
  # One hyperfine run: obby and cargo-audit side by side, under the same load, each output
  # format against the same format of the peer (JSON against `--json`, obby's table against
  # cargo-audit's text report).
  big="$WORK/big/Cargo.lock"
  cmds=("$OBBY deps audit $big --no-cache --json"
        "$OBBY deps audit $big --json"
        "$OBBY deps audit $big --no-cache"
        "$OBBY deps audit $big")
  if [ -n "$CARGO_AUDIT" ]; then
    cmds+=("cargo audit ${CA_ARGS[*]} --json" "cargo-audit audit ${CA_ARGS[*]} --json"
           "cargo audit ${CA_ARGS[*]}" "cargo-audit audit ${CA_ARGS[*]}")
  fi
  echo "  command: (cd \$WORK && hyperfine -N -i --warmup 2 --runs $RUNS ...)"
  (cd "$WORK" && hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$WORK/audit.json" "${cmds[@]}" >/dev/null 2>&1) || true
  python3 - "$WORK/audit.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))['results']
names = ['obby --json (no result cache)', 'obby --json (result cache)',
         'obby table (no result cache)', 'obby table (result cache)',
         'cargo audit --json', 'cargo-audit audit --json (binary)',
         'cargo audit (text)', 'cargo-audit audit (text, binary)']
for name, r in zip(names, rs):
    print(f"  {name:<38} {r['median']*1000:7.1f} ms wall  {(r['user']+r['system'])*1000:6.1f} ms cpu")
print("  (target: obby < 50 ms)")
if len(rs) == 8:
    # Like with like: JSON against JSON, the human report against the human report.
    for peer, mine in ((4, 0), (4, 1), (5, 0), (5, 1), (6, 2), (6, 3), (7, 2), (7, 3)):
        p, m = rs[peer], rs[mine]
        print(f"  ratio {names[peer]} / {names[mine]}: {p['median']/m['median']:.1f}x wall, "
              f"{(p['user']+p['system'])/(m['user']+m['system']):.1f}x cpu  (target: >= 10x)")
PY
else
  read -r obby_cold obby_cold_cpu < <(median_ms "$RUNS" "$OBBY" deps audit "$WORK/big/Cargo.lock" --no-cache)
  read -r obby_warm obby_warm_cpu < <(median_ms "$RUNS" "$OBBY" deps audit "$WORK/big/Cargo.lock")
  echo "  obby (no result cache): $obby_cold ms wall   (target: < 50 ms)"
  echo "  obby (result cache):    $obby_warm ms wall"
  if [ -n "$CARGO_AUDIT" ]; then
    read -r ca_ms ca_cpu < <(cd "$WORK" && median_ms 5 cargo audit "${CA_ARGS[@]}")
    echo "  cargo audit --db SNAPSHOT --no-fetch: $ca_ms ms wall"
    awk -v a="$ca_ms" -v b="$obby_cold" -v c="$obby_warm" 'BEGIN {
      printf "  ratio: obby is %.1fx faster without the result cache, %.1fx with it (target: >= 10x)\n", a/b, a/c }'
  fi
fi
[ -n "$CARGO_AUDIT" ] || echo "  cargo-audit: skipped (not installed and could not be installed)"
ca() { (cd "$WORK" && cargo audit --db "$ADV/rustsec" --no-fetch --json -f "$1"); }

echo
echo "== monorepo: 20 lockfiles at once (median of $RUNS runs)"
read -r mono mono_cpu < <(median_ms "$RUNS" "$OBBY" deps audit "$WORK/mono" --no-cache)
echo "  obby deps audit (no result cache): $mono ms wall, $mono_cpu ms cpu   (target: < 200 ms)"

if [ -n "$CARGO_AUDIT" ]; then
  echo
  echo "== agreement with cargo-audit: (package, version, advisory) sets, informational included"
  printf '  %-18s %8s %12s %8s %10s %12s\n' lockfile obby cargo-audit both only-obby only-audit
  all_same=1
  for lock in big own fixture; do
    "$OBBY" deps audit "$WORK/$lock/Cargo.lock" --no-cache --json --policy notice=warn >"$WORK/$lock.obby.json" 2>/dev/null || true
    ca "$WORK/$lock/Cargo.lock" >"$WORK/$lock.ca.json" 2>/dev/null || true
    line=$(python3 - "$WORK/$lock.obby.json" "$WORK/$lock.ca.json" "$lock" <<'PY'
import json, sys
obby_file, ca_file, name = sys.argv[1:4]
obby = set()
for line in open(obby_file):
    r = json.loads(line)
    if r['type'] == 'finding':
        d = r['data']
        obby.add((d['package'], d['version'], d['advisory']))
ca = set()
doc = json.load(open(ca_file))
for v in doc['vulnerabilities']['list']:
    ca.add((v['package']['name'], v['package']['version'], v['advisory']['id']))
for kind, items in doc.get('warnings', {}).items():
    if kind == 'yanked':
        continue
    for w in items:
        if w.get('advisory'):
            ca.add((w['package']['name'], w['package']['version'], w['advisory']['id']))
both = obby & ca
print(f"  {name:<18} {len(obby):>8} {len(ca):>12} {len(both):>8} {len(obby - ca):>10} {len(ca - obby):>12}")
for x in sorted(obby - ca)[:5]:
    print(f"    only obby:  {x}")
for x in sorted(ca - obby)[:5]:
    print(f"    only audit: {x}")
PY
)
    echo "$line"
    case "$line" in *"only "*) all_same=0 ;; esac
  done
  if [ "$all_same" = 1 ]; then echo "  agreement: identical sets on every lockfile"; else echo "  agreement: DIFFERENCES listed above"; fi
fi
