// src/mrz/zone.cc
//
// The general pass's lines of the MRZ zone, the band re-read around them, and the
// chosen reading put in their place.
#include "mrz/internal/zone.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

// Lines of digits alone (receipts' tax numbers) are no MRZ: one of the lines must
// show fillers.
bool ShowsFillers(const std::string& t) {
  long n = std::count(t.begin(), t.end(), '<');
  long digits = std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  return n >= config::kLooksMinFillers || (n >= 1 && digits >= config::kLooksMinDigits);
}

// The zone's lines moved out of their blocks and `lines` put where the first of them
// was.
void SpliceZone(core::PageResult& page, const std::vector<Hit>& zone,
                std::vector<core::Line>& lines) {
  size_t target_block = zone.front().block;
  size_t insert_at = zone.front().line;
  for (const Hit& hit : zone) {
    if (hit.block < target_block || (hit.block == target_block && hit.line < insert_at)) {
      target_block = hit.block;
      insert_at = hit.line;
    }
  }
  std::vector<std::vector<bool>> drop(page.blocks.size());
  for (size_t b = 0; b < page.blocks.size(); ++b) {
    drop[b].assign(page.blocks[b].lines.size(), false);
  }
  for (const Hit& hit : zone) drop[hit.block][hit.line] = true;
  for (size_t b = 0; b < page.blocks.size(); ++b) {
    std::vector<core::Line> kept;
    for (size_t l = 0; l < page.blocks[b].lines.size(); ++l) {
      if (b == target_block && l == insert_at) {
        for (core::Line& nl : lines) kept.push_back(std::move(nl));
      }
      if (!drop[b][l]) kept.push_back(std::move(page.blocks[b].lines[l]));
    }
    page.blocks[b].lines = std::move(kept);
  }
}

}  // namespace

std::vector<Hit> ZoneHits(const core::PageResult& page) {
  std::vector<Hit> hits;
  for (size_t b = 0; b < page.blocks.size(); ++b) {
    for (size_t l = 0; l < page.blocks[b].lines.size(); ++l) {
      if (LooksLikeMrz(page.blocks[b].lines[l].Text())) hits.push_back({b, l});
    }
  }
  if (hits.empty()) return hits;
  auto line_of = [&](const Hit& h) -> const core::Line& {
    return page.blocks[h.block].lines[h.line];
  };
  std::sort(hits.begin(), hits.end(),
            [&](const Hit& a, const Hit& b) { return line_of(a).box.cy() < line_of(b).box.cy(); });
  // Keep the hits within a few line heights of the lowest one.
  const core::Line& lowest = line_of(hits.back());
  double h = std::max(config::kZoneMinLineHeightPx, lowest.box.height());
  std::vector<Hit> zone;
  for (const Hit& hit : hits) {
    if (lowest.box.cy() - line_of(hit).box.cy() <= config::kZoneMaxSpanHeights * h) {
      zone.push_back(hit);
    }
  }
  // Lines of digits alone (receipts' tax numbers) are no MRZ: fillers, or two lines.
  bool fillers = std::any_of(zone.begin(), zone.end(),
                             [&](const Hit& hit) { return ShowsFillers(line_of(hit).Text()); });
  if (!fillers && zone.size() < config::kZoneMinLinesWithoutFillers) zone.clear();
  return zone;
}

void ReadAroundZone(const core::PageResult& page, const std::vector<Hit>& zone,
                    const cv::Mat& image, recognize::Engine& engine, const ZoneCells* cells,
                    Pick& pick) {
  core::BBox band;
  std::vector<double> heights;
  for (const Hit& hit : zone) {
    const core::Line& line = page.blocks[hit.block].lines[hit.line];
    band = band.Union(line.box);
    heights.push_back(line.box.height());
  }
  double line_h = std::max(config::kBandMinLineHeightPx, Median(heights));
  // Room for a line the general pass missed or cut short (a 2-line zone read as one).
  int x0 = std::max(0, static_cast<int>(band.x0 - config::kBandSideHeights * line_h));
  int x1 = std::min(image.cols, static_cast<int>(band.x1 + config::kBandSideHeights * line_h));
  // A zone of one line: the general pass missed the other(s), which lie within two
  // line heights above or below.
  double margin = zone.size() == 1 ? config::kBandMarginOneLineHeights * line_h
                                   : config::kBandMarginHeights * line_h;
  int y0 = std::max(0, static_cast<int>(band.y0 - margin));
  int y1 = std::min(image.rows, static_cast<int>(band.y1 + margin));
  if (x1 - x0 < config::kBandMinWidthPx || y1 - y0 < config::kBandMinHeightPx) return;
  cv::Mat crop = image(cv::Rect(x0, y0, x1 - x0, y1 - y0));
  for (double target : config::kReadCapHeightsPx) {
    // Bounded so that a wide band on a large page stays a modest image.
    double scale = std::min(
        std::clamp(target / line_h, config::kMinUpscale, config::kMaxUpscale),
        std::max(config::kMinUpscale, config::kMaxScaledWidthPx / static_cast<double>(crop.cols)));
    cv::Mat scaled;
    cv::resize(crop, scaled, cv::Size(), scale, scale,
               scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
    Reading r = ReadBand(scaled, scale, {x0, y0}, kPsmBlock, engine);
    Reading single = ReadLineByLine(scaled, scale, {x0, y0}, r, engine);
    Score(r, cells);
    Score(single, cells);
    pick.Offer(r);
    pick.Offer(single);
    if (AllPass(pick.best)) return;
  }
}

void ReplaceZone(core::PageResult& page, const std::vector<Hit>& zone,
                 std::vector<core::Line> lines) {
  if (zone.empty()) {
    core::Block block;
    for (const core::Line& l : lines) block.box = block.box.Union(l.box);
    block.lines = std::move(lines);
    page.blocks.push_back(std::move(block));
  } else {
    SpliceZone(page, zone, lines);
  }
  std::vector<core::Block> blocks;
  for (core::Block& b : page.blocks) {
    if (b.lines.empty()) continue;
    core::BBox box;
    double conf = 0;
    for (const core::Line& l : b.lines) {
      box = box.Union(l.box);
      conf += l.confidence;
    }
    b.box = b.box.Union(box);
    b.confidence = conf / static_cast<double>(b.lines.size());
    b.reading_order = static_cast<int>(blocks.size());
    blocks.push_back(std::move(b));
  }
  page.blocks = std::move(blocks);
  page.FinalizeTextAndConfidence();
}

}  // namespace smartocr::mrz::internal
