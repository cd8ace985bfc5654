#!/usr/bin/python3
"""Fits pipeline::kTypicalLineHeightPt (src/pipeline/page_dpi.h): the median height of a
text line in points, from which a page without a resolution tag has its dpi estimated
(dpi = median line height in pixels * 72 / kTypicalLineHeightPt).

Every page of every PDF in the set is rendered at each resolution with pdftoppm (so
the true dpi is known), read with `smartocr extract --engine tesseract`, and the
median height of its lines of at least 3 characters (the lines the estimate counts)
is turned into points. The fitted value is the median over the pages at the first
resolution; the others show how well it carries (each page's estimate vs the truth).

Usage (standard library only; needs pdftoppm):
  tools/dpi/fit_line_height.py [--smartocr out/check/src/cli/smartocr]
      [--set ../shared/data/invoices2] [--dpi 200 --dpi 300]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import tempfile

MIN_LINE_CHARS = 3  # pipeline::kMinLineChars
MIN_LINES = 3       # pipeline::kMinEstimateLines


def line_heights_pt(page, dpi):
    """The page's median line height in points (lines of MIN_LINE_CHARS or more), or None."""
    heights = []
    for block in page["blocks"]:
        for line in block["lines"]:
            chars = sum(len(w["text"]) for w in line["words"])
            height = (line["bbox"][3] - line["bbox"][1]) * page["height"]
            if chars >= MIN_LINE_CHARS and height > 0:
                heights.append(height)
    if len(heights) < MIN_LINES:
        return None
    return sorted(heights)[len(heights) // 2] * 72.0 / dpi  # the upper median, as in C++


def read_pages(smartocr, pngs, dpi, out):
    subprocess.run([smartocr, "extract", "--engine", "tesseract", "--lang", "eng", "--dpi",
                    str(dpi), "-j", "2", "-o", out, *pngs], check=True, capture_output=True,
                   env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    for png in pngs:
        with open(os.path.join(out, os.path.basename(png)[:-4] + ".json"), encoding="utf-8") as f:
            yield json.load(f)["pages"][0]


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--smartocr", default=os.path.join(root, "out/check/src/cli/smartocr"))
    ap.add_argument("--set", default=os.path.join(root, "../shared/data/invoices2"))
    ap.add_argument("--dpi", type=int, action="append")
    args = ap.parse_args()
    dpis = args.dpi or [200, 300]
    fitted = None
    for dpi in dpis:
        per_page = []
        with tempfile.TemporaryDirectory() as tmp:
            for pdf in sorted(glob.glob(os.path.join(args.set, "*.pdf"))):
                stem = os.path.join(tmp, os.path.basename(pdf)[:-4])
                subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", pdf, stem], check=True)
            pngs = sorted(glob.glob(os.path.join(tmp, "*.png")))
            os.mkdir(os.path.join(tmp, "out"))
            for page in read_pages(args.smartocr, pngs, dpi, os.path.join(tmp, "out")):
                pt = line_heights_pt(page, dpi)
                if pt is not None:
                    per_page.append(pt)
        median = statistics.median(per_page)
        if fitted is None:
            fitted = median
        errors = sorted(abs(pt / fitted - 1) for pt in per_page)  # estimate / truth - 1
        print(f"{dpi} dpi: {len(per_page)} pages, median line height {median:.2f} pt; "
              f"with {fitted:.2f} pt the estimate is within "
              f"{100 * errors[len(errors) // 2]:.0f}% (median) and "
              f"{100 * errors[int(0.9 * (len(errors) - 1))]:.0f}% (90th percentile) of the truth")
    print(f"kTypicalLineHeightPt = {fitted:.1f}")


if __name__ == "__main__":
    main()
