// src/preprocess/orientation.cc
//
// Page orientation from Tesseract's OSD. Initializing an engine loads osd.traineddata
// (tens of milliseconds), so each thread keeps one and reuses it for every page.
#include <memory>
#include <string>

#include <opencv2/core.hpp>
#include <tesseract/baseapi.h>

#include "preprocess/internal.h"

namespace smartocr::preprocess::internal {
namespace {

// One per thread: TessBaseAPI is not thread-safe.
class OsdEngine {
 public:
  ~OsdEngine() {
    if (api_ != nullptr) api_->End();
  }

  // The engine for `tessdata_dir`, initialized on first use (again only if the
  // directory changes). Null with `status` set when the data cannot be loaded.
  tesseract::TessBaseAPI* Get(const std::string& tessdata_dir, core::Status* status) {
    if (api_ != nullptr && dir_ == tessdata_dir) return api_.get();
    if (!failed_.ok() && dir_ == tessdata_dir) {
      *status = failed_;  // do not retry a failing Init on every page
      return nullptr;
    }
    api_.reset();
    dir_ = tessdata_dir;
    failed_ = core::Status::Ok();
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    if (api->Init(tessdata_dir.empty() ? nullptr : tessdata_dir.c_str(), "osd",
                  tesseract::OEM_TESSERACT_ONLY) != 0) {
      failed_ = core::Unavailable("osd_data", "cannot load Tesseract OSD data (osd.traineddata)" +
                                                  (tessdata_dir.empty()
                                                       ? std::string()
                                                       : " from " + tessdata_dir));
      *status = failed_;
      return nullptr;
    }
    api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    api_ = std::move(api);
    return api_.get();
  }

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  std::string dir_;
  core::Status failed_;
};

thread_local OsdEngine t_engine;

}  // namespace

core::Result<OrientationGuess> DetectOrientation(const cv::Mat& gray,
                                                 const std::string& tessdata_dir) {
  core::Status status;
  tesseract::TessBaseAPI* api = t_engine.Get(tessdata_dir, &status);
  if (api == nullptr) return status;
  api->SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  // Any plausible value: without one Tesseract warns on every page.
  api->SetSourceResolution(150);
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  OrientationGuess guess;
  guess.found = api->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  api->Clear();
  if (!guess.found) return guess;
  // Tesseract reports how far the page was turned counter-clockwise... verified by the
  // tests (orientation_test.cc); undoing it takes the same number of degrees clockwise.
  guess.clockwise_turn = ((orient_deg % 360) + 360) % 360;
  guess.confidence = orient_conf;
  guess.script = script != nullptr ? script : "";
  return guess;
}

}  // namespace smartocr::preprocess::internal
