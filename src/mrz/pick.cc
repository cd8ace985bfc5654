// src/mrz/pick.cc
//
// Choosing among the MRZ pass's readings (see internal/pick.h).
#include "mrz/internal/pick.h"

#include <algorithm>
#include <map>

#include "mrz/internal/layout.h"
#include "mrz/internal/text.h"
#include "mrz/internal/viz.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {

void Pick::Offer(const Reading& r) {
  Consider(r);
  bool aligned =
      !r.mrz.empty() && r.line_mismatches.size() == r.mrz.size() &&
      std::all_of(r.line_mismatches.begin(), r.line_mismatches.end(), [](int m) { return m == 0; });
  if (aligned && cells != nullptr && cells->glyph_ids.size() == r.mrz.size()) {
    std::vector<std::string> texts = HarmonizeMrzGlyphs(r.mrz, cells->glyph_ids);
    Reading h;
    if (texts != r.mrz && FromTexts(texts, r, h)) Consider(h);
  }
}

void Pick::Consider(const Reading& r) {
  if (r.valid_checks > 0) seen.push_back(r.mrz);
  size_t n = NameLineOf(r.mrz.size());
  if (r.valid_checks >= 0 && r.line_mismatches.size() == r.mrz.size() &&
      (name_line.empty() || r.line_mismatches[n] < name_mismatches)) {
    name_line = r.mrz[n];
    name_mismatches = r.line_mismatches[n];
    line_count = r.mrz.size();
  }
  if (Better(r, best)) best = r;
}

void Pick::Compose() {
  size_t n = NameLineOf(best.mrz.size());
  if (name_line.empty() || best.mrz.size() != line_count ||
      best.line_mismatches.size() != line_count || best.line_mismatches[n] <= name_mismatches ||
      best.mrz[n].size() != name_line.size()) {
    return;
  }
  std::vector<std::string> texts = best.mrz;
  texts[n] = name_line;
  Reading composed;
  if (FromTexts(texts, best, composed) && composed.valid_checks >= best.valid_checks) {
    best = std::move(composed);
  }
}

void Pick::Vote() {
  if (best.mrz.empty()) return;
  std::vector<std::string> texts = best.mrz;
  size_t n = NameLineOf(texts.size());
  for (size_t l = 0; l < texts.size(); ++l) {
    if (l == n) continue;
    for (size_t k = 0; k < texts[l].size(); ++k) {
      std::map<char, int> votes;
      int total = 0;
      for (const auto& other : seen) {
        if (other.size() != texts.size() || other[l].size() != texts[l].size()) continue;
        ++votes[other[l][k]];
        ++total;
      }
      // A majority of the readings, and at least kMinVotes of them.
      for (const auto& [c, count] : votes) {
        if (2 * count > total && count >= config::kMinVotes) texts[l][k] = c;
      }
    }
  }
  Reading voted;
  if (texts != best.mrz && FromTexts(texts, best, voted) &&
      voted.valid_checks >= best.valid_checks && voted.mismatches <= best.mismatches) {
    best = std::move(voted);
  }
}

void Pick::ConfirmNames(const std::vector<std::string>& viz_words) {
  if (best.mrz.empty() || viz_words.empty()) return;
  const size_t n = NameLineOf(best.mrz.size());
  const std::string& line = best.mrz[n];
  std::vector<bool> unsure(line.size(), false);
  for (const auto& other : seen) {
    if (other.size() != best.mrz.size() || other[n].size() != line.size()) continue;
    for (size_t k = 0; k < line.size(); ++k) unsure[k] = unsure[k] || other[n][k] != line[k];
  }
  std::vector<std::string> texts = best.mrz;
  texts[n] = ConfirmNamesByViz(line, NameStartOf(best.mrz.size()), unsure, viz_words);
  Reading confirmed;
  if (texts != best.mrz && FromTexts(texts, best, confirmed) &&
      confirmed.valid_checks >= best.valid_checks) {
    best = std::move(confirmed);
  }
}

bool Pick::FromTexts(const std::vector<std::string>& texts, const Reading& like,
                     Reading& out) const {
  out = Reading();
  for (size_t l = 0; l < texts.size(); ++l) {
    core::Line line;
    if (like.lines.size() == texts.size()) {
      line.box = like.lines[l].box;
      line.confidence = like.lines[l].confidence;
    } else if (rows != nullptr && rows->size() == texts.size()) {
      const cv::Rect& b = (*rows)[l].box;
      line.box = {static_cast<double>(b.x), static_cast<double>(b.y),
                  static_cast<double>(b.x + b.width), static_cast<double>(b.y + b.height)};
      line.confidence = like.lines.empty() ? 0 : like.lines[0].confidence;
    } else {
      return false;
    }
    line.words.push_back({texts[l], line.box, line.confidence});
    out.lines.push_back(std::move(line));
  }
  Score(out, cells);
  return true;
}

}  // namespace smartocr::mrz::internal
