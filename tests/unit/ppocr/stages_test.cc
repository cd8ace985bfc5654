// The PP-OCR stages that need no model: CTC decoding on synthetic probability tables,
// DB post-processing on a synthetic probability map, quads and crops, the alphabet,
// and the hybrid's choice rule.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "fixtures.h"
#include "ppocr/ppocr_internal.h"

namespace smartocr::ppocr {
namespace {

// Classes: 0 blank, 1 "a", 2 "b", 3 "Ａ" (folds to "A"), 4 "中", 5 space.
Charset TestCharset(const std::string& lang = "eng") {
  return Charset({"a", "b", "Ａ", "中"}, lang);
}

// A T x 6 table where each step puts `p` on one class and spreads the rest evenly.
std::vector<float> Table(const std::vector<int>& best, float p = 0.9f) {
  std::vector<float> t;
  for (int cls : best) {
    for (int c = 0; c < 6; ++c) t.push_back(c == cls ? p : (1 - p) / 5);
  }
  return t;
}

std::string Text(const std::vector<DecodedChar>& chars) {
  std::string s;
  for (const auto& c : chars) s += c.text;
  return s;
}

TEST(Charset, FoldsFullWidthAndRestrictsTheAlphabet) {
  Charset eng = TestCharset();
  ASSERT_EQ(eng.size(), 6);
  EXPECT_EQ(eng.text(3), "A");
  EXPECT_EQ(eng.text(5), " ");
  EXPECT_FALSE(eng.allowed(0));  // blank is the decoder's business
  EXPECT_TRUE(eng.allowed(1));
  EXPECT_TRUE(eng.allowed(3));
  EXPECT_FALSE(eng.allowed(4));
  Charset all = TestCharset("");
  EXPECT_TRUE(all.allowed(4));
  EXPECT_EQ(FoldWidth("ＲＭ１２．５０，（ok）"), "RM12.50,(ok)");
  EXPECT_EQ(FoldWidth("“x”—y。"), "\"x\"-y.");
  EXPECT_EQ(FoldWidth("€5 £3 中"), "€5 £3 中");
}

TEST(CtcGreedy, CollapsesRepeatsAndDropsBlanks) {
  Charset cs = TestCharset();
  // a a _ a b b _ b  ->  "aabb" with runs at [0,2), [3,4), [4,6), [7,8)
  std::vector<float> t = Table({1, 1, 0, 1, 2, 2, 0, 2});
  auto chars = CtcGreedy(t.data(), 8, 6, cs);
  ASSERT_EQ(Text(chars), "aabb");
  EXPECT_EQ(chars[0].t0, 0);
  EXPECT_EQ(chars[0].t1, 2);
  EXPECT_EQ(chars[1].t0, 3);
  EXPECT_EQ(chars[2].t0, 4);
  EXPECT_EQ(chars[2].t1, 6);
  EXPECT_NEAR(chars[0].prob, 0.9, 1e-6);
}

TEST(CtcGreedy, SkipsDisallowedClassesForTheNextBestAllowedOne) {
  Charset cs = TestCharset();
  // Step 0: 中 0.6, Ａ 0.3, rest 0.025 -> "A" (prob 0.3).
  std::vector<float> t = {0.025f, 0.025f, 0.025f, 0.3f, 0.6f, 0.025f};
  auto chars = CtcGreedy(t.data(), 1, 6, cs);
  ASSERT_EQ(chars.size(), 1u);
  EXPECT_EQ(chars[0].text, "A");
  EXPECT_NEAR(chars[0].prob, 0.3, 1e-6);
  // Without the restriction the CJK character wins.
  Charset all = TestCharset("");
  EXPECT_EQ(Text(CtcGreedy(t.data(), 1, 6, all)), "中");
  // A blank beating every allowed class yields nothing.
  std::vector<float> blank = {0.3f, 0.02f, 0.02f, 0.02f, 0.62f, 0.02f};
  EXPECT_TRUE(CtcGreedy(blank.data(), 1, 6, cs).empty());
}

TEST(SplitWords, SplitsAtSpacesWithBoxesFromTimeSteps) {
  Charset cs = TestCharset();
  // "ab" over steps 0-3, space at 5, "A" at 8-9, 10 steps over a 100x20 quad at (10,30).
  std::vector<float> t = Table({1, 0, 2, 2, 0, 5, 0, 0, 3, 3});
  auto chars = CtcGreedy(t.data(), 10, 6, cs);
  ASSERT_EQ(Text(chars), "ab A");
  Quad quad;
  quad.p = {cv::Point2f(10, 30), cv::Point2f(110, 30), cv::Point2f(110, 50), cv::Point2f(10, 50)};
  auto words = SplitWords(chars, 10, quad);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].text, "ab");
  EXPECT_EQ(words[1].text, "A");
  EXPECT_NEAR(words[0].box.x0, 10, 1e-3);
  EXPECT_NEAR(words[0].box.x1, 50, 1e-3);  // steps [0,4)
  EXPECT_NEAR(words[1].box.x0, 90, 1e-3);  // steps [8,10)
  EXPECT_NEAR(words[1].box.x1, 110, 1e-3);
  EXPECT_NEAR(words[1].box.y0, 30, 1e-3);
  EXPECT_NEAR(words[1].box.y1, 50, 1e-3);
  for (const auto& w : words) {
    EXPECT_GT(w.confidence, 0.8);
    EXPECT_LE(w.confidence, 1.0);
  }
  // Fewer steps than the table (padding in the batch): boxes stretch, clamped at the end.
  auto stretched = SplitWords(chars, 5, quad);
  EXPECT_NEAR(stretched[0].box.x1, 90, 1e-3);
  EXPECT_NEAR(stretched[1].box.x1, 110, 1e-3);
}

