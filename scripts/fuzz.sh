#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan; docs/security/fuzz.md) in
# out/fuzz and runs each for a bounded time, two at a time, from a fresh corpus: the
# seeds under fuzz/corpus/<target>/, plus for the ingest targets the files of
# ../shared/data/hostile (when present) and the small files fuzz/make_seeds.cc writes.
# Fails on any crash, sanitizer report, leak, timeout (an ingest input only when the
# sandboxed CLI does not bound it either), out-of-memory or failed
# FUZZ_CHECK, and prints the input that reproduces it.
# Usage: bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, all)
#        SMARTOCR_FUZZ_JOBS=1 bash scripts/fuzz.sh 20             (one target at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-60}
shift || true
BUILD=out/fuzz
RUNS=$BUILD/runs  # per target: corpus/, log, and the reproducer of a failure
HOSTILE=${SMARTOCR_HOSTILE_DIR:-$ROOT/../shared/data/hostile}
JOBS=${SMARTOCR_FUZZ_JOBS:-2}
# Per input: wall-clock seconds and memory before libFuzzer calls it a failure.
INPUT_TIMEOUT_S=10
# The ingest targets decode two pages in process with Debian's poppler and image
# libraries; in the service each page runs in the sandbox under a 60 s deadline, so an
# input that is slow but within it is a bounded cost there, not a hang: only one past
# that deadline (for both pages) is a failure.
INGEST_INPUT_TIMEOUT_S=125
RSS_LIMIT_MB=2048
# An ingest input that times out in process is judged by what the service does with it:
# the CLI (sandboxed decoder, 60 s page deadline) must give a result or a clear error
# within this many seconds. Under ASan poppler can be far slower than in the service
# (ASan's realloc always copies), so an in-process timeout alone proves no hang.
SANDBOX_CHECK_S=240
CLI=${SMARTOCR_CLI:-$ROOT/out/check/src/cli/smartocr}

CMAKE_FLAGS=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang)
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
  CMAKE_FLAGS+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMARTOCR_FUZZ=ON \
  "${CMAKE_FLAGS[@]}" >/dev/null
ninja -C "$BUILD"

if (($# > 0)); then
  targets=("$@")
else
  mapfile -t targets <"$BUILD/fuzz_targets.txt"
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/tests/sanitizer/ubsan.supp"

# seed TARGET DIR: fills DIR with the target's seeds.
seed() {
  local target=$1 dir=$2
  if [[ -d fuzz/corpus/$target ]]; then cp fuzz/corpus/"$target"/* "$dir"/; fi
  [[ $target == ingest_* ]] || return 0
  "$BUILD/fuzz/smartocr_fuzz_seeds" "$dir"
  if [[ -d $HOSTILE ]]; then
    # Named by their path under hostile/ (two folders may hold the same name).
    while IFS= read -r -d '' f; do
      local rel=${f#"$HOSTILE"/}
      cp "$f" "$dir/hostile-${rel//\//-}"
    done < <(find "$HOSTILE" -type f ! -name README.md ! -name MANIFEST.tsv -print0)
  fi
}

# bounded_by_sandbox DIR: true when DIR's only failures are timeout inputs and the CLI,
# decoding in its sandbox and rendering every page (--format pdf), gives each a result
# or a clear error (exit 0, 3 or 4) within SANDBOX_CHECK_S.
bounded_by_sandbox() {
  local dir=$1 artifact found=0 code
  [[ -x $CLI ]] || return 1
  for artifact in "$dir"/{crash,leak,oom,slow-unit}-*; do
    [[ -e $artifact ]] && return 1
  done
  for artifact in "$dir"/timeout-*; do
    [[ -e $artifact ]] || continue
    found=1
    code=0
    timeout "$SANDBOX_CHECK_S" "$CLI" extract "$artifact" --format pdf -o "$dir/sandboxed.pdf" \
      >"$dir/sandboxed.log" 2>&1 || code=$?
    echo "== fuzz: $artifact timed out in process; the sandboxed CLI: exit $code" \
      "($(tail -n 1 "$dir/sandboxed.log" | cut -c1-160))"
    [[ $code == 0 || $code == 3 || $code == 4 ]] || return 1
  done
  ((found))
}

# run TARGET: fuzzes TARGET for SECONDS_PER_TARGET; prints its result line, and the
# reproducer and the end of its log when it failed.
run() {
  local target=$1 dir=$RUNS/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  seed "$target" "$dir/corpus"
  local status=0
  local timeout=$INPUT_TIMEOUT_S
  if [[ $target == ingest_* ]]; then timeout=$INGEST_INPUT_TIMEOUT_S; fi
  "$BUILD/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout="$timeout" \
    -rss_limit_mb="$RSS_LIMIT_MB" -print_final_stats=1 -artifact_prefix="$dir/" \
    "$dir/corpus" >"$dir/log" 2>&1 || status=$?
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || true)
  if ((status == 0)); then
    echo "== fuzz $target: ok (${runs:-?} inputs in ${SECONDS_PER_TARGET} s)"
    return 0
  fi
  local artifact
  if [[ $target == ingest_* ]] && bounded_by_sandbox "$dir"; then
    echo "== fuzz $target: ok (${runs:-?} inputs; a timeout in process, bounded in the sandbox)"
    return 0
  fi
  echo "== fuzz $target: FAILED (exit $status); the end of $dir/log:"
  tail -n 40 "$dir/log"
  for artifact in "$dir"/{crash,leak,timeout,oom,slow-unit}-*; do
    [[ -e $artifact ]] || continue
    echo "== reproducer: $artifact"
    echo "   rerun: $BUILD/fuzz/$target $artifact"
  done
  return 1
}

echo "== fuzzing ${#targets[@]} targets, ${SECONDS_PER_TARGET} s each, $JOBS at a time"
failed=0
running=0
for target in "${targets[@]}"; do
  if ((running >= JOBS)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
if ((failed)); then
  echo "== fuzz: failures above (docs/security/fuzz.md: how to turn one into a test)"
  exit 1
fi
echo "== fuzz: all ${#targets[@]} targets ran clean"
