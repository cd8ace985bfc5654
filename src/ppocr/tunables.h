// src/ppocr/tunables.h
//
// Every tunable of the ppocr module in one place, each with the reason for its value,
// grouped by the stage it tunes. Private to src/ppocr. The per-engine settings
// (PpocrConfig, HybridConfig in ppocr.h) keep their defaults there; these are the
// numbers no caller sets. Most follow PaddleOCR's reference pipeline; a change moves
// the SROIE figures (`smartocr eval --dataset sroie`), so measure it.
// What the models fix (input heights and widths, the detector's 32-pixel stride, the
// normalisation of each model's input) is no tunable: it stays in reader.cc.
#ifndef SMARTOCR_PPOCR_TUNABLES_H_
#define SMARTOCR_PPOCR_TUNABLES_H_

#include <cstddef>

namespace smartocr::ppocr::config {

// ---------------------------------------------------------------------------------------
// Line detection: DB post-processing (db_postprocess.cc, ppocr_internal.h's DbParams).

// Boxes thinner than this (map pixels) are noise.
inline constexpr int kDbMinSide = 3;
// A page yields at most this many boxes (PaddleOCR's max_candidates).
inline constexpr int kDbMaxBoxes = 1000;
// A box grown by unclip must be this many pixels thicker than kDbMinSide to stay
// (PaddleOCR's rule).
inline constexpr int kDbMinSideGrowth = 2;
// Boxes whose tops lie within this many pixels form one band, read left to right
// (PaddleOCR's sort).
inline constexpr int kSameBandPx = 10;

// ---------------------------------------------------------------------------------------
// Line geometry (quad.cc).

// A line at least this many times taller than wide is vertical text, read bottom to
// top (PaddleOCR's ratio).
inline constexpr double kVerticalLineRatio = 1.5;

// ---------------------------------------------------------------------------------------
// The 180 degree line classifier (reader.cc).

// Lines per classifier batch (PaddleOCR's cls_batch_num).
inline constexpr size_t kClsBatch = 6;
// PaddleOCR's threshold: a line is turned only when the classifier is this sure.
inline constexpr float kClsTurnProb = 0.9F;

// ---------------------------------------------------------------------------------------
// Line recognition (reader.cc).

// A batch is padded to at least this width-to-height ratio. PaddleOCR pads every batch
// to at least 320 px; the model reads narrower batches as well (30 SROIE receipts: word
// F1 0.757 vs 0.755) in 0.7x the time.
inline constexpr double kRecMinBatchRatio = 1.0;

// ---------------------------------------------------------------------------------------
// Settings checks (reader.cc, hybrid_engine.cc): below these a setting is a mistake.

// The detector's input long side, in pixels.
inline constexpr int kMinDetMaxSide = 64;
// The hybrid's line height for Tesseract, in pixels.
inline constexpr int kMinTessLineHeight = 8;

// Line recognizer (line_recognizer.cc): a row belongs to the line's ink band when it
// has at least this share of the inkiest row's dark pixels.
inline constexpr double kInkRowShare = 0.15;

}  // namespace smartocr::ppocr::config

#endif  // SMARTOCR_PPOCR_TUNABLES_H_
