#!/usr/bin/env bash
# Benchmark of `obby search` side by side with ripgrep, on a real corpus: the sources of this
# project's dependencies in the local cargo registry (~26-32k files), copied once into
# $OBBY_BENCH_DIR (default /tmp/obby-bench-search).
#
# Measures: index build (MB/s of source), whole-process search median vs `rg -l` (hyperfine,
# warm cache), that the top hit really contains the word, an incremental update after 100
# changed files, the index size against the source size, and peak memory (max RSS).
#
#   make bench-search            # after a release build
#   WORDS="tokenizer Levenshtein" benches/search.sh
#   BASELINE=/tmp/obby-before benches/search.sh   # also: index builds of that binary and this
#                                                 # one, alternated ($ROUNDS each), side by side
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OBBY=${OBBY:-$ROOT/target/release/obby}
DIR=${OBBY_BENCH_DIR:-/tmp/obby-bench-search}
CORPUS=$DIR/corpus
WORDS=${WORDS:-"deserialize_any Levenshtein crossbeam"}
export OBBY_NO_PROGRESS=1 NO_COLOR=1

[ -x "$OBBY" ] || { echo "bench-search: $OBBY missing (run: cargo build --release)"; exit 2; }

need() { # command, debian package
    command -v "$1" >/dev/null 2>&1 && return 0
    if command -v apt-get >/dev/null 2>&1; then
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } || true
    fi
    command -v "$1" >/dev/null 2>&1
}
HAVE_RG=1; need rg ripgrep || { HAVE_RG=0; echo "skip ripgrep: cannot install it"; }
HAVE_HF=1; need hyperfine hyperfine || { HAVE_HF=0; echo "skip hyperfine: cannot install it (falling back to a shell loop)"; }

