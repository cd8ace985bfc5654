// smartocr-make-bench-docs DIR: writes the benchmark corpus, all generated:
//   DIR/scan/page-NN.png   20 scanned letter pages at 300 dpi (varied text)
//   DIR/digital-100.pdf    100 born-digital pages
//   DIR/scanned-200.pdf    200 scanned pages (150 dpi images)
//   DIR/single/doc-NNN.pdf 200 one-page born-digital PDFs (queue benchmarks)
//   DIR/receipt.png        a one-page till receipt at 300 dpi (API benchmarks)
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "fixtures.h"

namespace {

using smartocr::testing::FixturePage;

const char* const kWords[] = {
    "invoice",   "delivery",  "customer", "payment",   "account", "balance",  "service",
    "quarterly", "report",    "revenue",  "shipping",  "address", "contract", "schedule",
    "warehouse", "inventory", "summary",  "reference", "amount",  "period",   "order",
    "product",   "quantity",  "discount", "tax",       "total",   "received", "pending"};

FixturePage TextPage(int seed) {
  FixturePage page;
  uint32_t x = static_cast<uint32_t>(seed) * 2654435761u + 1;
  std::vector<std::string> lines;
  for (int l = 0; l < 38; ++l) {
    std::string line;
    for (int w = 0; w < 9; ++w) {
      x = x * 1103515245u + 12345u;
      line += std::string(kWords[(x >> 16) % (sizeof kWords / sizeof *kWords)]) + " ";
      if ((x >> 8) % 5 == 0) line += std::to_string((x >> 4) % 10000) + " ";
    }
    lines.push_back(line);
  }
  page.runs = smartocr::testing::Paragraph(lines, 60, 70, 11, 17.5);
  return page;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: smartocr-make-bench-docs DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  std::string dir = argv[1];
  fs::create_directories(dir + "/scan");
  for (int i = 0; i < 20; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "/scan/page-%02d.png", i + 1);
    cv::imwrite(dir + name, smartocr::testing::RenderPage(TextPage(i), 300));
  }
  std::vector<FixturePage> digital;
  for (int i = 0; i < 100; ++i) digital.push_back(TextPage(i));
  smartocr::testing::WritePdf(dir + "/digital-100.pdf", digital);
  std::vector<FixturePage> scanned;
  for (int i = 0; i < 200; ++i) {
    FixturePage p = TextPage(i % 10);
    p.scanned = true;
    scanned.push_back(p);
  }
  smartocr::testing::WritePdf(dir + "/scanned-200.pdf", scanned, 150);
  fs::create_directories(dir + "/single");
  for (int i = 0; i < 200; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "/single/doc-%03d.pdf", i + 1);
    smartocr::testing::WritePdf(dir + name, {TextPage(i)});
  }
  FixturePage receipt;
  receipt.width_pt = 230;
  receipt.height_pt = 520;
  receipt.runs = smartocr::testing::Paragraph(
      {"CORNER CAFE", "12 Market Street", "Date 12/03/2024 09:41", "Receipt 004211", "",
       "Flat white        3.50", "Bagel             4.00", "Orange juice      2.80",
       "Croissant         2.20", "", "SUBTOTAL         12.50", "VAT 10%           1.25",
       "TOTAL            13.75", "", "CARD             13.75", "Thank you!"},
      16, 40, 10, 16);
  cv::imwrite(dir + "/receipt.png", smartocr::testing::RenderPage(receipt, 300));
  return 0;
}
