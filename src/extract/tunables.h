// src/extract/tunables.h
//
// The extract module's tunable numbers, each with a name and the reason for its value,
// in one place. Private to src/extract. Every value was set on the labelled sets
// (SROIE, the invoice sets): a change moves the accuracy figures, so measure it.
#ifndef SMARTOCR_EXTRACT_TUNABLES_H_
#define SMARTOCR_EXTRACT_TUNABLES_H_

#include <cstddef>

namespace smartocr::extract::config {

// ---------------------------------------------------------------------------------------
// Document classification (ClassifyDocument).

// A first page this many times taller than wide is a roll of paper: a receipt.
inline constexpr double kTallPageRatio = 1.6;
// Confidence of a sure sign (an MRZ), and the most any vote count earns.
inline constexpr double kSureTypeConfidence = 0.95;
// Confidence of "other" (no votes at all) and the base a vote share adds to: a type
// with every vote reaches 0.5 + 0.5, capped at kSureTypeConfidence.
inline constexpr double kNoTypeConfidence = 0.5;

}  // namespace smartocr::extract::config

#endif  // SMARTOCR_EXTRACT_TUNABLES_H_
