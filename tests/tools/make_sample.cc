// smartocr-make-sample OUT.pdf: writes the demo document, page 1 born-digital, page 2
// a scan of a short letter turned by 2 degrees.
#include <cstdio>

#include "fixtures.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: smartocr-make-sample OUT.pdf\n");
    return 2;
  }
  using smartocr::testing::FixturePage;
  using smartocr::testing::Paragraph;
  FixturePage digital;
  digital.runs = Paragraph({"SmartOCR sample document", ""}, 72, 90, 20, 28);
  auto body = Paragraph({"This first page is born-digital: its words come from the PDF",
                         "text layer with their boxes, without any OCR.",
                         "Invoice number: INV-2026-0042", "Total due: 1,234.56 EUR"},
                        72, 150, 12, 18);
  digital.runs.insert(digital.runs.end(), body.begin(), body.end());
  FixturePage scan;
  scan.scanned = true;
  scan.rotate_deg = 2;
  scan.runs = Paragraph({"This second page is a scanned image.",
                         "SmartOCR rasterizes it, straightens it and reads it",
                         "with Tesseract, keeping positions and confidences."},
                        72, 120, 14, 24);
  try {
    smartocr::testing::WritePdf(argv[1], {digital, scan}, 200);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smartocr-make-sample: %s\n", e.what());
    return 1;
  }
  return 0;
}
