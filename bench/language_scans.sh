#!/usr/bin/env bash
# Languages and resolution on scans whose text we know: every page of every invoices2 PDF
# (German and French ZUGFeRD/Factur-X invoices) rendered at 200 dpi to one multi-page
# TIFF per invoice (bench/invoice_scans.sh), read three ways:
#   eng          --lang eng, the TIFF's resolution tag dropped (unit "none"): as before
#                pages carried their resolution (Tesseract guessed it)
#   eng+dpi      --lang eng, the tag given to Tesseract
#   auto+dpi     --lang auto (the default), the tag given
# For each: OCR word F1 against the PDF's own text layer (pdftotext -layout, a bag of
# words, case folded), the invoice fields (smartocr eval, which never reads the XML),
# and each page's identified language. Then the cost of auto on English receipts:
# CPU seconds per receipt on ../shared/data/sroie, --lang eng against auto.
# Usage: bash bench/language_scans.sh [SMARTOCR [RECEIPTS]]
#   (default out/release/src/cli/smartocr, all 60 receipts)
# Needs pdftoppm, pdftotext (poppler-utils), tiffcp, tiffset (libtiff-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-out/release/src/cli/smartocr}
RECEIPTS=${2:-60}
SET=../shared/data/invoices2
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
mkdir -p "$OUT/tagged" "$OUT/untagged"
bash bench/invoice_scans.sh "$SET" "$OUT/tagged" "$BIN" >/dev/null
for tif in "$OUT"/tagged/*.tif; do
  name=$(basename "$tif" .tif)
  cp "$tif" "$OUT/untagged/$name.tif"
  cp "$OUT/tagged/$name.json" "$OUT/untagged/"
  pages=$(tiffinfo "$tif" 2>/dev/null | grep -c "TIFF Directory")
  for ((d = 0; d < pages; d++)); do tiffset -d "$d" -s 296 1 "$OUT/untagged/$name.tif"; done
  pdftotext -layout "$SET/$name.pdf" "$OUT/$name.truth.txt"
done
score() {  # score NAME DIR LANG: word F1 over all scans, fields micro F1, languages found
  local label=$1 dir=$2 lang=$3
  mkdir -p "$OUT/$label"
  "$BIN" extract --lang "$lang" -j 2 -o "$OUT/$label" "$dir"/*.tif 2>/dev/null || true
  local fields
  fields=$("$BIN" eval --dataset invoices2 "$dir" -j 2 --lang "$lang" 2>/dev/null |
    awk '/^fields micro F1/ {print $4}')
  python3 - "$OUT" "$label" "$fields" <<'PY'
import collections, glob, json, os, re, sys
out, label, fields = sys.argv[1:4]
def words(text):
    return collections.Counter(w.lower() for w in re.findall(r"\w+", text))
tp = fp = fn = 0
langs = collections.Counter()
for result in sorted(glob.glob(os.path.join(out, label, "*.json"))):
    name = os.path.basename(result)[:-5]
    doc = json.load(open(result, encoding="utf-8"))
    got = words("\n".join(p["text"] for p in doc["pages"]))
    want = words(open(os.path.join(out, name + ".truth.txt"), encoding="utf-8").read())
    common = sum((got & want).values())
    tp += common; fp += sum(got.values()) - common; fn += sum(want.values()) - common
    langs.update(p.get("language", "") or "none" for p in doc["pages"])
f1 = 2 * tp / (2 * tp + fp + fn)
print(f"{label:9s} word F1 {f1:.3f}  fields micro F1 {fields}  page languages {dict(langs)}")
PY
}
score eng "$OUT/untagged" eng
score eng+dpi "$OUT/tagged" eng
score auto+dpi "$OUT/tagged" auto
for lang in eng auto; do
  cpu=$("$BIN" eval --dataset sroie ../shared/data/sroie -j 1 --lang "$lang" --limit "$RECEIPTS" \
    2>/dev/null |
    awk '/^cpu seconds per document/ {print $5}')
  echo "sroie receipts ($RECEIPTS) --lang $lang: $cpu CPU s per receipt"
done
