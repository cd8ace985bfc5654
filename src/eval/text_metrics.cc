// Text metrics, counted as ../shared/tools/score.py counts them.
#include <algorithm>
#include <map>

#include "eval/eval.h"

namespace smartocr::eval {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// UTF-8 to code points; an invalid byte counts as one code point (as Python's
// "replace" decoding the scorers use turns it into one U+FFFD).
std::u32string CodePoints(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

template <typename Seq>
int64_t Levenshtein(const Seq& a, const Seq& b) {
  const Seq& longer = a.size() >= b.size() ? a : b;
  const Seq& shorter = a.size() >= b.size() ? b : a;
  std::vector<int64_t> prev(shorter.size() + 1), cur(shorter.size() + 1);
  for (size_t j = 0; j <= shorter.size(); ++j) prev[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= longer.size(); ++i) {
    cur[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= shorter.size(); ++j) {
      int64_t sub = prev[j - 1] + (longer[i - 1] == shorter[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[shorter.size()];
}

std::string SortedUpperTokens(const std::string& text) {
  std::vector<std::string> tokens = Tokens(Upper(text));
  std::sort(tokens.begin(), tokens.end());
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace

std::string Fold(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (char ch : text) {
    if (IsSpace(static_cast<unsigned char>(ch))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += ch;
  }
  return out;
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string folded = Fold(text);
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    out.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

EditCounts CharErrors(const std::string& ref, const std::string& hyp) {
  std::u32string r = CodePoints(Fold(ref));
  std::u32string h = CodePoints(Fold(hyp));
  return {Levenshtein(r, h), std::max<int64_t>(static_cast<int64_t>(r.size()), 1)};
}

EditCounts SortedTokenCharErrors(const std::string& ref, const std::string& hyp) {
  return CharErrors(SortedUpperTokens(ref), SortedUpperTokens(hyp));
}

EditCounts WordErrors(const std::string& ref, const std::string& hyp) {
  std::vector<std::string> r = Tokens(ref);
  std::vector<std::string> h = Tokens(hyp);
  return {Levenshtein(r, h), std::max<int64_t>(static_cast<int64_t>(r.size()), 1)};
}

double WordCounts::F1() const {
  double p = Precision(), r = Recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

WordCounts BagOfWords(const std::string& ref, const std::string& hyp) {
  std::map<std::string, int64_t> r, h;
  for (const std::string& t : Tokens(Upper(ref))) ++r[t];
  for (const std::string& t : Tokens(Upper(hyp))) ++h[t];
  WordCounts out;
  for (const auto& [token, n] : r) {
    out.ref += n;
    auto it = h.find(token);
    if (it != h.end()) out.matched += std::min(n, it->second);
  }
  for (const auto& [token, n] : h) out.hyp += n;
  return out;
}

}  // namespace smartocr::eval
