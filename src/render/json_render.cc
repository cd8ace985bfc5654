// The JSON output (docs/output-schema.md). Every string is repaired to valid UTF-8 and
// every number made finite here, so the value can be dumped by any caller without
// nlohmann throwing, and the same document always gives the same bytes.
//
// The document is built once as a template over the json type: ToJson returns a plain
// nlohmann::json (its keys sort alphabetically), RenderJson prints an ordered_json so
// the file reads in schema order, with number arrays such as boxes on one line.
#include <algorithm>
#include <string>

#include "render/render.h"
#include "render/render_internal.h"

namespace smartocr::render {

namespace {

using nlohmann::ordered_json;

constexpr int kBoxDecimals = 4;
constexpr int kConfidenceDecimals = 4;
constexpr int kMillisDecimals = 3;
constexpr int kAngleDecimals = 3;
constexpr int kDpiDecimals = 2;  // a TIFF rational may be 299.9994
constexpr int kValueDecimals = 4;

// Page size used to normalize boxes.
struct PageSize {
  double width = 0;
  double height = 0;
};

double Unit(double pixels, double extent) {
  if (!(extent > 0)) {
    return 0;
  }
  double v = internal::FiniteOrZero(pixels / extent);
  return internal::RoundTo(std::clamp(v, 0.0, 1.0), kBoxDecimals);
}

double Confidence(double value) {
  return internal::RoundTo(std::clamp(internal::FiniteOrZero(value), 0.0, 1.0),
                           kConfidenceDecimals);
}

std::string Str(const std::string& text) { return internal::SanitizeUtf8(text); }

template <typename Json>
class DocumentBuilder {
 public:
  static Json Document(const core::DocumentResult& doc) {
    Json pages = Json::array();
    for (const core::PageResult& p : doc.pages) {
      pages.push_back(Page(p));
    }
    Json out = {{"schema_version", "1"},
                {"input", Str(doc.input)},
                {"engine", {{"name", Str(doc.engine.name)}, {"version", Str(doc.engine.version)}}},
                {"page_count", doc.page_count}};
    if (doc.extracted) {
      out["doc_type"] = Str(doc.doc_type);
      out["doc_type_confidence"] = Confidence(doc.doc_type_confidence);
      if (!doc.extractor_version.empty()) out["extractor_version"] = Str(doc.extractor_version);
      Json fields = Json::array();
      int needing_review = 0;
      for (const core::Field& f : doc.fields) {
        Json field = Field(f, SizeOfPage(doc, f.page));
        if (doc.review_threshold > 0) {
          field["needs_review"] = f.needs_review;
          needing_review += f.needs_review ? 1 : 0;
        }
        fields.push_back(std::move(field));
      }
      out["fields"] = std::move(fields);
      if (doc.review_threshold > 0) {
        out["review"] = {{"threshold", Confidence(doc.review_threshold)},
                         {"fields_needing_review", needing_review}};
      }
      Json items = Json::array();
      for (const core::LineItem& item : doc.line_items) {
        items.push_back(Item(item, SizeOfPage(doc, item.page)));
      }
      out["line_items"] = std::move(items);
    }
    if (!doc.redacted_kinds.empty()) {
      Json kinds = Json::array();
      for (const std::string& k : doc.redacted_kinds) kinds.push_back(Str(k));
      Json boxes = Json::array();
      for (const core::DocumentResult::RedactedBox& b : doc.redacted_boxes) {
        boxes.push_back({{"page", b.page}, {"bbox", Box(b.box, SizeOfPage(doc, b.page))}});
      }
      out["redaction"] = {
          {"kinds", std::move(kinds)}, {"regions", doc.redacted_regions}, {"boxes", boxes}};
    }
    if (!doc.warnings.empty()) {
      Json warnings = Json::array();
      for (const std::string& w : doc.warnings) warnings.push_back(Str(w));
      out["warnings"] = std::move(warnings);
    }
    out["pages"] = std::move(pages);
    out["timings_ms"] = Timings(doc.timings_ms);
    return out;
  }

  // The size of page `number` (1-based) of `doc`, zero when absent.
  static PageSize SizeOfPage(const core::DocumentResult& doc, int number) {
    for (const core::PageResult& p : doc.pages) {
      if (p.number == number) {
        return {static_cast<double>(p.width), static_cast<double>(p.height)};
      }
    }
    return {0, 0};
  }

  static Json Box(const core::BBox& box, PageSize size) {
    return Json::array({Unit(box.x0, size.width), Unit(box.y0, size.height),
                        Unit(box.x1, size.width), Unit(box.y1, size.height)});
  }

  static Json Timings(const std::map<std::string, double>& timings) {
    Json out = Json::object();
    for (const auto& [stage, ms] : timings) {
      out[Str(stage)] = internal::RoundTo(ms, kMillisDecimals);
    }
    return out;
  }

  static Json Field(const core::Field& f, PageSize size) {
    Json out = {{"name", Str(f.name)},
                {"value", Str(f.value)},
                {"normalized", Str(f.normalized)},
                {"confidence", Confidence(f.confidence)},
                {"validator_status", Str(f.validator_status)},
                {"validator_detail", Str(f.validator_detail)},
                {"page", f.page},
                {"bbox", Box(f.bbox, size)},
                {"source", Str(f.source)},
                {"engine_version", Str(f.engine_version)}};
    if (!f.corrected_from.empty()) out["corrected_from"] = Str(f.corrected_from);
    return out;
  }

