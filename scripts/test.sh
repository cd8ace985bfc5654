#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every check once: one optimized build with
# AddressSanitizer + UndefinedBehaviorSanitizer (-O2 -g, so the compiler's -O2 warnings
# are errors as in a release build), the whole test suite on it, then clang-format and
# clang-tidy over the same compile commands. Each step says what it cost.
# Then the libFuzzer targets (scripts/fuzz.sh: a separate clang build) run a bounded
# time each.
# Usage: bash scripts/test.sh                      (from anywhere)
#        SMARTOCR_SKIP_LINT=1 bash scripts/test.sh  (build and tests only)
#        SMARTOCR_SKIP_FUZZ=1 bash scripts/test.sh  (no fuzzing)
#        SMARTOCR_FUZZ_SECONDS=60 bash scripts/test.sh   (seconds per fuzz target; 20)
#        SMARTOCR_TEST_REGEX=Render bash scripts/test.sh   (only the tests matching)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc)
BUILD=out/check

step_start=$SECONDS
step() {  # step NAME: prints how long the previous step took, then NAME
  if [[ -n "${step_name:-}" ]]; then
    echo "== $step_name: $((SECONDS - step_start)) s"
  fi
  step_name=$1
  step_start=$SECONDS
  [[ -n "$step_name" ]] && echo "== $step_name"
  return 0
}

step "install dependencies"
bash scripts/install-deps.sh
# The PP-OCR engines' runtime (installed above); their tests fail under CI without it.
ONNX_DIR=${SMARTOCR_ONNX_DIR:-${SMARTOCR_TOOLS_DIR:-/opt/smartocr-tools}/onnx}
CMAKE_FLAGS=(-DONNXRUNTIME_ROOT="$ONNX_DIR/onnxruntime-1.29.0"
  -DSMARTOCR_PPOCR_MODELS_DIR="$ONNX_DIR/ppocr-v4")
# ccache (installed above) makes a rebuild of unchanged sources nearly free; paths are
# made relative to the checkout (and the build folder is not hashed) so any clone of the
# repository shares the cache.
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
  CMAKE_FLAGS+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

export OMP_THREAD_LIMIT=1
# Everything a test needs was installed above: a missing dependency fails its tests
# instead of skipping them (tests/support/required.h), in CI and locally alike.
export SMARTOCR_REQUIRE_ALL=1
export CTEST_OUTPUT_ON_FAILURE=1
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/tests/sanitizer/ubsan.supp"

step "build (RelWithDebInfo + ASan + UBSan)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMARTOCR_SANITIZE=ON \
  "${CMAKE_FLAGS[@]}" >/dev/null
ninja -C "$BUILD"

step "tests"
ctest --test-dir "$BUILD" -j "$JOBS" ${SMARTOCR_TEST_REGEX:+-R "$SMARTOCR_TEST_REGEX"}

if [[ "${SMARTOCR_SKIP_FUZZ:-0}" != "1" ]]; then
  step "fuzz (clang, ASan + UBSan, ${SMARTOCR_FUZZ_SECONDS:-20} s per target)"
  bash scripts/fuzz.sh "${SMARTOCR_FUZZ_SECONDS:-20}"
fi

if [[ "${SMARTOCR_SKIP_LINT:-0}" != "1" ]]; then
  step "lint"
  bash scripts/lint.sh "$BUILD"
fi
step ""
echo "== all checks passed in $SECONDS s"
