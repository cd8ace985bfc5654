#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fixtures.h"
#include "render/render.h"
#include "required.h"
#include "sample_document.h"

namespace smartocr::render {
namespace {

using testing::SampleDocument;

struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::string text;  // character data directly inside, entities decoded
};

// A small XML well-formedness check, enough for hOCR: balanced tags, quoted unique
// attributes, known entities only, no raw '<' or '&' in text. Returns the elements in
// document order, or fails the test with `error` set.
bool ParseXml(const std::string& xml, std::vector<Element>& elements, std::string& error) {
  std::vector<size_t> open;  // indexes into `elements`
  size_t i = 0;
  auto decode = [&](const std::string& raw, std::string& out) {
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '<') {
        return false;
      }
      if (raw[k] != '&') {
        out += raw[k];
        continue;
      }
      size_t semi = raw.find(';', k);
      if (semi == std::string::npos) {
        return false;
      }
      std::string ent = raw.substr(k + 1, semi - k - 1);
      static const std::map<std::string, char> kNamed = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (kNamed.count(ent)) {
        out += kNamed.at(ent);
      } else if (ent.size() > 1 && ent[0] == '#') {
        out += static_cast<char>(std::strtol(ent.c_str() + 1, nullptr, 10));
      } else {
        return false;
      }
      k = semi;
    }
    return true;
  };
  auto name_end = [](const std::string& s, size_t from) {
    while (from < s.size() && (std::isalnum(static_cast<unsigned char>(s[from])) ||
                               std::strchr("_:-.", s[from]) != nullptr)) {
      ++from;
    }
    return from;
  };
  while (i < xml.size()) {
    size_t lt = xml.find('<', i);
    std::string text = xml.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
    std::string decoded;
    if (!decode(text, decoded)) {
      return error = "bad text near " + std::to_string(i), false;
    }
    if (!open.empty()) {
      elements[open.back()].text += decoded;
    }
    if (lt == std::string::npos) {
      break;
    }
    if (xml.compare(lt, 2, "<?") == 0 || xml.compare(lt, 2, "<!") == 0) {
      i = xml.find('>', lt) + 1;
      continue;
    }
    size_t gt = xml.find('>', lt);
    if (gt == std::string::npos) {
      return error = "unclosed tag", false;
    }
    std::string tag = xml.substr(lt + 1, gt - lt - 1);
    i = gt + 1;
    if (tag.starts_with("/")) {
      if (open.empty() || elements[open.back()].name != tag.substr(1)) {
        return error = "mismatched </" + tag.substr(1) + ">", false;
      }
      open.pop_back();
      continue;
    }
    bool self_closing = tag.ends_with("/");
    if (self_closing) {
      tag.pop_back();
    }
    size_t p = name_end(tag, 0);
    if (p == 0) {
      return error = "bad tag <" + tag + ">", false;
    }
    Element e{tag.substr(0, p), {}, ""};
    // Attributes: whitespace, name, '=', a quoted value.
    for (size_t q; (q = tag.find_first_not_of(" \t\n", p)) != std::string::npos;) {
      size_t eq = name_end(tag, q);
      if (q == p || eq == q || eq + 1 >= tag.size() || tag[eq] != '=' ||
          (tag[eq + 1] != '"' && tag[eq + 1] != '\'')) {
        return error = "bad attribute in <" + tag + ">", false;
      }
      size_t close = tag.find(tag[eq + 1], eq + 2);
      std::string value;
      if (close == std::string::npos || !decode(tag.substr(eq + 2, close - eq - 2), value)) {
        return error = "bad attribute value in <" + tag + ">", false;
      }
      if (!e.attrs.emplace(tag.substr(q, eq - q), value).second) {
        return error = "duplicate attribute in <" + tag + ">", false;
      }
      p = close + 1;
    }
    elements.push_back(e);
    if (!self_closing) {
      open.push_back(elements.size() - 1);
    }
  }
  if (!open.empty()) {
    return error = "unclosed <" + elements[open.back()].name + ">", false;
  }
  return true;
}

std::vector<Element> OfClass(const std::vector<Element>& all, const std::string& cls) {
  std::vector<Element> out;
  for (const Element& e : all) {
    if (e.attrs.count("class") && e.attrs.at("class") == cls) {
      out.push_back(e);
    }
  }
  return out;
}

TEST(RenderHocr, CheckerRejectsBrokenXml) {
  for (const char* bad : {"<a><b></a></b>", "<a>x & y</a>", "<a b='1' b='2'/>", "<a>", "<a b=1/>",
                          "<a b='1'c='2'/>", "<a b='<'/>"}) {
    SCOPED_TRACE(bad);
    std::vector<Element> elements;
    std::string error;
    EXPECT_FALSE(ParseXml(bad, elements, error));
  }
}

