// src/mrz/reading.cc
//
// Scoring a reading, and the band reads of the MRZ pass. The general pass reads OCR-B
// fillers as 'K', 'c', 'e' or '«' and splits the lines into words; a re-read of just
// the band, upscaled, with the MRZ alphabet as whitelist and one line per text row, is
// far cleaner.
#include "mrz/internal/reading.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "mrz/internal/layout.h"
#include "mrz/internal/text.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

constexpr char kMrzAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

// Positions of each of `mrz`'s lines where the text contradicts the image's cells.
void CountMismatches(const std::vector<std::string>& mrz, const ZoneCells& cells, Reading& r) {
  for (size_t l = 0; l < mrz.size(); ++l) {
    int n = 0;
    for (size_t k = 0; k < mrz[l].size() && k < cells.kinds[l].size(); ++k) {
      Cell kind = cells.kinds[l][k];
      bool filler = mrz[l][k] == '<';
      n += (kind == Cell::kFiller && !filler) || (kind == Cell::kGlyph && filler) ? 1 : 0;
    }
    r.line_mismatches.push_back(n);
    r.mismatches += n;
  }
}

// The recognizer tends to drop a long run of fillers at a line's end. MRZ lines are
// equally long and monospaced: a line ending short of the longest one by n character
// pitches gets n fillers back.
void PadDroppedFillers(std::vector<core::Line>& lines) {
  const core::Line* longest = nullptr;
  for (const core::Line& l : lines) {
    if (l.words[0].text.size() >= config::kPadMinLongestChars &&
        (longest == nullptr || l.box.width() > longest->box.width())) {
      longest = &l;
    }
  }
  if (longest == nullptr) return;
  // The zone's width: the MRZ width nearest the longest line's length.
  int len = static_cast<int>(longest->words[0].text.size());
  int width = 0;
  for (int w : kWidths) {
    if (std::abs(len - w) <= config::kWidthSlack) width = w;
  }
  if (width == 0) return;
  double pitch = longest->box.width() / static_cast<double>(len);
  for (core::Line& l : lines) {
    std::string& text = l.words[0].text;
    int short_by = width - static_cast<int>(text.size());
    if (&l == &*longest || text.size() < config::kPadMinLineChars ||
        short_by <= config::kWidthSlack ||
        l.box.x0 > longest->box.x0 + config::kPadMaxIndentPitches * pitch) {
      continue;
    }
    // A line that ends in fillers lost the rest of its filler run.
    long missing =
        text.back() == '<' ? short_by : std::lround((longest->box.x1 - l.box.x1) / pitch);
    missing = std::min<long>(missing, short_by);
    if (missing > 0) text.append(static_cast<size_t>(missing), '<');
  }
}

}  // namespace

bool LooksLikeMrz(const std::string& text) {
  std::string s = WithoutSpaces(text);
  if (s.size() < config::kLooksMinChars) return false;
  int mrz = 0, fillers = 0, digits = 0;
  for (char c : s) {
    bool upper = c >= 'A' && c <= 'Z';
    bool digit = c >= '0' && c <= '9';
    fillers += c == '<' ? 1 : 0;
    digits += digit ? 1 : 0;
    mrz += (upper || digit || c == '<' || c == 'c' || c == 'e') ? 1 : 0;
  }
  double n = static_cast<double>(s.size());
  return mrz >= config::kLooksMinMrzShare * n &&
         (fillers >= config::kLooksMinFillers || digits >= config::kLooksMinDigits);
}

std::string MrzChars(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (text.compare(i, 2, "\xC2\xAB") == 0) {
      out += "<<";
      ++i;
    } else if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') {
      out += c;
    }
  }
  return out;
}