// A map with a text kernel of value `p` for each rectangle (map pixels).
cv::Mat KernelMap(const std::vector<std::pair<cv::RotatedRect, float>>& kernels) {
  cv::Mat map = cv::Mat::zeros(200, 300, CV_32FC1);
  for (const auto& [rect, p] : kernels) {
    cv::Point2f pts[4];
    rect.points(pts);
    std::vector<cv::Point> poly;
    for (const auto& q : pts) poly.emplace_back(cvRound(q.x), cvRound(q.y));
    cv::fillConvexPoly(map, poly, cv::Scalar(p));
  }
  return map;
}

TEST(DbPostprocess, FindsUnclipsScalesAndFiltersBoxes) {
  cv::Mat map = KernelMap({
      {cv::RotatedRect({150, 40}, {200, 10}, 0), 0.9f},    // a line
      {cv::RotatedRect({100, 100}, {120, 12}, 0), 0.5f},   // weak: binarized but scored out
      {cv::RotatedRect({150, 160}, {160, 14}, 10), 0.8f},  // turned 10 degrees
      {cv::RotatedRect({280, 190}, {2, 2}, 0), 0.9f},      // a speck
  });
  DbParams params;  // 0.3 / 0.6 / 1.5
  auto quads = DbPostprocess(map, params, 2.0, 2.0);
  ASSERT_EQ(quads.size(), 2u);
  // Unclip: d = w*h*1.5 / (2(w+h)) on the kernel's minimum-area rectangle (about 201 x 11
  // after rasterizing), then x2 into page pixels.
  const Quad& first = quads[0];
  EXPECT_GT(first.score, 0.85f);
  double w = 201, h = 11, d = w * h * 1.5 / (2 * (w + h));
  EXPECT_NEAR(first.Width(), 2 * (w + 2 * d), 8);
  EXPECT_NEAR(first.Height(), 2 * (h + 2 * d), 8);
  EXPECT_NEAR(first.Bounds().cx(), 300, 3);
  EXPECT_NEAR(first.Bounds().cy(), 80, 3);
  EXPECT_LT(first.p[0].x, first.p[1].x);  // corners in reading order
  EXPECT_LT(first.p[0].y, first.p[3].y);
  // The turned line keeps its angle (top edge rising 10 degrees... in image y down).
  const Quad& turned = quads[1];
  double angle = std::atan2(turned.p[1].y - turned.p[0].y, turned.p[1].x - turned.p[0].x);
  EXPECT_NEAR(std::abs(angle) * 180 / CV_PI, 10, 1.5);
  EXPECT_GT(turned.Bounds().cy(), first.Bounds().cy());
}

TEST(DbPostprocess, EmptyMapGivesNoBoxes) {
  cv::Mat map = cv::Mat::zeros(64, 64, CV_32FC1);
  EXPECT_TRUE(DbPostprocess(map, {}, 1, 1).empty());
}

