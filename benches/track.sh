#!/usr/bin/env bash
# obby track / obby diff side by side with git, diff and sha256sum, in one run; prints ratios
# (obby time / peer time: <= 1.0 means obby is as fast or faster).
#
#   make bench-track                      # builds release, then runs this
#   FILES=20000 RUNS=3 benches/track.sh   # knobs
#
# Tree: ~20k real source files copied from the local cargo registry (this project's dependency
# sources). Peers: `git add -A && git commit` (first record, 100 modified files), `git status`
# (unchanged tree), `.git` after `git gc` (store size), `git diff --no-index` and `diff -u` (two
# generated 50 MB files differing in 1% of lines), `sha256sum`/`openssl` (hashing). Peak RSS via
# /usr/bin/time -v.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OBBY=${OBBY:-$ROOT/target/release/obby}
FILES=${FILES:-20000}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/obby-bench-track.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export OBBY_NO_PROGRESS=1 NO_COLOR=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
# No background auto-gc racing the timings or the explicit `git gc` below.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0

[ -x "$OBBY" ] || { echo "build first: cargo build --release" >&2; exit 2; }
if ! command -v hyperfine >/dev/null; then
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
if [ ! -x /usr/bin/time ]; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi
HAVE_HYPERFINE=$(command -v hyperfine >/dev/null && echo 1 || echo 0)
[ "$HAVE_HYPERFINE" = 1 ] || echo "note: hyperfine not available; timing with a shell loop (median of $RUNS)"

