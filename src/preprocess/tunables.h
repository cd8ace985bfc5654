// src/preprocess/tunables.h
//
// Every tunable of the preprocess module in one place, each with the reason for its
// value: thresholds, caps, scales and sample sizes, grouped by the step they tune.
// Private to src/preprocess. The per-call settings (PreprocessOptions in preprocess.h)
// keep their defaults there; these are the numbers no caller sets. A change moves
// what the steps decide, so measure it (`smartocr eval`, tests/unit/preprocess).
#ifndef SMARTOCR_PREPROCESS_TUNABLES_H_
#define SMARTOCR_PREPROCESS_TUNABLES_H_

#include <cstddef>

namespace smartocr::preprocess::config {

// ---------------------------------------------------------------------------------------
// The analysis copy and its measurements (measures.cc, geometry.cc).

// Long side of the analysis copy. 12 pt text on a 300 dpi page keeps a cap height of
// about 17 px there, which is plenty for skew, component and lighting statistics.
inline constexpr int kAnalysisLongSide = 1600;
// Downscaling stops at exact halvings when they leave the long side within this factor
// of the target: close enough, and the arbitrary-factor resize is ten times slower.
inline constexpr double kDownscaleSlack = 1.1;
// Otsu splits any histogram in two, even paper grain alone: a page whose gray levels
// vary less than this (standard deviation), or whose ink and paper levels lie closer
// than this, holds no text worth finding.
inline constexpr double kBlankMaxStddev = 3;
inline constexpr double kBlankMaxSeparation = 20;
// Text-like components: at most 1/kTextMaxPageDivisor of the page in each direction
// (and never less than kTextMaxMinPx), at least this many pixels, no longer than this
// many times their thickness (rules), and with at least this share of their box inked
// (frames and outlines are sparser).
inline constexpr int kTextMaxPageDivisor = 8;
inline constexpr int kTextMaxMinPx = 8;
inline constexpr int kTextMinArea = 4;
inline constexpr int kTextMaxAspect = 12;
inline constexpr double kTextMinInkShare = 0.08;

// ---------------------------------------------------------------------------------------
// Orientation (preprocess.cc, orientation.cc).

// Fewer text-like components than this: OSD cannot decide, so it is not asked.
inline constexpr int kMinComponentsForOsd = 40;
// Any plausible resolution: OSD warns on every page without one, and its character
// size filters do not depend on it.
inline constexpr int kOsdDpi = 150;

// ---------------------------------------------------------------------------------------
// Deskew (skew.cc, preprocess.cc).

// Enough points to place every line of a page; more only costs time. The coarse sweep
// (many angles, wide steps) needs fewer than the fine ones.
inline constexpr size_t kSkewMaxPoints = 80000;
inline constexpr size_t kSkewMaxCoarsePoints = 20000;
// Fewer ink pixels than this is not a page of text.
inline constexpr size_t kSkewMinPoints = 300;
// Search steps, coarse to fine; each pass searches one step of the pass before either
// side of its best angle. The coarse step must stay below the angle at which a long
// line drifts by about its own height, or the true peak can fall between two
// candidates.
inline constexpr double kSkewCoarseStepDeg = 0.25;
inline constexpr double kSkewFineStepDeg = 0.05;
inline constexpr double kSkewFinestStepDeg = 0.01;
// EstimateSkewDegrees searches this far either way (PreprocessOptions' max_skew_deg).
inline constexpr double kEstimateMaxSkewDeg = 15.0;
// Fewer than this: too few characters to draw lines through; the whole ink mask votes.
inline constexpr int kMinComponentsForSkew = 30;
// Skews of all the ink and of the characters alone further apart than this: something
// other than text set the first.
inline constexpr double kMaxSkewDisagreementDeg = 1.0;
// Text lower than this (page pixels) is turned with bicubic interpolation: on the dev
// MRZ specimens turned 4 degrees, 17 of 18 read with every check valid, against 13.
inline constexpr double kSharpRotationTextPx = 16;

// ---------------------------------------------------------------------------------------
// Denoise (measures.cc).

// Pixels counted for speckles, in this many bands spread over the page: enough for a
// stable rate at a few milliseconds.
inline constexpr double kSpeckleSamplePixels = 2e6;
inline constexpr int kSpeckleBands = 8;

// ---------------------------------------------------------------------------------------
// Contrast (preprocess.cc).

// CLAHE after the global stretch: its clip limit and tiles per side. A low limit evens
// out faded patches without amplifying paper grain into specks.
inline constexpr double kClaheClipLimit = 2.0;
inline constexpr int kClaheTiles = 8;

// ---------------------------------------------------------------------------------------
// Uneven lighting (measures.cc).

// Paper at this size: text shrinks to faint smudges that the max filter then erases,
// while shading across the page survives.
inline constexpr int kBackgroundLongSide = 160;
// Max filter (erases the text) and median (smooths what is left), in pixels of that
// copy.
inline constexpr int kBackgroundMaxFilterPx = 5;
inline constexpr int kBackgroundMedianPx = 5;
// The background's spread is between these percentiles, so that a few outlying
// pixels (a dark page edge, glare) do not count.
inline constexpr size_t kLightingLowPercentile = 5;
inline constexpr size_t kLightingHighPercentile = 95;

// ---------------------------------------------------------------------------------------
// Upscale (preprocess.cc).

// Text is enlarged at most this much.
inline constexpr double kMaxUpscale = 4.0;
// The upscaled recognition image stays below this many pixels.
inline constexpr double kMaxOcrPixels = 60e6;
// An enlargement of at most this factor is not worth a resize.
inline constexpr double kMinUpscaleGain = 1.05;

}  // namespace smartocr::preprocess::config

#endif  // SMARTOCR_PREPROCESS_TUNABLES_H_
