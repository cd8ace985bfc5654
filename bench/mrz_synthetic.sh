#!/usr/bin/env bash
# The synthetic MRZ set (tests/support/mrz_specimen.h): COUNT specimens per degradation
# (TD3, TD1, TD2, MRV-A, MRV-B on card and passport pages, OCR-B, a visual zone),
# generated with SEED, each degradation scored by `smartocr eval --dataset mrz`.
# Prints per degradation: exact MRZs, MRZs with every check passing, "valid" MRZs,
# false "valid" MRZs and fields (must be 0), CPU seconds per specimen.
# Usage: bash bench/mrz_synthetic.sh [COUNT] [SEED] [BUILD_DIR] [DEGRADATION...]
#   (default 100, seed 1, out/release, every degradation: 1,000 specimens, ~15 min on
#   2 cores). KEEP=DIR keeps the set and the reports there.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100}
SEED=${2:-1}
BUILD=${3:-out/release}
shift $(($# > 3 ? 3 : $#))
OUT=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
"$BUILD/bench/smartocr-mrz-specimens" "$OUT/set" "$COUNT" "$SEED" "$@" >/dev/null
printf "%-12s %9s %12s %9s %12s %14s %10s\n" degradation exact checks_pass valid false_valid \
  fields_false cpu_s/doc
for dir in "$OUT"/set/*/; do
  name=$(basename "$dir")
  "$BUILD/src/cli/smartocr" eval --dataset mrz "$dir" -j 2 --json "$OUT/$name.json" \
    >"$OUT/$name.txt" 2>/dev/null
  printf "%-12s %9s %12s %9s %12s %14s %10s\n" "$name" \
    "$(awk '/^mrz exact/ {print $3}' "$OUT/$name.txt")" \
    "$(awk '/^mrz all checks pass/ {print $5}' "$OUT/$name.txt")" \
    "$(awk '/^mrz valid/ {print $3}' "$OUT/$name.txt")" \
    "$(awk '/^mrz false valid/ {print $4}' "$OUT/$name.txt")" \
    "$(awk '/^mrz fields false valid/ {print $5}' "$OUT/$name.txt")" \
    "$(awk '/^cpu seconds per document/ {print $5}' "$OUT/$name.txt")"
done