TEST(Quad, OrdersTurnsAndGrows) {
  Quad q = OrderCorners(
      {cv::Point2f(100, 50), cv::Point2f(0, 0), cv::Point2f(0, 50), cv::Point2f(100, 0)});
  EXPECT_EQ(q.p[0], cv::Point2f(0, 0));
  EXPECT_EQ(q.p[1], cv::Point2f(100, 0));
  EXPECT_EQ(q.p[2], cv::Point2f(100, 50));
  EXPECT_EQ(q.p[3], cv::Point2f(0, 50));
  Quad t = Turned(q);
  EXPECT_EQ(t.p[0], cv::Point2f(100, 50));
  EXPECT_EQ(Turned(t).p[0], q.p[0]);
  Quad g = q.Grown(10, 5);
  EXPECT_NEAR(g.Bounds().x0, -10, 1e-3);
  EXPECT_NEAR(g.Bounds().y1, 55, 1e-3);
  EXPECT_EQ(Upright(q).p[0], q.p[0]);  // wide: unchanged
  Quad tall = OrderCorners(
      {cv::Point2f(0, 0), cv::Point2f(20, 0), cv::Point2f(20, 100), cv::Point2f(0, 100)});
  Quad up = Upright(tall);
  EXPECT_GT(up.Width(), up.Height());
  EXPECT_EQ(up.p[0], cv::Point2f(0, 100));  // read bottom to top
}

TEST(CropQuad, StraightensATurnedLine) {
  // A rendered line turned 12 degrees; crop its quad and the text lies flat.
  testing::FixturePage page;
  page.width_pt = 400;
  page.height_pt = 200;
  page.runs = {{"HELLO WORLD 123", 80, 110, 20}};
  page.rotate_deg = 12;
  cv::Mat gray = testing::RenderPage(page, 100);
  cv::Mat ink = gray < 128;
  std::vector<cv::Point> pts;
  cv::findNonZero(ink, pts);
  ASSERT_FALSE(pts.empty());
  cv::RotatedRect r = cv::minAreaRect(pts);
  std::array<cv::Point2f, 4> corners;
  r.points(corners.data());
  Quad quad = Upright(OrderCorners(corners));
  cv::Mat crop = CropQuad(gray, quad, cv::BORDER_REPLICATE);
  EXPECT_GT(crop.cols, 5 * crop.rows);
  // Straight text: the ink's own minimum-area box in the crop is (nearly) level.
  std::vector<cv::Point> crop_pts;
  cv::findNonZero(crop < 128, crop_pts);
  ASSERT_FALSE(crop_pts.empty());
  cv::Rect bounds = cv::boundingRect(crop_pts);
  EXPECT_GT(bounds.width, crop.cols * 0.9);
  EXPECT_GT(bounds.height, crop.rows * 0.8);
}

TEST(ChoosePpocrLine, TakesPpocrOnlyWhenSurerWithAsManyWords) {
  auto line = [](std::vector<std::string> words, double conf) {
    core::Line l;
    for (auto& w : words) l.words.push_back({w, {}, conf});
    l.confidence = conf;
    return l;
  };
  core::Line tess = line({"Date", "25/12/2018", "8:13:39PM"}, 0.7);
  EXPECT_TRUE(ChoosePpocrLine(tess, line({"Date:", "25/12/2018", "8:13:39PM"}, 0.9)));
  EXPECT_FALSE(ChoosePpocrLine(tess, line({"Date:", "25/12/20188:13:39PM"}, 0.95)));
  EXPECT_FALSE(ChoosePpocrLine(tess, line({"Dale", "25/12/2018", "8:13:39PM"}, 0.6)));
  EXPECT_TRUE(ChoosePpocrLine(line({}, 0), line({"TOTAL"}, 0.5)));
  EXPECT_FALSE(ChoosePpocrLine(tess, line({}, 0)));
}

// A line of words laid out left to right, 10 pixels per character.
core::Line LineOf(const std::vector<std::pair<std::string, double>>& words) {
  core::Line l;
  double x = 0, sum = 0;
  for (const auto& [text, conf] : words) {
    core::Word w{text, {x, 0, x + 10.0 * static_cast<double>(text.size()), 20}, conf};
    x = w.box.x1 + 10;
    sum += conf;
    l.box = l.box.Union(w.box);
    l.words.push_back(w);
  }
  if (!words.empty()) l.confidence = sum / static_cast<double>(words.size());
  return l;
}

