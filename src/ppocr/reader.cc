// PP-OCRv4 pre- and post-processing around the three models, following PaddleOCR's
// reference pipeline (DB detection, 48x192 angle classifier, 48-pixel-high SVTR
// recognizer with CTC over ppocr_keys_v1 + space).
#include "ppocr/reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "ppocr/tunables.h"

namespace smartocr::ppocr {
namespace {

constexpr int kRecHeight = 48;
constexpr int kClsWidth = 192;

std::string ModelsDir(const PpocrConfig& config) {
  if (!config.models_dir.empty()) return config.models_dir;
  const char* env = std::getenv("SMARTOCR_MODELS_DIR");
  if (env != nullptr && *env != '\0') return env;
  return DefaultModelsDir();
}

// Writes `gray` (8-bit) resized to h x w into channel planes of a NCHW batch at
// `dst` (3 planes of batch_w x h), scaled as (v/255 - mean) / std; the rest stays 0.
void FillPlanes(const cv::Mat& gray, int h, int w, int batch_w, const float mean[3],
                const float stdev[3], float* dst) {
  cv::Mat resized;
  cv::resize(gray, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  size_t plane = static_cast<size_t>(h) * static_cast<size_t>(batch_w);
  for (int c = 0; c < 3; ++c) {
    float* out = dst + plane * static_cast<size_t>(c);
    for (int y = 0; y < h; ++y) {
      const uint8_t* row = resized.ptr<uint8_t>(y);
      float* o = out + static_cast<ptrdiff_t>(y) * batch_w;
      for (int x = 0; x < w; ++x) o[x] = (row[x] / 255.0f - mean[c]) / stdev[c];
    }
  }
}

const float kHalf[3] = {0.5f, 0.5f, 0.5f};

}  // namespace

std::string DefaultModelsDir() { return SMARTOCR_DEFAULT_MODELS_DIR; }

core::Result<std::unique_ptr<Reader>> Reader::Open(const PpocrConfig& config) {
  if (config.intra_threads < 1 || config.rec_batch < 1 ||
      config.det_max_side < config::kMinDetMaxSide) {
    return core::InvalidArgument("ppocr_config", "bad PP-OCR settings");
  }
  namespace fs = std::filesystem;
  fs::path dir = ModelsDir(config);
  auto charset = Charset::Load((dir / "ppocr_keys_v1.txt").string(), config.lang);
  if (!charset.ok()) return charset.status();
  std::unique_ptr<Reader> r(new Reader(config, *charset));
  const std::string det = (dir / "ch_PP-OCRv4_det_infer.onnx").string();
  const std::string cls = (dir / "ch_ppocr_mobile_v2.0_cls_infer.onnx").string();
  const std::string rec = (dir / "ch_PP-OCRv4_rec_infer.onnx").string();
  auto d = OpenModel(det, config.device, config.intra_threads);
  if (!d.ok()) return d.status();
  if (config.classify_angle) {
    auto c = OpenModel(cls, config.device, config.intra_threads);
    if (!c.ok()) return c.status();
    r->cls_ = *c;
  }
  auto e = OpenModel(rec, config.device, config.intra_threads);
  if (!e.ok()) return e.status();
  r->det_ = *d;
  r->rec_ = *e;
  // The classifier's hash only when it runs: the version says what read the page.
  r->version_ = "ppocrv4 det:" + FileFingerprint(det) +
                (config.classify_angle ? " cls:" + FileFingerprint(cls) : std::string()) +
                " rec:" + FileFingerprint(rec) + " ort" + RuntimeVersion() + " " + config.device +
                (config.lang.empty() ? "" : " " + config.lang);
  return r;
}

core::Result<std::vector<Quad>> Reader::DetectLines(const cv::Mat& gray) const {
  double scale =
      std::min(1.0, static_cast<double>(config_.det_max_side) / std::max(gray.cols, gray.rows));
  auto round32 = [](double v) { return std::max(32, static_cast<int>(std::lround(v / 32)) * 32); };
  int w = round32(gray.cols * scale), h = round32(gray.rows * scale);
  static const float kMean[3] = {0.485f, 0.456f, 0.406f};
  static const float kStd[3] = {0.229f, 0.224f, 0.225f};
  Tensor in;
  in.shape = {1, 3, h, w};
  in.data.assign(static_cast<size_t>(3) * static_cast<size_t>(h) * static_cast<size_t>(w), 0.0f);
  FillPlanes(gray, h, w, w, kMean, kStd, in.data.data());
  auto out = det_->Run(in);
  if (!out.ok()) return out.status();
  if (out->shape.size() != 4 || out->shape[2] != h || out->shape[3] != w) {
    return core::Internal("ppocr_det", "unexpected detector output shape");
  }
  cv::Mat prob(h, w, CV_32FC1, out->data.data());
  DbParams params;
  params.binarize = config_.det_binarize;
  params.box_score = config_.det_box_score;
  params.unclip = config_.det_unclip;
  std::vector<Quad> quads = DbPostprocess(prob, params, static_cast<double>(gray.cols) / w,
                                          static_cast<double>(gray.rows) / h);
  for (Quad& q : quads) q = Upright(q);
  if (config_.classify_angle && !quads.empty()) {
    SMARTOCR_RETURN_IF_ERROR(OrientLines(gray, quads));
  }
  return quads;
}

cv::Mat Reader::RecCrop(const cv::Mat& gray, const Quad& quad) const {
  double pad = config_.rec_padding * quad.Height();
  return CropQuad(gray, quad.Grown(pad, pad), cv::BORDER_REPLICATE);
}

core::Status Reader::OrientLines(const cv::Mat& gray, std::vector<Quad>& quads) const {
  const size_t batch = config::kClsBatch;
  for (size_t start = 0; start < quads.size(); start += batch) {
    size_t n = std::min(batch, quads.size() - start);
    Tensor in;
    in.shape = {static_cast<int64_t>(n), 3, kRecHeight, kClsWidth};
    const size_t per = static_cast<size_t>(3) * kRecHeight * kClsWidth;
    in.data.assign(per * n, 0.0f);
    for (size_t i = 0; i < n; ++i) {
      cv::Mat crop = CropQuad(gray, quads[start + i], cv::BORDER_REPLICATE);
      double ratio = static_cast<double>(crop.cols) / std::max(1, crop.rows);
      int w = std::clamp(static_cast<int>(std::ceil(kRecHeight * ratio)), 1, kClsWidth);
      FillPlanes(crop, kRecHeight, w, kClsWidth, kHalf, kHalf, in.data.data() + per * i);
    }
    auto out = cls_->Run(in);
    if (!out.ok()) return out.status();
    if (out->shape.size() != 2 || out->shape[1] != 2) {
      return core::Internal("ppocr_cls", "unexpected classifier output shape");
    }
    for (size_t i = 0; i < n; ++i) {
      if (out->data[i * 2 + 1] > config::kClsTurnProb) quads[start + i] = Turned(quads[start + i]);
    }
  }
  return core::Status::Ok();
}

core::Result<std::vector<core::Line>> Reader::ReadLines(const cv::Mat& gray,
                                                        const std::vector<Quad>& quads) const {
  std::vector<core::Line> lines(quads.size());
  std::vector<cv::Mat> crops(quads.size());
  std::vector<Quad> padded(quads.size());
  for (size_t i = 0; i < quads.size(); ++i) {
    double pad = config_.rec_padding * quads[i].Height();
    padded[i] = quads[i].Grown(pad, pad);
    crops[i] = CropQuad(gray, padded[i], cv::BORDER_REPLICATE);
  }
  // Similar widths together: less padding computed per batch.
  std::vector<size_t> order(quads.size());
  std::iota(order.begin(), order.end(), 0);
  auto ratio = [&](size_t i) {
    return static_cast<double>(crops[i].cols) / std::max(1, crops[i].rows);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ratio(a) < ratio(b); });
  const size_t batch = static_cast<size_t>(config_.rec_batch);
  for (size_t start = 0; start < order.size(); start += batch) {
    size_t n = std::min(batch, order.size() - start);
    double max_ratio = config::kRecMinBatchRatio;
    for (size_t k = 0; k < n; ++k) max_ratio = std::max(max_ratio, ratio(order[start + k]));
    int batch_w = static_cast<int>(std::ceil(kRecHeight * max_ratio));
    Tensor in;
    in.shape = {static_cast<int64_t>(n), 3, kRecHeight, batch_w};
    size_t per = static_cast<size_t>(3 * kRecHeight) * static_cast<size_t>(batch_w);
    in.data.assign(per * n, 0.0f);
    std::vector<int> widths(n);
    for (size_t k = 0; k < n; ++k) {
      const cv::Mat& crop = crops[order[start + k]];
      widths[k] =
          std::clamp(static_cast<int>(std::ceil(kRecHeight * ratio(order[start + k]))), 1, batch_w);
      FillPlanes(crop, kRecHeight, widths[k], batch_w, kHalf, kHalf, in.data.data() + per * k);
    }
    auto out = rec_->Run(in);
    if (!out.ok()) return out.status();
    if (out->shape.size() != 3 || out->shape[0] != static_cast<int64_t>(n)) {
      return core::Internal("ppocr_rec", "unexpected recognizer output shape");
    }
    int steps = static_cast<int>(out->shape[1]);
    int classes = static_cast<int>(out->shape[2]);
    for (size_t k = 0; k < n; ++k) {
      size_t idx = order[start + k];
      const float* table = out->data.data() + k * static_cast<size_t>(steps) * classes;
      std::vector<DecodedChar> chars = CtcGreedy(table, steps, classes, charset_);
      // The line's pixels fill widths[k] of batch_w columns: so many of the steps.
      double line_steps = static_cast<double>(steps) * widths[k] / batch_w;
      core::Line& line = lines[idx];
      line.words = SplitWords(chars, line_steps, padded[idx]);
      double sum = 0;
      int count = 0;
      for (const DecodedChar& c : chars) {
        if (c.text == " ") continue;
        sum += c.prob;
        ++count;
      }
      line.confidence = count > 0 ? sum / count : 0;
      for (const core::Word& w : line.words) line.box = line.box.Union(w.box);
    }
  }
  return lines;
}

}  // namespace smartocr::ppocr
