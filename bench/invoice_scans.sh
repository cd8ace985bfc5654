#!/bin/bash
# Scans of an invoice set: every page of every PDF rendered at 200 dpi, 8-bit gray,
# written as one multi-page TIFF per invoice beside a copy of its label, then scored
# with `smartocr eval` (which reads the page, never the embedded XML).
#
#   bash bench/invoice_scans.sh [SET_DIR] [OUT_DIR] [SMARTOCR]
#   (defaults: ../shared/data/invoices2, /tmp/invoice-scans, out/release/src/cli/smartocr)
#
# Needs pdftoppm (poppler-utils) and tiffcp (libtiff-tools).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SET=${1:-$ROOT/../shared/data/invoices2}
OUT=${2:-/tmp/invoice-scans}
SMARTOCR=${3:-$ROOT/out/release/src/cli/smartocr}
DPI=200
mkdir -p "$OUT"
for pdf in "$SET"/*.pdf; do
  name=$(basename "$pdf" .pdf)
  [ -f "$SET/$name.json" ] || continue
  pages=$(mktemp -d)
  pdftoppm -r "$DPI" -gray -tiff -tiffcompression lzw "$pdf" "$pages/p"
  tiffcp "$pages"/p*.tif "$OUT/$name.tif"
  cp "$SET/$name.json" "$OUT/$name.json"
  rm -rf "$pages"
done
OMP_THREAD_LIMIT=1 "$SMARTOCR" eval --dataset "$(basename "$SET")" "$OUT" -j 2
