// Ruled tables: Tesseract's page analysis takes a dense grid of lines for an image
// and then reads nothing inside it, so the rulings go before recognition.
#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "layout/layout.h"
#include "layout/tunables.h"

namespace smartocr::layout {

void EraseTableRulings(const Regions& regions, double scale, cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return;
  const cv::Rect page(0, 0, gray.cols, gray.rows);
  for (const RuledTable& table : regions.tables) {
    // A little margin so the outer border is inside the area we clean.
    const double pad = config::kEraseMarginPx * scale;
    cv::Rect area(cv::Point(static_cast<int>(table.box.x0 * scale - pad),
                            static_cast<int>(table.box.y0 * scale - pad)),
                  cv::Point(static_cast<int>(table.box.x1 * scale + pad + 1),
                            static_cast<int>(table.box.y1 * scale + pad + 1)));
    area &= page;
    if (area.width < config::kEraseMinAreaPx || area.height < config::kEraseMinAreaPx) continue;
    cv::Mat roi = gray(area);
    cv::Mat ink;
    cv::threshold(roi, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    // Runs longer than a fraction of the smallest cell cannot be glyph strokes.
    double min_cell_w = area.width, min_cell_h = area.height;
    for (size_t i = 1; i < table.column_edges.size(); ++i) {
      min_cell_w =
          std::min(min_cell_w, (table.column_edges[i] - table.column_edges[i - 1]) * scale);
    }
    for (size_t i = 1; i < table.row_edges.size(); ++i) {
      min_cell_h = std::min(min_cell_h, (table.row_edges[i] - table.row_edges[i - 1]) * scale);
    }
    int h_len =
        std::max(config::kEraseMinRunPx, static_cast<int>(min_cell_w / config::kEraseCellDivisor));
    int v_len =
        std::max(config::kEraseMinRunPx, static_cast<int>(min_cell_h / config::kEraseCellDivisor));
    cv::Mat horizontal, vertical;
    cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(h_len, 1)));
    cv::morphologyEx(ink, vertical, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, v_len)));
    cv::Mat rules = horizontal | vertical;
    // Anti-aliased edges of the rules are lighter than the Otsu threshold.
    const cv::Size edge(config::kEraseEdgeKernelPx, config::kEraseEdgeKernelPx);
    cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, edge));
    roi.setTo(255, rules);
  }
}

}  // namespace smartocr::layout
