// Fuzz target: PDF uploads (ingest: Poppler's parser, our page and text-layer code).
// Input: the file's bytes; others than PDF are left to ingest_image_fuzz. Seeds: the
// PDFs of ../shared/data/hostile when present and make_seeds' (scripts/fuzz.sh).
#include "fuzz_input.h"
#include "ingest_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ingest = smartocr::ingest;
  const std::string_view bytes = smartocr::fuzz::AsText(data, size);
  if (ingest::SniffType(bytes) != ingest::FileType::kPdf) return 0;
  smartocr::fuzz::DecodeBytes(bytes);
  return 0;
}