void Score(Reading& r, const ZoneCells* cells) {
  r.valid_checks = -1;
  r.checks = r.repairs = r.mismatches = r.digit_checks = 0;
  r.line_mismatches.clear();
  std::vector<std::string> texts;
  for (const core::Line& l : r.lines) texts.push_back(l.Text());
  std::vector<std::string> mrz = FindMrzLines(texts);
  r.mrz = mrz;
  if (mrz.empty()) return;
  // Check digits and repairs need no reference day (no dates are expanded).
  auto parsed = ParseMrzUndated(mrz, MrzOptions{});
  if (!parsed.ok()) return;
  r.valid_checks = 0;
  r.checks = static_cast<int>(parsed->checks.size());
  for (const MrzCheck& c : parsed->checks) {
    r.valid_checks += c.valid ? 1 : 0;
    r.digit_checks += c.valid && c.printed >= '0' && c.printed <= '9' ? 1 : 0;
  }
  r.repairs = static_cast<int>(parsed->repairs.size());
  if (cells != nullptr && cells->kinds.size() == mrz.size()) CountMismatches(mrz, *cells, r);
}

bool Better(const Reading& a, const Reading& b) {
  // A re-read that passes no check at all is noise, not an MRZ.
  if (a.valid_checks <= 0 && b.valid_checks < 0) return false;
  if (a.valid_checks != b.valid_checks) return a.valid_checks > b.valid_checks;
  if (a.mismatches != b.mismatches) return a.mismatches < b.mismatches;
  return a.valid_checks >= 0 && a.repairs < b.repairs;
}

bool AllPass(const Reading& r) {
  return r.checks > 0 && r.valid_checks == r.checks && r.repairs == 0;
}

Reading ReadBand(const cv::Mat& crop, double scale, cv::Point origin, int psm,
                 recognize::Engine& engine) {
  Reading r;
  const int pad = config::kBandPadPx;
  cv::Mat padded;
  cv::copyMakeBorder(crop, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  recognize::RecognizeOptions options;
  options.psm = psm;
  options.char_whitelist = kMrzAlphabet;
  auto lines = engine.Recognize(padded, options);
  if (!lines.ok()) return r;
  auto to_page = [&](const core::BBox& b) {
    return core::BBox{(b.x0 - pad) / scale + origin.x, (b.y0 - pad) / scale + origin.y,
                      (b.x1 - pad) / scale + origin.x, (b.y1 - pad) / scale + origin.y};
  };
  for (const core::Line& l : *lines) {
    // An MRZ line has no spaces: one word per line.
    core::Line out;
    out.box = to_page(l.box);
    out.confidence = l.confidence;
    out.words.push_back({WithoutSpaces(l.Text()), out.box, l.confidence});
    if (!out.words[0].text.empty()) r.lines.push_back(std::move(out));
  }
  PadDroppedFillers(r.lines);
  Score(r);
  return r;
}

Reading ReadLineByLine(const cv::Mat& scaled, double scale, cv::Point origin, const Reading& block,
                       recognize::Engine& engine) {
  Reading r;
  for (const core::Line& l : block.lines) {
    core::Line out = l;
    if (l.words[0].text.size() >= config::kLineRereadMinChars) {
      double h = l.box.height() * scale;
      int x0 = std::max(
          0, static_cast<int>((l.box.x0 - origin.x) * scale - config::kLineRereadLeftHeights * h));
      int x1 = std::min(scaled.cols, static_cast<int>((l.box.x1 - origin.x) * scale +
                                                      config::kLineRereadRightHeights * h));
      int y0 = std::max(
          0, static_cast<int>((l.box.y0 - origin.y) * scale - config::kLineRereadPadHeights * h));
      int y1 = std::min(scaled.rows, static_cast<int>((l.box.y1 - origin.y) * scale +
                                                      config::kLineRereadPadHeights * h));
      if (x1 - x0 > config::kLineRereadMinWidthPx && y1 - y0 > config::kLineRereadMinHeightPx) {
        Reading one =
            ReadBand(scaled(cv::Rect(x0, y0, x1 - x0, y1 - y0)), 1.0, {0, 0}, kPsmLine, engine);
        std::string text;
        for (const core::Line& ol : one.lines) text += ol.words[0].text;
        if (!text.empty()) out.words[0].text = text;
      }
    }
    r.lines.push_back(std::move(out));
  }
  PadDroppedFillers(r.lines);
  Score(r);
  return r;
}

}  // namespace smartocr::mrz::internal
