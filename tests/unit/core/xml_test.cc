#include "core/xml.h"

#include <gtest/gtest.h>

#include <string>

namespace smartocr::core {
namespace {

constexpr XmlEscapeStyle kRaw{.apostrophe = "&apos;", .replace_invalid = false};

TEST(XmlEscape, WritesTheFiveSpecialCharactersAsEntities) {
  struct Case {
    std::string in;
    std::string sanitized;  // default style
    std::string raw;        // kRaw
  };
  const Case cases[] = {
      {"", "", ""},
      {"plain text", "plain text", "plain text"},
      {"a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f", "a&amp;b&lt;c&gt;d&quot;e&apos;f"},
      {"\"etag-1\"", "&quot;etag-1&quot;", "&quot;etag-1&quot;"},
      {"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
      // Controls XML 1.0 forbids, an invalid byte, and U+FFFE become U+FFFD when
      // sanitizing; tab and newline stay.
      {std::string("a\x01\tb\n\xff\xef\xbf\xbe", 9), "a\xef\xbf\xbd\tb\n\xef\xbf\xbd\xef\xbf\xbd",
       std::string("a\x01\tb\n\xff\xef\xbf\xbe", 9)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(XmlEscape(c.in), c.sanitized);
    EXPECT_EQ(XmlEscape(c.in, kRaw), c.raw);
  }
}

TEST(XmlEscape, ReplacesNulOnlyWhenSanitizing) {
  EXPECT_EQ(XmlEscape(std::string("a\0b", 3)),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(XmlEscape(std::string("a\0b", 3), kRaw), std::string("a\0b", 3));
}

}  // namespace
}  // namespace smartocr::core
