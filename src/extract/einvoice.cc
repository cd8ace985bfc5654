// E-invoice XML to invoice fields, and the check against the page (see einvoice.h).
#include "extract/einvoice.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "core/text.h"
#include "extract/extract.h"
#include "extract/lexicon.h"

namespace smartocr::extract {
namespace {

// Two amounts are the same when they round to the same cent.
constexpr double kSameAmount = 0.005;

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

bool IsElement(const xmlNode* node, std::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->name != nullptr &&
         local_name == reinterpret_cast<const char*>(node->name);
}

// The first element child of `node` with that local name.
const xmlNode* Child(const xmlNode* node, std::string_view local_name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsElement(c, local_name)) return c;
  }
  return nullptr;
}

// Follows element children by local name from `node`.
const xmlNode* Path(const xmlNode* node, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) node = Child(node, name);
  return node;
}

// The first element below `node` (depth first) with that local name. libxml2 bounds a
// document's depth (256 without XML_PARSE_HUGE), so the recursion is bounded too.
const xmlNode* Find(const xmlNode* node, std::string_view local_name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsElement(c, local_name)) return c;
    if (const xmlNode* found = Find(c, local_name)) return found;
  }
  return nullptr;
}

std::string TextOf(const xmlNode* node) {
  if (node == nullptr) return "";
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return std::string(core::Trim(out));
}

std::string AttributeOf(const xmlNode* node, const char* name) {
  if (node == nullptr) return "";
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

core::Field EInvoiceField(const std::string& name, const std::string& value,
                          const std::string& normalized) {
  core::Field f;
  f.name = name;
  f.value = value;
  f.normalized = normalized.empty() ? value : normalized;
  f.confidence = 1.0;
  f.source = "e-invoice";
  return f;
}

// UN/CEFACT date format 102 ("20180613") to ISO 8601; "" when it is not one.
std::string IsoFrom102(const std::string& text) {
  static const std::regex k102(R"(^(\d{4})(\d{2})(\d{2})$)");
  std::smatch m;
  if (!std::regex_match(text, m, k102)) return "";
  Date d{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
  return IsValidDate(d) ? FormatIsoDate(d) : "";
}

bool IsDecimal(const std::string& text) {
  static const std::regex kDecimal(R"(^-?\d{1,15}(\.\d{1,6})?$)");
  return std::regex_match(text, kDecimal);
}

void AddText(std::vector<core::Field>& out, const std::string& name, const xmlNode* node) {
  std::string text = TextOf(node);
  if (!text.empty()) out.push_back(EInvoiceField(name, text, ""));
}

void AddAmount(std::vector<core::Field>& out, const std::string& name, const xmlNode* node) {
  std::string text = TextOf(node);
  if (IsDecimal(text)) out.push_back(EInvoiceField(name, text, text));
}

void AddDate(std::vector<core::Field>& out, const std::string& name, const xmlNode* node) {
  const xmlNode* text_node = Child(node, "DateTimeString");
  std::string iso = IsoFrom102(TextOf(text_node));
  if (!iso.empty()) out.push_back(EInvoiceField(name, TextOf(text_node), iso));
}

// The seller's address as printed: lines, "postcode city", country.
std::string AddressOf(const xmlNode* address) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += ", ";
    out += part;
  };
  add(TextOf(Child(address, "LineOne")));
  add(TextOf(Child(address, "LineTwo")));
  add(TextOf(Child(address, "LineThree")));
  add(std::string(core::Trim(TextOf(Child(address, "PostcodeCode")) + " " +
                             TextOf(Child(address, "CityName")))));
  add(TextOf(Child(address, "CountryID")));
  return out;
}

// The seller's VAT id: its tax registration with schemeID "VA".
const xmlNode* VatRegistration(const xmlNode* seller) {
  if (seller == nullptr) return nullptr;
  for (const xmlNode* c = seller->children; c != nullptr; c = c->next) {
    if (!IsElement(c, "SpecifiedTaxRegistration")) continue;
    const xmlNode* id = Child(c, "ID");
    if (AttributeOf(id, "schemeID") == "VA") return id;
  }
  return nullptr;
}

// The tax total in the invoice currency (CII may state it twice, once per currency).
const xmlNode* TaxTotal(const xmlNode* summation, const std::string& currency) {
  const xmlNode* first = nullptr;
  for (const xmlNode* c = summation == nullptr ? nullptr : summation->children; c != nullptr;
       c = c->next) {
    if (!IsElement(c, "TaxTotalAmount")) continue;
    if (first == nullptr) first = c;
    if (!currency.empty() && AttributeOf(c, "currencyID") == currency) return c;
  }
  return first;
}

