// One page through preprocess -> layout -> recognize.
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "layout/layout.h"
#include "mrz/mrz.h"
#include "pipeline/page_dpi.h"
#include "pipeline/page_language.h"
#include "pipeline/pipeline.h"
#include "telemetry/metrics.h"
#include "telemetry/stage.h"
#include "telemetry/tracer.h"

namespace smartocr::pipeline {
namespace {

// Times a page's stages: into the result (timings_ms), the stage histogram
// (smartocr_stage_duration_seconds) and one span per stage under the page's span.
class StageTimer {
 public:
  StageTimer(core::PageResult& page, std::string engine)
      : page_(page), engine_(std::move(engine)) {}
  // Records the time since the last mark under `stage`.
  void Mark(const std::string& stage) {
    const int64_t now = telemetry::RecordStage(stage, engine_, last_, page_.number);
    page_.timings_ms[stage] += static_cast<double>(now - last_) / 1e6;
    last_ = now;
  }

 private:
  core::PageResult& page_;
  const std::string engine_;
  int64_t last_ = telemetry::UnixNanosNow();
};

cv::Mat ToGray(const cv::Mat& image) {
  if (image.empty() || image.type() == CV_8UC1) return image;
  cv::Mat gray;
  if (image.channels() == 4) {
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  } else if (image.channels() == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else {
    image.convertTo(gray, CV_8U);
  }
  return gray;
}

void ScaleLines(std::vector<core::Line>& lines, double factor) {
  if (factor == 1.0) return;
  auto scale = [factor](core::BBox& b) {
    b = {b.x0 * factor, b.y0 * factor, b.x1 * factor, b.y1 * factor};
  };
  for (core::Line& line : lines) {
    scale(line.box);
    for (core::Word& w : line.words) scale(w.box);
  }
}

void ApplyLayout(layout::PageLayout layout, core::PageResult& result) {
  result.blocks = std::move(layout.blocks);
  result.tables = std::move(layout.tables);
  result.FinalizeTextAndConfidence();
}

core::Result<core::PageResult> ProcessTextLayerPage(ingest::Page page, cv::Mat* page_image) {
  core::PageResult result;
  result.number = page.number;
  result.source = core::PageSource::kPdfText;
  result.width = page.width;
  result.height = page.height;
  result.dpi = page.dpi;
  result.dpi_source = page.dpi_source;
  StageTimer timer(result, "pdf-text");
  std::vector<core::Line> lines = layout::GroupWordsIntoLines(std::move(page.words));
  const langid::Guess language = IdentifyLanguage(lines);
  result.language = language.code;
  result.language_confidence = language.confidence;
  cv::Mat gray = ToGray(page.image);
  layout::Regions regions;
  if (!gray.empty()) regions = layout::DetectRegions(gray);
  ApplyLayout(layout::Assemble(std::move(lines), regions, page.width, page.height), result);
  timer.Mark("layout");
  if (page_image != nullptr) *page_image = gray;
  return result;
}

core::Result<core::PageResult> ProcessOcrPage(ingest::Page page, recognize::Engine& engine,
                                              const PipelineOptions& options, cv::Mat* page_image,
                                              const std::atomic<bool>* cancel);

}  // namespace

namespace {

core::Result<core::PageResult> ProcessPageOnce(ingest::Page page, recognize::Engine& engine,
                                               const PipelineOptions& options, cv::Mat* page_image,
                                               const std::atomic<bool>* cancel,
                                               PageCache* page_cache, bool* cache_hit) {
  if (page.source == core::PageSource::kPdfText) {
    return ProcessTextLayerPage(std::move(page), page_image);
  }
  if (page_cache == nullptr || page_image != nullptr) {
    return ProcessOcrPage(std::move(page), engine, options, page_image, cancel);
  }
  const int number = page.number;
  // The source's name in the key too: the same pixels at a tagged or a given dpi give
  // results that say so.
  const std::string key = PageCacheKey(page.image, page.dpi, engine.info(), options.preprocess,
                                       std::string(options.mrz_pass ? "mrz_pass=1" : "mrz_pass=0") +
                                           ";dpi_source=" + core::DpiSourceName(page.dpi_source) +
                                           ";lang=" + options.lang);
  if (std::optional<std::string> hit = page_cache->Get(key)) {
    auto cached = DecodePageResult(*hit);
    if (cached.ok()) {  // a damaged entry is a miss and gets overwritten below
      // As first read, stage timings included: nothing in the result tells a hit apart.
      cached->number = number;
      *cache_hit = true;
      return cached;
    }
  }
  auto result = ProcessOcrPage(std::move(page), engine, options, nullptr, cancel);
  if (result.ok()) page_cache->Put(key, EncodePageResult(*result));
  return result;
}

}  // namespace

core::Result<core::PageResult> ProcessPage(ingest::Page page, recognize::Engine& engine,
                                           const PipelineOptions& options, cv::Mat* page_image,
                                           const std::atomic<bool>* cancel, PageCache* page_cache) {
  if (cancel != nullptr && cancel->load()) {
    return core::Cancelled("cancelled", "the run was cancelled");
  }
  // One span per page (its stages' spans nest under it) and one count per page read.
  telemetry::Span span = telemetry::Span::StartChild("page");
  span.SetAttribute("smartocr.page", int64_t{page.number});
  span.SetAttribute("smartocr.engine", engine.info().name);
  const telemetry::ScopedContext current(span.context());
  bool cache_hit = false;
  auto result =
      ProcessPageOnce(std::move(page), engine, options, page_image, cancel, page_cache, &cache_hit);
  if (!result.ok()) {
    span.SetError(result.status());
    return result;
  }
  const char* source = cache_hit ? "cache" : core::PageSourceName(result->source);
  span.SetAttribute("smartocr.page.source", std::string(source));
  telemetry::CountPage(source);
  return result;
}

namespace {

// Reads `gray` turned clockwise by `turn` first (none: as OSD decides).
// The page read again turned by `total` degrees (its MRZ said so) reports the turn, the
// first reading's time, and the first reading's deskew when it was read from that.
void RecordMrzTurn(const core::PageResult& first, int total, bool from_original,
                   core::PageResult& turned) {
  turned.rotation = total;
  if (!from_original) turned.skew_deg += first.skew_deg;
  for (const auto& [stage, ms] : first.timings_ms) turned.timings_ms[stage] += ms;
  for (core::StepReport& step : turned.preprocess) {
    if (step.name != "orientation") continue;
    step.applied = true;
    step.value = total;
    step.detail = "turned " + std::to_string(total) + " degrees clockwise: the MRZ reads that way";
  }
}

// Names the language of `lines` (read from `ocr`) in `result`; under --lang auto, the
// page read again in it when that is another installed language ("fiir" becomes
// "für"): the lines to keep.
core::Result<std::vector<core::Line>> ReadInPageLanguage(
    const cv::Mat& ocr, recognize::Engine& engine, bool auto_language,
    recognize::RecognizeOptions rec, std::vector<core::Line> lines, core::PageResult& result,
    StageTimer& timer) {
  timer.Mark("recognize");
  const langid::Guess language = IdentifyLanguage(lines);
  result.language = language.code;
  result.language_confidence = language.confidence;
  if (!auto_language) return lines;
  rec.lang = RereadLanguages(language, engine);
  if (rec.lang.empty()) return lines;
  auto again = engine.Recognize(ocr, rec);
  timer.Mark("recognize_language");
  return again;
}

core::Result<core::PageResult> ReadOcrPage(cv::Mat gray, int number, std::optional<int> turn,
                                           recognize::Engine& engine,
                                           const PipelineOptions& options, double dpi,
                                           cv::Mat* page_image, const std::atomic<bool>* cancel) {
  core::PageResult result;
  result.number = number;
  result.source = core::PageSource::kOcr;
  StageTimer timer(result, engine.info().name);

  preprocess::PreprocessOptions pre_options = options.preprocess;
  if (turn) pre_options.orientation = false;
  auto pre =
      preprocess::Preprocess(turn ? preprocess::TurnClockwise(gray, *turn) : gray, pre_options);
  if (!pre.ok()) return pre.status().WithContext("page " + std::to_string(number));
  // Kept for a second reading turned by the MRZ (below) when it is small, as ID cards
  // are (PipelineOptions::mrz_turn_original_max_pixels).
  cv::Mat original;
  if (!turn && options.mrz_pass && gray.total() <= options.mrz_turn_original_max_pixels) {
    original = gray;
  }
  gray.release();
  result.width = pre->page.cols;
  result.height = pre->page.rows;
  result.rotation = turn ? *turn : pre->rotation;
  result.skew_deg = pre->skew_deg;
  result.preprocess = std::move(pre->steps);
  timer.Mark("preprocess");

  layout::Regions regions = layout::DetectRegions(pre->page);
  if (!regions.tables.empty()) {
    pre->ocr = pre->ocr.clone();  // may share pixels with pre->page
    layout::EraseTableRulings(regions, pre->ocr_scale, pre->ocr);
  }
  timer.Mark("layout");

  recognize::RecognizeOptions rec;
  rec.single_column = !regions.multi_column && regions.figures.empty();
  if (dpi > 0) rec.dpi = static_cast<int>(std::lround(dpi * pre->ocr_scale));
  rec.cancel = cancel;
  const bool auto_language = options.lang == kAutoLanguage;
  if (!auto_language) rec.lang = options.lang;
  auto lines = engine.Recognize(pre->ocr, rec);
  if (lines.ok()) {
    lines =
        ReadInPageLanguage(pre->ocr, engine, auto_language, rec, std::move(*lines), result, timer);
  }
  if (!lines.ok()) return lines.status().WithContext("page " + std::to_string(number));
  ScaleLines(*lines, 1.0 / pre->ocr_scale);

  ApplyLayout(layout::Assemble(std::move(*lines), regions, result.width, result.height), result);
  timer.Mark("layout");
  if (options.mrz_pass) {
    mrz::RereadMrzBand(result, pre->page, engine, options.mrz_readers);
    timer.Mark("mrz");
    // OSD leaves most ID cards as they come (too little text, or a photo that fools
    // it): an MRZ that reads only when the page is turned says how it stands, and the
    // whole page is read again that way.
    if (!turn) {
      const int mrz_turn = mrz::FindMrzTurn(result, pre->page, engine, options.mrz_readers);
      timer.Mark("mrz_orientation");
      if (mrz_turn != 0) {
        // From the original turned in all, or from the page as preprocessed (OSD's
        // turn and the deskew done) turned further: in-plane angles add up whatever
        // the quarter turns.
        const int total = (result.rotation + mrz_turn) % 360;
        const bool from_original = !original.empty();
        auto turned = from_original ? ReadOcrPage(std::move(original), number, total, engine,
                                                  options, dpi, page_image, cancel)
                                    : ReadOcrPage(std::move(pre->page), number, mrz_turn, engine,
                                                  options, dpi, page_image, cancel);
        if (turned.ok()) RecordMrzTurn(result, total, from_original, *turned);
        return turned;
      }
    }
  }
  if (page_image != nullptr) *page_image = std::move(pre->page);
  return result;
}

core::Result<core::PageResult> ProcessOcrPage(ingest::Page page, recognize::Engine& engine,
                                              const PipelineOptions& options, cv::Mat* page_image,
                                              const std::atomic<bool>* cancel) {
  cv::Mat gray = ToGray(page.image);
  page.image.release();
  auto result = ReadOcrPage(std::move(gray), page.number, std::nullopt, engine, options, page.dpi,
                            page_image, cancel);
  if (result.ok()) AssignPageDpi(page.dpi, page.dpi_source, *result);
  return result;
}

}  // namespace

}  // namespace smartocr::pipeline
