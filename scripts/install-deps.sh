#!/usr/bin/env bash
# Installs the Debian 12 packages SmartOCR needs to build, test and run.
# Idempotent: when everything is installed it only checks (about a second).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # OCR engine, image and PDF libraries
  libtesseract-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd libleptonica-dev
  libopencv-dev libpoppler-cpp-dev poppler-utils libtiff-dev zlib1g-dev
  nlohmann-json3-dev
  # storage and jobs: SQLite, PostgreSQL (client lib + server for tests), HTTP, crypto
  libsqlite3-dev libpqxx-dev postgresql libcurl4-openssl-dev libsodium-dev
  # HTTP API: server library, Redis client (shared rate limits) and server (tests)
  libcpp-httplib-dev libhiredis-dev redis-server
  # tests: fixture rendering, fonts, gtest, benchmarks, promtool-free tools
  libcairo2-dev fonts-dejavu-core libgtest-dev libgmock-dev libbenchmark-dev
  # checks
  clang-format clang-tidy
  # benchmarks: GNU time for peak RSS, bc for ratios
  time bc
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
# npm, for test-only servers that only a registry package ships. Machines of this
# kind come with Node.js and npm; Debian's own npm conflicts with that install.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Test-only tools from npm, installed outside the repository (never committed).
TOOLS_DIR=${SMARTOCR_TOOLS_DIR:-/opt/smartocr-tools}
if [[ ! -x "$TOOLS_DIR/node_modules/.bin/s3rver" ]]; then
  echo "install-deps: installing s3rver@3.7.1 into $TOOLS_DIR" >&2
  $SUDO mkdir -p "$TOOLS_DIR"
  $SUDO npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error s3rver@3.7.1 >/dev/null
fi
