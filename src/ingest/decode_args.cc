#include "ingest/decode_args.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace smartocr::ingest {

namespace {

// Probing is linear in the pages; past this the spec ends open ("N-").
constexpr int kMaxProbedPage = 1'000'000;

core::Status Bad(const std::string& arg) {
  return core::InvalidArgument("decoder_args", "bad decoder argument: " + arg);
}

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseDouble(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

}  // namespace

std::string PageRangeSpec(const core::PageRange& range, int max_page) {
  if (range.all()) return "all";
  int last = std::clamp(max_page, 1, kMaxProbedPage);
  std::string spec;
  for (int p = 1; p <= last; ++p) {
    if (!range.Contains(p)) continue;
    int end = p;
    while (end < last && range.Contains(end + 1)) ++end;
    if (!spec.empty()) spec += ',';
    spec += std::to_string(p);
    if (end == last) {
      spec += '-';  // open: also covers pages past the probe
    } else if (end != p) {
      spec += '-' + std::to_string(end);
    }
    p = end;
  }
  // Nothing selected: name a page no document within the limits has.
  return spec.empty() ? std::to_string(last + 1) : spec;
}

std::vector<std::string> EncodeDecodeArgs(const IngestOptions& options, const std::string& path) {
  const Limits& limits = options.limits;
  return {
      "--dpi=" + std::to_string(options.dpi),
      "--image-dpi=" + std::to_string(options.image_dpi),
      "--pages=" + PageRangeSpec(options.pages, limits.max_pages),
      "--max-file-bytes=" + std::to_string(limits.max_file_bytes),
      "--max-pages=" + std::to_string(limits.max_pages),
      "--max-page-pixels=" + std::to_string(limits.max_page_pixels),
      "--max-text-words=" + std::to_string(limits.max_text_layer_words),
      "--max-invoice-bytes=" + std::to_string(limits.max_embedded_invoice_bytes),
      "--memory-bytes=" + std::to_string(limits.decoder_memory_bytes),
      "--page-timeout-s=" + std::to_string(limits.page_timeout_s),
      std::string("--render-text-pages=") + (options.render_text_pages ? "1" : "0"),
      "--min-text-chars=" + std::to_string(options.min_text_layer_chars),
      "--",
      path,
  };
}

core::Result<DecodeArgs> ParseDecodeArgs(const std::vector<std::string>& args) {
  DecodeArgs out;
  IngestOptions& o = out.options;
  Limits& l = o.limits;
  size_t i = 0;
  for (; i < args.size() && args[i] != "--"; ++i) {
    const std::string& arg = args[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos) return Bad(arg);
    std::string name = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    bool ok = false;
    if (name == "--dpi") {
      ok = ParseNumber(value, &o.dpi) && o.dpi > 0;
    } else if (name == "--image-dpi") {
      ok = ParseNumber(value, &o.image_dpi) && o.image_dpi >= 0;
    } else if (name == "--pages") {
      if (value == "all") {
        o.pages = core::PageRange();
        ok = true;
      } else if (core::Result<core::PageRange> range = core::PageRange::Parse(value); range.ok()) {
        o.pages = *range;
        ok = true;
      }
    } else if (name == "--max-file-bytes") {
      ok = ParseNumber(value, &l.max_file_bytes);
    } else if (name == "--max-pages") {
      ok = ParseNumber(value, &l.max_pages);
    } else if (name == "--max-page-pixels") {
      ok = ParseNumber(value, &l.max_page_pixels);
    } else if (name == "--max-text-words") {
      ok = ParseNumber(value, &l.max_text_layer_words);
    } else if (name == "--max-invoice-bytes") {
      ok = ParseNumber(value, &l.max_embedded_invoice_bytes);
    } else if (name == "--memory-bytes") {
      ok = ParseNumber(value, &l.decoder_memory_bytes);
    } else if (name == "--page-timeout-s") {
      ok = ParseDouble(value, &l.page_timeout_s);
    } else if (name == "--render-text-pages") {
      ok = value == "0" || value == "1";
      o.render_text_pages = value == "1";
    } else if (name == "--min-text-chars") {
      ok = ParseNumber(value, &o.min_text_layer_chars);
    }
    if (!ok) return Bad(arg);
  }
  if (i + 2 != args.size()) return Bad("expected -- FILE at the end");
  out.path = args[i + 1];
  return out;
}

}  // namespace smartocr::ingest
