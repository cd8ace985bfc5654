#!/usr/bin/env bash
# MRZ reading on ID pages that arrive turned: the labelled MRZ specimens turned by
# quarter turns (sideways and upside-down scans) and by a few degrees (angled photos),
# saved as PNG under their own names, scored by `smartocr eval --dataset mrz`.
# Prints, per angle, MRZs read with every check digit passing (of those printed
# valid), exact MRZs, and "valid" MRZs with wrong lines and "valid" fields with wrong
# values (false valid: must be 0).
# Usage: bash bench/mrz_turned.sh [MRZ_DIR] [BUILD_DIR] [ANGLES...]
#   (default ../shared/data/mrz, out/release, angles 0 90 180 270 4 -7)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/mrz}
BUILD=${2:-out/release}
shift $(($# > 2 ? 2 : $#))
ANGLES=("$@")
[ ${#ANGLES[@]} -gt 0 ] || ANGLES=(0 90 180 270 4 -7)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
printf "%8s %16s %10s %12s %14s %14s\n" degrees all_checks_pass exact false_valid \
  fields_false cpu_s/doc
for angle in "${ANGLES[@]}"; do
  dir=$DATA
  if [ "$angle" != 0 ]; then
    dir=$OUT/$angle
    mkdir -p "$dir"
    ln -s "$(realpath "$DATA/expected")" "$dir/expected"
    "$BUILD/bench/smartocr-turn-images" "$DATA/img" "$dir/img" "$angle" >/dev/null
  fi
  "$BUILD/src/cli/smartocr" eval --dataset mrz "$dir" -j 2 >"$OUT/$angle.txt" 2>/dev/null
  printf "%8s %16s %10s %12s %14s %14s\n" "$angle" \
    "$(awk '/^mrz all checks pass/ {print $5}' "$OUT/$angle.txt")" \
    "$(awk '/^mrz exact/ {print $3}' "$OUT/$angle.txt")" \
    "$(awk '/^mrz false valid/ {print $4}' "$OUT/$angle.txt")" \
    "$(awk '/^mrz fields false valid/ {print $5}' "$OUT/$angle.txt")" \
    "$(awk '/^cpu seconds per document/ {print $5}' "$OUT/$angle.txt")"
done
