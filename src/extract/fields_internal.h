// src/extract/fields_internal.h
//
// Private helpers shared by the field rules (receipt, invoice, id_document).
#ifndef SMARTOCR_EXTRACT_FIELDS_INTERNAL_H_
#define SMARTOCR_EXTRACT_FIELDS_INTERNAL_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extract/fields.h"

namespace smartocr::extract::fields_internal {

// ASCII upper case.
std::string UpperAscii(std::string_view text);
// True when `keyword` (upper case) occurs in `upper_text` as whole words.
bool HasWord(std::string_view upper_text, std::string_view keyword);
// True when any of `keywords` is a word of `upper_text` (HasWord).
bool HasAnyWord(std::string_view upper_text, std::span<const std::string_view> keywords);
// Letters in `text` (ASCII A-Z/a-z and any non-ASCII byte).
int CountLetters(std::string_view text);
int CountDigits(std::string_view text);

// Box and mean word confidence of the words covering [begin, end) of line.text
// (words are joined by single spaces in line.text).
core::BBox SpanBox(const TextLine& line, size_t begin, size_t end);
double SpanConfidence(const TextLine& line, size_t begin, size_t end);

// A field from a span of one line; normalized defaults to the value.
core::Field FieldFromSpan(const std::string& name, const TextLine& line, size_t begin, size_t end,
                          std::string normalized = "");
// A field spanning whole lines (joined by spaces), e.g. an address.
core::Field FieldFromLines(const std::string& name, const std::vector<const TextLine*>& lines);
// Applies a validation: status/detail, and confidence = min(recognition, validator).
void ApplyValidation(core::Field& field, const Validation& validation);

// The lexicon extraction corrects with: the options' own, else the built-in one.
std::shared_ptr<const FieldLexicon> LexiconOf(const ExtractOptions& options);
// Replaces each value of `fields` that the lexicon knows a near value for (lexicon.h):
// value and normalized become the known value, corrected_from keeps the one read, and
// the confidence is the lexicon's measured precision for the field.
void CorrectFromLexicon(const FieldLexicon& lexicon, std::vector<core::Field>& fields);

// The amounts on a line, left to right.
std::vector<PatternMatch> AmountsOn(const TextLine& line, const ExtractOptions& options);

// The first dd/mm/yyyy (mm/dd/yyyy for *-US) date in `text` that is a real date not
// after options.today and at most 15 years before it, as read or with one misread
// digit per part repaired (0/6/8, 1/7, 5/6, 3/8: "19/62/2018" -> 2018-02-19).
// Confidence 0.6 when repaired. Requires a valid options.today, else nullopt.
std::optional<PatternMatch> FindMisreadDate(std::string_view text, const DateOptions& options);

// A total-like keyword line: returns a priority (higher is better), 0 when none.
int TotalKeywordPriority(std::string_view upper_text);

// The document's currency (ISO 4217) from symbols and codes anywhere in its text.
std::optional<core::Field> CurrencyField(const std::vector<TextLine>& lines,
                                         const ExtractOptions& options);

// The amount due: the amount on (or right after) the best total keyword line, the
// largest among equals.
std::optional<core::Field> FindTotalField(const std::vector<TextLine>& lines,
                                          const ExtractOptions& options);

// The last amount on a line (or the next line) whose text has one of `keywords` and
// none of `excluded` (upper case, whole words).
std::optional<core::Field> AmountAfterKeyword(const std::string& name,
                                              const std::vector<TextLine>& lines,
                                              std::span<const std::string_view> keywords,
                                              std::span<const std::string_view> excluded,
                                              const ExtractOptions& options);

// The seller's name ("company") and address, those found, from the first lines of a
// receipt's rows (MergeRows). Requires: !rows.empty().
std::vector<core::Field> ReceiptSellerFields(const std::vector<TextLine>& rows);

// `text` as a number (stod), nullopt when it is none.
std::optional<double> ParseNumber(const std::string& text);

// The lines that share a visual row (same page, overlapping heights, side by side)
// joined left to right, rows top to bottom; lines without a box stay alone.
std::vector<TextLine> MergeRows(const std::vector<TextLine>& lines);

// Marks misread for letters in a name or address: '!' or '|' touching a letter as 'I',
// '$' before a letter or digit as 'S'.
std::string RepairNameMarks(std::string text);

// The Malaysian company suffix "SDN BHD" / "S/B" read with a wrong letter or two
// ("SON BHD", "SDN BILD", "SDN a BHD", "5/B") written as printed.
std::string RepairCompanySuffix(std::string text);

// Address words with one misread letter ("JA:AN", "Jalari", "Malavsia") written as
// the Malaysian street, place or state word they stand for, and "NQ.9" as "NO.9".
std::string RepairAddressWords(const std::string& text);

}  // namespace smartocr::extract::fields_internal

#endif  // SMARTOCR_EXTRACT_FIELDS_INTERNAL_H_