if [ ! -d "$CORPUS" ]; then
    echo "copying the cargo registry sources into $CORPUS ..."
    mkdir -p "$CORPUS"
    for d in "$HOME"/.cargo/registry/src/*/; do cp -r "$d". "$CORPUS"/; done
fi
cd "$CORPUS"
# A plain directory: no .gitignore above it decides the scope, no git history to walk.
FILES=$(find . -type f -not -path './.obby/*' | wc -l)
BYTES=$(find . -type f -not -path './.obby/*' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $FILES files, $((BYTES / 1000000)) MB in $CORPUS"
rm -rf .obby
"$OBBY" init >/dev/null

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
now() { date +%s.%N; }

# 1. Initial build.
t0=$(now)
"$OBBY" --json search --rebuild > "$DIR/build.json"
t1=$(now)
BUILD=$(echo "$t1 - $t0" | bc -l)
read -r NIDX SRC < <(python3 -c "import json; d=[json.loads(l) for l in open('$DIR/build.json')][-1]['data']['index']; print(d['indexed'], d['bytes'])")
IDX=$(du -sb .obby/index | cut -f1)
printf 'build: %d files, %d MB of text indexed in %.2f s = %.1f MB/s\n' "$NIDX" $((SRC / 1000000)) "$BUILD" "$(echo "$SRC / 1000000 / $BUILD" | bc -l)"
# The same build again, ROUNDS times (warm cache): its median is the figure against the target.
for _ in $(seq "${ROUNDS:-3}"); do
    t0=$(now); "$OBBY" search --rebuild -q >/dev/null; t1=$(now)
    echo "$t1 - $t0" | bc -l
done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], NR}' > "$DIR/rebuilds.txt"
read -r MED NREB < "$DIR/rebuilds.txt"
printf 'build, median of %d rebuilds: %.2f s = %.1f MB/s (target >= 50 MB/s)\n' "$NREB" "$MED" "$(echo "$SRC / 1000000 / $MED" | bc -l)"
printf 'index size: %d MB = %.1f%% of the indexed source bytes (%.1f%% of all corpus bytes)\n' $((IDX / 1000000)) "$(echo "100 * $IDX / $SRC" | bc -l)" "$(echo "100 * $IDX / $BYTES" | bc -l)"
if [ -x /usr/bin/time ]; then
    echo "peak memory (max RSS): rebuild $(( $(rss "$OBBY" search --rebuild -q) / 1024 )) MB, search $(( $(rss "$OBBY" search deserialize_any) / 1024 )) MB"
fi

# 1b. Side by side with another binary: alternated full builds, median wall and CPU time.
if [ -n "${BASELINE:-}" ]; then
    : > "$DIR/side.txt"
    for _ in $(seq "${ROUNDS:-3}"); do
        for b in "$BASELINE" "$OBBY"; do
            /usr/bin/time -f "$b %e %U %S" "$b" search --rebuild -q 2>>"$DIR/side.txt" >/dev/null
        done
    done
    python3 - "$DIR/side.txt" "$SRC" "$BASELINE" "$OBBY" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
src = int(sys.argv[2]) / 1e6
res = {}
for name in sys.argv[3:5]:
    r = [x for x in rows if x[0] == name]
    wall = statistics.median(float(x[1]) for x in r)
    cpu = statistics.median(float(x[2]) + float(x[3]) for x in r)
    res[name] = wall
    print(f"build {name}: median {wall:.2f} s wall = {src / wall:.1f} MB/s, {cpu:.2f} s CPU = {2 * src / cpu:.1f} MB/s on 2 busy cores ({len(r)} runs)")
a, b = (res[n] for n in sys.argv[3:5])
print(f"build speed-up: {a / b:.2f}x")
PY
fi

# 2. Search vs rg -l, warm cache.
for w in $WORDS; do
    top=$("$OBBY" search -n 1 --files "$w" || true)
    if [ -n "$top" ] && grep -qi -- "$w" "$top"; then check="top hit $top contains it"; else check="TOP HIT DOES NOT CONTAIN IT ($top)"; fi
    if [ "$HAVE_HF" = 1 ]; then
        cmds=("$OBBY search $w")
        [ "$HAVE_RG" = 1 ] && cmds+=("rg -l $w")
        hyperfine -N --warmup 3 --runs 15 --ignore-failure --export-json "$DIR/hf-$w.json" "${cmds[@]}" >/dev/null
        read -r o r < <(python3 -c "import json,sys; d=json.load(open('$DIR/hf-$w.json'))['results']; m=[x['median']*1000 for x in d]; print(m[0], m[1] if len(m)>1 else 0)")
        if [ "$HAVE_RG" = 1 ]; then
            printf 'search %-18s obby %7.1f ms   rg -l %8.1f ms   rg/obby = %5.1fx   (%s)\n' "$w" "$o" "$r" "$(echo "$r / $o" | bc -l)" "$check"
        else
            printf 'search %-18s obby %7.1f ms   (%s)\n' "$w" "$o" "$check"
        fi
    fi
done

# 3. Incremental update after 100 changed files (the tree walk that finds them included).
find . -type f -name '*.rs' -not -path './.obby/*' > "$DIR/files.txt"
head -100 "$DIR/files.txt" > "$DIR/changed.txt"
t0=$(now)
"$OBBY" search --update -q obby_bench_nothing >/dev/null || true
t1=$(now)
printf 'update walk with nothing changed: %.0f ms\n' "$(echo "($t1 - $t0) * 1000" | bc -l)"
while read -r f; do echo "// obby_bench_edit" >> "$f"; done < "$DIR/changed.txt"
t0=$(now)
"$OBBY" --json search --update obby_bench_edit > "$DIR/update.json" || true
t1=$(now)
N=$(python3 -c "import json; print([json.loads(l) for l in open('$DIR/update.json')][-1]['data']['index']['indexed'])")
HITS=$(python3 -c "import json; print([json.loads(l) for l in open('$DIR/update.json')][-1]['data']['matched'])")
printf 'incremental update after 100 changed files: %.0f ms (%s files re-read, %s now match)\n' "$(echo "($t1 - $t0) * 1000" | bc -l)" "$N" "$HITS"
while read -r f; do sed -i '$ d' "$f"; done < "$DIR/changed.txt"
"$OBBY" search --update -q obby_bench_nothing >/dev/null || true
