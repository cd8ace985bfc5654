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

if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
