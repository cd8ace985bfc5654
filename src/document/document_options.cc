// DocumentOptions' one JSON codec: the API writes a job's options with it, the worker
// reads them back with it.
#include <algorithm>
#include <charconv>
#include <system_error>

#include "document/document.h"
#include "extract/lexicon.h"

namespace smartocr::document {
namespace {

core::Status Bad(const std::string& key, const std::string& why) {
  return core::InvalidArgument("options", "options." + key + ": " + why);
}

core::Status ReadRedact(const nlohmann::json& j, DocumentOptions& out) {
  if (!j.is_array()) return Bad("redact", "not an array of kinds");
  std::string csv;
  for (const nlohmann::json& k : j) {
    if (!k.is_string()) return Bad("redact", "not an array of kinds");
    csv += (csv.empty() ? "" : ",") + k.get<std::string>();
  }
  if (csv.empty()) return core::Status::Ok();
  auto kinds = redact::ParseKinds(csv);
  if (!kinds.ok()) return Bad("redact", kinds.status().message());
  out.redact = std::move(*kinds);
  return core::Status::Ok();
}

// `j` as one of `names`, into `out`; else options.<key> with `why`.
core::Status ReadName(const nlohmann::json& j, const std::string& key,
                      const std::vector<std::string>& names, const std::string& why,
                      std::string& out) {
  if (!j.is_string() ||
      std::find(names.begin(), names.end(), j.get<std::string>()) == names.end()) {
    return Bad(key, why);
  }
  out = j.get<std::string>();
  return core::Status::Ok();
}

// {"<page>": "<engine>", ...}: positive page numbers, engines EngineNames().
core::Status ReadPageEngines(const nlohmann::json& j, DocumentOptions& out) {
  if (!j.is_object()) return Bad("page_engines", "not an object of page -> engine");
  for (const auto& [key, value] : j.items()) {
    int page = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), page);
    if (ec != std::errc() || end != key.data() + key.size() || page < 1) {
      return Bad("page_engines", "'" + key + "' is not a page number");
    }
    SMARTOCR_RETURN_IF_ERROR(ReadName(value, "page_engines", EngineNames(),
                                      "not one of tesseract, ppocr, hybrid",
                                      out.page_engines[page]));
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<DocumentOptions> DocumentOptionsFromJson(const nlohmann::json& json) {
  DocumentOptions out;
  if (json.is_null()) return out;
  if (!json.is_object()) return Bad("", "options are not a JSON object");
  if (auto it = json.find("schema"); it != json.end()) {
    if (!it->is_string()) return Bad("schema", "not a string");
    out.schema = it->get<std::string>();
  }
  if (auto it = json.find("schema_def"); it != json.end()) {
    auto schema = extract::ParseSchema(*it);
    if (!schema.ok()) return Bad("schema_def", schema.status().message());
    out.custom_schema = std::make_shared<const extract::Schema>(std::move(*schema));
    if (out.schema.empty()) out.schema = out.custom_schema->name;
  }
  if (auto it = json.find("redact"); it != json.end()) {
    SMARTOCR_RETURN_IF_ERROR(ReadRedact(*it, out));
  }
  if (auto it = json.find("review_threshold"); it != json.end()) {
    if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > 1) {
      return Bad("review_threshold", "not a number in (0, 1]");
    }
    out.review_threshold = it->get<double>();
  }
  if (auto it = json.find("review_sample_percent"); it != json.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 100) {
      return Bad("review_sample_percent", "not a number in [0, 100]");
    }
    out.review_sample_percent = it->get<double>();
  }
  if (auto it = json.find("engine"); it != json.end()) {
    SMARTOCR_RETURN_IF_ERROR(
        ReadName(*it, "engine", EngineNames(), "not one of tesseract, ppocr, hybrid", out.engine));
  }
  if (auto it = json.find("page_engines"); it != json.end()) {
    SMARTOCR_RETURN_IF_ERROR(ReadPageEngines(*it, out));
  }
  if (auto it = json.find("extractor"); it != json.end()) {
    SMARTOCR_RETURN_IF_ERROR(
        ReadName(*it, "extractor", ExtractorNames(), "not rules or rules+lexicon", out.extractor));
    out.lexicon = out.extractor == "rules" ? extract::FieldLexicon::Empty()
                                           : extract::FieldLexicon::BuiltIn();
  }
  if (auto it = json.find("variant"); it != json.end()) {
    static const std::vector<std::string> kVariants = {"a", "b"};
    SMARTOCR_RETURN_IF_ERROR(ReadName(*it, "variant", kVariants, "not a or b", out.variant));
  }
  if (auto it = json.find("locale"); it != json.end()) {
    if (!it->is_string()) return Bad("locale", "not a string");
    out.locale = it->get<std::string>();
  }
  if (auto it = json.find("lang"); it != json.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Bad("lang", "not language codes joined by '+'");
    }
    out.lang = it->get<std::string>();
  }
  return out;
}

nlohmann::json DocumentOptionsToJson(const DocumentOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  if (!options.schema.empty()) out["schema"] = options.schema;
  if (options.custom_schema != nullptr) {
    out["schema_def"] = extract::SchemaToJson(*options.custom_schema);
  }
  if (!options.redact.empty()) out["redact"] = options.redact;
  if (options.review_threshold > 0) out["review_threshold"] = options.review_threshold;
  if (options.review_sample_percent > 0) {
    out["review_sample_percent"] = options.review_sample_percent;
  }
  if (!options.engine.empty()) out["engine"] = options.engine;
  for (const auto& [page, engine] : options.page_engines) {
    out["page_engines"][std::to_string(page)] = engine;
  }
  if (!options.variant.empty()) out["variant"] = options.variant;
  if (!options.extractor.empty()) out["extractor"] = options.extractor;
  if (!options.locale.empty()) out["locale"] = options.locale;
  if (!options.lang.empty()) out["lang"] = options.lang;
  return out;
}

}  // namespace smartocr::document
