// fuzz/ingest_bytes.h
//
// The ingest fuzz targets' one call: decode bytes as an upload is decoded, but in this
// process (IngestOptions::in_process), so that the sanitizers see our decoder code and
// libFuzzer its coverage. Ingest reads files, so the bytes go to a temp file of this
// process first. The options keep each input cheap (low dpi, two pages, small pixel
// cap): what is fuzzed is the parsing, not the rendering of big pages.
#ifndef SMARTOCR_FUZZ_INGEST_BYTES_H_
#define SMARTOCR_FUZZ_INGEST_BYTES_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "ingest/ingest.h"

namespace smartocr::fuzz {

constexpr int kIngestDpi = 36;
constexpr const char* kIngestPages = "1-2";
constexpr uint64_t kIngestMaxPagePixels = 4'000'000;

// A file of this process's own under $TMPDIR, removed at exit.
class TempFile {
 public:
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "smartocr-fuzz-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    FUZZ_CHECK(fd >= 0);
    ::close(fd);
    path_ = pattern;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline ingest::IngestOptions FuzzIngestOptions() {
  ingest::IngestOptions options;
  options.in_process = true;
  options.dpi = kIngestDpi;
  options.render_text_pages = true;  // the text layer and the raster of the same page
  options.pages = *core::PageRange::Parse(kIngestPages);
  options.limits.max_page_pixels = kIngestMaxPagePixels;
  return options;
}

// Decodes every selected page of `bytes`; checks what each page says of itself.
inline void DecodeBytes(std::string_view bytes) {
  static const TempFile file;
  static const ingest::IngestOptions options = FuzzIngestOptions();
  {
    std::ofstream out(file.path(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    FUZZ_CHECK(out.good());
  }
  auto source = ingest::OpenDocument(file.path(), options);
  if (!source.ok()) return;
  FUZZ_CHECK((*source)->selected_page_count() <= (*source)->page_count());
  while (true) {
    auto page = (*source)->Next();
    if (!page.ok() || !page->has_value()) return;
    const ingest::Page& p = **page;
    FUZZ_CHECK(p.number >= 1 && p.number <= (*source)->page_count());
    FUZZ_CHECK(static_cast<uint64_t>(p.width) * p.height <= kIngestMaxPagePixels);
    if (!p.image.empty()) FUZZ_CHECK(p.image.cols == p.width && p.image.rows == p.height);
  }
}

}  // namespace smartocr::fuzz

#endif  // SMARTOCR_FUZZ_INGEST_BYTES_H_
