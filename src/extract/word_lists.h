// src/extract/word_lists.h
//
// The word lists the receipt and invoice rules look for, in one place. Private to
// src/extract. Upper-case lists are matched as whole words in UpperAscii text
// (HasWord); lower-case lists in LatinLower text (Latin-1 capitals folded too), as
// each says.
#ifndef SMARTOCR_EXTRACT_WORD_LISTS_H_
#define SMARTOCR_EXTRACT_WORD_LISTS_H_

#include <string_view>

namespace smartocr::extract::words {

// ---------------------------------------------------------------------------------------
// Receipts: the seller's block (receipt_seller.cc).

// The legal form of a business ("SDN BHD", "ENTERPRISE", "LTD"): the line is its name.
// A form ending in '.' also counts inside a word ("CO.(M)").
inline constexpr std::string_view kLegalForms[] = {
    "SDN BHD",    "SDN",     "SDN. BHD",    "SDN.BHD",  "BHD", "BERHAD", "S/B",
    "ENTERPRISE", "TRADING", "LTD",         "LIMITED",  "INC", "GMBH",   "PLC",
    "LLC",        "CO.",     "CORPORATION", "HOLDINGS", "PLT"};

// A kind of shop ("RESTAURANT", "CAFE"): a name, or a line describing the name above.
inline constexpr std::string_view kShopWords[] = {
    "RESTAURANT", "RESTORAN",  "MART",  "STORE",    "SUPERMARKET", "HARDWARE",
    "STATIONERY", "BOOKSTORE", "KEDAI", "PHARMACY", "CAFE",        "BAKERY"};

// The words of a document's title: a line with one is a title unless it names a business.
inline constexpr std::string_view kDocumentWords[] = {"INVOICE", "RECEIPT"};

// Headings of a receipt that name no business when the line is short.
inline constexpr std::string_view kHeadings[] = {"TAX INVOICE", "RECEIPT",   "INVOICE",
                                                 "WELCOME",     "CASH SALE", "CASH BILL",
                                                 "OFFICIAL",    "THANK YOU", "COPY"};

// Labels of a company registration number ("CO NO: 1234", "ROC 5678").
inline constexpr std::string_view kRegistrationLabels[] = {"CO NO", "CO.NO", "COMPANY NO", "ROC"};

// Labels and contacts that end an address (or, before it, are no part of one).
inline constexpr std::string_view kAddressStops[] = {
    "TEL",     "PHONE", "FAX",     "GST", "EMAIL",    "E-MAIL", "WEBSITE", "INVOICE",
    "RECEIPT", "DATE",  "CASHIER", "DOC", "BILL",     "TABLE",  "SST",     "TAX",
    "H/P",     "HP",    "MOBILE",  "WWW", "DOCUMENT", "CASH",   "INV"};

// Words that make a line look like an address (streets, lots, places).
inline constexpr std::string_view kAddressHints[] = {
    "JALAN",   "JLN",       "TAMAN",    "ROAD",  "STREET", "ST",     "LORONG",
    "KAMPUNG", "BANDAR",    "LOT",      "NO",    "BLOCK",  "BLK",    "FLOOR",
    "AVENUE",  "PERSIARAN", "SELANGOR", "JOHOR", "KUALA",  "LUMPUR", "MALAYSIA"};

// Words of state, region and country names that close an address block.
inline constexpr std::string_view kRegionWords[] = {
    "SELANGOR",    "JOHOR",  "KEDAH",    "KELANTAN",  "MELAKA", "MALACCA",  "PAHANG",
    "PERAK",       "PERLIS", "PENANG",   "PULAU",     "PINANG", "SABAH",    "SARAWAK",
    "TERENGGANU",  "NEGERI", "SEMBILAN", "KUALA",     "LUMPUR", "KL",       "WILAYAH",
    "PERSEKUTUAN", "DARUL",  "EHSAN",    "TAKZIM",    "MAKMUR", "RIDZUAN",  "AMAN",
    "KHUSUS",      "NAIM",   "MALAYSIA", "SINGAPORE", "LABUAN", "PUTRAJAYA"};

// Street words after a postcode: the address goes on ("33198, JALAN KAPAR").
inline constexpr std::string_view kStreetWords[] = {"JALAN", "JLN",    "JL",   "LOT",
                                                    "NO",    "LORONG", "BLOK", "BLOCK"};

// ---------------------------------------------------------------------------------------
// Receipts: the total and the tax (receipt_total.cc, receipt_rules.cc).

// Tender lines: a rounding line after them belongs to the change, not the total.
inline constexpr std::string_view kTenderWords[] = {"CASH", "TENDER", "TENDERED", "CHANGE"};

// A rounding line ("Rounding Adj -0.02").
inline constexpr std::string_view kRoundingWords[] = {"ROUNDING", "ROUNDED", "ROUND"};

// Column names of the items table's header row ("ITEM QTY U/P AMOUNT").
inline constexpr std::string_view kItemColumns[] = {"ITEM", "QTY",  "OTY",  "PRICE",
                                                    "U/P",  "UP",   "DESC", "DESCRIPTION",
                                                    "DISC", "UNIT", "RATE", "CODE"};

// The tax amount's labels, and words beside them that make the line something else
// (a tax id, an inclusive-tax note).
inline constexpr std::string_view kTaxLabels[] = {"GST", "SST", "TAX", "VAT"};
inline constexpr std::string_view kNotTaxAmount[] = {"INVOICE", "ID",   "REG",
                                                     "NO",      "INCL", "INCLUSIVE"};

// ---------------------------------------------------------------------------------------
// Invoices: the vendor and the dates (invoice_rules.cc).

// Words that make a title's leading words a kind of invoice ("Tax Invoice", "Pro
// Forma Invoice"), not its issuer's name. Upper case.
inline constexpr std::string_view kInvoiceKinds[] = {
    "TAX",     "PRO",    "FORMA",      "PROFORMA", "COMMERCIAL", "SALES",     "VAT",
    "GST",     "FINAL",  "ORIGINAL",   "COPY",     "DUPLICATE",  "RETAIL",    "SIMPLIFIED",
    "CREDIT",  "DEBIT",  "CUSTOMS",    "INTERIM",  "PARTIAL",    "RECURRING", "YOUR",
    "MONTHLY", "ANNUAL", "ELECTRONIC", "SUMMARY",  "DRAFT"};

// Lines at the top that are no vendor name: titles, page marks, address labels.
// Upper case.
inline constexpr std::string_view kNotVendorWords[] = {
    "INVOICE", "RECHNUNG", "FACTURE", "PAGE", "SEITE",   "TAX",        "ORIGINAL", "COPY",
    "DATE",    "BILL TO",  "SHIP TO", "(C)",  "FACTUUR", "STYLESHEET", "ATTN"};

// The issue date's own labels, tried first: "Order Date" or a print date may precede
// "Invoice Date". Lower case.
inline constexpr std::string_view kIssueDateLabels[] = {
    "invoice date",  "rechnungsdatum", "issue date",      "date de facture",
    "date facture",  "facture du",     "date d'émission", "factuurdatum",
    "date of issue", "beleg-datum",    "belegdatum",      "ausstellungsdatum"};
// Any date's label, tried next. Lower case.
inline constexpr std::string_view kDateLabels[] = {"date", "datum", "data"};
// The due date's labels. Lower case.
inline constexpr std::string_view kDueDateLabels[] = {
    "due date",        "payment due", "due",       "fälligkeitsdatum",
    "fälligkeit",      "fällig",      "fällig am", "zahlbar bis",
    "date d'échéance", "échéance",    "echeance",  "vervaldatum"};

// The net amount's labels in the receipt vocabulary, where the invoice keys found no
// total, and the label that looks like one but is the amount due. Upper case.
inline constexpr std::string_view kSubtotalLabels[] = {"SUBTOTAL", "SUB TOTAL", "NET", "NETTO",
                                                       "TOTAL HT"};
inline constexpr std::string_view kNotSubtotal[] = {"NET À PAYER"};

// ---------------------------------------------------------------------------------------
// Invoices: the amounts (invoice_amounts.cc). Lower case.

// Words after an amount key that make it an id or a title ("USt-IdNr", "VAT No",
// "Tax invoice", "Gesamtbetrag der Zuschläge"): no amount follows.
inline constexpr std::string_view kNotAmountAfterKey[] = {
    "id", "idnr", "nr", "no", "number", "nummer", "reg", "invoice", "der", "identification"};

// Markers before a tax key: the amount includes the tax (a gross amount), or leaves it
// out (a net one).
inline constexpr std::string_view kIncludingMarkers[] = {"inkl", "incl", "inclusive", "including",
                                                         "inclusief"};
inline constexpr std::string_view kExcludingMarkers[] = {"ohne",      "excl",      "exkl",
                                                         "exclusief", "excluding", "hors"};

// Titles of a credit note.
inline constexpr std::string_view kCreditNoteTitles[] = {
    "avoir", "facture d'avoir", "gutschrift", "credit note", "creditnota", "credit memo"};

}  // namespace smartocr::extract::words

#endif  // SMARTOCR_EXTRACT_WORD_LISTS_H_
