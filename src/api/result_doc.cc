#include "api/result_doc.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "preprocess/preprocess.h"

namespace smartocr::api {
namespace {

// Boxes are stored normalized to the page (0..1); renderers want pixels.
core::BBox Box(const nlohmann::json& j, int width, int height) {
  core::BBox b;
  if (!j.is_array() || j.size() != 4) return b;
  b.x0 = j[0].get<double>() * width;
  b.y0 = j[1].get<double>() * height;
  b.x1 = j[2].get<double>() * width;
  b.y1 = j[3].get<double>() * height;
  return b;
}

}  // namespace

core::Result<core::DocumentResult> DocumentFromResultJson(const std::string& json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("pages") || !j["pages"].is_array()) {
    return core::Internal("result_json", "the stored result is not a result document");
  }
  try {
    core::DocumentResult doc;
    doc.input = j.value("input", "");
    doc.page_count = j.value("page_count", 0);
    if (j.contains("engine")) {
      doc.engine.name = j["engine"].value("name", "");
      doc.engine.version = j["engine"].value("version", "");
    }
    for (const auto& pj : j["pages"]) {
      core::PageResult page;
      page.number = pj.value("number", 0);
      page.width = pj.value("width", 0);
      page.height = pj.value("height", 0);
      page.rotation = pj.value("rotation", 0);
      page.source = pj.value("source", "ocr") == "pdf-text" ? core::PageSource::kPdfText
                                                            : core::PageSource::kOcr;
      page.text = pj.value("text", "");
      page.confidence = pj.value("confidence", 0.0);
      for (const auto& bj : pj.value("blocks", nlohmann::json::array())) {
        core::Block block;
        const std::string type = bj.value("type", "text");
        block.type = type == "table"   ? core::BlockType::kTable
                     : type == "image" ? core::BlockType::kFigure
                                       : core::BlockType::kText;
        block.box = Box(bj.value("bbox", nlohmann::json()), page.width, page.height);
        block.confidence = bj.value("confidence", 0.0);
        block.reading_order = bj.value("reading_order", 0);
        for (const auto& lj : bj.value("lines", nlohmann::json::array())) {
          core::Line line;
          line.box = Box(lj.value("bbox", nlohmann::json()), page.width, page.height);
          line.confidence = lj.value("confidence", 0.0);
          for (const auto& wj : lj.value("words", nlohmann::json::array())) {
            core::Word w;
            w.text = wj.value("text", "");
            w.box = Box(wj.value("bbox", nlohmann::json()), page.width, page.height);
            w.confidence = wj.value("confidence", 0.0);
            line.words.push_back(std::move(w));
          }
          block.lines.push_back(std::move(line));
        }
        page.blocks.push_back(std::move(block));
      }
      doc.pages.push_back(std::move(page));
    }
    // Redacted boxes, so images rendered from the original are blacked out the same way.
    if (j.contains("redaction") && j["redaction"].is_object()) {
      for (const auto& bj : j["redaction"].value("boxes", nlohmann::json::array())) {
        const int number = bj.value("page", 0);
        for (const core::PageResult& p : doc.pages) {
          if (p.number != number) continue;
          doc.redacted_boxes.push_back(
              {number, Box(bj.value("bbox", nlohmann::json()), p.width, p.height)});
        }
      }
      for (const auto& k : j["redaction"].value("kinds", nlohmann::json::array())) {
        if (k.is_string()) doc.redacted_kinds.push_back(k.get<std::string>());
      }
    }
    return doc;
  } catch (const nlohmann::json::exception& e) {
    return core::Internal("result_json", std::string("bad result document: ") + e.what());
  }
}

cv::Mat PageImageForResult(const cv::Mat& original, const core::PageResult& page) {
  cv::Mat image =
      page.rotation != 0 ? preprocess::TurnClockwise(original, page.rotation) : original;
  if (page.width <= 0 || page.height <= 0 ||
      (image.cols == page.width && image.rows == page.height)) {
    return image;
  }
  cv::Mat out;
  cv::resize(image, out, cv::Size(page.width, page.height));
  return out;
}

}  // namespace smartocr::api
