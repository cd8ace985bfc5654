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

// ---------------------------------------------------------------------------------------
// Receipts and invoices.

// Letters a name needs at least (fewer: a logo's mark or a speck).
inline constexpr int kMinNameLetters = 3;
// Amounts that add up (net + tax = total): equal to the cent, with slack for binary
// floats.
inline constexpr double kAddsUpTolerance = 0.011;
// An item row's quantity x unit price may miss its amount by this share of the amount
// more (unit prices are printed rounded).
inline constexpr double kItemRowRelativeSlack = 0.005;

// ---------------------------------------------------------------------------------------
// Receipts: the seller's name and address (receipt_seller.cc).

// The seller's block lies within the first lines of the first page.
inline constexpr size_t kHeaderLines = 12;
// The name is among the first lines of that block (the rest: address, contacts).
inline constexpr size_t kNameSearchLines = 8;
// Without a legal form a name must be read clearly: logos and stamps read as
// low-confidence noise or a short word.
inline constexpr double kMinPlainNameConfidence = 0.4;
inline constexpr int kMinPlainNameLetters = 5;
// A heading ("TAX INVOICE") is short; a longer line also names the business.
inline constexpr int kMaxHeadingLetters = 24;
// Digits that make a "REG" line a registration number, not a word in a name.
inline constexpr int kMinRegistrationDigits = 4;
// Digits (house number, postcode) that make a line look like an address.
inline constexpr int kMinAddressDigits = 4;
// Letters an address line needs at least to start the address.
inline constexpr int kMinAddressLetters = 2;
// An address spans at most this many lines.
inline constexpr size_t kMaxAddressLines = 6;

// Words printed at another size than the line's median: a word taller than this many
// medians (a stamp across the name), or shorter than this many (a logo's letters).
inline constexpr double kOddWordTallRatio = 1.8;
inline constexpr double kOddWordShortRatio = 0.5;
// Odd-sized ends are dropped from lines of at least kOddEndsMinWords words, keeping at
// least kOddEndsKeptWords: two words are too few to tell the odd one.
inline constexpr size_t kOddEndsMinWords = 3;
inline constexpr size_t kOddEndsKeptWords = 2;

// ---------------------------------------------------------------------------------------
// Receipts: the total (receipt_total.cc).

inline constexpr long kCentsPerUnit = 100;
// Two amounts are equal: both are printed to the cent.
inline constexpr double kSameAmount = 0.001;
// Cash totals are rounded to 5 sen (Malaysia) or cents.
inline constexpr long kCashRoundingCents = 5;
// A rounding adjustment is less than one rounding step.
inline constexpr long kMaxRoundingCents = kCashRoundingCents - 1;
// The rounded total lies within one step of the total (plus slack for binary floats).
inline constexpr double kMaxRoundingShift = 0.0501;
// The rounding line follows the total within this many lines, and the rounded total
// (on it, or on the next lines: its own line may be misread, the tender line
// repeats it) within this many lines of the rounding line.
inline constexpr size_t kRoundingLineWindow = 4;
inline constexpr size_t kRoundedTotalWindow = 4;
// The change follows the cash tendered within this many lines.
inline constexpr size_t kChangeLineWindow = 3;
// A total found from the rounding or cash lines, not read under its keyword.
inline constexpr double kInferredTotalConfidence = 0.6;
// Column names on a line that make it the items table's header row.
inline constexpr int kMinItemColumns = 2;

// ---------------------------------------------------------------------------------------
// Invoices: the vendor (invoice_rules.cc).

// The vendor's name is among the first lines of the first page.
inline constexpr size_t kVendorSearchLines = 15;
// Under a seller heading, a "Name:" line follows within this many lines, and id lines
// ("Globale Nummer: ...") before the name number at most this many.
inline constexpr size_t kSellerNameLabelWindow = 4;
inline constexpr size_t kSellerIdLines = 3;
// A name wraps onto a line whose gap to it is below this share of the taller line's
// height, the taller at most this many times the other (ink boxes of a scan: a line
// with descenders is a quarter taller, single spacing leaves about half a line).
inline constexpr double kNameWrapMaxGap = 0.8;
inline constexpr double kNameWrapMaxHeightRatio = 1.4;
// Two lines are one block of text when their left edges lie within this many line
// heights, the gap between them within [kMinBlockGap, kMaxBlockGap] line heights, and
// their heights within these ratios (the same type size).
inline constexpr double kMaxBlockIndent = 0.5;
inline constexpr double kMinBlockGap = -0.3;
inline constexpr double kMaxBlockGap = 0.5;
inline constexpr double kMinBlockHeightRatio = 0.8;
inline constexpr double kMaxBlockHeightRatio = 1.25;
// A tax printed as gross - net equals a printed amount to the cent.
inline constexpr double kSameCent = 0.005;

// ---------------------------------------------------------------------------------------
// Invoices: the amounts (invoice_amounts.cc).

// Lines share a row when they overlap by this share of the lower one's height and
// neither is more than this many times the other's height.
inline constexpr double kRowMinOverlap = 0.5;
inline constexpr double kRowMaxHeightRatio = 1.8;
// "inkl." / "ohne" belong to a tax label at most this many bytes after them.
inline constexpr size_t kMarkerWindowBytes = 28;
// Bytes a letter-spaced label ("Zahlbetr ag") may spread beyond its key's length.
inline constexpr size_t kKeySpreadBytes = 2;
// Priority of a tax label made gross ("inkl. MwSt") or net ("ohne USt.") by its marker.
inline constexpr int kMarkedTaxPriority = 7;
// A row of figures carries at most this many letters (a currency code).
inline constexpr int kMaxFigureRowLetters = 4;
// A totals table lists at most this many rows under its header row (one per tax
// rate, then the sum), each at most this many header heights below the one above.
inline constexpr size_t kMaxFigureRows = 6;
inline constexpr double kMaxFigureRowGap = 3;
// A value below its label is less sure than one beside it.
inline constexpr int kBelowLabelPenalty = 1;
// A total's score: its keyword priority times this, plus kAddsUpBonus when a net and a
// tax add up to it (which outweighs any priority).
inline constexpr int kPriorityWeight = 10;
inline constexpr int kAddsUpBonus = 100;
// A credit note's title is among the first lines of the first page.
inline constexpr size_t kCreditNoteTitleLines = 25;

}  // namespace smartocr::extract::config

#endif  // SMARTOCR_EXTRACT_TUNABLES_H_
