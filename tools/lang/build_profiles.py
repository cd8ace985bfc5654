#!/usr/bin/python3
"""Builds the language identifier's model (models/lang/profiles.json): for each language
a profile of character trigrams with their log-probabilities, from Debian's open word
lists. src/langid/langid.cc scores a page's words against every profile (naive Bayes
over the trigrams of each word padded with '_') and picks the language most words
agree on.

Word lists (apt install wamerican wngerman wfrench wspanish witalian wdutch wportuguese):
every word counts once, lower-cased, letters only; words with other characters
(apostrophes, digits) are left out. The KEEP most frequent trigrams of each language
are kept; any other trigram scores the language's floor, one (natural log) below the
rarest kept one.

Usage (standard library only):
  tools/lang/build_profiles.py [--dict-dir /usr/share/dict] [--out models/lang/profiles.json]
"""
import argparse
import collections
import json
import math
import os

# Tesseract code -> word list file under /usr/share/dict.
LISTS = {
    "eng": "american-english",
    "deu": "ngerman",
    "fra": "french",
    "spa": "spanish",
    "ita": "italian",
    "nld": "dutch",
    "por": "portuguese",
}
KEEP = 6000
VERSION = "trigram-nb-1"


def words_of(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            word = line.strip().lower()
            if len(word) >= 2 and all(c.isalpha() for c in word):
                yield word


def trigrams(word):
    padded = "_" + word + "_"
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--dict-dir", default="/usr/share/dict")
    ap.add_argument("--out", default=os.path.join(root, "models/lang/profiles.json"))
    args = ap.parse_args()
    profiles = {}
    for code, name in LISTS.items():
        counts = collections.Counter()
        n_words = 0
        for word in words_of(os.path.join(args.dict_dir, name)):
            counts.update(trigrams(word))
            n_words += 1
        total = sum(counts.values())
        kept = dict(counts.most_common(KEEP))
        profiles[code] = {
            "words": n_words,
            # Rarer than the rarest kept trigram: the same footing in every language.
            "floor": round(math.log(min(kept.values()) / total) - 1.0, 4),
            "trigrams": {t: round(math.log(c / total), 4) for t, c in sorted(kept.items())},
        }
        print(f"{code}: {n_words} words, {len(counts)} trigrams, kept {len(kept)}")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"version": VERSION, "languages": profiles}, f, ensure_ascii=False,
                  separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
