#include "render/render_internal.h"

#include <algorithm>
#include <cmath>

namespace smartocr::render::internal {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t min = 0;
    char32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      len = 2, min = 0x80, cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      len = 3, min = 0x800, cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      len = 4, min = 0x10000, cp = lead & 0x07;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char c = static_cast<unsigned char>(text[i + k]);
      ok = IsContinuation(c);
      cp = (cp << 6) | (c & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      // Skip one byte only, so a valid character right after a bad byte survives.
      out.push_back(kReplacementChar);
      ++i;
    }
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    cp = kReplacementChar;
  }
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

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
