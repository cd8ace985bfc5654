// Tables of cases for the receipt rules added for scanned receipts: visual rows, OCR
// confusions in names and addresses, company choice, rounding and tender lines
// (documents given as lines of words; no OCR involved).
#include <gtest/gtest.h>

#include <map>

#include "doc_builder.h"
#include "extract/fields.h"
#include "extract/fields_internal.h"

namespace smartocr::extract {
namespace {

using test_docs::Document;
using test_docs::Line;
using test_docs::Stacked;

struct WordAt {
  std::string text;
  double x0, y0, x1, y1;
};

// One line from two words placed one above the other (a detector box around both).
TextLine Stacked2(const WordAt& a, const WordAt& b) {
  TextLine line;
  line.page = 1;
  line.confidence = 0.95;
  for (const WordAt& w : {a, b}) {
    line.words.push_back({w.text, {w.x0, w.y0, w.x1, w.y1}, 0.95});
    line.box = line.box.Union({w.x0, w.y0, w.x1, w.y1});
  }
  line.text = a.text + " " + b.text;
  return line;
}

std::map<std::string, std::string> Receipt(const std::vector<TextLine>& lines) {
  core::DocumentResult doc = Document(lines);
  ExtractOptions options;
  options.schema = "receipt";
  options.today = {2024, 6, 1};
  EXPECT_TRUE(ExtractFields(doc, options).ok());
  std::map<std::string, std::string> values;
  for (const core::Field& f : doc.fields) values.emplace(f.name, f.value);
  return values;
}

TEST(ReceiptRows, LinesSideBySideBecomeOneRow) {
  struct Case {
    const char* name;
    std::vector<TextLine> lines;
    std::vector<std::string> rows;
  };
  const Case cases[] = {
      {"labels read before their amounts are joined row by row",
       {Line("NET TOTAL", 10, 100), Line("CASH", 10, 130), Line("174.90", 300, 102),
        Line("200.00", 300, 131)},
       {"NET TOTAL 174.90", "CASH 200.00"}},
      {"a line lower by less than half its height still shares the row",
       {Line("TOTAL", 10, 100), Line("9.00", 300, 108)},
       {"TOTAL 9.00"}},
      {"a line lower by more than half its height starts a new row",
       {Line("TOTAL", 10, 100), Line("9.00", 300, 115)},
       {"TOTAL", "9.00"}},
      {"overlapping lines are not joined (a stamp over the text)",
       {Line("SHOP SDN BHD", 10, 100), Line("POSTED", 40, 100)},
       {"SHOP SDN BHD", "POSTED"}},
      {"rows come top to bottom", {Line("B", 10, 200), Line("A", 10, 100)}, {"A", "B"}},
      {"a tall box around two stacked amounts is split; each goes to the row it is centred on",
       {Line("NET TOTAL", 60, 812, 21), Line("CASH", 60, 838, 22), Line("CHANGE", 60, 885, 20),
        Stacked2({"174.90", 417, 774, 506, 850}, {"200.00", 428, 828, 494, 868}),
        Line("25.10", 417, 849, 73)},
       {"NET TOTAL 174.90", "CASH 200.00", "CHANGE 25.10"}},
      {"text of a very different size is no part of the row (a stamp beside a name)",
       {Line("YONG CEN ENTERPRISE", 60, 156, 34), Line("POSTED", 429, 119, 61)},
       {"POSTED", "YONG CEN ENTERPRISE"}},
      {"a tall line of words is no stack of amounts and stays whole",
       {Line("BIG SHOP", 10, 10, 60), Line("SDN BHD", 200, 10, 60), Line("TEL 03", 10, 80),
        Line("FAX 04", 10, 110), Line("GST 05", 10, 140)},
       {"BIG SHOP SDN BHD", "TEL 03", "FAX 04", "GST 05"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> got;
    for (const TextLine& l : fields_internal::MergeRows(c.lines)) got.push_back(l.text);
    EXPECT_EQ(got, c.rows);
  }
}

TEST(ReceiptText, MarksAndSuffixRepairs) {
  struct Case {
    const char* in;
    const char* name_marks;  // RepairNameMarks
    const char* suffix;      // RepairCompanySuffix
  };
  const Case cases[] = {
      {"MEDAN NIAGA DAMA! SG BES!", "MEDAN NIAGA DAMAI SG BESI", "MEDAN NIAGA DAMA! SG BES!"},
      {"JIAWE| HOUSE", "JIAWEI HOUSE", "JIAWE| HOUSE"},
      {"JALAN $$21/39", "JALAN SS21/39", "JALAN $$21/39"},
      {"RM $ 5.00", "RM $ 5.00", "RM $ 5.00"},  // a lone dollar sign stays
      {"HERO DISTRIBUTION SDN SHD", "HERO DISTRIBUTION SDN SHD", "HERO DISTRIBUTION SDN BHD"},
      {"GARDENIA BAKERIES (KL) SDN EHD", "GARDENIA BAKERIES (KL) SDN EHD",
       "GARDENIA BAKERIES (KL) SDN BHD"},
      {"GARDENIA BAKERIES (KL) SDN BILD", "GARDENIA BAKERIES (KL) SDN BILD",
       "GARDENIA BAKERIES (KL) SDN BHD"},
      {"MIZU MENTAI SON, BHD.", "MIZU MENTAI SON, BHD.", "MIZU MENTAI SDN. BHD."},
      {"co. (M) SDN a BHD", "co. (M) SDN a BHD", "co. (M) SDN BHD"},
      {"99 SPEED MART 5/8", "99 SPEED MART 5/8", "99 SPEED MART S/B"},
      {"SEAFOOD RESTAURANT SDN i...", "SEAFOOD RESTAURANT SDN i...", "SEAFOOD RESTAURANT SDN BHD"},
      {"BAKERIES (KL ) SDN BHD", "BAKERIES (KL ) SDN BHD", "BAKERIES (KL) SDN BHD"},
      {"SONIC TRADING", "SONIC TRADING", "SONIC TRADING"},  // "SON" inside a word
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(fields_internal::RepairNameMarks(c.in), c.name_marks);
    EXPECT_EQ(fields_internal::RepairCompanySuffix(c.in), c.suffix);
  }
}

TEST(ReceiptText, AddressWords) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"NO.12,JA:AN SS4C/5,PETALING JAYA", "NO.12,JALAN SS4C/5,PETALING JAYA"},
      {"No.2, Jalari Temenggung 19/9", "No.2, JALAN Temenggung 19/9"},
      {"56000 Kuala Lumpur, Malavsia", "56000 Kuala Lumpur, MALAYSIA"},
      {"NQ.9, JALAN MANIS 3", "NO.9, JALAN MANIS 3"},
      {"Henara Dion, Lavel 2", "MENARA Dion, LEVEL 2"},
      {"(Subang Jasa)", "(Subang Jasa)"},              // already right, bracket kept
      {"LOT LG 315. {-UTAMA", "LOT LG 315. {-UTAMA"},  // no letter at the start: left
      {"TAMPOI,81200 JOHOR BAHRU", "TAMPOI,81200 JOHOR BAHRU"},
      {"JALAN KPB 6", "JALAN KPB 6"},                            // short words are never changed
      {"4243,COMPLEKS PERNIAGAAN", "4243,COMPLEKS PERNIAGAAN"},  // a spelling in use
      {"LOT P.1. 2811, JALAN ANGSA", "LOT P.T. 2811, JALAN ANGSA"},
      {"LOT P.7.33198", "LOT P.T.33198"},
      {"P.1. BOX", "P.1. BOX"},  // not before a number: left
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(fields_internal::RepairAddressWords(c.in), c.out);
  }
}

TEST(ReceiptRules, CompanyChoiceAndSpan) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::string company, address;
  };
  const Case cases[] = {
      {"a shop word line under a clear name describes it",
       {"THREE STOOGES", "BISTRO & CAFE", "109, $$21/1A,", "DAMANSARA UTAMA", "GST ID : 0016"},
       "THREE STOOGES",
       "109, SS21/1A, DAMANSARA UTAMA"},
      {"a shop word line alone names the shop",
       {"THAI DELICIOUS RESTAURANT", "NO.22 JALAN PUTERI 2/4", "47100 PUCHONG, SELANGOR"},
       "THAI DELICIOUS RESTAURANT",
       "NO.22 JALAN PUTERI 2/4 47100 PUCHONG, SELANGOR"},
      {"a long document title is no name; the legal form is",
       {"TAX INVOICE / ADJUSTMENT NOTE", "GARDENIA BAKERIES (KL) SON PHD (139386 X)",
        "LOT 3, JALAN PELABUR 23/1,", "40300 SHAH ALAM, SELANGOR."},
       "GARDENIA BAKERIES (KL) SDN BHD",
       "LOT 3, JALAN PELABUR 23/1, 40300 SHAH ALAM, SELANGOR."},
      {"a name with its company number wins over earlier lines; what follows goes",
       {"TQ FOR SHOPPING WITH MYNEWS.COM", "MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB",
        "TAX REG ID 000709361664"},
       "MYNEWS RETAIL SB",
       ""},
      {"a legal form alone on its line continues the name above",
       {"POPULAR BOOK", "CO. (M) SDN BHD", "(CO. NO. 113825-W)", "NO 8, JALAN 7/118B,",
        "56000 KUALA LUMPUR"},
       "POPULAR BOOK CO. (M) SDN BHD",
       "NO 8, JALAN 7/118B, 56000 KUALA LUMPUR"},
      {"a second name line before the registration number is part of the name",
       {"RESTAURANT JIAWEI", "JIAWE! HOUSE", "002693074-K", "13, JLN TASIK UTAMA 8", "57000 KL"},
       "RESTAURANT JIAWEI JIAWEI HOUSE",
       "13, JLN TASIK UTAMA 8 57000 KL"},
      {"a short word (logo read as text) is no name",
       {"Old", "SYARIKAT PERNIAGAAN GIN KEE", "NO 290, JALAN AIR PANAS,", "SETAPAK. 53200,",
        "KUALA LUMPUR."},
       "SYARIKAT PERNIAGAAN GIN KEE",
       "NO 290, JALAN AIR PANAS, SETAPAK, 53200, KUALA LUMPUR."},
      {"no readable name: an address is still found when it ends like one",
       {"* ~ *", "Lot 3, Jalan Pelabur 23/1,", "40300 Shah Alam, Selangor.",
        "GST ID: 000381399040"},
       "",
       "Lot 3, Jalan Pelabur 23/1, 40300 Shah Alam, Selangor."},
      {"no readable name and no postcode or state: no address",
       {"* ~ *", "Lot 3, Jalan Pelabur 23/1,", "GST ID: 000381399040"},
       "",
       ""},
      {"a full stop after a long word inside the name is a speck; P.T. stays P.T.",
       {"99 SPEED. MART 5/8 (519537-X)", "LOT P.1. 33198, BATU 4 JALAN KAPAR,",
        "42100 KLANG, SELANGOR"},
       "99 SPEED MART S/B",
       "LOT P.T. 33198, BATU 4 JALAN KAPAR, 42100 KLANG, SELANGOR"},
      {"a chain store's branch line under the address ends it",
       {"99 SPEED MART S/B (519537-X)", "LOT P.T. 2811, JALAN ANGSA,", "TAMAN BERKELEY",
        "41150 KLANG, SELANGOR", "1237-TMN INDAH PERDANA", "GST ID. NO : 000181747712"},
       "99 SPEED MART S/B",
       "LOT P.T. 2811, JALAN ANGSA, TAMAN BERKELEY 41150 KLANG, SELANGOR 1237-TMN INDAH "
       "PERDANA"},
      {"a numbered line that is no branch name stays out",
       {"99 SPEED MART S/B (519537-X)", "LOT P.T. 2811, JALAN ANGSA,", "41150 KLANG, SELANGOR",
        "1237-45 TABLE 3"},
       "99 SPEED MART S/B",
       "LOT P.T. 2811, JALAN ANGSA, 41150 KLANG, SELANGOR"},
      {"an item line with a price is no address",
       {"SHOP SDN BHD", "GST ID: 000709361664", "HE-333-3S UNICORN PEN 1.90"},
       "SHOP SDN BHD",
       ""},
      {"an open bracket read as D closes",
       {"FUN N CHEER (MALURD", "LOT 37636, JALAN 6/37A,", "52100 KUALA LUMPUR"},
       "FUN N CHEER (MALURI)",
       "LOT 37636, JALAN 6/37A, 52100 KUALA LUMPUR"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = Receipt(Stacked(c.lines));
    EXPECT_EQ(got["company"], c.company);
    EXPECT_EQ(got["address"], c.address);
  }
}

