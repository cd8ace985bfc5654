// Field lexicon: parsing, and the nearest known value (see lexicon.h).
#include "extract/lexicon.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "extract/builtin_receipt_lexicon.h"

namespace smartocr::extract {
namespace {

constexpr std::string_view kFormat = "smartocr-field-lexicon/1";

// Levenshtein distance of a and b, or max_d + 1 once it must exceed max_d (the
// rows' minimum only grows).
int BoundedLevenshtein(std::string_view a, std::string_view b, int max_d) {
  const auto len_gap = static_cast<int>(a.size()) - static_cast<int>(b.size());
  if (std::abs(len_gap) > max_d) return max_d + 1;
  std::vector<int> prev(b.size() + 1);
  std::vector<int> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_d) return max_d + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// FNV-1a over the file's bytes: tells two builds of one version apart.
std::string ShortHash(std::string_view bytes) {
  uint32_t h = 2166136261u;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

core::Status FormatError(const std::string& what) {
  return core::CorruptInput("lexicon_format", "field lexicon: " + what);
}

core::Result<FieldLexicon::FieldEntries> ParseField(const std::string& name,
                                                    const nlohmann::json& j) {
  FieldLexicon::FieldEntries out;
  if (!j.is_object() || !j.contains("values") || !j["values"].is_array()) {
    return FormatError("field \"" + name + "\" needs a \"values\" array");
  }
  const auto ratio = j.value("max_distance_ratio", -1.0);
  const auto confidence = j.value("confidence", -1.0);
  if (!(ratio >= 0 && ratio <= 1) || !(confidence >= 0 && confidence <= 1)) {
    return FormatError("field \"" + name + "\" needs max_distance_ratio and confidence in [0, 1]");
  }
  out.max_distance_ratio = ratio;
  out.confidence = confidence;
  for (const nlohmann::json& v : j["values"]) {
    if (!v.is_object() || !v.contains("text") || !v["text"].is_string() || !v.contains("count") ||
        !v["count"].is_number_integer() || v["count"].get<int>() < 1) {
      return FormatError("field \"" + name + "\": each value needs a text and a count >= 1");
    }
    std::string text = FoldForLexicon(v["text"].get<std::string>());
    if (!text.empty()) out.values.push_back({std::move(text), v["count"].get<int>()});
  }
  return out;
}

}  // namespace

std::string FoldForLexicon(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

core::Result<std::shared_ptr<const FieldLexicon>> FieldLexicon::Parse(std::string_view json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return FormatError("not JSON");
  // Compared as JSON: a "format" that is not a string is another format, not a throw.
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    return FormatError("\"format\" must be \"" + std::string(kFormat) + "\"");
  }
  if (!j.contains("version") || !j["version"].is_string() || !j.contains("fields") ||
      !j["fields"].is_object()) {
    return FormatError("needs a \"version\" string and a \"fields\" object");
  }
  auto lexicon = std::make_shared<FieldLexicon>();
  for (const auto& [name, entries] : j["fields"].items()) {
    auto field = ParseField(name, entries);
    if (!field.ok()) return field.status();
    lexicon->fields_.emplace(name, std::move(*field));
  }
  lexicon->version_ = j["version"].get<std::string>() + " #" + ShortHash(json_text);
  return std::shared_ptr<const FieldLexicon>(std::move(lexicon));
}

core::Result<std::shared_ptr<const FieldLexicon>> FieldLexicon::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("lexicon_missing", "field lexicon: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

std::shared_ptr<const FieldLexicon> FieldLexicon::BuiltIn() {
  // Built from a committed file; a test parses it, so failing here is a broken build.
  static const std::shared_ptr<const FieldLexicon> builtin = [] {
    auto parsed =
        Parse(std::string_view(kBuiltinReceiptLexicon, sizeof(kBuiltinReceiptLexicon) - 1));
    return parsed.ok() ? *parsed : Empty();
  }();
  return builtin;
}

std::shared_ptr<const FieldLexicon> FieldLexicon::Empty() {
  static const std::shared_ptr<const FieldLexicon> empty = std::make_shared<FieldLexicon>();
  return empty;
}

std::optional<FieldLexicon::Match> FieldLexicon::Nearest(std::string_view field,
                                                         std::string_view read) const {
  auto it = fields_.find(field);
  if (it == fields_.end()) return std::nullopt;
  const FieldEntries& entries = it->second;
  const std::string value = FoldForLexicon(read);
  if (value.empty()) return std::nullopt;
  const int max_d =
      static_cast<int>(std::floor(entries.max_distance_ratio * static_cast<double>(value.size())));
  const Entry* best = nullptr;
  int best_d = max_d + 1;
  bool tied = false;
  for (const Entry& e : entries.values) {
    int d = BoundedLevenshtein(value, e.text, max_d);
    if (d > max_d) continue;
    if (best == nullptr || d < best_d || (d == best_d && e.count > best->count)) {
      best = &e;
      best_d = d;
      tied = false;
    } else if (d == best_d && e.count == best->count) {
      tied = true;
    }
  }
  if (best == nullptr || tied || best_d == 0) return std::nullopt;
  return Match{best->text, best_d, entries.confidence};
}

}  // namespace smartocr::extract
