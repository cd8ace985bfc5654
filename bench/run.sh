#!/usr/bin/env bash
# SmartOCR benchmarks against the tesseract CLI on the same pages, one run, one table.
# Run on demand: bash bench/run.sh [--quick]
# Figures are medians of 3 runs (these machines are shared and noisy); ratios compare
# runs made back to back on the same pages. Not a test: nothing here fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1

bash scripts/install-deps.sh
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C out/release smartocr smartocr-decode smartocr-make-bench-docs >/dev/null
BIN=$ROOT/out/release/src/cli/smartocr
WORK=$ROOT/out/bench
DOCS=$WORK/docs
[[ -f $DOCS/scanned-200.pdf ]] || out/release/bench/smartocr-make-bench-docs "$DOCS"
export OMP_THREAD_LIMIT=1
RUNS=3
((QUICK)) && RUNS=1

now() { date +%s.%N; }
# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd CMD...: seconds for one run
time_cmd() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || true; echo "$(now) - $t0" | bc -l; }
# median_time CMD...: median seconds over $RUNS runs
median_time() { local ts=(); for _ in $(seq "$RUNS"); do ts+=("$(time_cmd "$@")"); done; median "${ts[@]}"; }

tess_pages() { for f in "$@"; do tesseract "$f" - >/dev/null 2>&1; done; }

SCANS=("$DOCS"/scan/page-*.png)
N=${#SCANS[@]}
rm -rf "$WORK/o1" "$WORK/o2"
t_tess=$(median_time tess_pages "${SCANS[@]}")
t_ours1=$(median_time "$BIN" extract -j 1 --format text -o "$WORK/o1" "${SCANS[@]}")
t_ours2=$(median_time "$BIN" extract -j 2 --format text -o "$WORK/o2" "${SCANS[@]}")
pps_tess=$(echo "$N / $t_tess" | bc -l)
pps1=$(echo "$N / $t_ours1" | bc -l)
pps2=$(echo "$N / $t_ours2" | bc -l)

t_dig=$(median_time "$BIN" extract -j 1 -o "$WORK/digital.json" "$DOCS/digital-100.pdf")
pps_dig=$(echo "100 / $t_dig" | bc -l)

# GNU time's %M is the peak RSS of the largest process: smartocr itself, or the
# decoder child if that one were larger.
/usr/bin/time -o "$WORK/rss.txt" -f '%M' "$BIN" extract -j 2 --format text \
  -o "$WORK/scanned-200.txt" "$DOCS/scanned-200.pdf" >/dev/null 2>&1 || true
rss_kb=$(tail -1 "$WORK/rss.txt")
[[ "$rss_kb" =~ ^[0-9]+$ ]] || rss_kb=0

printf '\n%-52s %12s %12s\n' "benchmark (OMP_THREAD_LIMIT=1, medians of $RUNS)" "figure" "ratio"
printf '%-52s %12.3f %12s\n' "tesseract CLI, 300-dpi scanned pages/s" "$pps_tess" "1.00"
printf '%-52s %12.3f %12.2f\n' "smartocr -j 1, scanned pages/s (vs tesseract)" "$pps1" "$(echo "$pps1 / $pps_tess" | bc -l)"
printf '%-52s %12.3f %12.2f\n' "smartocr -j 2, scanned pages/s (vs our -j 1)" "$pps2" "$(echo "$pps2 / $pps1" | bc -l)"
printf '%-52s %12.1f %12s\n' "smartocr, 100-page born-digital PDF, pages/s" "$pps_dig" "(goal >= 50)"
printf '%-52s %12.1f %12s\n' "smartocr -j 2, 200-page scanned PDF, peak RSS MB" "$(echo "$rss_kb / 1024" | bc -l)" "(goal < 500)"

SROIE=$ROOT/../shared/data/sroie
TOOLS=$ROOT/../shared/tools
if [[ -d $SROIE && -f $TOOLS/sroie_text.py ]]; then
  rm -rf "$WORK/sroie-tess" "$WORK/sroie-ours"
  mkdir -p "$WORK/sroie-tess"
  IMGS=("$SROIE"/img/*.jpg)
  ((QUICK)) && IMGS=("${IMGS[@]:0:15}")
  t0=$(now)
  for f in "${IMGS[@]}"; do
    tesseract "$f" "$WORK/sroie-tess/$(basename "${f%.*}")" >/dev/null 2>&1
  done
  t_st=$(echo "$(now) - $t0" | bc -l)
  t0=$(now)
  "$BIN" extract -j 1 --format text -o "$WORK/sroie-ours" "${IMGS[@]}" 2>/dev/null || true
  t_so=$(echo "$(now) - $t0" | bc -l)
  read -r f1_t cer_t docs_t < <(python3 "$TOOLS/sroie_text.py" "$SROIE/box" "$WORK/sroie-tess")
  read -r f1_o cer_o docs_o < <(python3 "$TOOLS/sroie_text.py" "$SROIE/box" "$WORK/sroie-ours")
  printf '\n%-30s %10s %10s %6s %12s\n' "SROIE receipts (text)" "word F1" "CER" "docs" "s/receipt"
  printf '%-30s %10s %10s %6s %12.3f\n' "tesseract CLI" "$f1_t" "$cer_t" "$docs_t" "$(echo "$t_st / ${#IMGS[@]}" | bc -l)"
  printf '%-30s %10s %10s %6s %12.3f\n' "smartocr -j 1" "$f1_o" "$cer_o" "$docs_o" "$(echo "$t_so / ${#IMGS[@]}" | bc -l)"
else
  echo "(../shared/data/sroie not present: accuracy skipped)"
fi
