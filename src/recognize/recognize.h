// src/recognize/recognize.h
//
// Recognize: the Engine interface and the Tesseract engine. An engine reads a gray
// image and returns lines of words with boxes and confidences in [0,1]. Its name and
// version are stored with every result so eval can compare versions.
#ifndef SMARTOCR_RECOGNIZE_RECOGNIZE_H_
#define SMARTOCR_RECOGNIZE_RECOGNIZE_H_

#include <atomic>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::recognize {

struct RecognizeOptions {
  // Resolution of the image in dots per inch, 0 when unknown (the engine estimates).
  int dpi = 0;
  // Layout found the page to be one column of text without figures: an engine may
  // then read it as one block of lines, skipping its own page segmentation.
  bool single_column = false;
  // Page segmentation mode for this call (e.g. 6 or 7 for a re-read of a known band);
  // 0: the engine's configured choice.
  int psm = 0;
  // Only these characters may be recognized ("" = all), e.g. "A..Z0..9<" for an MRZ.
  std::string char_whitelist;
  // When set, the engine polls it during recognition and, once it reads true, stops
  // and fails with kCancelled (reason "cancelled"). Must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
  // Languages to read with: Tesseract codes joined by '+' ("deu+eng"); "": the
  // engine's configured ones. Must be among languages(); engines without language
  // models ignore it.
  std::string lang;
};

// Thread-safe: Recognize may be called from many threads at once.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual const core::EngineInfo& info() const = 0;
  // Lines in the engine's own order, boxes in pixels of `gray`.
  // Fails with kInvalidArgument on an empty image, kInternal if the engine fails,
  // kCancelled when options.cancel was raised.
  virtual core::Result<std::vector<core::Line>> Recognize(const cv::Mat& gray,
                                                          const RecognizeOptions& options) = 0;
  // The languages a caller may ask for in RecognizeOptions::lang, sorted; empty when
  // the engine takes none.
  virtual std::vector<std::string> languages() const { return {}; }
};

// Checks every '+'-joined code of `lang` against `installed`. Fails with
// kInvalidArgument "unsupported_language" naming the missing ones and the installed
// list, or "bad_language" for a malformed list (empty parts, characters other than
// letters, digits, '_' and '-', more than kMaxLanguagesPerRead codes).
core::Status CheckLanguages(const std::string& lang, const std::vector<std::string>& installed);
inline constexpr size_t kMaxLanguagesPerRead = 8;

struct TesseractConfig {
  std::string lang = "eng";  // "eng", "eng+deu"
  std::string tessdata_dir;  // empty: the library default
  // Page segmentation mode; 0 = chosen per page: 6 (one block of lines) for pages
  // the layout calls single_column, else 3 (Tesseract's full page analysis).
  // Measured on SROIE receipts: psm 6 reads 0.737 word F1 against psm 3's 0.733.
  int psm = 0;
};

// Creates a Tesseract engine. It keeps one initialized TessBaseAPI per concurrent
// caller and reuses it (never Init per page). Fails with kUnavailable when the
// language data cannot be loaded (checked here, once).
core::Result<std::unique_ptr<Engine>> CreateTesseractEngine(const TesseractConfig& config);

// How many TessBaseAPI objects this process has initialized (tests check reuse).
int TesseractInitCountForTest();

// "5.3.0" and "1.82.0".
std::string TesseractVersion();
std::string LeptonicaVersion();

}  // namespace smartocr::recognize

#endif  // SMARTOCR_RECOGNIZE_RECOGNIZE_H_
