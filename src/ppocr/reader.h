// src/ppocr/reader.h
//
// The PP-OCR stages on models: line detection, 180° classification, line recognition.
// Shared by the ppocr and hybrid engines. Thread-safe (stateless over shared sessions).
#ifndef SMARTOCR_PPOCR_READER_H_
#define SMARTOCR_PPOCR_READER_H_

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/core.h"
#include "ppocr/onnx_model.h"
#include "ppocr/ppocr.h"
#include "ppocr/ppocr_internal.h"

namespace smartocr::ppocr {

class Reader {
 public:
  static core::Result<std::unique_ptr<Reader>> Open(const PpocrConfig& config);

  // Text lines of a gray page, top to bottom, each upright (180° lines turned when the
  // classifier is sure).
  core::Result<std::vector<Quad>> DetectLines(const cv::Mat& gray) const;
  // PP-OCR's reading of each line (same order; a line may come back without words).
  core::Result<std::vector<core::Line>> ReadLines(const cv::Mat& gray,
                                                  const std::vector<Quad>& quads) const;
  // "ppocrv4 det:.. cls:.. rec:.. ort1.29.0 cpu eng"
  const std::string& version() const { return version_; }

 private:
  Reader(PpocrConfig config, Charset charset)
      : config_(std::move(config)), charset_(std::move(charset)) {}
  // Turns lines the classifier reads as upside down.
  core::Status OrientLines(const cv::Mat& gray, std::vector<Quad>& quads) const;
  cv::Mat RecCrop(const cv::Mat& gray, const Quad& quad) const;

  PpocrConfig config_;
  Charset charset_;
  std::shared_ptr<const OnnxModel> det_, cls_, rec_;
  std::string version_;
};

}  // namespace smartocr::ppocr

#endif  // SMARTOCR_PPOCR_READER_H_
