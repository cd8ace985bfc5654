// CTC decoding, words with boxes from time steps, and the hybrid's choice rule.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "ppocr/ppocr_internal.h"

namespace smartocr::ppocr {

std::vector<DecodedChar> CtcGreedy(const float* probs, int steps, int classes,
                                   const Charset& charset) {
  std::vector<DecodedChar> out;
  int usable = std::min(classes, charset.size());
  int prev = 0;
  for (int t = 0; t < steps; ++t) {
    const float* row = probs + static_cast<ptrdiff_t>(t) * classes;
    int best = 0;
    float best_p = row[0];
    for (int c = 1; c < usable; ++c) {
      if (row[c] > best_p && charset.allowed(c)) {
        best = c;
        best_p = row[c];
      }
    }
    if (best != 0 && best == prev && !out.empty()) {
      out.back().t1 = t + 1;
      out.back().prob = std::max(out.back().prob, best_p);
    } else if (best != 0) {
      out.push_back({charset.text(best), best_p, t, t + 1});
    }
    prev = best;
  }
  return out;
}

std::vector<core::Word> SplitWords(const std::vector<DecodedChar>& chars, double steps,
                                   const Quad& quad) {
  std::vector<core::Word> words;
  std::string text;
  double sum = 0;
  int n = 0, t0 = 0, t1 = 0;
  auto flush = [&]() {
    if (text.empty()) return;
    double u0 = std::min(1.0, t0 / steps), u1 = std::min(1.0, t1 / steps);
    Quad span;
    span.p = {quad.At(u0, 0), quad.At(u1, 0), quad.At(u1, 1), quad.At(u0, 1)};
    words.push_back({text, span.Bounds(), std::clamp(sum / n, 0.0, 1.0)});
    text.clear();
    sum = 0;
    n = 0;
  };
  for (const DecodedChar& c : chars) {
    if (c.text == " ") {
      flush();
      continue;
    }
    if (text.empty()) t0 = c.t0;
    t1 = c.t1;
    text += c.text;
    sum += c.prob;
    ++n;
  }
  flush();
  return words;
}

std::string FileFingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing";
  uint64_t h = 1469598103934665603ull;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h = (h ^ static_cast<unsigned char>(buf[static_cast<size_t>(i)])) * 1099511628211ull;
    }
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return std::string(out, 8);
}

}  // namespace smartocr::ppocr
