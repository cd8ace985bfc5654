#include <gtest/gtest.h>

#include <string>

#include "render/render.h"
#include "sample_document.h"

namespace smartocr::render {
namespace {

using testing::SampleDocument;

TEST(RenderText, PagesInOrderSeparatedByFormFeed) {
  EXPECT_EQ(RenderText(SampleDocument()), "Hello world\nagain\n\nsecond block\n\fPage two\n");
}

TEST(RenderText, Cases) {
  struct Case {
    const char* name;
    std::vector<std::string> page_texts;
    std::string expected;
  };
  const Case cases[] = {
      {"no pages", {}, ""},
      {"one empty page", {""}, "\n"},
      {"trailing newlines collapse", {"a\n\n", "b\r\n"}, "a\n\fb\n"},
      {"blank middle page", {"a", "", "c"}, "a\n\f\n\fc\n"},
      {"invalid utf8", {"x\xff"}, "x\xef\xbf\xbd\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    core::DocumentResult doc;
    for (const std::string& t : c.page_texts) {
      core::PageResult page;
      page.text = t;
      doc.pages.push_back(page);
    }
    EXPECT_EQ(RenderText(doc), c.expected);
  }
}

TEST(RenderText, FallsBackToBlocksInReadingOrder) {
  core::DocumentResult doc = SampleDocument();
  doc.pages[0].text.clear();  // blocks are stored as [order 1, order 0]
  doc.pages.resize(1);
  EXPECT_EQ(RenderText(doc), "Hello world\nagain\n\nsecond block\n");
}

}  // namespace
}  // namespace smartocr::render
