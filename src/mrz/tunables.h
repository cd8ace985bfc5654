// src/mrz/tunables.h
//
// Every tunable of the MRZ module in one place, each with the reason for its value:
// thresholds, weights, caps, scales and margins, grouped by the job they tune. Sizes
// in pixels are of the page image unless said otherwise; "heights" count line or
// glyph heights, "pitches" character pitches. Most were measured on the dev specimens
// (tests/unit/mrz, and `smartocr eval --dataset mrz`); change one only with both.
// Spec values (ICAO 9303 widths, check digit weights) are not tunables: they live
// with the layouts (internal/layout.h).
#ifndef SMARTOCR_MRZ_TUNABLES_H_
#define SMARTOCR_MRZ_TUNABLES_H_

#include <cstddef>

namespace smartocr::mrz::config {

// ---------------------------------------------------------------------------------------
// Text: finding the MRZ lines in OCR text (find.cc).

// Characters an OCR line may be longer or shorter than its MRZ width: OCR drops or adds
// a filler or two at a line's end.
inline constexpr int kWidthSlack = 2;
// Share of a line's characters that must be MRZ characters (letters, digits, '<').
inline constexpr double kFindMinMrzCharShare = 0.9;
// Digits a line without any filler needs to pass for an MRZ line (a long digit run).
inline constexpr int kFindMinDigitsWithoutFillers = 10;
// A trailing run of fillers and filler misreads counts as fillers with this many '<' in
// it, or this many when a digit (a check digit) ends the line after it.
inline constexpr int kFindTailMinFillers = 2;
inline constexpr int kFindTailMinFillersBeforeDigit = 3;
// ... and either mostly fillers or holding a block of at least this many misread
// letters in a row (a name part such as KLEE is shorter).
inline constexpr int kFindTailMisreadBlock = 6;
// An inner run of '<'/'K' this long, with this many '<' (and '<' the majority), is a
// run of fillers with some read as 'K'.
inline constexpr int kFindInnerRunMin = 4;
inline constexpr int kFindInnerRunMinFillers = 3;

// ---------------------------------------------------------------------------------------
// Text: parsing and repair (parse.cc, repair.cc, glyphs.cc).

// Documents are valid for at most a few decades: an expiry year more than this many
// years ahead of today is of the last century, one this many or more behind is of the
// next.
inline constexpr int kExpiryMaxYearsAhead = 30;
inline constexpr int kExpiryMaxYearsPast = 70;
// Caps the work of one check-guided search; a field rarely has more than a handful of
// confusable characters, so these only matter for garbage input.
inline constexpr int kRepairMaxVisits = 20000;
inline constexpr size_t kRepairMaxVariantsPerField = 40;
// Changes tried in data only the composite check covers (TD1/TD2 optional data): one
// check digit cannot back more.
inline constexpr int kRepairLooseMaxChanges = 1;
// Neighbour fit of a changed character with no letter or digit beside it: no evidence
// either way.
inline constexpr double kNeighbourFitAlone = 0.5;
// Neighbour fits closer than this are a tie (floating-point noise).
inline constexpr double kNeighbourFitTie = 1e-9;
// 'O's turned to '0' in a field whose check failed before: more than this many is a
// guess the check digit cannot back (their weights cancel).
inline constexpr size_t kZeroOverOMaxUnbacked = 2;
// A glyph's consensus needs at least kGlyphMajorityNum / kGlyphMajorityDen of the
// votes of the other positions showing it (two thirds: one slip among three readings
// does not decide).
inline constexpr int kGlyphMajorityNum = 2;
inline constexpr int kGlyphMajorityDen = 3;

// ---------------------------------------------------------------------------------------
// Image: finding the zone's rows (band.cc).

// Pages taller than this are searched scaled down to it: an MRZ stays legible, and the
// blackhat's cost grows with the page.
inline constexpr int kSearchRows = 1600;
// Blackhat kernel: a fifteenth of the page height, within these bounds; larger than any
// stroke, so that whole glyphs stay and smooth tints and photos' broad shapes go.
inline constexpr int kBlackhatPageDivisor = 15;
inline constexpr int kBlackhatMinPx = 9;
inline constexpr int kBlackhatMaxPx = 101;
// Otsu's threshold on a page with little ink can fall into the noise: never below this.
inline constexpr double kMinInkThreshold = 20;
// Glyph heights: at least this many pixels and 1/90 of the page, at most 1/6 of it.
inline constexpr int kGlyphMinHeightPx = 5;
inline constexpr int kGlyphMinHeightDivisor = 90;
inline constexpr int kGlyphMaxHeightDivisor = 6;
// Blobs wider than this many heights are rules or lines, not glyphs run together.
inline constexpr int kBlobMaxAspect = 30;
// Blobs of fewer pixels are specks.
inline constexpr int kGlyphMinArea = 8;
// A glyph box at most this many heights wide holds one character.
inline constexpr double kSingleGlyphMaxAspect = 1.6;
// Rows: a glyph joins a row whose centre is within this share of the taller height,
// looking back this many heights, when its height is within these ratios of the row's.
inline constexpr double kRowCentreTolerance = 0.35;
inline constexpr int kRowSearchHeights = 2;
inline constexpr double kRowMinHeightRatio = 0.4;
inline constexpr double kRowMaxHeightRatio = 2.5;
// A gap wider than this many row heights splits a row into separate runs.
inline constexpr double kRowMaxGapHeights = 2.5;
// An MRZ row has at least this many glyphs, and this many pitch steps between single
// glyphs to measure its pitch (fillers run together on small prints).
inline constexpr size_t kRowMinGlyphs = 20;
inline constexpr size_t kRowMinSteps = 15;
// A pitch of a pixel or less is no text.
inline constexpr double kRowMinPitchPx = 1;
// Monospaced: this share of the steps lies within these ratios of the median pitch.
inline constexpr double kPitchMinRatio = 0.7;
inline constexpr double kPitchMaxRatio = 1.4;
inline constexpr double kRowMinRegularShare = 0.6;
// The row's cap height is this percentile of its glyph heights (above broken glyphs,
// below merged ones); OCR-B's pitch lies within these multiples of it.
inline constexpr size_t kCapHeightPercentile = 75;
inline constexpr double kPitchMinCaps = 0.4;
inline constexpr double kPitchMaxCaps = 1.5;
// Character positions a row may span: the MRZ widths (30 to 44) with room for a
// misjudged pitch.
inline constexpr int kRowMinChars = 26;
inline constexpr int kRowMaxChars = 48;
// Rows of one zone: pitches within this share, left edges within this many pitches,
// character counts within this many, each row within this many heights of the last.
inline constexpr double kZonePitchTolerance = 0.15;
inline constexpr double kZoneMaxIndentPitches = 2;
inline constexpr int kZoneMaxCharsDiff = 4;
inline constexpr double kZoneMaxRowStepHeights = 3.0;

// ---------------------------------------------------------------------------------------
// Image: what each character position shows (cells.cc).

// A grid position takes the glyph found within this many pitches of it.
inline constexpr double kCellSnapPitches = 0.3;
// Patches are scaled to this size (about OCR-B's proportions) before they are compared.
inline constexpr int kPatchWidth = 12;
inline constexpr int kPatchHeight = 18;
// Pixels around a glyph's box or cell in its patch (a glyph's outline stays inside).
inline constexpr int kPatchMarginPx = 1;
// Smaller windows carry no shape.
inline constexpr int kPatchMinSidePx = 3;
// A patch whose gray levels vary less than this (standard deviation) holds no ink.
inline constexpr double kPatchMinInkSd = 4;
// Two glyphs within this many pixels in size and correlating above this are the same
// character.
inline constexpr int kSameGlyphSizeTolPx = 1;
inline constexpr double kSameGlyphCorrelation = 0.93;
// The ink image is made this many cap heights around the zone, with a blackhat kernel
// of this many cap heights (plus one, odd): wider than a glyph, narrower than a tint.
inline constexpr int kInkMarginCaps = 3;
inline constexpr int kInkKernelCaps = 2;
// Glyph sizes match within this share of the larger height and width, and at least this
// many pixels ('<' is shorter than '4', which scaling to one patch size hides).
inline constexpr double kSizeTolHeight = 0.25;
inline constexpr double kSizeTolWidth = 0.3;
inline constexpr int kSizeTolMinPx = 2;
// Correlations (of zero-mean unit-norm patches) that make a position the seed's twin, a
// filler, or clearly something else; measured on the dev specimens (AnalyzeCells in
// tests/unit/mrz/band_test.cc checks them on rendered zones).
inline constexpr double kTwinCorrelation = 0.8;
inline constexpr double kFillerCorrelation = 0.7;
inline constexpr double kGlyphCorrelation = 0.45;
// Fewer twins of the seed than this: the seed was no filler, or the print too poor.
inline constexpr int kMinFillerTwins = 4;
// With more than this share of positions undecided, the zone gives no opinion.
inline constexpr double kMaxUnknownCellShare = 0.4;

// ---------------------------------------------------------------------------------------
// Image: OCR text fitted to the positions (fit.cc). Edit costs: fillers are what OCR
// drops and adds most, so a filler position left unread or an extra '<' is cheap; a
// letter or digit position must be read.

// A letter OCR makes of a filler ('K', 'C', ...) read at a filler position.
inline constexpr double kFitFillerLikeAtFiller = 0.4;
// Any other letter there: more than a shift of the letters by one position (strict),
// or less (lenient); both fits are made and the glyph groups decide.
inline constexpr double kFitForeignAtFillerStrict = 1.2;
inline constexpr double kFitForeignAtFillerLenient = 0.4;
// '<' read at a letter or digit position.
inline constexpr double kFitFillerAtGlyph = 1.0;
// A filler position left unread; a letter or digit position left unread.
inline constexpr double kFitSkipFillerCell = 0.3;
inline constexpr double kFitSkipGlyphCell = 1.0;
// An extra '<' read; an extra letter or digit read.
inline constexpr double kFitSkipFillerChar = 0.5;
inline constexpr double kFitSkipOtherChar = 1.0;

// ---------------------------------------------------------------------------------------
// Reading the zone (reading.cc, rows.cc, zone.cc).

// Cap heights the zone is read at: OCR-B reads best at ~30-40 px; the second try is
// larger for small prints. The quick read (second reader, orientation probe) uses the
// first.
inline constexpr double kReadCapHeightsPx[] = {36.0, 52.0};
inline constexpr double kQuickCapHeightPx = kReadCapHeightsPx[0];
// Crops are never shrunk for their cap height, and enlarged at most this much.
inline constexpr double kMinUpscale = 1.0;
inline constexpr double kMaxUpscale = 6.0;
// Scaled crops stay at most this wide (a wide band on a large page stays modest).
inline constexpr double kMaxScaledWidthPx = 6000.0;
// White frame around a crop (the recognizer misses text touching the edge).
inline constexpr int kBandPadPx = 20;
// General-pass lines that look like MRZ lines: this long, this share MRZ characters,
// with this many fillers or digits.
inline constexpr size_t kLooksMinChars = 20;
inline constexpr double kLooksMinMrzShare = 0.75;
inline constexpr int kLooksMinFillers = 2;
inline constexpr int kLooksMinDigits = 10;
// Dropped fillers: the longest line of a read (at least this long) sets the width;
// lines at least this long and within this many pitches of its left edge get theirs.
inline constexpr size_t kPadMinLongestChars = 28;
inline constexpr size_t kPadMinLineChars = 10;
inline constexpr double kPadMaxIndentPitches = 3;
// Line-by-line re-reads: lines of at least this many characters, cropped this many line
// heights left, right and above/below, when the crop is larger than this.
inline constexpr size_t kLineRereadMinChars = 20;
inline constexpr double kLineRereadLeftHeights = 1.0;
inline constexpr double kLineRereadRightHeights = 2.0;
inline constexpr double kLineRereadPadHeights = 0.3;
inline constexpr int kLineRereadMinWidthPx = 10;
inline constexpr int kLineRereadMinHeightPx = 5;
// Row reads: a row cropped this many heights above and below (ascenders, slant), when
// at least this wide and high.
inline constexpr double kRowReadPadHeights = 0.35;
inline constexpr int kRowReadMinWidthPx = 20;
inline constexpr int kRowReadMinHeightPx = 5;
// The OCR-B reader reads a row cut to its ink band with this many band heights above
// and below: the pass's row crops are taller than the text (kRowReadPadHeights, then
// a white frame), and the model was trained on rows with 0 to 0.6 heights of margin.
inline constexpr double kOcrbInkMargin = 0.3;
// The OCR-B reader's rows set the cells' kinds (ReadRowsAdoptingCells) when read at
// full width with at least this mean confidence and contradicting at most this many
// known cells (a 'K' the filler template took, a '<' it missed).
inline constexpr double kAdoptCellsMinConfidence = 0.9;
inline constexpr int kAdoptCellsMaxContradictions = 3;
// Positions a short row read lost that are read again one by one: at most this many
// per row, cropped this many pitches either side of the centre, at least this wide.
inline constexpr int kMaxCellRereads = 3;
inline constexpr double kCellRereadHalfPitches = 0.55;
inline constexpr int kCellRereadMinWidthPx = 3;
// The zone's lines in the general pass: within this many heights (of the lowest line,
// at least this many pixels) above the lowest; without fillers, at least this many.
inline constexpr double kZoneMinLineHeightPx = 8.0;
inline constexpr double kZoneMaxSpanHeights = 4.5;
inline constexpr size_t kZoneMinLinesWithoutFillers = 2;
// The band around them: line height at least this; this many heights either side (a
// line missed or cut short); above and below this many (a zone of one line: the other
// lines lie within two heights), when the band is at least this large.
inline constexpr double kBandMinLineHeightPx = 6.0;
inline constexpr double kBandSideHeights = 2.0;
inline constexpr double kBandMarginHeights = 0.8;
inline constexpr double kBandMarginOneLineHeights = 2.2;
inline constexpr int kBandMinWidthPx = 20;
inline constexpr int kBandMinHeightPx = 8;

// ---------------------------------------------------------------------------------------
// Choosing and accepting a reading (pick.cc, pass.cc).

// Outside the name line, a position takes the character a majority of the readings
// have, when at least this many agree.
inline constexpr int kMinVotes = 2;
// Valid checks with digit check characters that make an MRZ found by the image alone
// (not by OCR text) believable: one check in ten passes by chance; and the most checks
// such a zone may fail.
inline constexpr int kMinDigitChecks = 2;
inline constexpr int kMaxFailedChecks = 1;
// A deskew of less than this many degrees is not undone to find the rows.
inline constexpr double kMinUndoSkewDeg = 1;

// ---------------------------------------------------------------------------------------
// The VIZ as a witness for the name line (viz.cc).

// VIZ words read with less confidence are handwriting (the signature) or smudges.
inline constexpr double kVizMinConfidence = 0.85;
// Words shorter than this are no names worth matching.
inline constexpr size_t kVizMinWord = 4;
// Letters a VIZ name may differ from the MRZ reading in: one, two from this length on.
inline constexpr size_t kVizLongWord = 8;
inline constexpr size_t kVizMaxDiffs = 1;
inline constexpr size_t kVizLongWordMaxDiffs = 2;

// ---------------------------------------------------------------------------------------
// The document in a photo (quad.cc).

// The outline is looked for on a copy whose longer side is this many pixels.
inline constexpr double kQuadWorkingSidePx = 800;
// A document outline covers at least this share of the photo, and at most this (a
// larger one is the frame of a flat scan).
inline constexpr double kMinQuadShare = 0.2;
inline constexpr double kMaxQuadShare = 0.95;
// Outline simplification: the polygon may stray this share of its perimeter.
inline constexpr double kQuadApproxShare = 0.02;
// Width over height of a document worth reading when the page showed no MRZ line:
// ID-1 cards are 1.59, TD2 1.42, passport data pages 1.42, with slack for the outline.
inline constexpr double kMinDocumentAspect = 1.2;
inline constexpr double kMaxDocumentAspect = 1.8;
// Canny thresholds for the outline's edges on the blurred copy.
inline constexpr double kQuadCannyLow = 30;
inline constexpr double kQuadCannyHigh = 90;

// ---------------------------------------------------------------------------------------
// Trust (trust.cc): how sure each kind of confirmation makes a field. A wrong "valid"
// is worse than an empty field, so only confirmations that a misreading rarely passes
// reach kMinValidConfidence.

// A field is "valid" from this confidence on; an unconfirmed one stays below it.
inline constexpr double kMinValidConfidence = 0.95;
// Confirmed by its own check digit and the composite: a misread character passes both
// about one time in a hundred. One check alone (visas have no composite; TD1/TD2
// optional data has only the composite) lets one wrong reading in ten through, and on
// the synthetic set a digit and its check digit misread alike (blur turning both '1's
// into '7's) did: such a field stays unconfirmed.
inline constexpr double kTwoChecksConfidence = 0.99;
// A country code in ICAO's list, read as is, with no listed code a look-alike letter
// away (278 of 17,576 letter triples are codes).
inline constexpr double kCodeListConfidence = 0.95;
// A value the layout fixes: a document code whose first letter the layout requires and
// whose second is a filler (or printed in the VIZ), a field of fillers only.
inline constexpr double kSyntaxConfidence = 0.95;
// Printed in the VIZ as read in the MRZ: names letter for letter, the sex letter.
inline constexpr double kVizConfidence = 0.95;
// An unconfirmed field's confidence is its recognition confidence, at most this.
inline constexpr double kMaxUnconfirmedConfidence = 0.6;

// ---------------------------------------------------------------------------------------
// The orientation probe (orientation.cc).

// Turning a page by its MRZ: the least share of class-fitting positions of the turned
// reading, the least lead over the other turns' readings, and the share that needs no
// passing check digit to back it.
inline constexpr double kMinTurnConformity = 0.85;
inline constexpr double kMinTurnConformityMargin = 0.05;
inline constexpr double kSureTurnConformity = 0.95;
// A page with this many words of this many characters or more read at this confidence
// along lines across it is upright.
inline constexpr int kUprightWords = 15;
inline constexpr size_t kUprightWordMinChars = 4;
inline constexpr double kUprightWordConfidence = 0.9;

}  // namespace smartocr::mrz::config

#endif  // SMARTOCR_MRZ_TUNABLES_H_
