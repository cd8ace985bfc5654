// src/ppocr/ppocr.h
//
// PP-OCR engines on ONNX Runtime, behind recognize::Engine:
//   ppocr   PP-OCRv4 text-line detection (DBNet), 180° line classification and line
//           recognition (SVTR + CTC).
//   hybrid  the same line detection, Tesseract reading each line (psm 7), and where
//           Tesseract is unsure, PP-OCR reading it too; the better line wins.
// Detection finds receipt lines that Tesseract's page analysis misses or merges; that is
// where most of the gain comes from (see docs in README and shared findings).
//
// ONNX sessions are created once per process per model file and shared by all engines
// and threads (ORT's Run is thread-safe); each runs with `intra_threads` threads so that
// `-j N` page workers do not oversubscribe the cores.
#ifndef SMARTOCR_PPOCR_PPOCR_H_
#define SMARTOCR_PPOCR_PPOCR_H_

#include <memory>
#include <string>

#include "core/core.h"
#include "recognize/recognize.h"

namespace smartocr::ppocr {

struct PpocrConfig {
  // Folder with ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx,
  // ch_ppocr_mobile_v2.0_cls_infer.onnx and ppocr_keys_v1.txt. Empty: env
  // SMARTOCR_MODELS_DIR, else DefaultModelsDir().
  std::string models_dir;
  std::string device = "cpu";  // "cpu" or "cuda"
  // Output alphabet: "eng" keeps printable ASCII and a few symbols (€£¥°); anything
  // else ("" or e.g. "chi_sim") keeps the model's whole dictionary.
  std::string lang = "eng";
  int intra_threads = 1;
  // Detector input: the page is scaled so its long side is at most this many pixels.
  // Measured on SROIE: 960 beat 1280 and 1600 in both word F1 and time.
  int det_max_side = 960;
  double det_binarize = 0.3;   // probability threshold of the text mask
  double det_box_score = 0.6;  // mean probability a line box needs
  double det_unclip = 1.5;     // DB unclip ratio (the mask is shrunk text)
  bool classify_angle = true;  // turn 180°-rotated lines
  // Recognition crop margin, as a fraction of the line height.
  double rec_padding = 0.2;
  // Lines per recognizer run. On a CPU batching buys nothing and padding every line to
  // the widest of its batch costs: re-reading the unsure lines of 30 SROIE receipts took
  // 110 ms per receipt one line at a time, 136 ms in fours, 224 in eights, 401 in 16s.
  int rec_batch = 1;
};

struct HybridConfig {
  PpocrConfig ppocr;
  recognize::TesseractConfig tesseract;  // psm is forced to 7 (one line)
  // Lines Tesseract reads with a confidence below this are also read by PP-OCR, and the
  // two readings combined (CombineReadings). 0 never asks PP-OCR (detection only);
  // above 1 asks it for every line. Measured on the 60 SROIE dev receipts, word F1 and
  // CPU time per receipt against the tesseract engine's 0.739 (bench/engines.sh):
  // 0 -> 0.781, 0.8 -> 0.843 (1.41x), 0.85 -> 0.852 (1.51x), 0.9 -> 0.859 (1.61x).
  double second_opinion_below = 0.85;
  // The 180° line classifier (ppocr.classify_angle) is off here: the pipeline already
  // turns upside-down pages, and on 30 SROIE receipts it cost 10% of the time for no
  // gain (word F1 0.819 without, 0.817 with).
  bool classify_angle = false;
  // Tesseract line crops are scaled to this line height and framed in white.
  int tess_line_height = 24;
  int tess_border = 6;
};

// Fails with kUnavailable when the build has no ONNX Runtime, the models are missing,
// or the device is not in the runtime (e.g. "cuda" with a CPU-only library);
// kInvalidArgument for a bad setting.
core::Result<std::unique_ptr<recognize::Engine>> CreatePpocrEngine(const PpocrConfig& config);
core::Result<std::unique_ptr<recognize::Engine>> CreateHybridEngine(const HybridConfig& config);

// A CTC recognizer of one line per crop (no detection) on a model of our own: one gray
// input plane (N, 1, height, W) scaled to [-1, 1], W the crop's width in proportion
// rounded to a multiple of width_step; output (N, W / width_step, C) probabilities,
// class 0 the CTC blank, 1..n `alphabet`, n+1 a space. A pure white frame around the
// crop is cut off first, and with ink_margin > 0 the rows above and below the line's
// ink band beyond ink_margin band heights. Its one line's confidence is the mean
// character probability.
struct LineModelConfig {
  std::string model_path;
  std::string alphabet;  // one ASCII character per class
  std::string name;      // the engine's name ("ocrb")
  int height = 32;
  int width_step = 4;
  double ink_margin = 0;
  int intra_threads = 1;
};

// Fails with kUnavailable ("line_model_missing") when the file is missing, as
// OpenModel when the runtime is missing or the file is not a model;
// kInvalidArgument for bad settings.
core::Result<std::unique_ptr<recognize::Engine>> CreateLineRecognizer(
    const LineModelConfig& config);

// Where scripts/install-deps.sh puts the models (set at configure time).
std::string DefaultModelsDir();
// The linked ONNX Runtime's version ("1.29.0"), or "" in a build without it.
std::string RuntimeVersion();
bool RuntimeAvailable();

}  // namespace smartocr::ppocr

#endif  // SMARTOCR_PPOCR_PPOCR_H_
