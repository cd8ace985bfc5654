#!/usr/bin/env bash
# Builds the reviewer UI that `smartocr serve --ui-dir DIR` serves at /review/.
#
#   web/review/build.sh [OUT_DIR]     (from anywhere; OUT_DIR default: web/review/dist)
#
# Idempotent: `npm ci` runs only when node_modules is missing or package-lock.json
# changed since the last install; then a type check and `vite build`.
set -euo pipefail
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "web/review/build.sh: npm (Node.js 20.19+) is required to build the review UI;" \
    "install Node.js and npm (scripts/install-deps.sh)" >&2
  exit 1
fi
# OUT_DIR is taken relative to the caller's directory.
out=$(realpath -m "${1:-$(dirname "${BASH_SOURCE[0]}")/dist}")
cd "$(dirname "${BASH_SOURCE[0]}")"

# Vite 7 needs Node.js ^20.19 or >= 22.12.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)?0:1)'; then
  echo "web/review/build.sh: Node.js $(node --version) is too old to build the review UI;" \
    "Vite needs 20.19+ or 22.12+" >&2
  exit 1
fi

# The output folder is emptied first: refuse one that holds anything but a UI build.
if [[ -d $out && -n $(ls -A "$out") && ! -f $out/index.html ]]; then
  echo "web/review/build.sh: $out is not empty and holds no index.html; not overwriting it" >&2
  exit 1
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "web/review/build.sh: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

npx --no-install tsc --noEmit
npx --no-install vite build --logLevel warn --outDir "$out" --emptyOutDir
echo "web/review/build.sh: built $(cd "$out" && pwd)" >&2
