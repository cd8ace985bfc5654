#include "postprocess/postprocess.h"

#include "extract/fields.h"
#include "redact/redact.h"

namespace smartocr::postprocess {
namespace {

core::Status Bad(const std::string& key, const std::string& why) {
  return core::InvalidArgument("options", "options." + key + ": " + why);
}

}  // namespace

core::Result<PostprocessOptions> ParsePostprocessOptions(const nlohmann::json& options) {
  PostprocessOptions out;
  if (options.is_null()) return out;
  if (!options.is_object()) return Bad("", "options are not a JSON object");
  if (auto it = options.find("schema"); it != options.end()) {
    if (!it->is_string()) return Bad("schema", "not a string");
    out.schema = it->get<std::string>();
  }
  if (auto it = options.find("schema_def"); it != options.end()) {
    auto schema = extract::ParseSchema(*it);
    if (!schema.ok()) return Bad("schema_def", schema.status().message());
    out.custom_schema = std::make_shared<const extract::Schema>(std::move(*schema));
    if (out.schema.empty()) out.schema = out.custom_schema->name;
  }
  if (auto it = options.find("redact"); it != options.end()) {
    if (!it->is_array()) return Bad("redact", "not an array of kinds");
    std::string csv;
    for (const nlohmann::json& k : *it) {
      if (!k.is_string()) return Bad("redact", "not an array of kinds");
      csv += (csv.empty() ? "" : ",") + k.get<std::string>();
    }
    if (!csv.empty()) {
      auto kinds = redact::ParseKinds(csv);
      if (!kinds.ok()) return Bad("redact", kinds.status().message());
      out.redact = std::move(*kinds);
    }
  }
  if (auto it = options.find("review_threshold"); it != options.end()) {
    if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > 1) {
      return Bad("review_threshold", "not a number in (0, 1]");
    }
    out.review_threshold = it->get<double>();
  }
  return out;
}

void FlagFieldsForReview(core::DocumentResult& doc, double threshold) {
  doc.review_threshold = threshold;
  for (core::Field& f : doc.fields) {
    f.needs_review = f.confidence < threshold || f.validator_status == "invalid";
  }
}

core::Status Postprocess(core::DocumentResult& doc, const PostprocessOptions& options,
                         const extract::Date& today) {
  if (!options.schema.empty()) {
    extract::ExtractOptions extract_options;
    extract_options.schema = options.custom_schema ? "auto" : options.schema;
    extract_options.custom_schema = options.custom_schema;
    extract_options.today = today;
    SMARTOCR_RETURN_IF_ERROR(extract::ExtractFields(doc, extract_options));
  }
  if (options.review_threshold > 0) FlagFieldsForReview(doc, options.review_threshold);
  if (!options.redact.empty()) redact::RedactDocument(doc, {.kinds = options.redact});
  return core::Status::Ok();
}

}  // namespace smartocr::postprocess
