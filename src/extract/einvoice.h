// src/extract/einvoice.h
//
// E-invoices: the Factur-X / ZUGFeRD / XRechnung XML a PDF/A-3 invoice carries
// (ingest::EmbeddedInvoice), read into our invoice fields, and checked against what the
// visible page says. No OCR anchor does this: the XML is what the seller's system
// booked, the page is what a person reads, and they can differ.
//
// Both UN/CEFACT Cross Industry Invoice syntaxes are read: CII (ZUGFeRD 2.x, Factur-X,
// XRechnung in CII; root rsm:CrossIndustryInvoice) and ZUGFeRD 1.0 (root
// rsm:CrossIndustryDocument). Elements are matched by local name.
//
// The XML is outside input: at most kMaxEInvoiceBytes, UTF-8, no DTD (a DOCTYPE is
// refused before parsing, so no entity is ever declared or expanded), no network.
#ifndef SMARTOCR_EXTRACT_EINVOICE_H_
#define SMARTOCR_EXTRACT_EINVOICE_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::extract {

inline constexpr size_t kMaxEInvoiceBytes = 8u << 20;

// The invoice fields the XML states (vendor_name, vendor_address, vendor_vat_id,
// invoice_number, invoice_date, due_date, currency, subtotal, tax, total, iban), each
// with source "e-invoice", confidence 1, page 0 and no box; dates as ISO 8601, amounts
// as plain decimals. Fails with kCorruptInput: "einvoice_xml" (not well-formed, not
// UTF-8, or over the size limit), "einvoice_dtd" (a DOCTYPE), "einvoice_syntax" (another
// root element).
core::Result<std::vector<core::Field>> ReadEInvoiceFields(std::string_view xml);

// Checks each e-invoice field against the field of the same name the rules read from
// the page (`page_fields`): the same value -> validator "valid" ("the page shows the
// same"; a vendor name or address within the other: "the page shows it as <value>");
// another value -> "invalid" ("the page shows <value>"), confidence 0, so review sees
// it; not on the page -> "unchecked" ("not found on the page"). Amounts compare as
// numbers, dates by their normalized form, IBANs and VAT ids without spaces, text with
// case and spacing folded.
void CrossCheckEInvoice(std::vector<core::Field>& einvoice_fields,
                        const std::vector<core::Field>& page_fields);

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_EINVOICE_H_
