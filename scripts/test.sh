#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole test suite twice: a release
# build, then an AddressSanitizer + UndefinedBehaviorSanitizer build; in between,
# clang-format and clang-tidy (scripts/lint.sh).
# Usage: bash scripts/test.sh            (from anywhere)
#        SMARTOCR_SKIP_ASAN=1 SMARTOCR_SKIP_LINT=1 bash scripts/test.sh   (release only)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc)

bash scripts/install-deps.sh
# The PP-OCR engines' runtime (installed above); their tests fail under CI without it.
ONNX_DIR=${SMARTOCR_ONNX_DIR:-${SMARTOCR_TOOLS_DIR:-/opt/smartocr-tools}/onnx}
ONNX_FLAGS=(-DONNXRUNTIME_ROOT="$ONNX_DIR/onnxruntime-1.29.0"
  -DSMARTOCR_PPOCR_MODELS_DIR="$ONNX_DIR/ppocr-v4")

export OMP_THREAD_LIMIT=1
export CTEST_OUTPUT_ON_FAILURE=1

echo "== release build"
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "${ONNX_FLAGS[@]}" >/dev/null
ninja -C out/release
echo "== release tests"
ctest --test-dir out/release -j "$JOBS" --timeout 600

if [[ "${SMARTOCR_SKIP_LINT:-0}" != "1" ]]; then
  echo "== lint"
  bash scripts/lint.sh out/release
fi

if [[ "${SMARTOCR_SKIP_ASAN:-0}" != "1" ]]; then
  echo "== asan+ubsan build"
  cmake -S . -B out/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSMARTOCR_SANITIZE=ON \
    -DSMARTOCR_BUILD_BENCH=OFF "${ONNX_FLAGS[@]}" >/dev/null
  ninja -C out/asan
  echo "== asan+ubsan tests"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizer/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/tests/sanitizer/ubsan.supp"
  ctest --test-dir out/asan -j "$JOBS" --timeout 900 -LE no_asan
fi