  static Json Item(const core::LineItem& item, PageSize size) {
    return {{"description", Str(item.description)},
            {"quantity", Str(item.quantity)},
            {"unit_price", Str(item.unit_price)},
            {"amount", Str(item.amount)},
            {"page", item.page},
            {"bbox", Box(item.bbox, size)}};
  }

  static Json Word(const core::Word& word, PageSize size) {
    return {{"text", Str(word.text)},
            {"bbox", Box(word.box, size)},
            {"confidence", Confidence(word.confidence)}};
  }

  static Json Line(const core::Line& line, PageSize size) {
    Json words = Json::array();
    for (const core::Word& w : line.words) {
      words.push_back(Word(w, size));
    }
    return {{"bbox", Box(line.box, size)},
            {"text", Str(line.Text())},
            {"confidence", Confidence(line.confidence)},
            {"words", std::move(words)}};
  }

  static Json Block(const core::Block& block, PageSize size) {
    Json lines = Json::array();
    for (const core::Line& l : block.lines) {
      lines.push_back(Line(l, size));
    }
    return {{"type", core::BlockTypeName(block.type)},
            {"bbox", Box(block.box, size)},
            {"confidence", Confidence(block.confidence)},
            {"reading_order", block.reading_order},
            {"lines", std::move(lines)}};
  }

  static Json Table(const core::Table& table, PageSize size) {
    Json rows = Json::array();
    for (const auto& row : table.rows) {
      Json cells = Json::array();
      for (const core::TableCell& cell : row) {
        cells.push_back({{"bbox", Box(cell.box, size)}, {"text", Str(cell.text)}});
      }
      rows.push_back(std::move(cells));
    }
    return {{"bbox", Box(table.box, size)}, {"rows", std::move(rows)}};
  }

  static Json Step(const core::StepReport& step) {
    return {{"step", Str(step.name)},
            {"applied", step.applied},
            {"value", internal::RoundTo(step.value, kValueDecimals)},
            {"detail", Str(step.detail)}};
  }

  static Json Page(const core::PageResult& page) {
    PageSize size{static_cast<double>(page.width), static_cast<double>(page.height)};
    Json preprocess = Json::array();
    for (const core::StepReport& s : page.preprocess) {
      preprocess.push_back(Step(s));
    }
    Json blocks = Json::array();
    for (const core::Block* b : internal::BlocksInReadingOrder(page)) {
      blocks.push_back(Block(*b, size));
    }
    Json tables = Json::array();
    for (const core::Table& t : page.tables) {
      tables.push_back(Table(t, size));
    }
    return {{"number", page.number},
            {"width", page.width},
            {"height", page.height},
            {"rotation", page.rotation},
            {"skew_deg", internal::RoundTo(page.skew_deg, kAngleDecimals)},
            {"dpi", internal::RoundTo(page.dpi, kDpiDecimals)},
            {"dpi_source", core::DpiSourceName(page.dpi_source)},
            {"language", Str(page.language)},
            {"language_confidence", Confidence(page.language_confidence)},
            {"source", core::PageSourceName(page.source)},
            {"text", Str(internal::PageText(page))},
            {"confidence", Confidence(page.confidence)},
            {"preprocess", std::move(preprocess)},
            {"blocks", std::move(blocks)},
            {"tables", std::move(tables)},
            {"timings_ms", Timings(page.timings_ms)}};
  }
};

// One scalar as JSON text. Strings are already valid UTF-8; `replace` is a second
// guard so printing can never throw.
std::string Scalar(const ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace);
}

// Like dump(2), but an array of numbers (a bbox) stays on one line.
void PrettyPrint(const ordered_json& value, int indent, std::string& out) {
  bool is_array = value.is_array();
  if (!value.is_structured()) {
    out += Scalar(value);
    return;
  }
  if (value.empty()) {
    out += is_array ? "[]" : "{}";
    return;
  }
  if (is_array && std::all_of(value.begin(), value.end(),
                              [](const ordered_json& v) { return v.is_number(); })) {
    out += '[';
    for (size_t i = 0; i < value.size(); ++i) {
      out += (i ? ", " : "") + Scalar(value[i]);
    }
    out += ']';
    return;
  }
  out += is_array ? "[\n" : "{\n";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) {
      out += ",\n";
    }
    first = false;
    out.append(indent + 2, ' ');
    if (!is_array) {
      out += Scalar(it.key()) + ": ";
    }
    PrettyPrint(it.value(), indent + 2, out);
  }
  out += '\n';
  out.append(indent, ' ');
  out += is_array ? ']' : '}';
}

}  // namespace

nlohmann::json ToJson(const core::DocumentResult& doc) {
  return DocumentBuilder<nlohmann::json>::Document(doc);
}

nlohmann::json PageToJson(const core::PageResult& page) {
  return DocumentBuilder<nlohmann::json>::Page(page);
}

nlohmann::json FieldToJson(const core::DocumentResult& doc, const core::Field& field) {
  using Builder = DocumentBuilder<nlohmann::json>;
  return Builder::Field(field, Builder::SizeOfPage(doc, field.page));
}

std::string RenderJson(const core::DocumentResult& doc) {
  std::string out;
  PrettyPrint(DocumentBuilder<ordered_json>::Document(doc), 0, out);
  return out + "\n";
}

}  // namespace smartocr::render
