#!/usr/bin/env bash
# Queue and worker benchmarks, run on demand: bash bench/jobs_bench.sh
# - queue overhead: jobs/s claimed and completed for 200 one-page born-digital PDFs
#   (text layer, so OCR costs nothing), SQLite and PostgreSQL, 1 and 4 worker processes;
# - end to end: pages/s of 2 worker processes on 20 scanned pages vs `smartocr extract
#   -j 2` on the same pages.
# Medians are not taken (each figure is one run of 200 jobs); rerun for noise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/install-deps.sh
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C out/release smartocr smartocr-decode smartocr-make-bench-docs >/dev/null
BIN=$ROOT/out/release/src/cli/smartocr
WORK=$ROOT/out/bench
DOCS=$WORK/docs
[[ -d $DOCS/single ]] || out/release/bench/smartocr-make-bench-docs "$DOCS"
export OMP_THREAD_LIMIT=1
now() { date +%s.%N; }

# A throwaway PostgreSQL on a free port (initdb refuses root: run as `postgres`).
PGBIN=/usr/lib/postgresql/15/bin
PGDIR=""
PGPORT=""
start_pg() {
  PGDIR=$(mktemp -d /tmp/smartocr-bench-pg-XXXXXX)
  chown postgres "$PGDIR" 2>/dev/null || true
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local as=""
  [[ $(id -u) -eq 0 ]] && as="runuser -u postgres --"
  $as "$PGBIN/initdb" -N -A trust -U smartocr -D "$PGDIR/data" >/dev/null
  $as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o \
    "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" \
    start >/dev/null
}
stop_pg() {
  [[ -n $PGDIR ]] || return 0
  local as=""
  [[ $(id -u) -eq 0 ]] && as="runuser -u postgres --"
  $as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT

# queue_run DB_URL WORKERS: submits 200 documents, runs WORKERS `worker --once`
# processes, prints jobs/s.
queue_run() {
  local db=$1 workers=$2 dir
  dir=$(mktemp -d "$WORK/queue-XXXXXX")
  "$BIN" submit --data-dir "$dir" --database "$db" "$DOCS"/single/*.pdf >/dev/null
  local t0; t0=$(now)
  local pids=()
  for _ in $(seq "$workers"); do
    "$BIN" worker --once --threads 1 --poll-ms 50 --data-dir "$dir" --database "$db" \
      2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  echo "200 / ($(now) - $t0)" | bc -l
  rm -rf "$dir"
}

start_pg
pg_url() { local name=b$RANDOM$RANDOM; "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U smartocr \
  -d postgres -qc "CREATE DATABASE $name" >/dev/null; echo "postgresql://smartocr@127.0.0.1:$PGPORT/$name"; }

printf '\n%-46s %10s\n' "queue (200 one-page text-layer PDFs)" "jobs/s"
for w in 1 4; do
  dir=$(mktemp -d "$WORK/sqlite-XXXXXX")
  printf '%-46s %10.1f\n' "SQLite, $w worker process(es)" "$(queue_run "sqlite://$dir/q.db" "$w")"
  rm -rf "$dir"
  printf '%-46s %10.1f\n' "PostgreSQL, $w worker process(es)" "$(queue_run "$(pg_url)" "$w")"
done

SCANS=("$DOCS"/scan/page-*.png)
N=${#SCANS[@]}
t0=$(now)
"$BIN" extract -j 2 --format text -o "$WORK/e2e-cli" "${SCANS[@]}" >/dev/null 2>&1
cli=$(echo "$N / ($(now) - $t0)" | bc -l)
dir=$(mktemp -d "$WORK/e2e-XXXXXX")
"$BIN" submit --data-dir "$dir" "${SCANS[@]}" >/dev/null
t0=$(now)
"$BIN" worker --once --threads 1 --poll-ms 50 --data-dir "$dir" 2>/dev/null &
p1=$!
"$BIN" worker --once --threads 1 --poll-ms 50 --data-dir "$dir" 2>/dev/null &
p2=$!
wait $p1 $p2
svc=$(echo "$N / ($(now) - $t0)" | bc -l)
rm -rf "$dir"
printf '\n%-46s %10s %8s\n' "end to end, $N scanned 300-dpi pages" "pages/s" "ratio"
printf '%-46s %10.3f %8s\n' "smartocr extract -j 2" "$cli" "1.00"
printf '%-46s %10.3f %8.2f\n' "2 worker processes (SQLite, local blobs)" "$svc" "$(echo "$svc / $cli" | bc -l)"
