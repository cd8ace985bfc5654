// tests/unit/layout/layout_test_util.h
//
// Synthetic words and lines with known boxes for the layout tests: a word is
// kCharWidth px per character, kLineHeight px tall, words a word space apart.
#ifndef SMARTOCR_TESTS_UNIT_LAYOUT_LAYOUT_TEST_UTIL_H_
#define SMARTOCR_TESTS_UNIT_LAYOUT_LAYOUT_TEST_UTIL_H_

#include <algorithm>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/core.h"
#include "layout/layout.h"

namespace smartocr::layout::testing {

inline constexpr double kCharWidth = 10;
inline constexpr double kLineHeight = 20;
inline constexpr double kWordSpace = 6;

inline core::Word MakeWord(const std::string& text, double x, double y, double h = kLineHeight,
                           double confidence = 0.9) {
  return {text, {x, y, x + kCharWidth * static_cast<double>(text.size()), y + h}, confidence};
}

// Words of `text` (split at spaces) laid out from (x, y).
inline std::vector<core::Word> WordsAt(const std::string& text, double x, double y,
                                       double h = kLineHeight, double confidence = 0.9) {
  std::vector<core::Word> words;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    words.push_back(MakeWord(token, x, y, h, confidence));
    x = words.back().box.x1 + kWordSpace;
  }
  return words;
}

// A dense two-column page of `count` words (columns wrap every 140 rows), shuffled.
inline std::vector<core::Word> DenseWords(int count) {
  std::vector<core::Word> words;
  std::mt19937 rng(11);
  for (int i = 0; words.size() < static_cast<std::size_t>(count); ++i) {
    int row = i / 2;
    double x0 = i % 2 ? 1300 : 100;
    for (core::Word& w :
         WordsAt("aa bbbb cc ddddd eee ff gggg hh iii jjjj kk", x0, 100 + 22.0 * (row % 140), 16)) {
      w.box.x0 += (row / 140) * 2400, w.box.x1 += (row / 140) * 2400;  // wrap into new columns
      words.push_back(w);
    }
  }
  words.resize(static_cast<std::size_t>(count));
  std::shuffle(words.begin(), words.end(), rng);
  return words;
}

// `count` one-letter words anywhere on a 2400 x 3200 page: no structure at all.
inline std::vector<core::Word> ScatteredWords(int count) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> x(0, 2400), y(0, 3200);
  std::vector<core::Word> words;
  for (int i = 0; i < count; ++i) words.push_back(MakeWord("w", x(rng), y(rng)));
  return words;
}

inline core::Line LineOf(std::vector<core::Word> words, double confidence = 0.9) {
  core::Line line;
  for (const core::Word& w : words) line.box = line.box.Union(w.box);
  line.words = std::move(words);
  line.confidence = confidence;
  return line;
}

inline core::Line LineAt(const std::string& text, double x, double y, double h = kLineHeight,
                         double confidence = 0.9) {
  return LineOf(WordsAt(text, x, y, h, confidence), confidence);
}

// Lines of prose filling [x0, x1) from y, `leading` px apart; each word is tagged
// `tag` + line number + "_" + word number so tests can tell where a word came from.
inline std::vector<core::Line> ProseColumn(const std::string& tag, double x0, double x1, double y,
                                           int lines, double leading = 30) {
  std::vector<core::Line> out;
  for (int l = 0; l < lines; ++l) {
    std::vector<core::Word> words;
    double x = x0;
    for (int k = 0;; ++k) {
      // Tags are 5-8 characters, varying so that columns are not ruler-straight.
      std::string text = tag + std::to_string(l) + "_" + std::to_string(k);
      text.resize(5 + static_cast<std::size_t>((l * 7 + k * 3) % 4), 'x');
      core::Word w = MakeWord(text, x, y + leading * l);
      if (w.box.x1 > x1) break;
      words.push_back(w);
      x = w.box.x1 + kWordSpace;
    }
    out.push_back(LineOf(std::move(words)));
  }
  return out;
}

// Line texts of all blocks in reading order.
inline std::vector<std::string> LineTexts(const PageLayout& page) {
  std::vector<std::string> texts;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) texts.push_back(l.Text());
  }
  return texts;
}

// First characters of each word in reading order (the column tag of ProseColumn).
inline std::string TagSequence(const PageLayout& page) {
  std::string tags;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) {
      for (const core::Word& w : l.words) {
        if (tags.empty() || tags.back() != w.text[0]) tags += w.text[0];
      }
    }
  }
  return tags;
}

}  // namespace smartocr::layout::testing

#endif  // SMARTOCR_TESTS_UNIT_LAYOUT_LAYOUT_TEST_UTIL_H_
