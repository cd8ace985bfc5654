// Fuzz target: PNG, JPEG and TIFF uploads (ingest: header checks, EXIF orientation,
// the TIFF page walk, the decoders behind them). Input: the file's bytes; PDFs are left
// to ingest_pdf_fuzz. Seeds: the images of ../shared/data/hostile when present and
// make_seeds' (scripts/fuzz.sh).
#include "fuzz_input.h"
#include "ingest_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ingest = smartocr::ingest;
  const std::string_view bytes = smartocr::fuzz::AsText(data, size);
  const ingest::FileType type = ingest::SniffType(bytes);
  if (type == ingest::FileType::kPdf || type == ingest::FileType::kUnknown) return 0;
  smartocr::fuzz::DecodeBytes(bytes);
  return 0;
}
