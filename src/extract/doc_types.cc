// The document type registry: every built-in type with its rules, fields, classifier
// words and defaults, in one table that ExtractFields, the schema checks, the API and
// the CLI all read.
#include <algorithm>

#include "extract/fields_internal.h"
#include "mrz/mrz.h"

namespace smartocr::extract {
namespace {

using T = FieldType;

// An MRZ is printed on passports, identity cards and visas only.
bool HasMrz(const std::vector<TextLine>& lines) {
  std::vector<std::string> texts;
  texts.reserve(lines.size());
  for (const TextLine& l : lines) texts.push_back(l.text);
  return !mrz::FindMrzLines(texts).empty();
}

constexpr DocTypeField kReceiptFields[] = {
    {"company", T::kString, "the seller's name as printed at the top"},
    {"address", T::kString, "the seller's address"},
    {"date", T::kDate, "date of purchase"},
    {"time", T::kString, "time of purchase"},
    {"total", T::kAmount, "the amount paid, taxes included"},
    {"tax", T::kAmount, "the tax amount"},
    {"currency", T::kString, "ISO 4217 currency code"},
};

constexpr DocTypeField kInvoiceFields[] = {
    {"vendor_name", T::kString, "the issuer's company name"},
    {"vendor_address", T::kString, "the issuer's address"},
    {"vendor_vat_id", T::kString, "the issuer's VAT id"},
    {"invoice_number", T::kString, "the invoice number"},
    {"invoice_date", T::kDate, "date of issue"},
    {"due_date", T::kDate, "payment due date"},
    {"currency", T::kString, "ISO 4217 currency code"},
    {"subtotal", T::kAmount, "total before tax"},
    {"tax", T::kAmount, "tax amount"},
    {"total", T::kAmount, "total due, taxes included"},
    {"iban", T::kString, "the issuer's IBAN"},
};

constexpr DocTypeField kIdFields[] = {
    {"document_type", T::kString, "document code, e.g. P or ID"},
    {"issuing_country", T::kString, "ICAO three-letter issuing state"},
    {"surname", T::kString, "the holder's surname"},
    {"given_names", T::kString, "the holder's given names"},
    {"document_number", T::kString, "the document number"},
    {"nationality", T::kString, "ICAO three-letter nationality"},
    {"birth_date", T::kDate, "date of birth"},
    {"sex", T::kString, "M, F or X"},
    {"expiry_date", T::kDate, "date of expiry"},
    {"personal_number", T::kString, "personal number, if any"},
};

// "TAX INVOICE" heads many receipts, so neither list decides alone: the votes do.
constexpr std::string_view kReceiptVotes[] = {
    "RECEIPT",  "CASH",  "CHANGE", "THANK YOU",  "CASHIER", "QTY", "GST",
    "ROUNDING", "TABLE", "VISA",   "MASTERCARD", "SDN BHD", "BHD"};
constexpr std::string_view kInvoiceVotes[] = {"INVOICE",  "RECHNUNG",      "FACTURE", "BILL TO",
                                              "DUE DATE", "IBAN",          "VAT",     "MWST",
                                              "UST-ID",   "PAYMENT TERMS", "SHIP TO", "TVA"};

constexpr DocType kDocTypes[] = {
    {.name = "receipt",
     .description = "a shop or restaurant receipt",
     .fields = kReceiptFields,
     .rules = ExtractReceiptFields,
     .line_items = true,
     .classifier = {.votes = kReceiptVotes, .tall_page_votes = 2},
     .default_engine = "hybrid",
     .mrz_pass = false,
     .uses_lexicon = true},
    {.name = "invoice",
     .description = "a supplier's invoice",
     .fields = kInvoiceFields,
     .rules = ExtractInvoiceFields,
     .line_items = true,
     .classifier = {.votes = kInvoiceVotes},
     .default_engine = "tesseract",
     .mrz_pass = false,
     .uses_lexicon = false},
    {.name = "id_document",
     .description = "a passport, identity card or visa",
     .fields = kIdFields,
     .rules = ExtractIdFields,
     .line_items = false,
     .classifier = {.sure_sign = HasMrz},
     .default_engine = "tesseract",
     .mrz_pass = true,
     .uses_lexicon = false},
};

}  // namespace

std::span<const DocType> DocTypes() { return kDocTypes; }

const DocType* FindDocType(std::string_view name) {
  for (const DocType& type : kDocTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

std::string DocTypeNames(std::string_view separator) {
  std::string out;
  for (const DocType& type : kDocTypes) {
    if (!out.empty()) out += separator;
    out += type.name;
  }
  return out;
}

}  // namespace smartocr::extract