TEST(ReceiptRules, StampAcrossTheNameIsDropped) {
  std::vector<TextLine> lines = Stacked(
      {"YONG CEN ENTERPRISE POSTED", "9, JALAN SUBANG JASA 3,", "40150 SHAH ALAM, SELANGOR."});
  // The stamp's letters stand three times as tall as the name's.
  core::Word& stamp = lines[0].words.back();
  stamp.box.y0 -= 40;
  EXPECT_EQ(Receipt(lines)["company"], "YONG CEN ENTERPRISE");
  // At the name's own size the word is part of the name.
  EXPECT_EQ(Receipt(Stacked({"YONG CEN ENTERPRISE POSTED"}))["company"],
            "YONG CEN ENTERPRISE POSTED");
}

TEST(ReceiptRules, TotalsOnRowsAndRounding) {
  struct Case {
    const char* name;
    std::vector<TextLine> lines;
    std::string total;
  };
  const Case cases[] = {
      {"amount column read after the label column",
       {Line("SHOP SDN BHD", 10, 10), Line("Total After Adj Incl GST", 10, 100),
        Line("CASH", 10, 130), Line("Change Amt", 10, 160), Line("17.70", 300, 100),
        Line("50.00", 300, 130), Line("32.30", 300, 160)},
       "17.70"},
      {"rounded amount on the tender line three lines on",
       Stacked({"SHOP SDN BHD", "Total with GST @ 6% 41.48", "Rounding 0.02",
                "Total Saving 0 00 Total 4i 56", "Tender", "Master 5148 App 63550 41.50"}),
       "41.50"},
      {"rounding line without a legible amount: nearest 0.05",
       Stacked({"SHOP SDN BHD", "Grand Total : 87.08", "Rounding Adjustment: ( arb"}), "87.10"},
      {"a rounding line after the tender lines belongs to the change",
       Stacked({"SHOP SDN BHD", "TOTAL (GST INCL) 2.56", "CASH 50.55", "ROUNDING ADJUSTMENTS 0.01-",
                "CHANGE DUE 48.00"}),
       "2.56"},
      {"zero adjustment keeps the total", Stacked({"SHOP SDN BHD", "TOTAL 12.34", "Rounding 0.00"}),
       "12.34"},
      {"the rounded total outranks the total before rounding",
       Stacked({"SHOP SDN BHD", "Takeout Total (incl GST) 16.90", "Total Rounded 18.90"}), "18.90"},
      {"a note in brackets is no total",
       Stacked({"SHOP SDN BHD", "Due 7.50", "(Total Included GST @ 6% : 0.42)"}), ""},
      {"a table header's AMOUNT is a column name",
       Stacked({"SHOP SDN BHD", "ITEM QTY U/P AMOUNT", "2411662040 400 0.25 25.00"}), ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = Receipt(c.lines);
    EXPECT_EQ(got.count("total") ? got["total"] : "", c.total);
  }
}

TEST(ReceiptRules, DateWithALostSeparator) {
  DateOptions options;
  options.today = {2024, 6, 1};
  auto m = fields_internal::FindMisreadDate("RECEIPT # CS00633800 DATE: 2504/2017", options);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->normalized, "2017-04-25");
  EXPECT_EQ(m->text, "2504/2017");
  EXPECT_LT(m->confidence, 1.0);
  // Two different separators are no date.
  EXPECT_FALSE(fields_internal::FindMisreadDate("25-04/2017", options).has_value());
}

}  // namespace
}  // namespace smartocr::extract
