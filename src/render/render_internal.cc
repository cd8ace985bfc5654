#include "render/render_internal.h"

#include <algorithm>
#include <cmath>

namespace smartocr::render::internal {

std::string SanitizeUtf8(std::string_view text) {
  // Fast path: most engine output is plain ASCII.
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : DecodeUtf8(text)) {
    AppendUtf8(cp, out);
  }
  return out;
}

double FiniteOrZero(double value) { return std::isfinite(value) ? value : 0.0; }

double RoundTo(double value, int decimals) {
  if (!std::isfinite(value)) {
    return 0.0;
  }
  double scale = std::pow(10.0, decimals);
  // Beyond this the value has no fractional digits left to round (and value*scale
  // could overflow).
  if (std::fabs(value) > 1e15 / scale) {
    return value;
  }
  return std::round(value * scale) / scale + 0.0;  // + 0.0 turns -0 into +0
}

std::vector<const core::Block*> BlocksInReadingOrder(const core::PageResult& page) {
  std::vector<const core::Block*> blocks;
  blocks.reserve(page.blocks.size());
  for (const core::Block& b : page.blocks) {
    blocks.push_back(&b);
  }
  std::stable_sort(blocks.begin(), blocks.end(), [](const core::Block* a, const core::Block* b) {
    return a->reading_order < b->reading_order;
  });
  return blocks;
}

std::string PageText(const core::PageResult& page) {
  if (!page.text.empty()) {
    return page.text;
  }
  std::string text;
  for (const core::Block* b : BlocksInReadingOrder(page)) {
    std::string t = b->Text();
    if (t.empty()) {
      continue;
    }
    if (!text.empty()) {
      text += "\n\n";
    }
    text += t;
  }
  return text;
}

}  // namespace smartocr::render::internal
