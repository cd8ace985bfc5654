#!/usr/bin/env bash
# Redaction leak check on real scans: for each image, extracts the id fields without
# redaction, then writes a redacted searchable PDF and JSON (--redact all) and looks for
# every sensitive value found the first time (names, document and personal numbers,
# MRZ-shaped OCR lines) in pdftotext's output and in the JSON. Prints one line per file and a
# summary. Usage: bench/redact_leak_check.sh [BUILD_DIR] [IMAGE_DIR]
set -euo pipefail
BUILD=${1:-out/release}
DIR=${2:-../shared/data/mrz/img}
BIN=$BUILD/src/cli/smartocr
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export OMP_THREAD_LIMIT=1
files=0 with_values=0 values=0 leaks=0
for img in "$DIR"/*; do
  files=$((files + 1))
  name=$(basename "$img")
  "$BIN" extract "$img" --schema id_document -j 1 >"$TMP/plain.json" 2>/dev/null || continue
  "$BIN" extract "$img" --schema id_document --redact all -j 1 >"$TMP/red.json" 2>/dev/null
  "$BIN" extract "$img" --redact all -f pdf -o "$TMP/red.pdf" -j 1 2>/dev/null
  pdftotext -enc UTF-8 "$TMP/red.pdf" "$TMP/red.txt"
  # Values of 3+ characters: name tokens, numbers, MRZ lines (from the fields and from
  # the OCR text, parsed or not).
  python3 - "$TMP/plain.json" >"$TMP/secrets.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
out = set()
for f in doc.get("fields", []):
    if f["name"] in ("surname", "given_names", "document_number", "personal_number", "mrz"):
        for part in f["value"].replace("\n", " ").split():
            part = part.strip("<")
            if len(part) >= 3:
                out.add(part)
# MRZ-shaped OCR lines too, parsed or not.
import re
for page in doc.get("pages", []):
    for line in page["text"].split("\n"):
        t = line.strip()
        if len(t) >= 25 and "<<" in t and re.fullmatch(r"[A-Z0-9< ]+", t):
            out.add(t.split()[0] if " " in t else t)
print("\n".join(sorted(out)))
PY
  n=$(grep -c . "$TMP/secrets.txt" || true)
  leaked=0
  while read -r s; do
    [ -z "$s" ] && continue
    if grep -qiwF -- "$s" "$TMP/red.txt" || grep -qiwF -- "$s" "$TMP/red.json"; then
      leaked=$((leaked + 1)); echo "  leak in $name: $s"
    fi
  done <"$TMP/secrets.txt"
  [ "$n" -gt 0 ] && with_values=$((with_values + 1))
  values=$((values + n)); leaks=$((leaks + leaked))
  echo "$name: $n values, $leaked leaked"
done
echo "files=$files files_with_values=$with_values values=$values leaked=$leaks"
