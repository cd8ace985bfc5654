// Redaction end to end on a rendered passport-like page: the pipeline reads the page
// (a born-digital PDF, so no OCR), fields are extracted, values redacted, and every
// output is searched for any trace of them: JSON, text, hOCR, CSV, and the searchable
// PDF (pdftotext, its inflated streams, its raw bytes, and its pixels).
#include "redact/redact.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "extract/fields.h"
#include "fixtures.h"
#include "pipeline/pipeline.h"
#include "render/render.h"
#include "required.h"

namespace smartocr::redact {
namespace {

namespace fx = smartocr::testing;

// Text-layer pages never reach the engine.
class NoEngine final : public recognize::Engine {
 public:
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat&,
                                                  const recognize::RecognizeOptions&) override {
    return core::Internal("no_engine", "the test page has a text layer");
  }

 private:
  core::EngineInfo info_{"none", "0"};
};

class KeepImages final : public pipeline::PageSink {
 public:
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image) override {
    images.push_back(image.clone());
    dpi = page.dpi;
    return core::Status::Ok();
  }
  std::vector<cv::Mat> images;
  double dpi = 0;
};

std::string Shell(const std::string& cmd) {
  std::string out;
  std::FILE* pipe = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  pclose(pipe);
  return out;
}

bool HavePoppler() { return std::system("pdftotext -v >/dev/null 2>&1") == 0; }

// Every FlateDecode stream of a PDF, inflated, concatenated.
std::string InflateStreams(const std::string& pdf) {
  std::string out;
  for (size_t at = pdf.find("stream"); at != std::string::npos; at = pdf.find("stream", at + 6)) {
    if (at >= 3 && pdf.compare(at - 3, 3, "end") == 0) continue;
    size_t begin = pdf.find('\n', at) + 1;
    size_t end = pdf.find("endstream", begin);
    if (end == std::string::npos) break;
    z_stream z{};
    if (inflateInit(&z) != Z_OK) break;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pdf.data() + begin));
    z.avail_in = static_cast<uInt>(end - begin);
    char buf[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
      out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    at = end;
  }
  return out;
}

// "ERIKSSON" as the text layer's UTF-16BE hex string ("004500520049...").
std::string Utf16Hex(const std::string& ascii) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : ascii) {
    out += "00";
    out += kHex[(c >> 4) & 15];
    out += kHex[c & 15];
  }
  return out;
}

bool ContainsFolded(const std::string& hay, const std::string& needle) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(hay).find(lower(needle)) != std::string::npos;
}

const std::vector<std::string> kSecrets = {
    "ERIKSSON",    "ANNA",        "MARIA",        "L898902C3", "anna.eriksson@example.com",
    "example.com", "555 0134",    "5550134",      "DE89",      "3704",
    "37040044",    "UTOERIKSSON", "L898902C36UTO"};
const std::vector<std::string> kKept = {"PASSPORT", "Utopia", "Ministry", "Nationality"};

class RedactFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fx::MakeTempDir();
    fx::FixturePage page;
    page.runs = fx::Paragraph(
        {"PASSPORT", "Surname: ERIKSSON", "Given names: ANNA MARIA", "Document No: L898902C3",
         "Nationality: Utopian", "Contact: anna.eriksson@example.com", "Phone: +46 8 555 0134",
         "Pay to IBAN DE89 3704 0044 0532 0130 00", "Issued by the Utopia Ministry of Travel"},
        72, 90, 12, 22);
    page.runs.push_back({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", 40, 700, 11, false, true});
    page.runs.push_back({"L898902C36UTO7408122F1204159ZE184226B<<<<<10", 40, 720, 11, false, true});
    fx::WritePdf(dir_ + "/passport.pdf", {page});

    pipeline::PipelineOptions options;
    options.threads = 1;
    options.ingest.dpi = 100;
    options.keep_page_images = true;
    pipeline::Pipeline pipeline(engine_, options);
    auto doc = pipeline.Run(dir_ + "/passport.pdf", &sink_);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    doc_ = std::move(*doc);
    extract::ExtractOptions eo;
    eo.today = {2026, 11, 26};
    ASSERT_TRUE(extract::ExtractFields(doc_, eo).ok());
    ASSERT_EQ(doc_.doc_type, "id_document");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  NoEngine engine_;
  KeepImages sink_;
  core::DocumentResult doc_;
};

TEST_F(RedactFixture, NoTraceInAnyOutput) {
  // Before redaction the secrets are all there (else the test proves nothing).
  std::string before = render::RenderJson(doc_);
  for (const char* s : {"ERIKSSON", "L898902C3", "anna.eriksson@example.com", "3704"}) {
    ASSERT_TRUE(ContainsFolded(before, s)) << s;
  }
  auto kinds = ParseKinds("all");
  ASSERT_TRUE(kinds.ok());
  std::vector<Region> regions = RedactDocument(doc_, {.kinds = *kinds});
  EXPECT_GT(regions.size(), 8u);
  EXPECT_EQ(doc_.redacted_regions, static_cast<int>(regions.size()));

  ASSERT_EQ(sink_.images.size(), 1u);
  cv::Mat image = sink_.images[0];
  BurnRegions(doc_.pages[0], regions, image);
  std::string pdf = dir_ + "/redacted.pdf";
  {
    auto writer = render::OpenSearchablePdf(pdf);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AddPage(doc_.pages[0], image, sink_.dpi).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  std::string json = render::RenderJson(doc_);
  std::map<std::string, std::string> outputs = {
      {"json", json},
      {"text", render::RenderText(doc_)},
      {"hocr", render::RenderHocr(doc_)},
      {"csv", render::RenderFieldsCsv(doc_)},
      {"pdf raw", fx::ReadFile(pdf)},
      {"pdf streams", InflateStreams(fx::ReadFile(pdf))},
  };
  std::string streams = outputs["pdf streams"];
  ASSERT_NE(streams.find("Tj"), std::string::npos);  // the text layer was inflated
  ASSERT_NE(streams.find(Utf16Hex("PASSPORT")), std::string::npos);
  if (HavePoppler()) {
    outputs["pdftotext"] = Shell("pdftotext -enc UTF-8 " + pdf + " -");
    EXPECT_TRUE(ContainsFolded(outputs["pdftotext"], "[REDACTED]"));
    EXPECT_TRUE(ContainsFolded(outputs["pdftotext"], "Ministry"));
  } else if (testing::DependenciesRequired()) {
    FAIL() << "required dependency: poppler-utils (pdftotext) is not installed";
  }
  for (const auto& [name, out] : outputs) {
    for (const std::string& s : kSecrets) {
      EXPECT_FALSE(ContainsFolded(out, s)) << s << " left in " << name;
      EXPECT_EQ(out.find(Utf16Hex(s)), std::string::npos) << s << " left (hex) in " << name;
    }
  }
  for (const std::string& kept : kKept) EXPECT_TRUE(ContainsFolded(json, kept)) << kept;
  EXPECT_NE(json.find("\"redaction\""), std::string::npos);
  EXPECT_NE(json.find("\"[REDACTED]\""), std::string::npos);
}

TEST_F(RedactFixture, BoxesAreBlackInTheImageAndThePdf) {
  auto kinds = ParseKinds("names");
  ASSERT_TRUE(kinds.ok());
  std::vector<Region> regions = RedactDocument(doc_, {.kinds = *kinds});
  ASSERT_FALSE(regions.empty());
  cv::Mat image = sink_.images[0];
  ASSERT_EQ(image.type(), CV_8UC1);
  cv::Mat before = image.clone();
  BurnRegions(doc_.pages[0], regions, image);
  for (const Region& r : regions) {
    cv::Rect box(static_cast<int>(r.box.x0), static_cast<int>(r.box.y0),
                 static_cast<int>(r.box.width()), static_cast<int>(r.box.height()));
    EXPECT_EQ(cv::countNonZero(image(box)), 0) << "region not black";
    EXPECT_GT(cv::countNonZero(before(box)), 0);
  }
  // Outside the regions nothing changed: "Ministry" is still printed.
  EXPECT_GT(cv::sum(image)[0], 0.9 * cv::sum(before)[0]);
  // Only the names' kind: the phone number stays; the e-mail holds the surname, so it goes.
  std::string text = render::RenderText(doc_);
  EXPECT_TRUE(ContainsFolded(text, "+46 8 555 0134")) << text;
  EXPECT_FALSE(ContainsFolded(text, "eriksson@")) << text;

  if (!HavePoppler()) SMARTOCR_SKIP_OR_FAIL("poppler-utils (pdftotext) is not installed");
  std::string pdf = dir_ + "/names.pdf";
  auto writer = render::OpenSearchablePdf(pdf);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->AddPage(doc_.pages[0], image, sink_.dpi).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  Shell("pdftoppm -r " + std::to_string(static_cast<int>(sink_.dpi)) + " -gray " + pdf + " " +
        dir_ + "/page");
  cv::Mat shown = cv::imread(dir_ + "/page-1.pgm", cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(shown.empty());
  for (const Region& r : regions) {
    int cx = static_cast<int>(r.box.cx() * shown.cols / doc_.pages[0].width);
    int cy = static_cast<int>(r.box.cy() * shown.rows / doc_.pages[0].height);
    EXPECT_LT(shown.at<uchar>(cy, cx), 40) << "not black at " << cx << "," << cy;
  }
}

TEST(RedactKinds, ParsesAndRejects) {
  auto k = ParseKinds("phone, mrz,phone");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(*k, (std::vector<std::string>{"mrz", "phone"}));
  EXPECT_EQ(ParseKinds("all")->size(), KnownKinds().size());
  auto bad = ParseKinds("mrz,ssn");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "redact");
  EXPECT_NE(bad.status().message().find("'ssn'"), std::string::npos);
  EXPECT_FALSE(ParseKinds("").ok());
}

// OCR lost a line of the zone, so no MRZ was parsed and there is no field: the
// zone-shaped lines go anyway, and ordinary text stays.
TEST(RedactMrz, UnparsedZoneLinesGoByShape) {
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = page.height = 1000;
  core::Block block;
  double y = 10;
  for (const char* text : {"IDESPAAA1000014<00000023T<<<<<", "7212018F1101236ESP<<<<<<<<<<<8",
                           "MADRID 123656789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ ABC"}) {
    core::Line line;
    line.words.push_back({text, {10, y, 900, y + 20}, 0.9});
    line.box = line.words[0].box;
    block.lines.push_back(line);
    y += 30;
  }
  page.blocks.push_back(block);
  page.FinalizeTextAndConfidence();
  doc.pages.push_back(page);
  std::vector<Region> regions = RedactDocument(doc, {.kinds = {"mrz"}});
  // Two words, and the zone grown by a line pitch (covering the line below as well).
  ASSERT_EQ(regions.size(), 4u);
  EXPECT_EQ(regions.back().box, (core::BBox{10, 0, 900, 96}));  // pitch 30 + 6
  EXPECT_EQ(doc.pages[0].text,
            "[REDACTED]\n[REDACTED]\n[REDACTED]\nABCDEFGHIJKLMNOPQRSTUVWXYZ ABC");
}

// Short name parts: a two-letter given name goes, a particle of a longer surname does
// not take every "de" of the page with it.
TEST(RedactFields, NameParticlesAndShortNames) {
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = page.height = 1000;
  core::Block block;
  core::Line line;
  double x = 10;
  for (const char* w :
       {"CRUZ", "Li", "lives", "in", "Ciudad", "de", "Mexico", "(de", "la", "Cruz)"}) {
    line.words.push_back({w, {x, 10, x + 50, 30}, 0.9});
    x += 60;
  }
  line.box = {10, 10, x, 30};
  block.lines.push_back(line);
  page.blocks.push_back(block);
  page.FinalizeTextAndConfidence();
  doc.pages.push_back(page);
  doc.fields = {{"surname", "DE LA CRUZ", "DE LA CRUZ", 1, "valid", "", 0, {}},
                {"given_names", "LI", "LI", 1, "valid", "", 0, {}}};
  RedactDocument(doc, {.kinds = {"names"}});
  EXPECT_EQ(doc.pages[0].text, "[REDACTED] [REDACTED] lives in Ciudad de Mexico (de la [REDACTED]");
}

// A tenant schema's field named like a kind goes with that kind, wherever its value is
// printed; other fields stay.
TEST(RedactFields, TenantFieldsNamedLikeAKind) {
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = page.height = 1000;
  core::Block block;
  core::Line line;
  line.words = {{"Customer", {10, 10, 100, 30}, 0.9},
                {"C-99812", {110, 10, 200, 30}, 0.9},
                {"iban:", {210, 10, 260, 30}, 0.9},
                {"NL91ABNA0417164300", {270, 10, 500, 30}, 0.9}};
  line.box = {10, 10, 500, 30};
  block.lines.push_back(line);
  page.blocks.push_back(block);
  page.tables.push_back({{0, 0, 1, 1}, {{{{0, 0, 1, 1}, "IBAN NL91ABNA0417164300"}}}});
  page.FinalizeTextAndConfidence();
  doc.pages.push_back(page);
  doc.extracted = true;
  doc.fields = {{"customer", "C-99812", "C-99812", 0.9, "unchecked", "", 1, {110, 10, 200, 30}},
                {"iban",
                 "NL91ABNA0417164300",
                 "NL91ABNA0417164300",
                 0.9,
                 "valid",
                 "",
                 1,
                 {270, 10, 500, 30}}};
  RedactDocument(doc, {.kinds = {"iban"}});
  EXPECT_EQ(doc.fields[0].value, "C-99812");
  EXPECT_EQ(doc.fields[1].value, "[REDACTED]");
  EXPECT_EQ(doc.pages[0].text, "Customer C-99812 iban: [REDACTED]");
  EXPECT_EQ(doc.pages[0].tables[0].rows[0][0].text, "IBAN [REDACTED]");
  EXPECT_EQ(render::RenderFieldsCsv(doc).find("NL91"), std::string::npos);
}

TEST(RedactBurn, ScalesToTheImageAndKeepsAlphaOpaque) {
  core::PageResult page;
  page.number = 1;
  page.width = 100;
  page.height = 50;
  cv::Mat bgra(100, 200, CV_8UC4, cv::Scalar(255, 255, 255, 255));  // twice the page size
  BurnRegions(page, {{1, {10, 10, 20, 20}}, {2, {0, 0, 100, 50}}}, bgra);
  cv::Vec4b in = bgra.at<cv::Vec4b>(30, 30);  // (15, 15) in page pixels
  EXPECT_EQ(in, cv::Vec4b(0, 0, 0, 255));
  EXPECT_EQ(bgra.at<cv::Vec4b>(80, 150), cv::Vec4b(255, 255, 255, 255));  // page 2's region
}

}  // namespace
}  // namespace smartocr::redact
