// src/preprocess/orientation.cc
//
// Page orientation from Tesseract's OSD. Initializing an engine loads osd.traineddata
// (tens of milliseconds), so each thread keeps one and reuses it for every page.
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "preprocess/internal.h"
#include "preprocess/tunables.h"

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
      failed_ = core::Unavailable(
          "osd_data", "cannot load Tesseract OSD data (osd.traineddata)" +
                          (tessdata_dir.empty() ? std::string() : " from " + tessdata_dir));
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

// A 1-bpp Leptonica image (1 = ink) of an ink mask: Tesseract then skips its own
// thresholding, and the resolution travels with the image (OSD reads it from there).
Pix* ToPix1(const cv::Mat& ink) {
  Pix* pix = pixCreate(ink.cols, ink.rows, 1);
  if (pix == nullptr) return nullptr;
  pixSetResolution(pix, config::kOsdDpi, config::kOsdDpi);
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < ink.rows; ++y) {
    const uint8_t* row = ink.ptr<uint8_t>(y);
    l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    for (int x = 0; x < ink.cols; ++x) {
      if (row[x] != 0) SET_DATA_BIT(line, x);
    }
  }
  return pix;
}

}  // namespace

core::Result<OrientationGuess> DetectOrientation(const cv::Mat& ink,
                                                 const std::string& tessdata_dir) {
  core::Status status;
  tesseract::TessBaseAPI* api = t_engine.Get(tessdata_dir, &status);
  if (api == nullptr) return status;
  Pix* pix = ToPix1(ink);
  if (pix == nullptr) return core::ResourceExhausted("osd_image", "cannot allocate OSD image");
  api->SetImage(pix);
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  OrientationGuess guess;
  guess.found = api->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  api->Clear();
  pixDestroy(&pix);
  if (!guess.found) return guess;
  // orient_deg is how far the page was turned clockwise (a page turned 90 degrees
  // clockwise reads 90; see orientation_test.cc), so upright is the rest of the circle.
  guess.clockwise_turn = (360 - ((orient_deg % 360) + 360) % 360) % 360;
  guess.confidence = orient_conf;
  guess.script = script != nullptr ? script : "";
  return guess;
}

}  // namespace smartocr::preprocess::internal