std::vector<std::string> TextsOf(const core::Line& line) {
  std::vector<std::string> out;
  for (const core::Word& w : line.words) out.push_back(w.text);
  return out;
}

TEST(SpaceLikeTesseract, BreaksPpocrTextWhereTesseractHasSpaces) {
  using V = std::vector<std::string>;
  struct Case {
    std::vector<std::pair<std::string, double>> tesseract, ppocr;
    V want;
  } cases[] = {
      {{{"RESTAURANT", 0.5}, {"JIAWEI", 0.5}},
       {{"RESTAURANTJIAWEI", 0.9}},
       V{"RESTAURANT", "JIAWEI"}},
      // Different characters still align; characters only PP-OCR saw join the left word.
      {{{"Date", 0.6}, {"31-03-2O18", 0.5}}, {{"Date:31-03-2018", 0.9}}, V{"Date:", "31-03-2018"}},
      {{{"Tay", 0.7}, {"6,62", 0.6}}, {{"Tax6.62", 0.9}}, V{"Tax", "6.62"}},
      // ... except an opening bracket, which starts the next word.
      {{{"BHD", 0.8}, {"126926-H)", 0.7}}, {{"BHD(126926-H)", 0.9}}, V{"BHD", "(126926-H)"}},
      // PP-OCR's own breaks stay; a line Tesseract read as one word is left alone.
      {{{"TOTAL", 0.8}, {"12.50", 0.7}}, {{"TOTAL", 0.9}, {"12.50", 0.9}}, V{"TOTAL", "12.50"}},
      {{{"SUBTOTAL", 0.8}}, {{"SUB", 0.9}, {"TOTAL", 0.9}}, V{"SUB", "TOTAL"}},
      {{}, {{"CASH", 0.9}}, V{"CASH"}},
  };
  for (const Case& c : cases) {
    core::Line got = SpaceLikeTesseract(LineOf(c.ppocr), LineOf(c.tesseract));
    EXPECT_EQ(TextsOf(got), c.want);
  }
}

TEST(SpaceLikeTesseract, SplitWordsShareTheBoxAndKeepTheConfidence) {
  core::Line got =
      SpaceLikeTesseract(LineOf({{"ABCDEF", 0.9}}), LineOf({{"AB", 0.4}, {"CDEF", 0.4}}));
  ASSERT_EQ(got.words.size(), 2u);
  EXPECT_EQ(got.words[0].box, (core::BBox{0, 0, 20, 20}));
  EXPECT_EQ(got.words[1].box, (core::BBox{20, 0, 60, 20}));
  EXPECT_DOUBLE_EQ(got.words[1].confidence, 0.9);
  EXPECT_EQ(got.box, (core::BBox{0, 0, 60, 20}));
}

TEST(CombineReadings, TakesTheSurerReadingOfEachWord) {
  core::Line got = CombineReadings(LineOf({{"TOTAL", 0.95}, {"12.5O", 0.4}}),
                                   LineOf({{"TOTAI", 0.9}, {"12.50", 0.99}}));
  EXPECT_EQ(TextsOf(got), (std::vector<std::string>{"TOTAL", "12.50"}));
  EXPECT_DOUBLE_EQ(got.confidence, (0.95 + 0.99) / 2);
  // Spaces first, then word for word.
  got = CombineReadings(LineOf({{"GASH", 0.5}, {"1O.OO", 0.3}}), LineOf({{"CASH10.00", 0.97}}));
  EXPECT_EQ(TextsOf(got), (std::vector<std::string>{"CASH", "10.00"}));
  // Readings that break the line differently: the whole line by ChoosePpocrLine.
  got = CombineReadings(LineOf({{"SUBTOTAL", 0.6}}), LineOf({{"SUB", 0.9}, {"TOTAL", 0.9}}));
  EXPECT_EQ(TextsOf(got), (std::vector<std::string>{"SUB", "TOTAL"}));
  got = CombineReadings(LineOf({{"SUBTOTAL", 0.95}}), LineOf({{"SUB", 0.9}, {"TOTAL", 0.9}}));
  EXPECT_EQ(TextsOf(got), (std::vector<std::string>{"SUBTOTAL"}));
  got = CombineReadings(LineOf({{"CASH", 0.5}}), LineOf({}));
  EXPECT_EQ(TextsOf(got), (std::vector<std::string>{"CASH"}));
}

}  // namespace
}  // namespace smartocr::ppocr
