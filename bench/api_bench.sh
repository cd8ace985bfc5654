#!/usr/bin/env bash
# HTTP API benchmarks, run on demand: bash bench/api_bench.sh
# - sync: POST /ocr/extract (multipart) of a one-page receipt at concurrency 1, 4 and
#   16: requests/s and p50/p95/p99 latency, and the overhead over `smartocr extract` on
#   the same page (median of 5 CLI runs, which pay process start-up and engine load
#   each time; the server has them loaded);
# - async: pages/s through POST /ocr/jobs with 2 in-process workers (20 jobs, one per
#   scanned letter page, from submission of the first to completion of the last).
# Each figure is one run; rerun for noise. The server runs with --threads = cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REQS=${REQS:-48}
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C out/release smartocr smartocr-decode smartocr-make-bench-docs >/dev/null
BIN=$ROOT/out/release/src/cli/smartocr
WORK=$ROOT/out/bench
DOCS=$WORK/docs
[[ -f $DOCS/receipt.png ]] || out/release/bench/smartocr-make-bench-docs "$DOCS"
export OMP_THREAD_LIMIT=1 SMARTOCR_DECODER=$ROOT/out/release/src/ingest/smartocr-decode
DATA=$(mktemp -d /tmp/smartocr-api-bench-XXXXXX)
PID=""
cleanup() {
  [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT

start_server() {  # WORKERS
  rm -f "$DATA/port"
  "$BIN" serve --data-dir "$DATA" --listen 127.0.0.1:0 --port-file "$DATA/port" \
    --workers "$1" --poll-ms 20 --rate-per-s 0 --tenant-rate-per-s 0 \
    --sync-timeout-ms 120000 2>"$DATA/serve.log" &
  PID=$!
  for _ in $(seq 100); do [[ -f $DATA/port ]] && break; sleep 0.1; done
  PORT=$(cat "$DATA/port")
}
stop_server() { kill "$PID"; wait "$PID" || true; PID=""; }

KEY=$("$BIN" admin key create --data-dir "$DATA" --tenant bench --role admin 2>/dev/null | tail -1)
echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(uname -m)"  # nproc obeys OMP_THREAD_LIMIT

echo "== CLI baseline: smartocr extract on the receipt (5 runs)"
CLI_MS=$(python3 - "$BIN" "$DOCS/receipt.png" <<'PY'
import subprocess, sys, time, statistics
t = []
for _ in range(5):
    s = time.perf_counter()
    subprocess.run([sys.argv[1], "extract", sys.argv[2], "--schema", "auto"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t.append((time.perf_counter() - s) * 1000)
print(f"{statistics.median(t):.0f}")
PY
)
echo "smartocr extract median: ${CLI_MS} ms"

start_server 0
echo "== sync POST /ocr/extract ($REQS requests per level)"
python3 - "$PORT" "$KEY" "$DOCS/receipt.png" "$REQS" "$CLI_MS" <<'PY'
import http.client, sys, threading, time, uuid, statistics
port, key, path, n, cli_ms = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
data = open(path, "rb").read()
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.png\"\r\n"
        f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
headers = {"Authorization": "Bearer " + key, "Content-Type": "multipart/form-data; boundary=" + boundary}
def one(conn):
    s = time.perf_counter()
    conn.request("POST", "/ocr/extract", body, headers)
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
    return (time.perf_counter() - s) * 1000
one(http.client.HTTPConnection("127.0.0.1", port))  # warm-up
for c in (1, 4, 16):
    lat, lock, left = [], threading.Lock(), [n]
    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if left[0] == 0: return
                left[0] -= 1
            ms = one(conn)
            with lock: lat.append(ms)
    start = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(c)]
    [t.start() for t in ts]; [t.join() for t in ts]
    wall = time.perf_counter() - start
    q = statistics.quantiles(lat, n=100)
    print(f"concurrency {c:2d}: {n / wall:6.2f} req/s  p50 {q[49]:6.0f} ms  p95 {q[94]:6.0f} ms"
          f"  p99 {q[98]:6.0f} ms  (p50 vs CLI {q[49] - cli_ms:+.0f} ms)")
PY
stop_server

start_server 2
echo "== async POST /ocr/jobs, 2 workers, 20 one-page scanned letters"
python3 - "$PORT" "$KEY" "$DOCS/scan" <<'PY'
import http.client, json, os, sys, time, uuid
port, key, scan = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# Each page once: a page sent again would be answered from the stage cache.
files = sorted(os.listdir(scan))
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
h = {"Authorization": "Bearer " + key}
start = time.perf_counter(); ids = []
for f in files:
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{f}\"\r\n\r\n").encode() + \
        open(os.path.join(scan, f), "rb").read() + f"\r\n--{b}--\r\n".encode()
    conn.request("POST", "/ocr/jobs", body, dict(h, **{"Content-Type": "multipart/form-data; boundary=" + b}))
    r = conn.getresponse(); ids.append(json.loads(r.read())["id"]); assert r.status == 202
while True:
    conn.request("GET", "/ocr/jobs?status=succeeded&limit=1000", headers=h)
    done = len(json.loads(conn.getresponse().read())["jobs"])
    if done == len(ids): break
    time.sleep(0.2)
wall = time.perf_counter() - start
print(f"{len(ids)} pages in {wall:.1f} s: {len(ids) / wall:.2f} pages/s")
PY
stop_server