std::vector<core::Field> FieldsOf(const xmlNode* root, bool cii) {
  std::vector<core::Field> out;
  const xmlNode* header = Child(root, cii ? "ExchangedDocument" : "HeaderExchangedDocument");
  const xmlNode* transaction = Child(root, "SupplyChainTradeTransaction");
  if (transaction == nullptr) transaction = Child(root, "SpecifiedSupplyChainTradeTransaction");
  const xmlNode* seller = Find(transaction, "SellerTradeParty");
  const xmlNode* settlement = Find(transaction, cii ? "ApplicableHeaderTradeSettlement"
                                                    : "ApplicableSupplyChainTradeSettlement");
  const xmlNode* summation =
      Find(settlement, cii ? "SpecifiedTradeSettlementHeaderMonetarySummation"
                           : "SpecifiedTradeSettlementMonetarySummation");
  const std::string currency = TextOf(Child(settlement, "InvoiceCurrencyCode"));
  AddText(out, "vendor_name", Child(seller, "Name"));
  if (std::string address = AddressOf(Child(seller, "PostalTradeAddress")); !address.empty()) {
    out.push_back(EInvoiceField("vendor_address", address, ""));
  }
  AddText(out, "vendor_vat_id", VatRegistration(seller));
  AddText(out, "invoice_number", Child(header, "ID"));
  AddDate(out, "invoice_date", Child(header, "IssueDateTime"));
  AddDate(out, "due_date", Path(settlement, {"SpecifiedTradePaymentTerms", "DueDateDateTime"}));
  if (!currency.empty()) out.push_back(EInvoiceField("currency", currency, currency));
  AddAmount(out, "subtotal", Child(summation, "TaxBasisTotalAmount"));
  AddAmount(out, "tax", TaxTotal(summation, currency));
  AddAmount(out, "total", Child(summation, "GrandTotalAmount"));
  AddText(out, "iban", Find(settlement, "IBANID"));
  return out;
}

std::optional<double> Number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Whether the page's value says what the XML says.
bool SameValue(const core::Field& xml, const core::Field& page) {
  if (xml.name == "subtotal" || xml.name == "tax" || xml.name == "total") {
    auto a = Number(xml.normalized);
    auto b = Number(page.normalized);
    return a && b && std::abs(*a - *b) < kSameAmount;
  }
  if (xml.name == "invoice_date" || xml.name == "due_date") {
    return xml.normalized == page.normalized;
  }
  auto compact = [](const std::string& s) { return core::AsciiUpper(core::RemoveSpaces(s)); };
  if (xml.name == "iban" || xml.name == "vendor_vat_id") {
    return compact(xml.normalized) == compact(page.normalized);
  }
  return FoldForLexicon(xml.normalized) == FoldForLexicon(page.normalized);
}

// A name or address the page prints with more or less around it ("Au bon moulin" and
// "Au bon moulin SARL"): the same party, worth showing, not worth a flag.
bool SamePartyText(const core::Field& xml, const core::Field& page) {
  if (xml.name != "vendor_name" && xml.name != "vendor_address") return false;
  const std::string a = FoldForLexicon(xml.normalized);
  const std::string b = FoldForLexicon(page.normalized);
  return !a.empty() && !b.empty() &&
         (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

}  // namespace

core::Result<std::vector<core::Field>> ReadEInvoiceFields(std::string_view xml) {
  if (xml.size() > kMaxEInvoiceBytes) {
    return core::CorruptInput("einvoice_xml", "the e-invoice XML is over " +
                                                  std::to_string(kMaxEInvoiceBytes) + " bytes");
  }
  // E-invoices are UTF-8 (EN 16931); in UTF-8 a DOCTYPE is plain bytes, so it is refused
  // before libxml2 reads a byte of it, and no entity declaration is ever parsed.
  if (xml.find('\0') != std::string_view::npos) {
    return core::CorruptInput("einvoice_xml", "the e-invoice XML is not UTF-8");
  }
  if (xml.find("<!DOCTYPE") != std::string_view::npos) {
    return core::CorruptInput("einvoice_dtd", "the e-invoice XML declares a DTD");
  }
  // No DTD is loaded, no entity substituted, nothing fetched; errors are returned, not
  // printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  XmlDocPtr doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "einvoice.xml", nullptr, options));
  if (doc == nullptr) {
    return core::CorruptInput("einvoice_xml", "the e-invoice XML is not well-formed");
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return core::CorruptInput("einvoice_dtd", "the e-invoice XML declares a DTD");
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (IsElement(root, "CrossIndustryInvoice")) return FieldsOf(root, /*cii=*/true);
  if (IsElement(root, "CrossIndustryDocument")) return FieldsOf(root, /*cii=*/false);
  return core::CorruptInput("einvoice_syntax",
                            "the e-invoice XML is neither CII (CrossIndustryInvoice) nor "
                            "ZUGFeRD 1.0 (CrossIndustryDocument)");
}

void CrossCheckEInvoice(std::vector<core::Field>& einvoice_fields,
                        const std::vector<core::Field>& page_fields) {
  for (core::Field& f : einvoice_fields) {
    const core::Field* page = nullptr;
    for (const core::Field& p : page_fields) {
      if (p.name == f.name && !p.value.empty()) page = &p;
    }
    if (page == nullptr) {
      f.validator_status = "unchecked";
      f.validator_detail = "not found on the page";
    } else if (SameValue(f, *page)) {
      f.validator_status = "valid";
      f.validator_detail = "the page shows the same";
      f.page = page->page;
      f.bbox = page->bbox;
    } else if (SamePartyText(f, *page)) {
      f.validator_status = "valid";
      f.validator_detail = "the page shows it as " + page->value;
      f.page = page->page;
      f.bbox = page->bbox;
    } else {
      f.validator_status = "invalid";
      f.validator_detail = "the page shows " + page->value;
      f.confidence = 0;
      f.page = page->page;
      f.bbox = page->bbox;
    }
  }
}

}  // namespace smartocr::extract
