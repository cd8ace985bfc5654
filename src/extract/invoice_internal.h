// src/extract/invoice_internal.h
//
// Private helpers of the invoice rules (invoice_rules.cc, invoice_amounts.cc).
#ifndef SMARTOCR_EXTRACT_INVOICE_INTERNAL_H_
#define SMARTOCR_EXTRACT_INVOICE_INTERNAL_H_

#include <optional>
#include <vector>

#include "extract/fields.h"

namespace smartocr::extract::invoice_internal {

// Lines of one page whose boxes share a row (a label and its value printed far
// apart come back as separate lines) merged into one line, words left to right;
// rows top to bottom.
std::vector<TextLine> MergeRows(const std::vector<TextLine>& lines);

struct InvoiceAmounts {
  std::optional<core::Field> subtotal;
  std::optional<core::Field> tax;
  std::optional<core::Field> total;
};

// Net, tax and gross amounts from their labels (German, French, English, Dutch),
// the value right of its label on the same row or below it in a totals table, and
// chosen so that net + tax = total where the page allows it.
InvoiceAmounts FindInvoiceAmounts(const std::vector<TextLine>& lines,
                                  const ExtractOptions& options);

// A credit note by its title ("Avoir", "Gutschrift", "Credit note"): its amounts
// print with a minus sign, but EN 16931 states them positive (the type says refund).
bool IsCreditNote(const std::vector<TextLine>& lines);

}  // namespace smartocr::extract::invoice_internal

#endif  // SMARTOCR_EXTRACT_INVOICE_INTERNAL_H_
