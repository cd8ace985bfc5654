// src/ppocr/ppocr_internal.h
//
// The stages of the PP-OCR engines, exposed for tests: DB post-processing, line crops,
// the character set, CTC decoding and the hybrid's choice between two readings.
#ifndef SMARTOCR_PPOCR_PPOCR_INTERNAL_H_
#define SMARTOCR_PPOCR_PPOCR_INTERNAL_H_

#include <array>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/core.h"
#include "ppocr/tunables.h"

namespace smartocr::ppocr {

// A text line as a quadrilateral: top-left, top-right, bottom-right, bottom-left in
// reading direction (pixels of the page).
struct Quad {
  std::array<cv::Point2f, 4> p;
  float score = 0;  // mean text probability inside the detected box

  float Width() const;   // longer of the top and bottom edges
  float Height() const;  // longer of the left and right edges
  core::BBox Bounds() const;
  // The point at fraction u along the line and v down it (bilinear in the quad).
  cv::Point2f At(double u, double v) const;
  // The quad grown by `dx` pixels at each end and `dy` above and below.
  Quad Grown(double dx, double dy) const;
};

struct DbParams {
  double binarize = 0.3;
  double box_score = 0.6;
  double unclip = 1.5;
  int min_side = config::kDbMinSide;  // boxes thinner than this (map pixels) are noise
  int max_boxes = config::kDbMaxBoxes;
};

// DBNet post-processing of a probability map (CV_32FC1, values in [0,1]): threshold,
// contours, minimum-area rotated boxes, score filter, unclip (the network predicts a
// shrunk text kernel). Boxes are scaled by (scale_x, scale_y) into page pixels and
// returned top to bottom.
std::vector<Quad> DbPostprocess(const cv::Mat& prob, const DbParams& params, double scale_x,
                                double scale_y);

// Orders 4 corners of a box as top-left, top-right, bottom-right, bottom-left.
Quad OrderCorners(const std::array<cv::Point2f, 4>& corners);

// A line taller than wide (vertical text) with its corners renamed so that its top edge
// runs along the text (read bottom to top); other lines unchanged.
Quad Upright(const Quad& quad);
// The same region read upside down (corners turned by two).
Quad Turned(const Quad& quad);

// The quad's pixels warped into a rectangle: top edge p0->p1 becomes the top row.
cv::Mat CropQuad(const cv::Mat& image, const Quad& quad, int border_mode);

// The recognition dictionary: class 0 is the CTC blank, 1..N the dictionary's lines,
// N+1 a space. Each class carries its text after full-width folding and whether the
// requested alphabet allows it.
class Charset {
 public:
  // `lang` "eng" restricts to printable ASCII and a few symbols; otherwise all.
  Charset(const std::vector<std::string>& dictionary, const std::string& lang);
  static core::Result<Charset> Load(const std::string& path, const std::string& lang);

  int size() const { return static_cast<int>(text_.size()); }
  const std::string& text(int cls) const { return text_[static_cast<size_t>(cls)]; }
  bool allowed(int cls) const { return allowed_[static_cast<size_t>(cls)] != 0; }

 private:
  std::vector<std::string> text_;
  std::vector<char> allowed_;
};

// Full-width forms and CJK punctuation folded to ASCII ("Ａ" -> "A", "，" -> ","), other
// text unchanged.
std::string FoldWidth(const std::string& utf8);

struct DecodedChar {
  std::string text;
  float prob = 0;
  int t0 = 0, t1 = 0;  // time steps [t0, t1) where the character's run is
};

// Greedy CTC decoding of a (T x C) row-major table of class probabilities, considering
// only the blank and the classes the charset allows.
std::vector<DecodedChar> CtcGreedy(const float* probs, int steps, int classes,
                                   const Charset& charset);

// Words of a decoded line, split at spaces. `steps` time steps span `quad` from its
// left to its right edge. Confidence = mean character probability.
std::vector<core::Word> SplitWords(const std::vector<DecodedChar>& chars, double steps,
                                   const Quad& quad);

// The hybrid's rule: PP-OCR's reading replaces Tesseract's only when it is more
// confident and has at least as many words (PP-OCR drops spaces on small text).
bool ChoosePpocrLine(const core::Line& tesseract, const core::Line& ppocr);

// PP-OCR's reading of a line split into words where Tesseract's reading of it has word
// breaks (matched through a minimal-edit alignment of the two texts); PP-OCR's own
// breaks stay. Split words get their share of the word's box.
core::Line SpaceLikeTesseract(const core::Line& ppocr, const core::Line& tesseract);

// The hybrid's reading of a line both engines read: PP-OCR's words spaced like
// Tesseract's, then, where both readings have the same words, the more confident of
// each pair; otherwise the whole line by ChoosePpocrLine.
core::Line CombineReadings(core::Line tesseract, const core::Line& ppocr);

// FNV-1a of a file's bytes (8 hex digits), "missing" when unreadable.
std::string FileFingerprint(const std::string& path);

}  // namespace smartocr::ppocr

#endif  // SMARTOCR_PPOCR_PPOCR_INTERNAL_H_
