#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds SmartOCR, generates a small sample PDF
# (page 1 born-digital, page 2 a slightly skewed scan) and reads it with
# `smartocr extract` on the embedded default (no server needed).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C out/release smartocr smartocr-decode smartocr-make-sample

mkdir -p out/demo
out/release/tests/tools/smartocr-make-sample out/demo/sample.pdf
echo "== smartocr --version"
out/release/src/cli/smartocr --version
echo "== smartocr extract out/demo/sample.pdf --format text"
out/release/src/cli/smartocr extract out/demo/sample.pdf --format text
out/release/src/cli/smartocr extract out/demo/sample.pdf -o out/demo/sample.json
out/release/src/cli/smartocr extract out/demo/sample.pdf --format pdf -o out/demo/sample.searchable.pdf
echo "== wrote out/demo/sample.json (JSON with boxes and confidences)"
echo "== wrote out/demo/sample.searchable.pdf (searchable PDF)"
