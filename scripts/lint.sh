#!/usr/bin/env bash
# Style checks: clang-format on every C++ file, clang-tidy (.clang-tidy, warnings are
# errors) on the library and CLI sources. Needs a configured build dir for the
# compile commands: bash scripts/lint.sh [BUILD_DIR]   (default out/release)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-out/release}

mapfile -t files < <(git ls-files '*.cc' '*.h')
echo "== clang-format (${#files[@]} files)"
clang-format --dry-run --Werror "${files[@]}"

mapfile -t sources < <(git ls-files 'src/*.cc')
echo "== clang-tidy (${#sources[@]} files)"
run-clang-tidy -p "$BUILD" -j "$(nproc)" -quiet "${sources[@]}" >"$BUILD/clang-tidy.log" 2>&1 || {
  grep -E "(warning|error): " "$BUILD/clang-tidy.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u
  echo "clang-tidy found problems (full log: $BUILD/clang-tidy.log)" >&2
  exit 1
}
