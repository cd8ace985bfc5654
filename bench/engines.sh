#!/usr/bin/env bash
# Compares the recognition engines on labelled receipts, one thread each, back to back:
# word F1, CER, fields micro F1, CPU and wall seconds per document (engine start left
# out), the CPU-time ratio to the tesseract engine, and peak RSS.
# Usage: bash bench/engines.sh [DATASET_DIR] [BUILD_DIR]
#   (default ../shared/data/sroie and out/release; needs GNU time: apt-get install time)
# CPU time is the figure to compare on a shared machine; wall time moves with the load.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/sroie}
BIN=${2:-out/release}/src/cli/smartocr
OUT=$(mktemp -d)
export OMP_THREAD_LIMIT=1
printf "%-10s %8s %7s %8s %9s %6s %9s %9s\n" engine wordF1 CER fieldsF1 cpu_s/doc ratio wall_s/doc rss_MB
base=
for engine in tesseract hybrid ppocr; do
  /usr/bin/time -v -o "$OUT/$engine.time" "$BIN" eval --dataset sroie "$DATA" -j 1 \
    --engine "$engine" >"$OUT/$engine.txt" 2>/dev/null
  f1=$(awk '/^text word F1/ {print $4}' "$OUT/$engine.txt")
  cer=$(awk '/^text CER/ {print $3}' "$OUT/$engine.txt")
  fields=$(awk '/^fields micro F1/ {print $4}' "$OUT/$engine.txt")
  cpu=$(awk '/^cpu seconds per document/ {print $5}' "$OUT/$engine.txt")
  base=${base:-$cpu}
  wall=$(awk '/^seconds per document/ {print $4}' "$OUT/$engine.txt")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/$engine.time")
  printf "%-10s %8s %7s %8s %9s %6.2f %9s %9d\n" "$engine" "$f1" "$cer" "$fields" "$cpu" \
    "$(echo "$cpu / $base" | bc -l)" "$wall" "$((rss / 1024))"
done
rm -rf "$OUT"
