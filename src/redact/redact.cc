// Redaction: words are matched three ways, because a sensitive value reaches the
// output through several routes: (1) patterns (e-mails, phones, IBANs) anywhere in the
// text, (2) the boxes of the redacted fields (the words a field came from), and (3) the
// values themselves wherever else they are printed (a passport prints the surname in
// the visual zone and in the MRZ; the field's box covers only one). A final pass
// scrubs the remaining strings (table cells, other fields, line items) of the same
// values, so nothing derived from a word keeps a copy.
#include "redact/redact.h"

#include <algorithm>
#include <optional>
#include <set>

#include "extract/extract.h"

namespace smartocr::redact {
namespace {

bool Has(const std::vector<std::string>& kinds, std::string_view kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Letters and digits only, upper-cased: "L898 902-C3" -> "L898902C3".
std::string Compact(std::string_view s) {
  std::string out;
  for (char c : Upper(s)) {
    if (IsAlnum(c)) out += c;
  }
  return out;
}

// The field names each kind covers.
std::vector<std::string> FieldNames(std::string_view kind) {
  if (kind == "mrz") return {"mrz"};
  if (kind == "document_number") return {"document_number", "personal_number"};
  if (kind == "iban") return {"iban"};
  if (kind == "email") return {"email"};
  if (kind == "phone") return {"phone"};
  if (kind == "names") return {"surname", "given_names"};
  return {};
}

// What is being removed: whole values (matched compacted, as substrings of a word's
// text) and their tokens (matched as whole words).
struct Secrets {
  std::set<std::string> compact_values;  // >= 4 characters
  std::set<std::string> tokens;          // upper-cased, >= 2 characters

  // `tokens`: also match the value's words on their own (names, numbers); not for the
  // MRZ, whose short chunks ("10") would hit unrelated words.
  void Add(const std::string& value, bool with_tokens) {
    std::string all = Compact(value);
    if (all.size() >= 4) compact_values.insert(all);
    if (!with_tokens) return;
    // Particles ("DE LA CRUZ") would take every "de" of the page: tokens of two
    // letters count only when they are the whole value (a surname "LI").
    if (all.size() >= 2 && all.size() < 4) tokens.insert(all);
    std::string token;
    for (char c : Upper(value) + " ") {
      if (IsAlnum(c)) {
        token += c;
      } else {
        if (token.size() >= 3) tokens.insert(token);
        token.clear();
      }
    }
  }

  bool Matches(std::string_view word) const {
    std::string c = Compact(word);
    if (c.empty()) return false;
    if (tokens.count(c) != 0) return true;
    for (const std::string& v : compact_values) {
      if (c.find(v) != std::string::npos) return true;
    }
    // An OCR word holding part of a long value ("P<UTOERIKSSON<<ANNA" of an MRZ line);
    // short parts only with MRZ fillers, so a year is not taken for a piece of one.
    bool mrz_like = word.find('<') != std::string_view::npos;
    if (c.size() >= 6 || (mrz_like && c.size() >= 3)) {
      for (const std::string& v : compact_values) {
        if (v.find(c) != std::string::npos) return true;
      }
    }
    return false;
  }
};

// Spans of `text` the pattern kinds match.
std::vector<std::pair<size_t, size_t>> PatternSpans(std::string_view text,
                                                    const std::vector<std::string>& kinds) {
  std::vector<std::pair<size_t, size_t>> spans;
  auto add = [&](const std::vector<extract::PatternMatch>& matches) {
    for (const extract::PatternMatch& m : matches) spans.emplace_back(m.begin, m.end);
  };
  if (Has(kinds, "email")) add(extract::FindEmails(text));
  if (Has(kinds, "phone")) add(extract::FindPhones(text));
  if (Has(kinds, "iban")) add(extract::FindIbans(text));
  return spans;
}

// `text` with every pattern match and every secret word replaced.
std::string Scrub(const std::string& text, const Secrets& secrets,
                  const std::vector<std::string>& kinds, const std::string& replacement) {
  std::vector<std::pair<size_t, size_t>> spans = PatternSpans(text, kinds);
  // Runs of non-space characters that hold a secret.
  for (size_t b = 0; b < text.size();) {
    while (b < text.size() && !IsAlnum(text[b]) && text[b] != '<') ++b;
    size_t e = b;
    while (e < text.size() && (IsAlnum(text[e]) || text[e] == '<')) ++e;
    if (e > b) {
      // Whole tokens and MRZ chunks: compare the run, and the run split at '<'.
      std::string_view run(text.data() + b, e - b);
      if (secrets.Matches(run)) {
        spans.emplace_back(b, e);
      } else {
        size_t tb = b;
        for (size_t i = b; i <= e; ++i) {
          if (i == e || text[i] == '<') {
            if (i > tb && secrets.Matches(std::string_view(text.data() + tb, i - tb))) {
              spans.emplace_back(tb, i);
            }
            tb = i + 1;
          }
        }
      }
    }
    b = e;
  }
  if (spans.empty()) return text;
  std::sort(spans.begin(), spans.end());
  std::string out;
  size_t at = 0;
  for (auto [b, e] : spans) {
    if (e <= at) continue;
    if (b < at) b = at;
    out.append(text, at, b - at);
    out += replacement;
    at = e;
  }
  out.append(text, at, std::string::npos);
  return out;
}

// A line that looks like part of a machine-readable zone, whether or not the MRZ
// parsed: OCR often loses a line or a check digit, and the zone must go all the same.
bool LooksLikeMrzLine(const core::Line& line) {
  int total = 0, mrz_chars = 0, fillers = 0;
  for (const core::Word& w : line.words) {
    for (char c : w.text) {
      ++total;
      bool upper = c >= 'A' && c <= 'Z';
      bool digit = c >= '0' && c <= '9';
      mrz_chars += (upper || digit || c == '<') ? 1 : 0;
      fillers += c == '<' ? 1 : 0;
    }
  }
  return total >= 25 && mrz_chars >= total * 9 / 10 && fillers >= 2;
}

}  // namespace

const std::vector<std::string>& KnownKinds() {
  static const std::vector<std::string> kKinds = {"mrz",   "document_number", "iban",
                                                  "email", "phone",           "names"};
  return kKinds;
}

core::Result<std::vector<std::string>> ParseKinds(std::string_view csv) {
  std::set<std::string> asked;
  size_t start = 0;
  while (start <= csv.size()) {
    size_t end = csv.find(',', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string kind(csv.substr(start, end - start));
    kind.erase(0, kind.find_first_not_of(' '));
    kind.erase(kind.find_last_not_of(' ') + 1);
    if (kind == "all") {
      asked.insert(KnownKinds().begin(), KnownKinds().end());
    } else if (Has(KnownKinds(), kind)) {
      asked.insert(kind);
    } else {
      return core::InvalidArgument(
          "redact", "unknown redaction kind '" + kind +
                        "' (mrz, document_number, iban, email, phone, names or all)");
    }
    start = end + 1;
  }
  std::vector<std::string> out;
  for (const std::string& k : KnownKinds()) {
    if (asked.count(k) != 0) out.push_back(k);
  }
  return out;
}

namespace {

// The values of the fields of `kinds` become secrets (matched wherever they are
// printed) and are replaced by `marker`; their boxes are returned.
std::vector<Region> RedactFields(core::DocumentResult& doc, const std::vector<std::string>& kinds,
                                 const std::string& marker, Secrets& secrets) {
  std::vector<Region> field_regions;
  std::vector<std::string> names;
  for (const std::string& kind : kinds) {
    for (const std::string& n : FieldNames(kind)) names.push_back(n);
  }
  for (core::Field& f : doc.fields) {
    if (std::find(names.begin(), names.end(), f.name) == names.end() || f.value.empty()) continue;
    bool tokens = f.name != "mrz";
    secrets.Add(f.value, tokens);
    if (f.normalized != f.value) secrets.Add(f.normalized, tokens);
    // The MRZ lines one by one, so each OCR line of the zone matches.
    size_t start = 0;
    while (f.name == "mrz" && start < f.value.size()) {
      size_t end = std::min(f.value.find('\n', start), f.value.size());
      secrets.Add(f.value.substr(start, end - start), false);
      start = end + 1;
    }
    if (f.page > 0 && !f.bbox.empty()) field_regions.push_back({f.page, f.bbox});
    f.value = f.normalized = marker;
  }
  return field_regions;
}

// The zone of MRZ-shaped lines of `page`, grown by a line pitch up and down: a zone
// line the OCR did not read at all (no word to match) still gets blacked out.
std::optional<Region> MrzZone(const core::PageResult& page) {
  core::BBox zone;
  int n = 0;
  double heights = 0;
  for (const core::Block& block : page.blocks) {
    for (const core::Line& line : block.lines) {
      if (!LooksLikeMrzLine(line)) continue;
      zone = zone.Union(line.box);
      heights += line.box.height();
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  double h = heights / n;
  // Baseline to baseline; a little more, as OCR boxes hug the glyphs.
  double grow = (n > 1 ? (zone.height() - h) / (n - 1) : 1.5 * h) + 0.3 * h;
  zone.y0 = std::max(0.0, zone.y0 - grow);
  zone.y1 = page.height > 0 ? std::min<double>(page.height, zone.y1 + grow) : zone.y1 + grow;
  return Region{page.number, zone};
}

// Replaces the words of `line` that are secrets, match a kind's pattern or lie in a
// field's region; their boxes go to `regions`.
void RedactLine(core::Line& line, int page, const std::vector<std::string>& kinds,
                const std::string& marker, const Secrets& secrets,
                const std::vector<Region>& field_regions, std::vector<Region>& regions) {
  std::string text = line.Text();
  std::vector<std::pair<size_t, size_t>> spans = PatternSpans(text, kinds);
  if (Has(kinds, "mrz") && LooksLikeMrzLine(line)) spans.emplace_back(0, text.size());
  size_t offset = 0;
  for (core::Word& w : line.words) {
    size_t w_end = offset + w.text.size();
    bool hit = std::any_of(spans.begin(), spans.end(),
                           [&](const auto& s) { return s.second > offset && s.first < w_end; });
    hit = hit || secrets.Matches(w.text);
    for (const Region& r : field_regions) {
      hit = hit || (r.page == page && w.box.CoveredBy(r.box) >= 0.5);
    }
    offset = w_end + 1;
    if (!hit || w.text == marker) continue;
    w.text = marker;
    regions.push_back({page, w.box});
  }
}

void RedactPage(core::PageResult& page, const std::vector<std::string>& kinds,
                const std::string& marker, const Secrets& secrets,
                const std::vector<Region>& field_regions, std::vector<Region>& regions) {
  double confidence = page.confidence;
  for (core::Block& block : page.blocks) {
    for (core::Line& line : block.lines) {
      RedactLine(line, page.number, kinds, marker, secrets, field_regions, regions);
    }
  }
  for (core::Table& table : page.tables) {
    for (auto& row : table.rows) {
      for (core::TableCell& cell : row) cell.text = Scrub(cell.text, secrets, kinds, marker);
    }
  }
  page.FinalizeTextAndConfidence();
  page.confidence = confidence;  // the words were read as well as before
  page.text = Scrub(page.text, secrets, kinds, marker);
}

// What is left of the secrets in other fields and in line items.
void ScrubFieldsAndItems(core::DocumentResult& doc, const std::vector<std::string>& kinds,
                         const std::string& marker, const Secrets& secrets) {
  for (core::Field& f : doc.fields) {
    f.value = Scrub(f.value, secrets, kinds, marker);
    f.normalized = Scrub(f.normalized, secrets, kinds, marker);
    f.validator_detail = Scrub(f.validator_detail, secrets, kinds, marker);
    f.corrected_from = Scrub(f.corrected_from, secrets, kinds, marker);
  }
  for (core::LineItem& item : doc.line_items) {
    for (std::string* s : {&item.description, &item.quantity, &item.unit_price, &item.amount}) {
      *s = Scrub(*s, secrets, kinds, marker);
    }
  }
}

}  // namespace

std::vector<Region> RedactDocument(core::DocumentResult& doc, const RedactOptions& options) {
  const std::vector<std::string>& kinds = options.kinds;
  const std::string& marker = options.replacement;
  Secrets secrets;
  std::vector<Region> field_regions = RedactFields(doc, kinds, marker, secrets);
  for (const core::PageResult& page : doc.pages) {
    if (!Has(kinds, "mrz")) break;
    if (std::optional<Region> zone = MrzZone(page)) field_regions.push_back(*zone);
  }
  std::vector<Region> regions;
  for (core::PageResult& page : doc.pages) {
    RedactPage(page, kinds, marker, secrets, field_regions, regions);
  }
  ScrubFieldsAndItems(doc, kinds, marker, secrets);
  // The field boxes too: a value OCR split oddly still gets covered in the image.
  for (const Region& r : field_regions) regions.push_back(r);
  doc.redacted_kinds = kinds;
  doc.redacted_regions = static_cast<int>(regions.size());
  doc.redacted_boxes.clear();
  for (const Region& r : regions) doc.redacted_boxes.push_back({r.page, r.box});
  return regions;
}

void BurnRegions(const core::PageResult& page, const std::vector<Region>& regions, cv::Mat& image) {
  if (image.empty() || page.width <= 0 || page.height <= 0) return;
  double sx = static_cast<double>(image.cols) / page.width;
  double sy = static_cast<double>(image.rows) / page.height;
  for (const Region& r : regions) {
    if (r.page != page.number || r.box.empty()) continue;
    int x0 = std::clamp(static_cast<int>(r.box.x0 * sx) - 1, 0, image.cols);
    int y0 = std::clamp(static_cast<int>(r.box.y0 * sy) - 1, 0, image.rows);
    int x1 = std::clamp(static_cast<int>(r.box.x1 * sx + 0.999) + 1, 0, image.cols);
    int y1 = std::clamp(static_cast<int>(r.box.y1 * sy + 0.999) + 1, 0, image.rows);
    if (x1 <= x0 || y1 <= y0) continue;
    cv::Mat roi = image(cv::Rect(x0, y0, x1 - x0, y1 - y0));
    // Opaque: the alpha channel of BGRA stays at full.
    double alpha = image.depth() == CV_16U ? 65535 : 255;
    roi.setTo(image.channels() == 4 ? cv::Scalar(0, 0, 0, alpha) : cv::Scalar::all(0));
  }
}

std::vector<Region> RecordedRegions(const core::DocumentResult& doc) {
  std::vector<Region> regions;
  for (const core::DocumentResult::RedactedBox& b : doc.redacted_boxes) {
    regions.push_back({b.page, b.box});
  }
  return regions;
}

}  // namespace smartocr::redact
