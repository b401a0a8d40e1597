#!/usr/bin/env bash
# Benchmark of `obby watch` side by side with its peers, in one run (make bench-watch):
#
#   1. burst: 100,000 file creations over 100 directories; paths/s and paths missing, for obby
#      (--debounce 50ms, and obby-d0: --debounce 0),
#      inotifywait -m -r, fswatch, watchman (a subscription) and watchexec where installed;
#   2. single-change latency p50/p99: obby --debounce 0 vs inotifywait; obby with the default
#      debounce (500 ms);
#   3. ready time and peak RSS watching a tree of 6,000 directories / 30,000 files;
#   4. idle CPU: inotify over 5 s, and polling 30,000 files at a 1 s interval over 10 s
#      (obby --poll=1s vs fswatch -m poll_monitor -l 1), and the floor of any stat poller on
#      that tree: benches/poll_floor.c making only the open/fstatat/close calls of one pass.
#
# Runs on a tmpfs (/dev/shm) when there is one. Peers are installed from Debian's packages when
# absent (apt-get), and skipped with a printed reason when they cannot be had. Every step has a
# time limit; the whole run takes a few minutes at most. Env: BURST_FILES (100000), LAT_N (200).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OBBY_BIN:-$PWD/target/release/obby}
[ -x "$BIN" ] || { echo "bench-watch: build first (make build): $BIN missing" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-watch: python3 is needed for the timing harness" >&2; exit 2; }

install_peer() { # command package
    command -v "$1" >/dev/null && return 0
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "installing $2 (apt-get)..." >&2
        DEBIAN_FRONTEND=noninteractive timeout 300 apt-get -o DPkg::Lock::Timeout=120 install -y -qq "$2" >/dev/null 2>&1 || true
    fi
    command -v "$1" >/dev/null
}
install_peer inotifywait inotify-tools || echo "skip inotifywait: inotify-tools could not be installed"
install_peer fswatch fswatch || echo "skip fswatch: could not be installed"
install_peer watchman watchman || echo "skip watchman: could not be installed"
command -v watchexec >/dev/null || echo "skip watchexec: not installed (cargo install watchexec-cli takes too long for a bench run)"

if [ -d /dev/shm ] && [ -w /dev/shm ]; then BASE=$(mktemp -d /dev/shm/obby-bench-watch.XXXXXX)
else BASE=$(mktemp -d); echo "note: no writable /dev/shm; using $BASE (not a tmpfs)"; fi
trap 'rm -rf "$BASE"; command -v watchman >/dev/null && watchman shutdown-server >/dev/null 2>&1 || true' EXIT

echo "obby watch benchmark  ($(nproc) cores, kernel $(uname -r), dir $BASE)"
BENCHES="$(cd "$(dirname "$0")" && pwd)" OBBY="$BIN" BASE="$BASE" BURST_FILES="${BURST_FILES:-100000}" LAT_N="${LAT_N:-200}" \
    timeout 900 python3 - <<'PY'
import os, re, subprocess, sys, time, threading, statistics, shutil, signal, json

OBBY = os.environ["OBBY"]; BASE = os.environ["BASE"]
N = int(os.environ["BURST_FILES"]); LAT_N = int(os.environ["LAT_N"])
DIRS = 100
have = lambda c: shutil.which(c) is not None

def fresh(name):
    d = os.path.join(BASE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d

class Reader:
    """Reads a child's stream on a thread; records lines with arrival times."""
    def __init__(self, stream, keep=False):
        self.lines = []; self.count = 0; self.last = time.perf_counter(); self.keep = keep
        self.seen = set(); self.cv = threading.Condition()
        self.t = threading.Thread(target=self.run, args=(stream,), daemon=True); self.t.start()
    def run(self, stream):
        for raw in iter(stream.readline, b""):
            now = time.perf_counter()
            with self.cv:
                self.count += 1; self.last = now
                if self.keep: self.lines.append((now, raw))
                self.seen.add(raw)
                self.cv.notify_all()
    def wait_for(self, pred, timeout):
        end = time.perf_counter() + timeout
        with self.cv:
            while not pred(self):
                left = end - time.perf_counter()
                if left <= 0: return False
                self.cv.wait(left)
        return True

def ready_on(proc, pattern, timeout=60):
    """Waits until a line matching pattern appears on proc.stderr; returns seconds waited."""
    t0 = time.perf_counter(); buf = b""
    fd = proc.stderr.fileno()
    while time.perf_counter() - t0 < timeout:
        chunk = os.read(fd, 4096)
        if not chunk: break
        buf += chunk
        if re.search(pattern, buf): return time.perf_counter() - t0
    raise RuntimeError("no ready signal: %r" % buf[-300:])

def drain_stderr(proc):
    threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()

def stop(proc):
    try: proc.send_signal(signal.SIGINT); proc.wait(5)
    except Exception:
        proc.kill(); proc.wait()

def peers(root, for_burst=True):
    """(name, argv, ready regex on stderr or None for a fixed wait, path extractor)"""
    one = lambda l: [l.strip()]
    out = [("obby", [OBBY, "watch", "--debounce", "50ms", "--format", "{abs_path}", root], rb"ready:", one),
           ("obby-d0", [OBBY, "watch", "--debounce", "0", "--format", "{abs_path}", root], rb"ready:", one)]
    if have("inotifywait"):
        out.append(("inotifywait", ["inotifywait", "-m", "-r", "-q", "-e", "create,modify,close_write,moved_to,delete", "--format", "%w%f", root],
                    None, one))
    if have("fswatch"):
        out.append(("fswatch", ["fswatch", "-r", root], None, one))
    if have("watchman"):
        sub = json.dumps(["subscribe", root, "bench", {"fields": ["name"], "expression": ["type", "f"]}])
        out.append(("watchman", ["sh", "-c", "watchman watch \"$1\" >/dev/null && printf '%s\\n' \"$2\" | watchman -j -p --no-pretty", "sh", root, sub],
                    None, lambda l: [os.path.join(root, n).encode() for n in json.loads(l).get("files", [])] if l.startswith(b"{") else []))
    if have("watchexec"):
        out.append(("watchexec", ["watchexec", "-w", root, "--emit-events-to=stdio", "--only-emit-events"], None,
                    lambda l: [l.split(b":", 1)[-1].strip()]))
    return out

def burst():
    print("\n== burst: %d file creations over %d directories ==" % (N, DIRS))
    results = {}
    for name in [p[0] for p in peers(BASE)]:
        root = fresh("burst-" + name)
        for d in range(DIRS): os.mkdir(os.path.join(root, "d%03d" % d))
        (_, argv, ready_re, extract) = [p for p in peers(root) if p[0] == name][0]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            if ready_re is not None: ready_on(proc, ready_re); drain_stderr(proc)
            else:
                drain_stderr(proc); time.sleep(2.0)  # no ready signal: give it time to set up
            rd = Reader(proc.stdout)
            per = N // DIRS
            t0 = time.perf_counter()
            for i in range(N):
                with open(os.path.join(root, "d%03d" % (i % DIRS), "f%06d" % i), "wb") as f: f.write(b"x")
            t_write = time.perf_counter() - t0
            # Done when nothing new arrived for 2 s (60 s at most).
            files = {os.path.join(root, "d%03d" % (i % DIRS), "f%06d" % i).encode() for i in range(N)}
            deadline = time.perf_counter() + 60
            while time.perf_counter() < deadline:
                with rd.cv:
                    idle = time.perf_counter() - max(rd.last, t0 + t_write)
                if idle > 2.0: break
                time.sleep(0.2)
            seen = {p for l in rd.seen for p in extract(l)}
            missing = len(files - seen)
            span = rd.last - t0
            rate = (N - missing) / span if span > 0 else 0
            results[name] = (rate, missing)
            print("%-12s %8.0f paths/s  missing %6d (%.1f%%)   writer %.2fs, last event after %.2fs"
                  % (name, rate, missing, 100.0 * missing / N, t_write, span))
        except Exception as e:
            print("%-12s failed: %s" % (name, e))
        finally:
            stop(proc)
            shutil.rmtree(root, ignore_errors=True)
    if "obby" in results:
        for name, (rate, missing) in results.items():
            if not name.startswith("obby") and rate > 0:
                print("  ratio obby/%s: %.2fx paths/s" % (name, results["obby"][0] / rate))
    return results

def latency(argv_fn, name, n, ready_re, match_created):
    root = fresh("lat-" + name)
    proc = subprocess.Popen(argv_fn(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        if ready_re: ready_on(proc, ready_re); drain_stderr(proc)
        else: drain_stderr(proc); time.sleep(1.0)
        rd = Reader(proc.stdout, keep=True)
        lats = []
        for i in range(n):
            path = os.path.join(root, "l%05d" % i).encode()
            with rd.cv: start_idx = len(rd.lines)
            t0 = time.perf_counter()
            with open(path, "wb") as f: f.write(b"x")
            ok = rd.wait_for(lambda r: any(path in l for _, l in r.lines[start_idx:]), 10)
            if not ok: continue
            with rd.cv:
                t1 = next(t for t, l in rd.lines[start_idx:] if path in l)
            lats.append((t1 - t0) * 1000)
            time.sleep(0.002)
        lats.sort()
        p50 = lats[len(lats) // 2]; p99 = lats[min(len(lats) - 1, int(len(lats) * 0.99))]
        print("%-24s p50 %8.3f ms   p99 %8.3f ms   (%d/%d seen)" % (name, p50, p99, len(lats), n))
        return p50, p99
    finally:
        stop(proc); shutil.rmtree(root, ignore_errors=True)

def latencies():
    print("\n== single-change latency (write -> event line) ==")
    r = {}
    r["obby"] = latency(lambda d: [OBBY, "watch", "--debounce", "0", "--format", "{abs_path}", d], "obby --debounce 0", LAT_N, rb"ready:", True)
    if have("inotifywait"):
        r["inotifywait"] = latency(lambda d: ["inotifywait", "-m", "-r", "-q", "-e", "create", "--format", "%w%f", d], "inotifywait", LAT_N, None, True)
        print("  p99 difference obby - inotifywait: %+.3f ms (goal: within 1 ms)" % (r["obby"][1] - r["inotifywait"][1]))
    if have("watchman-wait"):
        latency(lambda d: ["watchman-wait", "-m", "0", "-t", "0", d], "watchman", min(LAT_N, 50), None, True)
    d = latency(lambda d: [OBBY, "watch", "--format", "{abs_path}", d], "obby (debounce 500ms)", 12, rb"ready:", True)
    print("  p99 with the default debounce: %.1f ms (goal: within 505 ms)" % d[1])

def make_tree(root, dirs=6000, files=30000):
    os.makedirs(root, exist_ok=True)
    made = []
    for i in range(dirs):
        parent = root if i < 60 else made[(i * 7919) % len(made)]
        p = os.path.join(parent, "d%04d" % i)
        os.mkdir(p); made.append(p)
    for i in range(files):
        with open(os.path.join(made[i % dirs], "f%05d.txt" % i), "wb") as f: f.write(b"x")

def proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f: parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])  # utime + stime, clock ticks

def hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024.0
    return float("nan")

def ready_rss():
    print("\n== watching a tree of 6,000 directories / 30,000 files: ready time, peak RSS ==")
    root = os.path.join(BASE, "tree"); shutil.rmtree(root, ignore_errors=True)
    make_tree(root)
    res = {}
    tools = [("obby", [OBBY, "watch", "--format", "{abs_path}", root], rb"ready:")]
    if have("inotifywait"): tools.append(("inotifywait", ["inotifywait", "-m", "-r", root], rb"Watches established"))
    if have("watchexec"): tools.append(("watchexec", ["watchexec", "-w", root, "--emit-events-to=stdio", "--only-emit-events"], None))
    for name, argv, rr in tools:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            if rr is None:
                print("%-12s (no ready signal; RSS after 3 s)" % name); time.sleep(3); t = float("nan")
            else:
                t = ready_on(proc, rr, 120); drain_stderr(proc)
            time.sleep(0.3)
            res[name] = (t, hwm(proc.pid))
            print("%-12s ready %7.3f s   peak RSS %6.1f MB" % (name, t, res[name][1]))
        finally:
            stop(proc)
    if "inotifywait" in res:
        o, i = res["obby"], res["inotifywait"]
        print("  ratio obby/inotifywait: ready %.2fx (goal <= 2x), RSS %.2fx; obby RSS goal < 15 MB" % (o[0] / i[0], o[1] / i[1]))
    # idle CPU
    print("\n== idle CPU on the same tree (inotify over 5 s; polling at 1 s over 10 s, after 2 s) ==")
    hz = os.sysconf("SC_CLK_TCK")
    cpu = {}
    runs = [("obby (inotify)", [OBBY, "watch", root], 5), ("obby --poll=1s", [OBBY, "watch", "--poll=1s", root], 10)]
    if have("inotifywait"): runs.append(("inotifywait", ["inotifywait", "-m", "-r", "-q", root], 5))
    if have("fswatch"): runs.append(("fswatch poll 1s", ["fswatch", "-m", "poll_monitor", "-r", "-l", "1", root], 10))
    else: print("skip fswatch poll_monitor: fswatch not installed")
    for name, argv, secs in runs:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            if name.startswith("obby"): ready_on(proc, rb"ready:", 120)
            else: time.sleep(1.5)
            drain_stderr(proc)
            if secs > 5: time.sleep(2)  # past the first passes, which list every directory
            a = proc_stat(proc.pid); time.sleep(secs); b = proc_stat(proc.pid)
            cpu[name] = 100.0 * (b - a) / hz / secs
            print("%-16s %5.2f%% of one core" % (name, cpu[name]))
        finally:
            stop(proc)
    if "fswatch poll 1s" in cpu and cpu["fswatch poll 1s"] > 0:
        print("  ratio obby --poll / fswatch poll_monitor: %.2fx (goal: obby under 2%% of one core)" %
              (cpu["obby --poll=1s"] / cpu["fswatch poll 1s"]))
    # The floor: only the open/fstatat/close calls a stat poller must make, in C.
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc:
        exe = os.path.join(os.path.dirname(root), "poll_floor")
        src = os.path.join(os.environ["BENCHES"], "poll_floor.c")
        if subprocess.run([cc, "-O2", "-o", exe, src]).returncode == 0:
            out = subprocess.run([exe, root, "10"], capture_output=True, text=True).stdout.strip()
            print("floor (benches/poll_floor.c, the system calls alone): " + out)
    else:
        print("skip the polling floor: no C compiler")
    shutil.rmtree(root, ignore_errors=True)

burst()
latencies()
ready_rss()
PY
