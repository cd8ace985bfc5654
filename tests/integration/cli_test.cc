// End-to-end behaviour of `smartocr extract` on documents made at test time.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "cli_runner.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLetter = {
    "Dear customer, thank you for your order.",
    "Your parcel left our warehouse this morning",
    "and should arrive within three working days.",
};

FixturePage LetterPage(bool scanned) {
  FixturePage page;
  page.width_pt = 420;
  page.height_pt = 300;
  page.runs = Paragraph(kLetter, 40, 60, 13, 22);
  page.scanned = scanned;
  return page;
}

// How far an estimated resolution may be from the truth on a page printed at the usual
// size: tools/dpi/fit_line_height.py finds 25-28% at the 90th percentile of invoices.
constexpr double kDpiEstimateTolerance = 0.28;

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(CliTest, VersionNamesEveryEngine) {
  CliResult r = RunCli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"smartocr ", "tesseract 5", "leptonica ", "poppler ", "opencv 4"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name << " missing in\n" << r.out;
  }
}

TEST_F(CliTest, MixedPdfKeepsTextLayerAndOcrsTheScan) {
  std::string pdf = Path("mixed.pdf");
  WritePdf(pdf, {LetterPage(false), LetterPage(true)}, 200);
  CliResult r = RunCli({"extract", pdf, "--dpi", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["engine"]["name"], "tesseract");
  EXPECT_FALSE(doc["engine"]["version"].get<std::string>().empty());
  ASSERT_EQ(doc["pages"].size(), 2u);
  EXPECT_EQ(doc["pages"][0]["source"], "pdf-text");
  EXPECT_EQ(doc["pages"][1]["source"], "ocr");
  for (const auto& page : doc["pages"]) {
    SCOPED_TRACE(page["number"].dump());
    EXPECT_GE(WordRecall(Joined(kLetter), page["text"]), 0.9) << page["text"];
    EXPECT_EQ(page["width"], 1167);  // 420 pt at 200 dpi
    for (const auto& block : page["blocks"]) {
      for (const auto& line : block["lines"]) {
        for (const auto& word : line["words"]) {
          ASSERT_EQ(word["bbox"].size(), 4u);
          for (const auto& v : word["bbox"]) {
            EXPECT_GE(v.get<double>(), 0.0);
            EXPECT_LE(v.get<double>(), 1.0);
          }
          EXPECT_GE(word["confidence"].get<double>(), 0.0);
          EXPECT_LE(word["confidence"].get<double>(), 1.0);
        }
      }
    }
  }
  // "Dear" starts 40 pt from the left edge on both pages.
  for (int p = 0; p < 2; ++p) {
    const auto& w = doc["pages"][p]["blocks"][0]["lines"][0]["words"][0];
    EXPECT_EQ(w["text"], "Dear");
    EXPECT_NEAR(w["bbox"][0].get<double>(), 40.0 / 420, 0.01);
  }
}

TEST_F(CliTest, PageSelectionAndTextFormat) {
  std::string pdf = Path("three.pdf");
  FixturePage a = LetterPage(false), b = LetterPage(false), c = LetterPage(false);
  a.runs = Paragraph({"alpha page one"}, 40, 60);
  b.runs = Paragraph({"bravo page two"}, 40, 60);
  c.runs = Paragraph({"charlie page three"}, 40, 60);
  WritePdf(pdf, {a, b, c});
  CliResult r = RunCli({"extract", pdf, "--pages", "1,3", "--format", "text"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("alpha"), std::string::npos);
  EXPECT_EQ(r.out.find("bravo"), std::string::npos);
  EXPECT_NE(r.out.find("charlie"), std::string::npos);
  EXPECT_LT(r.out.find("alpha"), r.out.find("charlie"));
}

TEST_F(CliTest, HocrAndSearchablePdf) {
  std::string png = Path("letter.png");
  cv::imwrite(png, RenderPage(LetterPage(true), 200));
  CliResult hocr = RunCli({"extract", png, "--format", "hocr"});
  ASSERT_EQ(hocr.exit_code, 0) << hocr.err;
  EXPECT_NE(hocr.out.find("ocrx_word"), std::string::npos);
  EXPECT_NE(hocr.out.find("warehouse"), std::string::npos);

  std::string out_pdf = Path("letter.searchable.pdf");
  CliResult pdf = RunCli({"extract", png, "--format", "pdf", "-o", out_pdf});
  ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
  std::string text = Shell("pdftotext '" + out_pdf + "' -");
  EXPECT_GE(WordRecall(Joined(kLetter), text), 0.9) << text;
  // No temp file is left beside the output.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 2);
}

TEST_F(CliTest, ProgressGoesToStderrWhenAsked) {
  std::string pdf = Path("two.pdf");
  WritePdf(pdf, {LetterPage(false), LetterPage(false)});
  CliResult on = RunCli({"extract", pdf, "--progress", "--format", "text"});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_NE(on.err.find("2 pages"), std::string::npos) << on.err;
  EXPECT_NE(on.err.find("pages/s"), std::string::npos) << on.err;
  EXPECT_EQ(on.out.find("pages/s"), std::string::npos);
  // Not a terminal and not asked: quiet.
  CliResult off = RunCli({"extract", pdf, "--format", "text"});
  ASSERT_EQ(off.exit_code, 0);
  EXPECT_TRUE(off.err.empty()) << off.err;
}

// --log-format json (any command, anywhere on the line): stderr is JSON lines, a bad
// input's line names it and its error; progress is one line per file; stdout is as
// before. An unknown format is a usage error.
TEST_F(CliTest, LogFormatJsonWritesStderrAsJsonLines) {
  std::string good = Path("good.pdf"), bad = Path("bad.pdf");
  WritePdf(good, {LetterPage(false)});
  WriteFile(bad, "%PDF-1.4\nthis is not really a pdf");
  CliResult r =
      RunCli({"extract", good, bad, "--progress", "--format", "text", "--log-format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_GE(WordRecall(Joined(kLetter), r.out), 0.9);
  std::istringstream lines(r.err);
  int errors = 0, progress = 0;
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(j.is_object()) << "not JSON: " << line;
    EXPECT_TRUE(j.contains("ts_ms") && j.contains("level")) << line;
    if (j.value("input", "") == bad) {
      ++errors;
      EXPECT_NE(j.value("msg", "").find("CORRUPT_INPUT"), std::string::npos) << line;
    }
    if (j.value("msg", "") == "progress") ++progress;
  }
  EXPECT_EQ(errors, 1) << r.err;
  EXPECT_EQ(progress, 2) << r.err;  // one per file
  CliResult usage = RunCli({"--log-format=json", "jobs", "frobnicate"});
  EXPECT_EQ(usage.exit_code, 2);
  auto j = nlohmann::json::parse(usage.err.substr(0, usage.err.find('\n')), nullptr, false);
  ASSERT_TRUE(j.is_object()) << usage.err;
  EXPECT_EQ(j["level"], "error");
  CliResult bad_format = RunCli({"--log-format", "yaml", "--version"});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("text or json"), std::string::npos) << bad_format.err;
}

TEST_F(CliTest, SeveralInputsToDirectoryOneBad) {
  std::string good1 = Path("one.pdf"), good2 = Path("two.png"), bad = Path("bad.pdf");
  WritePdf(good1, {LetterPage(false)});
  cv::imwrite(good2, RenderPage(LetterPage(true), 150));
  WriteFile(bad, "%PDF-1.4\nthis is not really a pdf");
  std::string out = Path("out");
  CliResult r = RunCli({"extract", good1, bad, good2, "-o", out, "-j", "2"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("bad.pdf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CORRUPT_INPUT"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(out + "/one.json"));
  EXPECT_TRUE(fs::exists(out + "/two.json"));
  EXPECT_FALSE(fs::exists(out + "/bad.json"));
  nlohmann::json two = nlohmann::json::parse(ReadFile(out + "/two.json"));
  EXPECT_GE(WordRecall(Joined(kLetter), two["pages"][0]["text"]), 0.9);
}

// README: "4 processing failed ... With several inputs the highest applies". An output
// the CLI cannot write (its name is taken by a directory) fails processing (4), above
// a missing input's 3, and the good input is still written.
TEST_F(CliTest, HighestExitCodeOfSeveralInputsApplies) {
  std::string good = Path("good.pdf"), unwritable = Path("unwritable.pdf");
  WritePdf(good, {LetterPage(false)});
  WritePdf(unwritable, {LetterPage(false)});
  const std::string out = Path("out");
  fs::create_directories(out + "/unwritable.json");  // where its output would go
  CliResult r = RunCli({"extract", good, Path("missing.pdf"), unwritable, "-o", out});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("missing.pdf: NOT_FOUND"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unwritable.pdf: IO_ERROR"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(out + "/good.json"));
  // Without the unwritable one, the missing input's 3 is the highest.
  r = RunCli({"extract", good, Path("missing.pdf"), "-o", Path("out2")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

// README: "Several inputs without -o write one document after another to stdout (JSON:
// one compact document per line)", in the order given.
TEST_F(CliTest, SeveralInputsToStdoutAreOneJsonPerLine) {
  std::string first = Path("first.pdf"), second = Path("second.png");
  WritePdf(first, {LetterPage(false)});
  cv::imwrite(second, RenderPage(LetterPage(true), 150));
  CliResult r = RunCli({"extract", first, second, "-j", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u) << r.out.substr(0, 400);
  const char* names[] = {"first.pdf", "second.png"};
  for (size_t i = 0; i < lines.size(); ++i) {
    nlohmann::json doc = nlohmann::json::parse(lines[i]);
    EXPECT_NE(doc.value("input", "").find(names[i]), std::string::npos) << doc.value("input", "");
    EXPECT_GE(WordRecall(Joined(kLetter), doc["pages"][0]["text"]), 0.9);
  }
}

// `extract -` reads one document from standard input, as the tesseract CLI does: a
// PDF (read by seeking) and an image, to stdout and into a folder as stdin.json.
TEST_F(CliTest, DashReadsOneDocumentFromStdin) {
  const std::string pdf = Path("letter.pdf"), png = Path("letter.png");
  WritePdf(pdf, {LetterPage(false)});
  cv::imwrite(png, RenderPage(LetterPage(true), 150));
  for (const std::string& file : {pdf, png}) {
    SCOPED_TRACE(file);
    CliResult r = RunCli({"extract", "-"}, 300, file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["input"], "stdin");
    EXPECT_GE(WordRecall(Joined(kLetter), doc["pages"][0]["text"]), 0.9);
  }
  CliResult r = RunCli({"extract", "-", pdf, "-o", Path("out")}, 300, png);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(Path("out/stdin.json")));
  EXPECT_TRUE(fs::exists(Path("out/letter.json")));
  // Nothing of the spool is left behind in its temporary folder.
  EXPECT_EQ(Shell("ls -d ${TMPDIR:-/tmp}/smartocr-stdin-* 2>/dev/null"), "");
}

TEST_F(CliTest, BadStdinIsAClearError) {
  CliResult empty = RunCli({"extract", "-"});  // /dev/null
  EXPECT_EQ(empty.exit_code, 3) << empty.err;
  EXPECT_NE(empty.err.find("stdin_empty"), std::string::npos) << empty.err;
  const std::string junk = Path("junk.bin");
  WriteFile(junk, "neither an image nor a PDF");
  CliResult bad = RunCli({"extract", "-"}, 300, junk);
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_NE(bad.err.find("stdin"), std::string::npos) << bad.err;
  CliResult twice = RunCli({"extract", "-", "-"});
  EXPECT_EQ(twice.exit_code, 2) << twice.err;
  const std::string big = Path("big.bin");
  WriteFile(big, std::string(size_t{2} << 20, 'x'));
  CliResult over = RunCli({"extract", "-", "--max-file-mb", "1"}, 300, big);
  EXPECT_EQ(over.exit_code, 3) << over.err;
  EXPECT_NE(over.err.find("file_bytes"), std::string::npos) << over.err;
}

TEST_F(CliTest, OutputIsIdenticalForAnyThreadCount) {
  std::string pdf = Path("four.pdf");
  std::vector<FixturePage> pages;
  for (int i = 0; i < 4; ++i) {
    FixturePage p = LetterPage(i % 2 == 1);
    p.runs.push_back({"page marker " + std::to_string(i + 1), 40, 250, 12});
    pages.push_back(p);
  }
  WritePdf(pdf, pages, 150);
  CliResult one = RunCli({"extract", pdf, "-j", "1", "--dpi", "150"});
  CliResult two = RunCli({"extract", pdf, "-j", "3", "--dpi", "150"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  nlohmann::json a = WithoutTimings(nlohmann::json::parse(one.out));
  nlohmann::json b = WithoutTimings(nlohmann::json::parse(two.out));
  EXPECT_EQ(a, b);
  ASSERT_EQ(a["pages"].size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a["pages"][i]["number"], i + 1);
}

// Set-up installs the language data of six European languages besides English: a page
// in each, read with `--lang <code>+eng`, gives back its accented words.
TEST_F(CliTest, EuropeanLanguagesAreInstalledAndRead) {
  const struct {
    const char* lang;
    std::vector<std::string> lines;
    const char* accented;
  } kPages[] = {
      {"deu", {"Rechnung für die Lieferung nach München", "Währung Euro und Größe groß"}, "für"},
      {"fra", {"Facture numéro douze reçue à Paris", "Montant dû après échéance"}, "reçue"},
      {"spa", {"Factura número siete de España", "Dirección del señor Núñez"}, "España"},
      {"ita", {"Fattura numero nove della città", "Totale dovuto è più alto"}, "città"},
      {"nld", {"Factuur voor de levering in Rotterdam", "Bedrag inclusief btw voor één"}, "één"},
      {"por", {"Fatura número cinco de São Paulo", "Endereço da avenida Conceição"}, "Conceição"},
  };
  for (const auto& p : kPages) {
    SCOPED_TRACE(p.lang);
    FixturePage page;
    page.width_pt = 420;
    page.height_pt = 160;
    page.runs = Paragraph(p.lines, 30, 50, 14, 30);
    const std::string png = Path(std::string(p.lang) + ".png");
    cv::imwrite(png, RenderPage(page, 300));
    CliResult r =
        RunCli({"extract", png, "--lang", std::string(p.lang) + "+eng", "--format", "text"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(p.accented), std::string::npos) << r.out;
    EXPECT_GE(WordRecall(Joined(p.lines), r.out), 0.8) << r.out;
  }
  // One that is not installed is named, with where to get it.
  CliResult missing = RunCli({"extract", Path("deu.png"), "--lang", "xyz"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("tesseract-ocr-xyz"), std::string::npos) << missing.err;
}

// The image's own resolution: a 150-dpi A4 scan is an A4 searchable PDF page, not
// A6 (as when 300 was assumed); --dpi overrides the tag; a scan without a tag has its
// resolution estimated from its text, and each says where it came from.
TEST_F(CliTest, ResolutionComesFromTheImage) {
  FixturePage a4;
  a4.width_pt = 595.28;
  a4.height_pt = 841.89;
  // Invoice small print: the size the estimate's typical line height was fitted on.
  a4.runs = Paragraph(kLetter, 72, 100, 8.5, 12);
  const std::string tif = Path("a4.tif");
  cv::imwrite(
      tif, RenderPage(a4, 150),
      {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 150, cv::IMWRITE_TIFF_YDPI, 150});
  CliResult r = RunCli({"extract", tif});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json page = nlohmann::json::parse(r.out)["pages"][0];
  EXPECT_EQ(page["dpi"], 150.0);
  EXPECT_EQ(page["dpi_source"], "image");

  const std::string pdf = Path("a4.pdf");
  r = RunCli({"extract", tif, "--format", "pdf", "-o", pdf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string info = Shell("pdfinfo '" + pdf + "'");
  double width_pt = 0, height_pt = 0;
  const size_t at = info.find("Page size:");
  ASSERT_NE(at, std::string::npos) << info;
  ASSERT_EQ(std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &width_pt, &height_pt), 2);
  EXPECT_NEAR(width_pt, a4.width_pt, 1) << info;
  EXPECT_NEAR(height_pt, a4.height_pt, 1) << info;

  r = RunCli({"extract", tif, "--dpi", "300"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  page = nlohmann::json::parse(r.out)["pages"][0];
  EXPECT_EQ(page["dpi"], 300.0);
  EXPECT_EQ(page["dpi_source"], "option");

  const std::string png = Path("a4.png");  // OpenCV writes no pHYs
  cv::imwrite(png, RenderPage(a4, 200));
  r = RunCli({"extract", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  page = nlohmann::json::parse(r.out)["pages"][0];
  EXPECT_EQ(page["dpi_source"], "estimated");
  EXPECT_NEAR(page["dpi"].get<double>(), 200, 200 * kDpiEstimateTolerance) << page["dpi"];
}

// --lang auto (the default): each page of a scan is read in its own language, found
// from its words, and says which with how sure; an English page is read once.
TEST_F(CliTest, AutoLanguageReadsEachPageInItsOwnLanguage) {
  const struct {
    const char* code;
    std::vector<std::string> lines;
    const char* accented;
  } kPages[] = {
      {"deu",
       {"Rechnung für die Lieferung nach München.", "Bitte überweisen Sie den Betrag",
        "innerhalb von vierzehn Tagen auf unser Konto.", "Vielen Dank für Ihren Auftrag."},
       "überweisen"},
      {"fra",
       {"Facture numéro douze reçue à Paris.", "Veuillez régler cette somme dans les",
        "trente jours suivant la date de la facture.", "Nous vous remercions de votre confiance."},
       "numéro"},
      {"spa",
       {"Factura número siete de España.", "Le rogamos que abone el importe dentro",
        "de los treinta días siguientes a la fecha.",
        "Muchas gracias por su confianza y su pedido."},
       "España"},
      {"eng",
       {"Invoice number seven from London.", "Please pay the amount within thirty days",
        "of the invoice date to our account.", "Thank you for your order and your trust."},
       "London"},
  };
  std::vector<FixturePage> pages;
  for (const auto& p : kPages) {
    FixturePage page;
    page.width_pt = 420;
    page.height_pt = 200;
    page.runs = Paragraph(p.lines, 30, 50, 14, 28);
    page.scanned = true;
    pages.push_back(page);
  }
  const std::string pdf = Path("languages.pdf");
  WritePdf(pdf, pages, 300);
  CliResult r = RunCli({"extract", pdf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["pages"].size(), std::size(kPages));
  for (size_t i = 0; i < std::size(kPages); ++i) {
    SCOPED_TRACE(kPages[i].code);
    const nlohmann::json& page = doc["pages"][i];
    EXPECT_EQ(page["language"], kPages[i].code);
    EXPECT_GE(page["language_confidence"].get<double>(), 0.75);
    const std::string text = page["text"];
    EXPECT_NE(text.find(kPages[i].accented), std::string::npos) << text;
    EXPECT_EQ(page["timings_ms"].contains("recognize_language"), i + 1 < std::size(kPages));
  }
  // With English named, the German page is only identified, not read again.
  r = RunCli({"extract", pdf, "--pages", "1", "--lang", "eng"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["pages"][0]["language"], "deu");
  EXPECT_FALSE(doc["pages"][0]["timings_ms"].contains("recognize_language"));
  EXPECT_EQ(doc["pages"][0]["text"].get<std::string>().find("überweisen"), std::string::npos);
}

TEST_F(CliTest, SkewedScanIsStraightened) {
  FixturePage page = LetterPage(true);
  page.rotate_deg = 3.7;
  std::string png = Path("skewed.png");
  cv::imwrite(png, RenderPage(page, 200));
  CliResult r = RunCli({"extract", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_NEAR(std::abs(doc["pages"][0]["skew_deg"].get<double>()), 3.7, 0.3);
  EXPECT_GE(WordRecall(Joined(kLetter), doc["pages"][0]["text"]), 0.9);
}

TEST_F(CliTest, TurnedPagesAreReadUpright) {
  FixturePage page;
  page.width_pt = 612;
  page.height_pt = 400;
  const std::vector<std::string> text = {
      "Orientation detection turns this page upright before reading it.",
      "Each line here is long enough to give the detector enough text.",
      "The quick brown fox jumps over the lazy dog near the river bank.",
      "Pack my box with five dozen liquor jugs and seal it carefully.",
  };
  page.runs = Paragraph(text, 40, 60, 14, 26);
  cv::Mat upright = RenderPage(page, 200);
  for (int turn : {90, 180, 270}) {
    SCOPED_TRACE(turn);
    cv::Mat turned;
    cv::rotate(upright, turned,
               turn == 90 ? cv::ROTATE_90_CLOCKWISE
                          : (turn == 180 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE));
    std::string png = Path("turned" + std::to_string(turn) + ".png");
    cv::imwrite(png, turned);
    CliResult r = RunCli({"extract", png});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["pages"][0]["rotation"].get<int>(), (360 - turn) % 360);
    EXPECT_GE(WordRecall(Joined(text), doc["pages"][0]["text"]), 0.9) << doc["pages"][0]["text"];
  }
}

}  // namespace
}  // namespace smartocr::testing

namespace smartocr::testing {
namespace {

TEST_F(CliTest, TwoColumnPageReadsColumnByColumn) {
  FixturePage page;
  page.runs.push_back({"Quarterly Report", 60, 60, 20, true});
  const std::vector<std::string> left = {
      "Alpha revenue grew steadily during", "the first quarter of this year and",
      "the second quarter kept that pace", "while costs stayed mostly flat"};
  const std::vector<std::string> right = {
      "Bravo shipping volumes doubled in", "the northern region as new routes",
      "opened and delivery times fell by", "almost a third for most customers"};
  auto l = Paragraph(left, 60, 110, 11, 16);
  auto r = Paragraph(right, 320, 110, 11, 16);
  page.runs.insert(page.runs.end(), l.begin(), l.end());
  page.runs.insert(page.runs.end(), r.begin(), r.end());
  page.runs.push_back({"Footer note spanning the page width below both columns", 60, 220, 11});
  page.height_pt = 260;
  std::string png = Path("columns.png");
  cv::imwrite(png, RenderPage(page, 200));
  CliResult res = RunCli({"extract", png, "--format", "text"});
  ASSERT_EQ(res.exit_code, 0) << res.err;
  const std::string& text = res.out;
  size_t title = text.find("Quarterly");
  size_t left_end = text.find("flat");
  size_t right_start = text.find("Bravo");
  size_t footer = text.find("Footer");
  ASSERT_NE(title, std::string::npos) << text;
  ASSERT_NE(left_end, std::string::npos) << text;
  ASSERT_NE(right_start, std::string::npos) << text;
  ASSERT_NE(footer, std::string::npos) << text;
  EXPECT_LT(title, left_end) << text;
  EXPECT_LT(left_end, right_start) << text;  // the whole left column first
  EXPECT_LT(right_start, footer) << text;
}

TEST_F(CliTest, RuledTableComesOutWithRowsAndCells) {
  FixturePage page;
  page.height_pt = 300;
  const double x[] = {60, 200, 320, 440};
  const double y[] = {60, 90, 120, 150};
  const char* cells[3][3] = {
      {"Item", "Qty", "Price"}, {"Paper", "12", "4.50"}, {"Toner", "3", "61.00"}};
  for (double xv : x) page.rules.push_back({xv, y[0], xv, y[3]});
  for (double yv : y) page.rules.push_back({x[0], yv, x[3], yv});
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) page.runs.push_back({cells[r][c], x[c] + 8, y[r] + 21, 12});
  }
  std::string png = Path("table.png");
  cv::imwrite(png, RenderPage(page, 200));
  CliResult res = RunCli({"extract", png});
  ASSERT_EQ(res.exit_code, 0) << res.err;
  nlohmann::json doc = nlohmann::json::parse(res.out);
  const auto& tables = doc["pages"][0]["tables"];
  ASSERT_EQ(tables.size(), 1u) << res.out.substr(0, 2000);
  ASSERT_EQ(tables[0]["rows"].size(), 3u);
  for (int r = 0; r < 3; ++r) {
    ASSERT_EQ(tables[0]["rows"][r].size(), 3u);
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(tables[0]["rows"][r][c]["text"], cells[r][c]) << r << "," << c << "\n"
                                                              << doc["pages"][0]["text"] << "\n"
                                                              << tables.dump();
    }
  }
  bool has_table_block = false;
  for (const auto& b : doc["pages"][0]["blocks"]) has_table_block |= b["type"] == "table";
  EXPECT_TRUE(has_table_block);
}

}  // namespace
}  // namespace smartocr::testing

namespace smartocr::testing {
namespace {

TEST_F(CliTest, EvalScoresALabelledFolder) {
  // A folder in the ../shared/data/tesseract format: img/<stem>.png + gt/<stem>.txt.
  fs::create_directories(Path("set/img"));
  fs::create_directories(Path("set/gt"));
  cv::imwrite(Path("set/img/letter.png"), RenderPage(LetterPage(true), 200));
  WriteFile(Path("set/gt/letter.txt"), Joined(kLetter));
  std::string report = Path("report.json");
  CliResult r = RunCli({"eval", "--dataset", "tesseract", Path("set"), "--json", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("text CER"), std::string::npos) << r.out;
  nlohmann::json j = nlohmann::json::parse(ReadFile(report));
  EXPECT_EQ(j["documents"], 1);
  EXPECT_GE(j["text"]["word_f1"].get<double>(), 0.9);
  EXPECT_LE(j["text"]["cer"].get<double>(), 0.05);

  CliResult again = RunCli({"eval", "--dataset", "tesseract", Path("set"), "--baseline", report});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("baseline"), std::string::npos) << again.out;

  EXPECT_EQ(RunCli({"eval", Path("set")}).exit_code, 2);                        // no --dataset
  EXPECT_EQ(RunCli({"eval", "--dataset", "nope", Path("set")}).exit_code, 2);   // unknown set
  EXPECT_EQ(RunCli({"eval", "--dataset", "sroie", Path("set")}).exit_code, 3);  // wrong layout
}

}  // namespace
}  // namespace smartocr::testing
