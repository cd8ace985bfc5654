// src/mrz/internal/reading.h
//
// The MRZ pass's readings: sets of lines read off the zone, scored by their check
// digits and by how they agree with what the image shows, and the reads that make
// them (a band, its lines one by one, the rows the image shows). Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_READING_H_
#define SMARTOCR_MRZ_INTERNAL_READING_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/core.h"
#include "mrz/internal/band.h"
#include "recognize/recognize.h"

namespace smartocr::mrz::internal {

// Tesseract page segmentation modes the pass reads with.
inline constexpr int kPsmBlock = 6;  // one block of lines
inline constexpr int kPsmLine = 7;   // one line
inline constexpr int kPsmChar = 10;  // one character

struct Reading {
  std::vector<core::Line> lines;  // page coordinates
  int valid_checks = -1;          // -1: no MRZ found
  // Valid checks whose check character is a digit: a field of fillers checks as '<'
  // and passes on any page, so only these say that an MRZ is really there.
  int digit_checks = 0;
  int checks = 0;
  int repairs = 0;
  int mismatches = 0;                // positions where the text contradicts the image (ZoneCells)
  std::vector<std::string> mrz;      // the lines as FindMrzLines normalizes them
  std::vector<int> line_mismatches;  // per MRZ line, when the image's cells are known
};

// How good a set of lines is as an MRZ: check digits passing after repair, then
// agreement with what the image shows at each position (fillers or not), if known.
void Score(Reading& r, const ZoneCells* cells = nullptr);

// Whether `a` is the better reading: more valid checks, then fewer mismatches with
// the image, then fewer repairs.
bool Better(const Reading& a, const Reading& b);

// Every check passes as read.
bool AllPass(const Reading& r);

// A general-pass line that looks like (part of) an MRZ line: long, mostly MRZ
// characters (counting the usual filler misreads), with fillers or long digit runs.
bool LooksLikeMrz(const std::string& text);

// The reading as MRZ characters: upper case, '«' as two fillers, anything else out.
std::string MrzChars(const std::string& text);

// Reads `crop` (a band cut from the page at `origin`, scaled by `scale`) as MRZ
// lines with page segmentation mode `psm`.
Reading ReadBand(const cv::Mat& crop, double scale, cv::Point origin, int psm,
                 recognize::Engine& engine);

// Reads each line of a block reading again on its own (one line each): a single-line
// read drops and merges fewer fillers than the block read.
Reading ReadLineByLine(const cv::Mat& scaled, double scale, cv::Point origin, const Reading& block,
                       recognize::Engine& engine);

// Reads the rows the image itself shows (FindMrzRows), each on its own at a cap
// height of `cap` pixels (OCR-B friendly). The row's character count is known from
// its pitch, so a read that lost fillers at the end gets them back.
Reading ReadRows(const cv::Mat& image, const std::vector<MrzRow>& rows, const ZoneCells& zone,
                 double cap, recognize::Engine& engine);

// ReadRows for a reader that tells fillers from letters better than the image's cells
// do (the OCR-B reader): the image's filler template takes a 'K', whose right half is
// a '<', for a filler now and then, and the fit then turns it into one. A row this
// reader reads at full width, with a confidence of at least
// config::kAdoptCellsMinConfidence, that contradicts at most
// config::kAdoptCellsMaxContradictions of the known cells (any number when every row
// is read at full width and every check passes as read), sets its row's kinds in
// `zone` ('<' a filler, anything else a glyph) before the reads are fitted; its reads
// of full width are kept as read.
Reading ReadRowsAdoptingCells(const cv::Mat& image, const std::vector<MrzRow>& rows,
                              ZoneCells& zone, double cap, recognize::Engine& reader);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_READING_H_
