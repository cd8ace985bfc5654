#!/usr/bin/python3
"""Fits pipeline::kRereadLanguageConfidence (src/pipeline/page_language.h): how sure the
language identifier must be that a page is in another language than English before
`--lang auto` reads it again in that language.

Two sides, each page's identified language and confidence as `smartocr extract`
reports them (`--lang eng`, so nothing is read twice):
- English that must not switch: the training receipts (../shared/data/sroie-train/img,
  OCR with the Tesseract engine).
- Other languages that must: the invoices2 PDFs (German and French, text layer).
The threshold printed is the lowest confidence of a non-English invoice page, rounded
down to 0.05, if it lies above every non-English guess on the receipts; the receipts'
false guesses are listed either way.

Usage (standard library only):
  tools/lang/fit_reread.py [--smartocr out/check/src/cli/smartocr] [--data ../shared/data]
"""
import argparse
import glob
import json
import math
import os
import subprocess
import tempfile


def pages_of(smartocr, files, engine):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([smartocr, "extract", "--lang", "eng", "--engine", engine, "-j", "2",
                        "-o", out, *files],
                       capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        for name in files:
            stem = os.path.splitext(os.path.basename(name))[0]
            path = os.path.join(out, stem + ".json")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                for page in json.load(f)["pages"]:
                    yield (os.path.basename(name), page.get("language", ""),
                           page.get("language_confidence", 0))


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--smartocr", default=os.path.join(root, "out/check/src/cli/smartocr"))
    ap.add_argument("--data", default=os.path.join(root, "../shared/data"))
    args = ap.parse_args()
    receipts = sorted(glob.glob(os.path.join(args.data, "sroie-train/img/*")))
    invoices = sorted(glob.glob(os.path.join(args.data, "invoices2/*.pdf")))
    receipt_pages = list(pages_of(args.smartocr, receipts, "tesseract"))
    false_switch = [p for p in receipt_pages if p[1] not in ("eng", "")]
    english = len(receipt_pages) - len(false_switch)
    foreign = [p for p in pages_of(args.smartocr, invoices, "tesseract")]
    wrong = [p for p in foreign if p[1] in ("eng", "")]
    print(f"sroie-train: {english}/{len(receipt_pages)} receipts identified as English or not at all; "
          f"other guesses: {false_switch}")
    print(f"invoices2: {len(foreign) - len(wrong)}/{len(foreign)} pages identified as another "
          f"language; as English or none: {wrong}")
    lowest = min((p[2] for p in foreign if p not in wrong), default=1.0)
    highest_false = max((p[2] for p in false_switch), default=0.0)
    threshold = math.floor(lowest * 20) / 20
    print(f"lowest confidence of a switching page {lowest:.4f}; highest of a false guess "
          f"{highest_false:.4f}")
    print(f"kRereadLanguageConfidence = {threshold:.2f}"
          + ("" if threshold > highest_false else "  (NOT above every false guess)"))


if __name__ == "__main__":
    main()
