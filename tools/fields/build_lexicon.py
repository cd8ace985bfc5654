#!/usr/bin/python3
"""Builds the receipt field lexicon (models/fields/receipt-lexicon.json) from a training split.

The lexicon is what the training receipts say their sellers are called and where they
are: each company and address label with how often it occurs. At extraction, a company
or address read within a small edit distance of a known value is replaced by that value
(OCR errors such as 'SON BHD' for 'SDN BHD' are corrected; the value as read is kept in
the field's `corrected_from`).

How far is "small" is fitted here, per field, by leave-one-out over the training split:
each training receipt's value as our rules read it (results saved by
`smartocr extract --schema receipt -f json -o DIR`) is matched against the lexicon of
the *other* receipts, and the largest distance ratio that maximizes the number of
right values wins (ties: the smaller ratio). The precision of the replacements at that
ratio becomes the confidence a corrected value carries.

Usage (standard library only):
  smartocr extract --schema receipt -j 2 -f json -o /tmp/train-results ../shared/data/sroie-train/img/*.jpg
  tools/fields/build_lexicon.py --train ../shared/data/sroie-train --results /tmp/train-results \
      --out models/fields/receipt-lexicon.json

The matching below (whitespace folded, upper case, Levenshtein over bytes, a snap only
when the distance is at most floor(ratio * len(value read)) and above 0, the nearest
value winning and ties broken by count, a tie on both refusing to snap) is the one
src/extract/lexicon.cc applies; tests/unit/extract/lexicon_test.cc pins it.
"""
import argparse
import collections
import glob
import json
import os
import re
import sys

FIELDS = ("company", "address")
RATIOS = (0.0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25)
FORMAT = "smartocr-field-lexicon/1"


ASCII_SPACE = " \t\n\r\f\v"


def fold(text):
    """Whitespace runs folded to one space, ends trimmed, ASCII letters upper-cased."""
    words = [w for w in re.split("[" + ASCII_SPACE + "]+", text) if w]
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in " ".join(words))


def levenshtein(a, b, max_d):
    """Edit distance of a and b, or max_d + 1 once it is known to exceed max_d."""
    if abs(len(a) - len(b)) > max_d:
        return max_d + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            row_min = min(row_min, cur[j])
        if row_min > max_d:
            return max_d + 1
        prev = cur
    return prev[-1]


def nearest(read, entries, ratio):
    """The entry a value read snaps to, or None (the same rule as lexicon.cc)."""
    value = fold(read)
    if not value:
        return None
    max_d = int(ratio * len(value.encode("utf-8")))
    best = None  # (distance, -count, text)
    tied = False
    for text, count in entries.items():
        d = levenshtein(value.encode("utf-8"), text.encode("utf-8"), max_d)
        if d > max_d:
            continue
        key = (d, -count)
        if best is None or key < best[0]:
            best, tied = (key, text), False
        elif key == best[0]:
            tied = True
    if best is None or tied or best[0][0] == 0:
        return None
    return best[1]


def load_keys(train_dir):
    keys = {}
    for path in sorted(glob.glob(os.path.join(train_dir, "key", "*.json"))):
        with open(path, encoding="utf-8") as f:
            keys[os.path.basename(path)[:-5]] = json.load(f)
    if not keys:
        sys.exit(f"build_lexicon: no key/*.json under {train_dir}")
    return keys


def load_reads(results_dir, stems):
    reads = {}
    for stem in stems:
        path = os.path.join(results_dir, stem + ".json")
        if not os.path.exists(path):
            sys.exit(f"build_lexicon: no saved result {path} (run smartocr extract first)")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        reads[stem] = {fl["name"]: fl["value"] for fl in doc.get("fields", [])}
    return reads


def counts(keys, field, leave_out=None):
    c = collections.Counter()
    for stem, key in keys.items():
        if stem != leave_out and fold(key.get(field, "")):
            c[fold(key[field])] += 1
    return c


def fit(keys, reads, field):
    """Leave-one-out over the training split: (ratio, right, snaps, right snaps) per ratio."""
    rows = []
    for ratio in RATIOS:
        right = snaps = right_snaps = 0
        for stem, key in keys.items():
            truth = fold(key.get(field, ""))
            read = fold(reads[stem].get(field, ""))
            snapped = nearest(read, counts(keys, field, leave_out=stem), ratio)
            value = snapped if snapped is not None else read
            right += value == truth
            if snapped is not None:
                snaps += 1
                right_snaps += snapped == truth
        rows.append((ratio, right, snaps, right_snaps))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True, help="labelled training folder (key/*.json)")
    ap.add_argument("--results", required=True, help="saved extract results of that folder")
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", default="sroie-train-1")
    args = ap.parse_args()
    keys = load_keys(args.train)
    reads = load_reads(args.results, keys)
    out = {"format": FORMAT, "version": args.version, "fields": {}}
    for field in FIELDS:
        rows = fit(keys, reads, field)
        best = max(rows, key=lambda r: (r[1], -r[0]))
        ratio, right, snaps, right_snaps = best
        base = rows[0][1]
        print(f"{field}: leave-one-out right {base} -> {right} of {len(keys)} at ratio {ratio}"
              f" ({right_snaps}/{snaps} replacements right)", file=sys.stderr)
        for r in rows:
            print(f"  ratio {r[0]:<6} right {r[1]:>3}  replacements {r[2]:>3} right {r[3]:>3}",
                  file=sys.stderr)
        entries = counts(keys, field)
        out["fields"][field] = {
            "max_distance_ratio": ratio,
            # Laplace-smoothed: a ratio fitted on few replacements claims less.
            "confidence": round((right_snaps + 1) / (snaps + 2), 4),
            "values": [{"text": t, "count": n} for t, n in sorted(entries.items())],
        }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