TEST(RenderHocr, WellFormedWithPagesBlocksLinesAndWords) {
  core::DocumentResult doc = SampleDocument();
  std::string hocr = RenderHocr(doc);
  std::vector<Element> elements;
  std::string error;
  ASSERT_TRUE(ParseXml(hocr, elements, error)) << error;
  ASSERT_FALSE(elements.empty());
  EXPECT_EQ(elements[0].name, "html");
  EXPECT_EQ(elements[0].attrs["xmlns"], "http://www.w3.org/1999/xhtml");

  std::map<std::string, std::string> meta;
  for (const Element& e : elements) {
    if (e.name == "meta" && e.attrs.count("name")) {
      meta[e.attrs.at("name")] = e.attrs.at("content");
    }
  }
  EXPECT_EQ(meta["ocr-system"], std::string("smartocr ") + core::kVersion);
  for (const char* cap : {"ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word"}) {
    EXPECT_NE(meta["ocr-capabilities"].find(cap), std::string::npos) << cap;
  }

  std::vector<Element> pages = OfClass(elements, "ocr_page");
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].attrs["title"], "bbox 0 0 1000 2000; ppageno 0");
  EXPECT_EQ(pages[1].attrs["title"], "bbox 0 0 500 500; ppageno 1");
  EXPECT_EQ(OfClass(elements, "ocr_carea").size(), 3u);
  EXPECT_EQ(OfClass(elements, "ocr_par").size(), 3u);
  EXPECT_EQ(OfClass(elements, "ocr_line").size(), 4u);

  // Words come in reading order with their pixel boxes and confidences.
  std::vector<Element> words = OfClass(elements, "ocrx_word");
  ASSERT_EQ(static_cast<int>(words.size()), testing::CountWords(doc));
  struct Expected {
    const char* text;
    const char* title;
  };
  const Expected expected[] = {
      {"Hello", "bbox 100 200 300 260; x_wconf 96"},
      {"world", "bbox 320 200 500 260; x_wconf 90"},
      {"again", "bbox 100 280 250 340; x_wconf 80"},
      {"second", "bbox 100 1000 300 1040; x_wconf 50"},
      {"block", "bbox 320 1000 450 1040; x_wconf 100"},
      {"Page", "bbox 50 50 150 80; x_wconf 100"},
      {"two", "bbox 160 50 240 80; x_wconf 100"},
  };
  std::set<std::string> ids;
  for (size_t k = 0; k < words.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(words[k].text, expected[k].text);
    EXPECT_EQ(words[k].attrs["title"], expected[k].title);
  }
  for (const Element& e : elements) {
    if (e.attrs.count("id")) {
      EXPECT_TRUE(ids.insert(e.attrs.at("id")).second) << e.attrs.at("id");
    }
  }
}

TEST(RenderHocr, EscapesTextAndRepairsBadCharacters) {
  core::DocumentResult doc = SampleDocument();
  doc.input = "a<b>&\"c'.png";
  auto& words = doc.pages[0].blocks[1].lines[0].words;
  words[0].text = "<&>\"'";
  words[1].text = "bad\xff\x01";        // invalid UTF-8 and a control character
  words[1].box = {-5, -5, 5000, 5000};  // clamped to the page
  words[1].confidence = std::numeric_limits<double>::quiet_NaN();
  std::string hocr = RenderHocr(doc);
  std::vector<Element> elements;
  std::string error;
  ASSERT_TRUE(ParseXml(hocr, elements, error)) << error;
  std::vector<Element> found = OfClass(elements, "ocrx_word");
  ASSERT_GE(found.size(), 2u);
  EXPECT_EQ(found[0].text, "<&>\"'");
  EXPECT_EQ(found[1].text, "bad\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(found[1].attrs["title"], "bbox 0 0 1000 2000; x_wconf 0");
  for (const Element& e : elements) {
    if (e.name == "title") {
      EXPECT_EQ(e.text, doc.input);
    }
  }
}

TEST(RenderHocr, XmllintAcceptsItWhenInstalled) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    SMARTOCR_SKIP_OR_FAIL("xmllint (libxml2-utils) is not installed");
  }
  std::string dir = smartocr::testing::MakeTempDir();
  core::DocumentResult doc = SampleDocument();
  doc.pages[0].blocks[0].lines[0].words[0].text = "x<&>\xff";
  smartocr::testing::WriteFile(dir + "/out.hocr", RenderHocr(doc));
  // --nonet: validity against the DTD needs the network; well-formedness does not.
  std::string cmd = "xmllint --noout --nonet " + dir + "/out.hocr 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::remove((dir + "/out.hocr").c_str());
  std::remove(dir.c_str());
}

}  // namespace
}  // namespace smartocr::render
