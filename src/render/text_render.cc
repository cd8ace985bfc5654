// Plain-text output, laid out like pdftotext's: each page's text, a form feed between
// pages, and a final newline so the output is a well-formed text file.
#include <string>

#include "render/render.h"
#include "render/render_internal.h"

namespace smartocr::render {

std::string RenderText(const core::DocumentResult& doc) {
  std::string out;
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    if (i > 0) {
      out += '\f';
    }
    std::string text = internal::SanitizeUtf8(internal::PageText(doc.pages[i]));
    // One newline ends each page whatever the engine left at the end.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    out += text;
    out += '\n';
  }
  return out;
}

}  // namespace smartocr::render
