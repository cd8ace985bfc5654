// src/mrz/internal/zone.h
//
// The general pass's lines of the MRZ zone: which they are, the band re-read around
// them, and putting the chosen reading in their place. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_ZONE_H_
#define SMARTOCR_MRZ_INTERNAL_ZONE_H_

#include <opencv2/core.hpp>
#include <vector>

#include "core/core.h"
#include "mrz/internal/band.h"
#include "mrz/internal/pick.h"
#include "recognize/recognize.h"

namespace smartocr::mrz::internal {

// A line of the page: page.blocks[block].lines[line].
struct Hit {
  size_t block, line;
};

// The general pass's MRZ-like lines of the zone (the lowest group of them), if any,
// top to bottom.
std::vector<Hit> ZoneHits(const core::PageResult& page);

// Re-reads the band around the general pass's zone lines (block and per-line reads)
// and offers the readings to `pick`.
void ReadAroundZone(const core::PageResult& page, const std::vector<Hit>& zone,
                    const cv::Mat& image, recognize::Engine& engine, const ZoneCells* cells,
                    Pick& pick);

// Puts `lines` in place of the zone's lines (where the zone began), or in a block of
// their own at the end when the general pass had none; blocks left empty go.
void ReplaceZone(core::PageResult& page, const std::vector<Hit>& zone,
                 std::vector<core::Line> lines);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_ZONE_H_
