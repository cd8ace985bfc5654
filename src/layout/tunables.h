// src/layout/tunables.h
//
// Every tunable of the layout module in one place, each with the reason for its value:
// thresholds, shares, caps and margins, grouped by the job they tune. Private to
// src/layout. Lengths in "line heights" or "text heights" scale with the page's type
// size; "shares" are of the page (or region) named; "px" are pixels of the image the
// step works on (the work image in DetectRegions, page pixels elsewhere). A change
// moves blocks, tables and reading order, so measure it (tests/unit/layout, and
// `smartocr eval` on the invoice and SROIE sets).
#ifndef SMARTOCR_LAYOUT_TUNABLES_H_
#define SMARTOCR_LAYOUT_TUNABLES_H_

#include <cstddef>

namespace smartocr::layout::config {

// ---------------------------------------------------------------------------------------
// Words into lines (word_lines.cc).

// A gap wider than this many line heights ends a line. Word spaces are about 0.3; a
// column gutter is rarely under 1.2 (it is usually 1.5 or more).
inline constexpr double kLineGapFactor = 1.2;
// Words share a line when their vertical overlap is at least this share of the
// shorter of the word and the line (superscripts overlap about half).
inline constexpr double kMinVerticalOverlap = 0.45;
// A line whose end lies more than this many times kLineGapFactor line heights behind a
// word is closed: every later word starts further right. Keeps the sweep near
// O(n log n) on a page of many lines.
inline constexpr int kCloseLineGaps = 3;
// Overlaps closer than this are a tie (floating-point noise); the nearer line wins.
inline constexpr double kOverlapTie = 1e-9;

// ---------------------------------------------------------------------------------------
// Lines into cells and columns (assemble.cc, borderless_tables.cc, reading_order.cc).

// A gap between two words wider than this many line heights separates table cells
// or columns rather than words (a word space is about 0.3 line heights, a justified
// one rarely above 0.6).
inline constexpr double kCellGapFactor = 0.8;

// ---------------------------------------------------------------------------------------
// The work image and its text (detect_regions.cc, figures.cc).

// Long side of the analysed image, in pixels (about 160 dpi for US Letter).
inline constexpr double kWorkLongSide = 1800;
// Smaller pages (either side, pixels) hold no regions.
inline constexpr int kMinPageSidePx = 8;
// Ink is darker than the Otsu threshold, kept within these bounds so that a blank or a
// photo-heavy page does not pick an absurd one.
inline constexpr double kMinInkThreshold = 60;
inline constexpr double kMaxInkThreshold = 200;
// Text-like components are at most 1/kTextMaxPageDivisor of the page high.
inline constexpr int kTextMaxPageDivisor = 20;
// For the rulings' text height: components at least this many pixels high, at most
// this many times as wide as high (a glyph or short word, not a rule), and at least this
// many of them, or the page has no text height.
inline constexpr int kTextMinHeightPx = 4;
inline constexpr int kTextMaxAspect = 4;
inline constexpr size_t kMinTextComponents = 10;

// ---------------------------------------------------------------------------------------
// Ruling lines and table grids (detect_regions.cc, rulings.cc).

// Minimum ruling lengths as shares of the page width / height, and never shorter than
// these many pixels. Longer than any run inside text, shorter than a narrow table.
inline constexpr double kMinRuleWidthShare = 0.03;
inline constexpr double kMinRuleHeightShare = 0.015;
inline constexpr int kMinRuleWidthPx = 20;
inline constexpr int kMinRuleHeightPx = 15;
// Minimum ruling length in median text heights (a table row is taller than its text).
inline constexpr double kMinRuleTextHeights = 2.5;
// Thickest ruling, as a share of the page's shorter side (about 4 pt), and at least
// this many pixels.
inline constexpr double kMaxRuleThicknessShare = 0.006;
inline constexpr double kMinRuleThicknessPx = 3.0;
// Widest break inside a ruling, as a share of the page width.
inline constexpr double kRuleJoinShare = 0.02;
// Tolerance for rules meeting and for edges being the same, share of shorter side, and
// at least this many pixels.
inline constexpr double kGridTolShare = 0.005;
inline constexpr double kMinGridTolPx = 3.0;
// Light pixels bridged inside a run: scanner dropouts are one or two pixels.
inline constexpr int kRunGap = 2;
// Pieces of a broken rule are found down to 1/kRulePieceDivisor of the minimum length,
// to be joined to the long ones.
inline constexpr int kRulePieceDivisor = 2;
// Pieces of one rule lie within the rule's thickness of each other, and at least
// this many pixels.
inline constexpr double kMinRulePosTolPx = 2.0;

// ---------------------------------------------------------------------------------------
// Erasing a ruled table's rulings before recognition (erase_rulings.cc).

// Margin (page pixels at scale 1) so that the outer border is inside the area cleaned.
inline constexpr int kEraseMarginPx = 4;
// Smaller areas (either side, pixels) are left alone.
inline constexpr int kEraseMinAreaPx = 8;
// Runs longer than 1/kEraseCellDivisor of the smallest cell cannot be glyph strokes;
// never shorter than this many pixels.
inline constexpr int kEraseCellDivisor = 3;
inline constexpr int kEraseMinRunPx = 15;
// Anti-aliased edges of the rules are lighter than the Otsu threshold: the rules are
// grown by a square of this side before they are erased.
inline constexpr int kEraseEdgeKernelPx = 3;

// ---------------------------------------------------------------------------------------
// Column gutters on the ink mask (column_gutters.cc). Lengths in text heights.

// Text lower than this many pixels gives no opinion.
inline constexpr int kGutterMinTextHeight = 2;
// Letters merge into words and words into line pieces over one text height, at least
// this many pixels: a gutter is wider than a (justified) word space.
inline constexpr int kGutterMinMergePx = 3;
// Rules, borders and scanner edges are not text: runs this many text heights long
// (at least this many pixels) are removed first.
inline constexpr int kGutterRuleHeights = 5;
inline constexpr int kGutterMinRulePx = 10;
// Too little text to have columns: fewer inked rows, or a narrower text, than this
// many text heights.
inline constexpr int kGutterMinInkRowsHeights = 6;
inline constexpr int kGutterMinTextWidthHeights = 10;
// Gutters sit between these shares of the text's width, are at least this many text
// heights wide, and crossed by at most this share of the inked rows (headings and
// footers span them).
inline constexpr double kGutterLoShare = 0.15;
inline constexpr double kGutterHiShare = 0.85;
inline constexpr double kGutterMinWidthHeights = 1.5;
inline constexpr double kGutterMaxCrossingShare = 0.20;
// Columns of prose are wide (at least this many text heights each side); a narrow
// strip of amounts beside labels (receipts, forms) is a table column, which a single
// block reads well. Each side has text in at least this share of the inked rows.
inline constexpr int kGutterMinColumnHeights = 8;
inline constexpr double kGutterMinSideShare = 0.4;

// ---------------------------------------------------------------------------------------
// Figures (figures.cc).

// A figure component is at least this many text heights in both directions: a
// 36 pt heading over 10 pt body text stays text.
inline constexpr double kFigureMinTextHeights = 5;
// ... and at least this share of the page's shorter side.
inline constexpr double kFigureMinPageShare = 0.04;
// Ink over box area: a frame or a table grid is far sparser than a photo or logo.
inline constexpr double kFigureMinDensity = 0.12;
// A figure mostly inside a ruled table is that table's content.
inline constexpr double kFigureMaxTableCover = 0.5;
// Components of fewer pixels are specks, not text, for the figure's text height; with
// no text, the text height is 1/kFigureNoTextDivisor of the page's shorter side.
inline constexpr int kFigureTextMinArea = 4;
inline constexpr int kFigureNoTextDivisor = 100;

// ---------------------------------------------------------------------------------------
// Borderless tables (borderless_tables.cc).

// A table has at least this many columns and rows with all of them.
inline constexpr size_t kTableMinColumns = 3;
inline constexpr size_t kTableMinRows = 3;
// A row may leave cells empty but needs at least this many.
inline constexpr size_t kTableMinCellsPerRow = 2;
// Rows further apart than this many line heights belong to different tables.
inline constexpr double kTableMaxRowGap = 1.5;
// A row whose centre is not below the previous row's bottom less this many line
// heights overlaps it: not the next row.
inline constexpr double kTableMinRowDrop = 0.5;
// Median words per cell over the table, and per column: table cells are short.
inline constexpr double kTableMaxMedianWords = 3;
inline constexpr double kTableMaxColumnMedianWords = 6;

// ---------------------------------------------------------------------------------------
// Paragraphs (paragraphs.cc).

// A line continues a paragraph when the gap above it is at most the larger of
// this many line heights and kParagraphGapOverTypical x the page's usual line gap
// (double spacing), never more than kParagraphMaxGap line heights.
inline constexpr double kParagraphBaseGap = 0.6;
inline constexpr double kParagraphGapOverTypical = 1.4;
inline constexpr double kParagraphMaxGap = 1.5;
// Heights of lines in one paragraph differ by at most this ratio (a heading is
// larger).
inline constexpr double kParagraphMaxHeightRatio = 1.5;

// ---------------------------------------------------------------------------------------
// Reading order (reading_order.cc).

// A side of a gutter reads like a column when its pieces hold at least this many
// words (median) and there are at least kMinColumnPieces of them.
inline constexpr double kMinColumnWords = 4;
inline constexpr size_t kMinColumnPieces = 2;
// Lines whose boxes overlap by less than this share of a line height are still
// separate rows (descenders touch the next line's ascenders).
inline constexpr double kRowOverlapTolerance = 0.25;
// Pieces whose vertical overlap is at least this share of the shorter one are on the
// same row.
inline constexpr double kSameRow = 0.5;
// Two strips are rows of one table or form, not columns, when at least this share of
// the smaller strip's pieces has a partner on the same baseline in the other
// (overlapping by kPairedOverlap of the taller: word boxes differ by descenders).
inline constexpr double kMinPairedShare = 0.5;
inline constexpr double kPairedOverlap = 0.65;
// Columns overlap vertically by at least this share of the shorter one.
inline constexpr double kMinSideBySide = 0.3;
// Strict slice grouping ends a group where the common gap narrows to less than this
// share of its width so far (a column pair running on into rows below).
inline constexpr double kStrictNarrowing = 0.5;

}  // namespace smartocr::layout::config

#endif  // SMARTOCR_LAYOUT_TUNABLES_H_
