// Tables of cases for the invoice rules: amounts by label geometry and arithmetic,
// credit notes, numbers after titles and under column labels, seller names (documents
// given as positioned lines of words; no OCR involved).
#include <gtest/gtest.h>

#include <map>

#include "doc_builder.h"
#include "extract/fields.h"

namespace smartocr::extract {
namespace {

using test_docs::Document;
using test_docs::Lines;
using test_docs::Stacked;

// The invoice pages here are 1000 x 1400 px; stacked lines are 22 px apart (20 px high, 2 px
// between them, as a PDF sets a block).
constexpr int kPageWidth = 1000;
constexpr int kPageHeight = 1400;
constexpr double kLineSpacing = 22;

struct Got {
  std::map<std::string, std::string> value, normalized;
};

Got Extract(const std::vector<TextLine>& lines) {
  core::DocumentResult doc = Document(lines, kPageWidth, kPageHeight);
  ExtractOptions options;
  options.schema = "invoice";
  options.today = {2024, 6, 1};
  EXPECT_TRUE(ExtractFields(doc, options).ok());
  Got got;
  for (const core::Field& f : doc.fields) {
    got.value.emplace(f.name, f.value);
    got.normalized.emplace(f.name, f.normalized);
  }
  return got;
}

struct Case {
  const char* name;
  std::vector<TextLine> lines;
  std::map<std::string, std::string> want;  // field -> normalized value
};

void Check(const Case& c) {
  SCOPED_TRACE(c.name);
  Got got = Extract(c.lines);
  for (const auto& [name, value] : c.want) EXPECT_EQ(got.normalized[name], value) << name;
}

TEST(InvoiceAmounts, LabelGeometryAndArithmetic) {
  const Case cases[] = {
      {"label and value printed apart on one row (German totals block, negative)",
       Lines({{"Rechnungssumme ohne USt.", 300, 100},
              {"-7,67", 800, 100},
              {"Steuerbetrag", 300, 130},
              {"-1,12", 800, 130},
              {"Bruttosumme", 300, 160},
              {"-8,79", 800, 160},
              {"Zahlbetrag", 300, 190},
              {"-8,79", 800, 190}}),
       {{"subtotal", "-7.67"}, {"tax", "-1.12"}, {"total", "-8.79"}}},
      {"header row over figure rows: the last row is the sum",
       Lines(
           {{"Nettobetrag MwSt-Betrag MwSt-% Endbetrag", 300, 100},  // ends at x 410, 530, 600, 700
            {"-4,85", 360, 125},
            {"-0,92", 480, 125},
            {"19,0", 560, 125},
            {"-5,77", 650, 125},
            {"-2,82", 360, 150},
            {"-0,20", 480, 150},
            {"7,0", 570, 150},
            {"-3,02", 650, 150},
            {"-7,67", 360, 175},
            {"-1,12", 480, 175},
            {"EUR", 570, 175},
            {"-8,79", 650, 175}}),
       {{"subtotal", "-7.67"}, {"tax", "-1.12"}, {"total", "-8.79"}}},
      {"letter-spaced labels",
       Lines({{"Rechnungssumme ohne USt. 16,90", 300, 100},
              {"Steuerbetrag 1,18", 300, 130},
              {"Br uttosumme 18,08", 300, 160}}),
       {{"tax", "1.18"}, {"total", "18.08"}}},
      {"tax included in a premium, in brackets; amount due with arrears is not the total",
       Stacked(
           {"vierteljährlicher Beitrag inklusive 19 % Versicherungsteuer 220,00 €",
            "in diesem Beitrag enthaltene Versicherungsteuer (35,13 €)",
            "Ausstehende Forderung am Ausstellungstag 220,00 €", "zu zahlender Beitrag 440,00 €"},
           kLineSpacing),
       {{"tax", "35.13"}, {"total", "220.00"}}},
      {"net + tax = total beats keyword priority (Dutch, two columns on one row)",
       Lines({{"Exclusief BTW € 4.053,67", 50, 100},
              {"Subtotaal € 4.904,94", 600, 100},
              {"BTW 21% € 851,27", 50, 125},
              {"Totaal € 4.904,94", 600, 150}}),
       {{"subtotal", "4053.67"}, {"tax", "851.27"}, {"total", "4904.94"}}},
      {"French labels: HT, TVA, TTC",
       Stacked({"Montant HT 100,00 €", "TVA 20 % 20,00 €", "Net à payer 120,00 €"}, kLineSpacing),
       {{"subtotal", "100.00"}, {"tax", "20.00"}, {"total", "120.00"}}},
      {"German compounds",
       Stacked({"Nettobetrag 100,00", "MwSt. 19 % 19,00", "Rechnungssumme 119,00"}, kLineSpacing),
       {{"subtotal", "100.00"}, {"tax", "19.00"}, {"total", "119.00"}}},
      {"English amount payable",
       Stacked({"Net 100.00", "VAT 20% 20.00", "Amount payable 120.00"}, kLineSpacing),
       {{"subtotal", "100.00"}, {"tax", "20.00"}, {"total", "120.00"}}},
      {"an item table's header row does not give the total",
       Stacked(
           {"Description Qty Price incl. VAT", "Widget 2 10.00", "Gadget 1 15.00", "Total 25.00"},
           kLineSpacing),
       {{"total", "25.00"}}},
      {"'incl.' before one label does not make the next tax label gross",
       Lines({{"Amount incl. VAT 119.00", 50, 100},
              {"VAT 19.00", 600, 100},
              {"Net 100.00", 50, 130}}),
       {{"tax", "19.00"}, {"total", "119.00"}, {"subtotal", "100.00"}}},
      {"a rate is not an amount; VAT ids are no tax",
       Stacked({"VAT No: GB123456789", "Subtotal 100.00", "Tax 14.50%", "Tax amount 14.50",
                "Total 114.50"},
               kLineSpacing),
       {{"tax", "14.50"}, {"total", "114.50"}}},
  };
  for (const Case& c : cases) Check(c);
}

TEST(InvoiceAmounts, CreditNotesStateAmountsPositive) {
  Got got = Extract(Stacked({"Au bon moulin SARL", "Avoir AV-2017-0005", "Total HT -218,48 €",
                             "Total taxes -14,99 €", "Total TTC -233,47 €"},
                            kLineSpacing));
  EXPECT_EQ(got.value["invoice_number"], "AV-2017-0005");
  EXPECT_EQ(got.value["total"], "-233,47 €");  // as printed
  EXPECT_EQ(got.normalized["total"], "233.47");
  EXPECT_EQ(got.normalized["tax"], "14.99");
  EXPECT_EQ(got.normalized["subtotal"], "218.48");
  // A correction invoice keeps its sign.
  got = Extract(Stacked({"Rechnungskorrektur Nr. RK21012345", "Bruttosumme -8,79"}, kLineSpacing));
  EXPECT_EQ(got.normalized["total"], "-8.79");
}

TEST(InvoiceRules, NumbersAfterTitlesAndUnderLabels) {
  const Case cases[] = {
      {"title then number",
       Stacked({"ACME GmbH", "Gutschrift GS-2024-17"}, kLineSpacing),
       {{"invoice_number", "GS-2024-17"}}},
      {"'#' on the line under the title is a label",
       Stacked({"Sammy Maystone", "INVOICE", "# invoice_number_1", "Date: Jan 1, 2022"},
               kLineSpacing),
       {{"invoice_number", "invoice_number_1"}}},
      {"a date after the title is no number",
       Stacked({"ACME GmbH", "Rechnung 13.06.2018", "Rechnungsnummer: 4711"}, kLineSpacing),
       {{"invoice_number", "4711"}}},
      {"booking reference below its column label",
       Lines({{"PAYMENT RECEIPT", 200, 50},
              {"Booking ID Payment Mode", 530, 100},
              {"IBZY2087 Cash at Hotel", 530, 125}}),
       {{"invoice_number", "IBZY2087"}}},
      {"Dutch date label and month name",
       Stacked({"Coolblue B.V.", "Factuurnummer: 992288600", "Factuurdatum: 29 maart 2014"},
               kLineSpacing),
       {{"invoice_number", "992288600"}, {"invoice_date", "2014-03-29"}}},
      {"due date labels in German and French, accents upper-cased",
       Stacked({"ACME GmbH", "Rechnungsdatum: 01.03.2024", "FÄLLIGKEITSDATUM: 31.03.2024"},
               kLineSpacing),
       {{"invoice_date", "2024-03-01"}, {"due_date", "2024-03-31"}}},
      {"French dates",
       Stacked({"Au bon moulin SARL", "Date de facture 16/11/2017", "Date d'échéance 30/11/2017"},
               kLineSpacing),
       {{"invoice_date", "2017-11-16"}, {"due_date", "2017-11-30"}}},
  };
  for (const Case& c : cases) Check(c);
}

// A form as a scan reads it: the labels in one column (tall boxes, 50 px apart), then the
// values right of them (short boxes, centred on their label's row), in that order.
std::vector<TextLine> ScannedForm(const std::vector<std::string>& labels,
                                  const std::vector<std::pair<size_t, std::string>>& values) {
  std::vector<TextLine> lines;
  for (size_t i = 0; i < labels.size(); ++i) {
    lines.push_back(test_docs::Line(labels[i], 10, 100 + 50.0 * static_cast<double>(i), 33));
  }
  for (const auto& [row, text] : values) {
    lines.push_back(test_docs::Line(text, 400, 105 + 50.0 * static_cast<double>(row), 18));
  }
  return lines;
}

TEST(InvoiceRules, SellerNames) {
  const Case cases[] = {
      {"legal form with a final dot",
       Stacked({"FACTUUR.", "Dat betaal ik zelf wel.", "Coolblue B.V.", "Weena 664"}, kLineSpacing),
       {{"vendor_name", "Coolblue B.V."}}},
      {"a name wrapped before its legal form",
       Stacked(
           {"MVM Musterhafter", "Versicherungsverein Musterstadt a.G.", "Herrn", "Max Mustermann"},
           kLineSpacing),
       {{"vendor_name", "MVM Musterhafter Versicherungsverein Musterstadt a.G."}}},
      {"under the seller heading, after an id line",
       Stacked({"Verkäufer:", "Globale Nummer: 1234567890128 (GTIN)", "MVM Musterhafter",
                "Versicherungsverein Musterstadt a.G.", "Musterstr. 12"},
               kLineSpacing),
       {{"vendor_name", "MVM Musterhafter Versicherungsverein Musterstadt a.G."}}},
      {"a person under the seller's name is not part of it",
       Stacked({"Verkäufer:", "Physiotherapeutin", "Tanja Tinder", "Musterstraße 12"},
               kLineSpacing),
       {{"vendor_name", "Physiotherapeutin"}}},
      {"'Name:' value wrapped above its label line",
       Lines({{"Verkäufer", 10, 100},
              {"Nummer: 549910", 10, 130},
              {"MVM Musterhafter", 70, 158},
              {"Name: Versicherungsverein Musterstadt a.G.", 10, 180}}),
       {{"vendor_name", "MVM Musterhafter Versicherungsverein Musterstadt a.G."}}},
      // Scans: OCR drops the heading's umlaut, reads a form's labels and values as two
      // columns (labels first), and its boxes hug the ink (a label box may be much
      // taller than its value's; a line with descenders is taller).
      {"a scan: the name right of a bare 'Name:' label, past the first lines",
       ScannedForm(
           {"Rechnungskorrektur (384)", "Währung:", "Liefer- und Leistungsdatum:", "Bestellung:",
            "Lieferavis:", "Verkaufer", "Nummer:", "Globale Nummer:", "Name:", "Anschrift:",
            "USt.-Id.-Nr.:", "Kaufer/Leistungsempfanger", "Nummer:", "Name:", "Anschrift:"},
           {{6, "549910"}, {8, "MUSTERLIEFERANT GMBH"}, {13, "Kunden AG Mitte"}}),
       {{"vendor_name", "MUSTERLIEFERANT GMBH"}}},
      {"a scan: the name's two lines centred on their label",
       {test_docs::Line("Verkaufer", 10, 100), test_docs::Line("Name:", 10, 179, 32),
        test_docs::Line("MVM Musterhafter", 400, 150, 19),
        test_docs::Line("Versicherungsverein Musterstadt a.G.", 400, 183, 24)},
       {{"vendor_name", "MVM Musterhafter Versicherungsverein Musterstadt a.G."}}},
      {"a scan: a name wrapped over ink boxes of two heights",
       {test_docs::Line("MVM Musterhafter", 10, 100, 19),
        test_docs::Line("Versicherungsverein Musterstadt a.G.", 10, 132, 24),
        test_docs::Line("Herrn", 10, 190, 19)},
       {{"vendor_name", "MVM Musterhafter Versicherungsverein Musterstadt a.G."}}},
      {"issuer named in the title",
       Stacked({"Amazon Web Services Invoice", "Account number:"}, kLineSpacing),
       {{"vendor_name", "Amazon Web Services"}}},
      {"'Your Monthly Invoice' names no issuer",
       Stacked({"Your Monthly Invoice", "Acme Trading Ltd"}, kLineSpacing),
       {{"vendor_name", "Acme Trading Ltd"}}},
      {"a kind of invoice is no issuer",
       Stacked({"Tax Invoice", "Acme Trading Ltd", "Invoice No: 12"}, kLineSpacing),
       {{"vendor_name", "Acme Trading Ltd"}}},
      {"seller right of its label",
       Stacked({"Retail Invoices/Bill", "Sold By : WS Retail Services Pvt. Ltd.,"}, kLineSpacing),
       {{"vendor_name", "WS Retail Services Pvt. Ltd."}}},
      {"sender line: the name ends at its first separator",
       Stacked({"Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucène"}, kLineSpacing),
       {{"vendor_name", "Au bon moulin SARL"}}},
  };
  for (const Case& c : cases) Check(c);
}

}  // namespace
}  // namespace smartocr::extract