# median seconds of RUNS runs of CMD, each after PREP (both run with bash -c in DIR)
median() {
    local dir=$1 prep=$2 cmd=$3 runs=${4:-$RUNS}
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        (cd "$dir" && hyperfine -N --style none --runs "$runs" --prepare "bash -c '$prep'" \
            --export-json "$WORK/hf.json" "bash -c '$cmd'" >/dev/null 2>&1)
        python3 -c "import json;print(json.load(open('$WORK/hf.json'))['results'][0]['median'])"
    else
        local times=()
        for _ in $(seq "$runs"); do
            (cd "$dir" && bash -c "$prep") >/dev/null 2>&1
            local t0 t1
            t0=$(date +%s.%N)
            (cd "$dir" && bash -c "$cmd") >/dev/null 2>&1
            t1=$(date +%s.%N)
            times+=("$(echo "$t1 - $t0" | bc -l)")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
    fi
}

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
fmt() { python3 -c "print(f'{$1*1000:.0f} ms')"; }
peak_rss_mb() { # peak RSS in MB of a command run in dir
    local dir=$1; shift
    (cd "$dir" && /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt") || true
    awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$WORK/time.txt"
}

echo "== building the tree: $FILES files from ~/.cargo/registry/src"
SRC=$(ls -d "$HOME"/.cargo/registry/src/*/ | head -1)
(cd "$SRC" && find . -type f -not -path '*/.git/*' | LC_ALL=C sort | head -n "$FILES") >"$WORK/list"
mkdir -p "$WORK/base"
tar -C "$SRC" -cf - -T "$WORK/list" | tar -C "$WORK/base" -xf -
# The registry ships .gitignore files: drop them so obby and git see the same files.
find "$WORK/base" -name .gitignore -delete
BYTES=$(du -sb "$WORK/base" | cut -f1)
echo "   $(wc -l <"$WORK/list") files, $((BYTES / 1000000)) MB"
cp -a "$WORK/base" "$WORK/git"
cp -a "$WORK/base" "$WORK/obby"
# 100 files to modify in the "100 modified files" rounds
(cd "$WORK/base" && find . -type f -name '*.rs' | LC_ALL=C sort | awk 'NR % 50 == 1' | head -100) >"$WORK/mod100"
MODIFY='while read -r f; do echo "// edit $RANDOM" >>"$f"; done <'"$WORK/mod100"
sleep 2 # out of the racy window

echo "== first record of the tree (median of $RUNS)"
T_GIT_FIRST=$(median "$WORK/git" 'rm -rf .git && git init -q' 'git add -A && git commit -qm first')
T_OBBY_FIRST=$(median "$WORK/obby" "rm -rf .obby && $OBBY init -q" "$OBBY track -q")
echo "   git add -A && git commit: $(fmt "$T_GIT_FIRST")   obby track: $(fmt "$T_OBBY_FIRST")   ratio $(ratio "$T_OBBY_FIRST" "$T_GIT_FIRST")"

echo "== unchanged tree (median of 10)"
T_GIT_STATUS=$(median "$WORK/git" 'true' 'git status --porcelain' 10)
T_OBBY_NOOP=$(median "$WORK/obby" 'true' "$OBBY track -q" 10)
echo "   git status: $(fmt "$T_GIT_STATUS")   obby track: $(fmt "$T_OBBY_NOOP")   ratio $(ratio "$T_OBBY_NOOP" "$T_GIT_STATUS")"

echo "== 100 modified files (median of $RUNS)"
T_GIT_MOD=$(median "$WORK/git" "$MODIFY" 'git add -A && git commit -qm edit')
T_OBBY_MOD=$(median "$WORK/obby" "$MODIFY" "$OBBY track -q")
echo "   git add -A && git commit: $(fmt "$T_GIT_MOD")   obby track: $(fmt "$T_OBBY_MOD")   ratio $(ratio "$T_OBBY_MOD" "$T_GIT_MOD")"

echo "== store size for the same history (first record + 3 rounds of 100 modified files)"
rm -rf "$WORK/git/.git" "$WORK/obby/.obby"
cp -a "$WORK/base/." "$WORK/git/"
cp -a "$WORK/base/." "$WORK/obby/"
(cd "$WORK/git" && git init -q && git add -A && git commit -qm first)
(cd "$WORK/obby" && "$OBBY" init -q && "$OBBY" track -q)
for _ in 1 2 3; do
    (cd "$WORK/git" && bash -c "$MODIFY" && git add -A && git commit -qm edit)
    (cd "$WORK/obby" && bash -c "$MODIFY" && "$OBBY" track -q)
done
(cd "$WORK/git" && git gc -q)
S_GIT=$(du -sb "$WORK/git/.git" | cut -f1)
S_OBBY=$(du -sb "$WORK/obby/.obby" | cut -f1)
echo "   .git after gc: $((S_GIT / 1000)) kB   .obby: $((S_OBBY / 1000)) kB   ratio $(ratio "$S_OBBY" "$S_GIT")"

echo "== peak memory of the first obby track"
rm -rf "$WORK/obby/.obby" && (cd "$WORK/obby" && "$OBBY" init -q)
RSS=$(peak_rss_mb "$WORK/obby" "$OBBY" track -q)
echo "   peak RSS: ${RSS} MB (target < 50 MB)"

echo "== hashing throughput (obby track --dry-run on an empty store: scan + read + hash, no writes)"
rm -rf "$WORK/obby/.obby" && (cd "$WORK/obby" && "$OBBY" init -q)
T_HASH_TREE=$(median "$WORK/obby" 'true' "$OBBY track -q --dry-run")
T_HASH_TREE1=$(median "$WORK/obby" 'true' "$OBBY track -q --dry-run -j 1")
T_SHA_TREE=$(median "$WORK/obby" 'true' "find . -type f -not -path ./.obby/\\* -print0 | xargs -0 -P2 -n500 sha256sum")
# OpenSSL's SHA-256 (SHA-NI) on the same files, two processes of up to 5,000 files each (so
# process starts weigh little): what the CPU gives today.
T_SSL_TREE=$(median "$WORK/obby" 'true' "find . -type f -not -path ./.obby/\\* -print0 | xargs -0 -P2 -n5000 openssl dgst -sha256")
gbs() { python3 -c "print(f'{$1/$2/1e9:.2f} GB/s')"; }
echo "   tree, 2 threads: obby $(gbs "$BYTES" "$T_HASH_TREE")   1 thread: obby $(gbs "$BYTES" "$T_HASH_TREE1")   openssl -P2: $(gbs "$BYTES" "$T_SSL_TREE")   sha256sum -P2: $(gbs "$BYTES" "$T_SHA_TREE")"
mkdir -p "$WORK/big"
python3 - "$WORK/big/one.txt" <<'PY'
import sys
line = b"".join(b"%07d the quick brown fox jumps over the lazy dog, again and again\n" % i for i in range(16384))
with open(sys.argv[1], "wb") as f:
    for _ in range(1024 * 1024 * 1024 // len(line)):
        f.write(line)
PY
BIG=$(stat -c %s "$WORK/big/one.txt")
(cd "$WORK/big" && "$OBBY" init -q)
T_HASH_BIG=$(median "$WORK/big" 'true' "$OBBY track -q --dry-run")
T_SSL_BIG=$(median "$WORK/big" 'true' 'openssl dgst -sha256 one.txt')
T_SUM_BIG=$(median "$WORK/big" 'true' 'sha256sum one.txt')
echo "   one $((BIG / 1000000)) MB file: obby $(gbs "$BIG" "$T_HASH_BIG")   openssl $(gbs "$BIG" "$T_SSL_BIG")   sha256sum $(gbs "$BIG" "$T_SUM_BIG")"
rm -f "$WORK/big/one.txt"
truncate -s 2G "$WORK/big/sparse.bin"
RSS_BIG=$(peak_rss_mb "$WORK/big" "$OBBY" track -q)
echo "   2 GB sparse file: peak RSS ${RSS_BIG} MB"
rm -f "$WORK/big/sparse.bin"

echo "== diff of two 50 MB text files differing in 1% of lines"
python3 - "$WORK/a.txt" "$WORK/b.txt" <<'PY'
import random, sys
random.seed(7)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
lines = [" ".join(random.choice(words) for _ in range(8)) + f" {i}\n" for i in range(50_000_000 // 51)]
with open(sys.argv[1], "w") as f:
    f.writelines(lines)
for i in random.sample(range(len(lines)), len(lines) // 100):
    lines[i] = "changed " + lines[i]
with open(sys.argv[2], "w") as f:
    f.writelines(lines)
PY
DBYTES=$(( $(stat -c %s "$WORK/a.txt") + $(stat -c %s "$WORK/b.txt") ))
T_OBBY_DIFF=$(median "$WORK" 'true' "$OBBY diff a.txt b.txt >/dev/null; true")
T_GIT_DIFF=$(median "$WORK" 'true' 'git diff --no-index a.txt b.txt >/dev/null; true')
T_DIFF_U=$(median "$WORK" 'true' 'diff -u a.txt b.txt >/dev/null; true')
mbs() { python3 -c "print(f'{$DBYTES/$1/1e6:.0f} MB/s')"; }
echo "   obby diff: $(fmt "$T_OBBY_DIFF") ($(mbs "$T_OBBY_DIFF"))   git diff --no-index: $(fmt "$T_GIT_DIFF") ($(mbs "$T_GIT_DIFF"))   diff -u: $(fmt "$T_DIFF_U") ($(mbs "$T_DIFF_U"))"
echo "   ratio vs git: $(ratio "$T_OBBY_DIFF" "$T_GIT_DIFF")   vs diff -u: $(ratio "$T_OBBY_DIFF" "$T_DIFF_U")"
RSS_DIFF=$(peak_rss_mb "$WORK" "$OBBY" diff a.txt b.txt)
echo "   obby diff peak RSS: ${RSS_DIFF} MB"

echo
echo "summary (obby / peer; <= 1.00 is the goal)"
echo "  first track vs git add+commit : $(ratio "$T_OBBY_FIRST" "$T_GIT_FIRST")"
echo "  unchanged vs git status       : $(ratio "$T_OBBY_NOOP" "$T_GIT_STATUS")"
echo "  100 modified vs git add+commit: $(ratio "$T_OBBY_MOD" "$T_GIT_MOD")"
echo "  store size vs .git after gc   : $(ratio "$S_OBBY" "$S_GIT")"
echo "  diff vs git diff --no-index   : $(ratio "$T_OBBY_DIFF" "$T_GIT_DIFF")"
echo "  diff vs diff -u               : $(ratio "$T_OBBY_DIFF" "$T_DIFF_U")"
echo "  peak RSS of track (MB)        : $RSS"
echo "  hashing, tree, 2 threads      : $(gbs "$BYTES" "$T_HASH_TREE") (target >= 2.3 GB/s; openssl -P2 $(gbs "$BYTES" "$T_SSL_TREE"), ratio $(ratio "$T_HASH_TREE" "$T_SSL_TREE"))"
echo "  hashing, one large file       : $(gbs "$BIG" "$T_HASH_BIG") (target >= 1.7 GB/s; openssl $(gbs "$BIG" "$T_SSL_BIG"), ratio $(ratio "$T_HASH_BIG" "$T_SSL_BIG"))"
