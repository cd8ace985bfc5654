// Field extraction end to end on rendered pages read by Tesseract: a receipt, an
// invoice with line items, and an ID page with an MRZ (including the dedicated MRZ
// pass repairing a band the general pass misread).
#include <gtest/gtest.h>

#include <map>

#include "extract/fields.h"
#include "fixtures.h"
#include "mrz/mrz.h"
#include "pipeline/pipeline.h"
#include "preprocess/preprocess.h"

namespace smartocr::pipeline {
namespace {

using smartocr::testing::FixturePage;
using smartocr::testing::Paragraph;
using smartocr::testing::RenderPage;

recognize::Engine& Engine() {
  static std::unique_ptr<recognize::Engine> engine = [] {
    auto e = recognize::CreateTesseractEngine({});
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(*e) : nullptr;
  }();
  return *engine;
}

// The MRZ pass's readers, as the CLI gives the pipeline them (none without the ONNX
// runtime; failing reads without their models).
mrz::PassOptions MrzReaders() {
  static const mrz::ZoneReaders readers = mrz::CreateZoneReaders();
  return readers.Borrow();
}

// Reads `page` rendered at 300 dpi; `image` receives the page image the boxes refer to.
core::DocumentResult Read(const FixturePage& page, bool mrz_pass, cv::Mat* image = nullptr) {
  ingest::Page in;
  in.number = 1;
  in.image = RenderPage(page, 300);
  in.width = in.image.cols;
  in.height = in.image.rows;
  PipelineOptions options;
  options.mrz_pass = mrz_pass;
  options.mrz_readers = MrzReaders();
  auto result = ProcessPage(std::move(in), Engine(), options, image);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  core::DocumentResult doc;
  doc.engine = Engine().info();
  if (result.ok()) doc.pages.push_back(std::move(*result));
  return doc;
}

std::map<std::string, core::Field> Extract(core::DocumentResult& doc, const std::string& schema) {
  extract::ExtractOptions options;
  options.schema = schema;
  options.today = {2024, 6, 1};
  EXPECT_TRUE(extract::ExtractFields(doc, options).ok());
  std::map<std::string, core::Field> out;
  for (const core::Field& f : doc.fields) out.emplace(f.name, f);
  return out;
}

TEST(ExtractFixtures, Receipt) {
  FixturePage page;
  page.width_pt = 260;
  page.height_pt = 520;
  page.runs = Paragraph({"KEDAI BUKU MAJU SDN BHD", "(123456-W)", "NO 12, JALAN MAWAR 3,",
                         "TAMAN MELATI, 53100 KUALA LUMPUR", "TEL: 03-4141 2020",
                         "DATE: 14/03/2018 10:21", "QTY DESCRIPTION AMOUNT", "2 EXERCISE BOOK 4.00",
                         "1 PENCIL BOX 8.50", "TOTAL 12.50", "CASH 20.00", "CHANGE 7.50"},
                        14, 40, 10, 18);
  core::DocumentResult doc = Read(page, true);
  auto f = Extract(doc, "receipt");
  EXPECT_EQ(f["company"].value, "KEDAI BUKU MAJU SDN BHD");
  EXPECT_EQ(f["address"].value, "NO 12, JALAN MAWAR 3, TAMAN MELATI, 53100 KUALA LUMPUR");
  EXPECT_EQ(f["date"].normalized, "2018-03-14");
  EXPECT_EQ(f["total"].normalized, "12.50");
  ASSERT_EQ(doc.line_items.size(), 2u);
  EXPECT_EQ(doc.line_items[0].description, "EXERCISE BOOK");
  EXPECT_EQ(doc.line_items[0].quantity, "2");
  EXPECT_EQ(doc.line_items[1].amount, "8.50");
  EXPECT_EQ(f["total"].validator_status, "valid") << f["total"].validator_detail;
}

TEST(ExtractFixtures, InvoiceWithLineItems) {
  FixturePage page;
  page.runs =
      Paragraph({"Seller", "Name: Nordlicht Software GmbH", "Hafenweg 4, 20457 Hamburg",
                 "Invoice No. NL-2024-017 dated 03.02.2024", "Description Qty Unit price Amount",
                 "Support hours 3 40.00 120.00", "License renewal 1 80.00 80.00", "Subtotal 200.00",
                 "VAT 19% 38.00", "Total 238.00 EUR"},
                72, 90, 11, 22);
  core::DocumentResult doc = Read(page, true);
  auto f = Extract(doc, "invoice");
  EXPECT_EQ(f["vendor_name"].value, "Nordlicht Software GmbH");
  EXPECT_EQ(f["invoice_number"].value, "NL-2024-017");
  EXPECT_EQ(f["invoice_date"].normalized, "2024-02-03");
  EXPECT_EQ(f["subtotal"].normalized, "200.00");
  EXPECT_EQ(f["tax"].normalized, "38.00");
  EXPECT_EQ(f["total"].normalized, "238.00");
  EXPECT_EQ(f["total"].validator_status, "valid");
  ASSERT_EQ(doc.line_items.size(), 2u) << doc.pages[0].text;
  EXPECT_EQ(doc.line_items[0].description, "Support hours");
  EXPECT_EQ(doc.line_items[0].quantity, "3");
  EXPECT_EQ(doc.line_items[0].unit_price, "40.00");
  EXPECT_EQ(doc.line_items[0].amount, "120.00");
  EXPECT_EQ(f["subtotal"].validator_status, "valid") << f["subtotal"].validator_detail;
}

// The ICAO 9303 TD3 specimen, printed at the bottom of an ID page in a monospace font.
const std::vector<std::string> kMrz = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

FixturePage MrzPage() {
  FixturePage page;
  page.width_pt = 360;
  page.height_pt = 250;
  page.runs = Paragraph({"PASSPORT  UTOPIA", "Surname: ERIKSSON", "Given names: ANNA MARIA"}, 20,
                        40, 10, 16);
  for (size_t i = 0; i < kMrz.size(); ++i) {
    smartocr::testing::TextRun run;
    run.text = kMrz[i];
    run.x_pt = 14;
    run.y_pt = 200 + 18 * static_cast<double>(i);
    run.size_pt = 9.5;
    run.mono = true;
    page.runs.push_back(run);
  }
  return page;
}

// Every check digit of the zone passes: "valid", or "checks_pass_unconfirmed" where
// something no check covers lacks a witness (mrz::AssessMrz).
void ExpectChecksPass(const core::Field& mrz) {
  EXPECT_TRUE(mrz.validator_status == "valid" || mrz.validator_status == "checks_pass_unconfirmed")
      << mrz.validator_status << ": " << mrz.validator_detail;
}

TEST(ExtractFixtures, MrzPage) {
  core::DocumentResult doc = Read(MrzPage(), true);
  auto f = Extract(doc, "auto");
  EXPECT_EQ(doc.doc_type, "id_document");
  EXPECT_EQ(f["mrz"].value, kMrz[0] + "\n" + kMrz[1]);
  // The page prints the names above the zone, which confirms them; nothing confirms
  // 'L898902C3' against '1898902C3', which pass the same checks.
  EXPECT_EQ(f["surname"].validator_status, "valid") << f["surname"].validator_detail;
  EXPECT_EQ(f["given_names"].validator_status, "valid") << f["given_names"].validator_detail;
  EXPECT_EQ(f["birth_date"].validator_status, "valid");
  EXPECT_EQ(f["document_number"].validator_status, "checks_pass_unconfirmed");
  EXPECT_EQ(f["mrz"].validator_status, "checks_pass_unconfirmed");
  EXPECT_NE(f["mrz"].validator_detail.find("document_number"), std::string::npos)
      << f["mrz"].validator_detail;
  EXPECT_EQ(f["document_number"].value, "L898902C3");
  EXPECT_EQ(f["birth_date"].normalized, "1974-08-12");
}

TEST(MrzPass, RereadsABandTheGeneralPassMisread) {
  cv::Mat image;
  core::DocumentResult doc = Read(MrzPage(), false, &image);
  ASSERT_EQ(doc.pages.size(), 1u);
  core::PageResult& page = doc.pages[0];
  // Misread the band as the general pass does on real scans: fillers as 'K' and 'c',
  // a check digit as a letter.
  int misread = 0;
  for (core::Block& b : page.blocks) {
    for (core::Line& l : b.lines) {
      for (core::Word& w : l.words) {
        if (w.text.find("<<") == std::string::npos && w.text.find("ZE1842") == std::string::npos) {
          continue;
        }
        for (size_t i = w.text.size() / 2; i < w.text.size(); i += 3) {
          if (w.text[i] == '<') w.text[i] = i % 2 ? 'K' : 'c';
        }
        ++misread;
      }
    }
  }
  ASSERT_GE(misread, 2);
  page.FinalizeTextAndConfidence();
  ASSERT_TRUE(mrz::RereadMrzBand(page, image, Engine(), MrzReaders()));
  auto f = Extract(doc, "id_document");
  EXPECT_EQ(f["mrz"].value, kMrz[0] + "\n" + kMrz[1]);
  ExpectChecksPass(f["mrz"]);
  // A page without MRZ-like lines is left alone.
  FixturePage plain;
  plain.runs = Paragraph({"Nothing to see here", "TOTAL 12.50"}, 72, 90);
  core::DocumentResult receipt = Read(plain, false, &image);
  ASSERT_EQ(receipt.pages.size(), 1u);
  EXPECT_FALSE(mrz::RereadMrzBand(receipt.pages[0], image, Engine(), MrzReaders()));
}

TEST(MrzPass, FindsAZoneTheGeneralPassDidNotRead) {
  cv::Mat image;
  core::DocumentResult doc = Read(MrzPage(), false, &image);
  ASSERT_EQ(doc.pages.size(), 1u);
  core::PageResult& page = doc.pages[0];
  // The general pass read the text above but nothing of the zone.
  for (core::Block& b : page.blocks) {
    std::erase_if(b.lines, [](const core::Line& l) {
      return l.Text().find('<') != std::string::npos ||
             l.Text().find("ZE1842") != std::string::npos;
    });
  }
  page.FinalizeTextAndConfidence();
  ASSERT_EQ(page.text.find("<<"), std::string::npos);
  ASSERT_TRUE(mrz::RereadMrzBand(page, image, Engine(), MrzReaders()));
  auto f = Extract(doc, "id_document");
  EXPECT_EQ(f["mrz"].value, kMrz[0] + "\n" + kMrz[1]);
  ExpectChecksPass(f["mrz"]);
  // The zone's lines sit where the image shows them: at the bottom of the page.
  EXPECT_GT(f["mrz"].bbox.y0, 0.6 * page.height);
}

// An ID page scanned sideways or upside down, which OSD (off here, as it is unsure on
// most real ID cards) does not turn: the MRZ reads only one way, and the whole page
// is read again that way.
TEST(MrzPass, TurnsThePageTheWayItsMrzReads) {
  const cv::Mat upright = RenderPage(MrzPage(), 300);
  // 90 and 270 read again from the original image, 180 from the page as preprocessed
  // (what a page too large to keep a copy of gets).
  for (int turn : {90, 180, 270}) {
    SCOPED_TRACE(turn);
    ingest::Page in;
    in.number = 1;
    in.image = preprocess::TurnClockwise(upright, turn);
    in.width = in.image.cols;
    in.height = in.image.rows;
    PipelineOptions options;
    options.mrz_readers = MrzReaders();
    options.preprocess.orientation = false;
    if (turn == 180) options.mrz_turn_original_max_pixels = 0;
    auto result = ProcessPage(std::move(in), Engine(), options, nullptr);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->rotation, (360 - turn) % 360);
    EXPECT_EQ(result->width, upright.cols);
    bool reported = false;
    for (const core::StepReport& step : result->preprocess) {
      reported |= step.name == "orientation" && step.applied &&
                  step.detail.find("MRZ") != std::string::npos;
    }
    EXPECT_TRUE(reported);
    core::DocumentResult doc;
    doc.engine = Engine().info();
    doc.pages.push_back(std::move(*result));
    auto f = Extract(doc, "id_document");
    EXPECT_EQ(f["mrz"].value, kMrz[0] + "\n" + kMrz[1]);
    ExpectChecksPass(f["mrz"]);
    EXPECT_NE(doc.pages[0].text.find("ERIKSSON"), std::string::npos);
  }
  // An upright page without an MRZ stays as it is: no turn shows one.
  FixturePage plain;
  plain.runs = Paragraph({"Nothing to see here", "TOTAL 12.50"}, 72, 90);
  core::DocumentResult receipt = Read(plain, true);
  ASSERT_EQ(receipt.pages.size(), 1u);
  EXPECT_EQ(receipt.pages[0].rotation, 0);
}

}  // namespace
}  // namespace smartocr::pipeline
