// ID document fields from the machine-readable zone (ICAO 9303).
#include <algorithm>

#include "extract/fields_internal.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

std::vector<core::Field> ExtractIdFields(const std::vector<TextLine>& lines,
                                         const ExtractOptions& options) {
  std::vector<core::Field> out;
  std::vector<std::string> texts;
  texts.reserve(lines.size());
  for (const TextLine& l : lines) texts.push_back(l.text);
  std::vector<std::string> mrz_lines = FindMrzLines(texts);
  if (mrz_lines.empty()) return out;
  MrzOptions mopt;
  mopt.today = options.today;
  if (!IsValidDate(mopt.today)) mopt.today = Date{2026, 1, 1};
  auto mrz = ParseMrz(mrz_lines, mopt);
  if (!mrz.ok()) return out;

  // The zone's box and recognition confidence: the lines that hold '<' runs.
  core::BBox box;
  int page = 0;
  double conf = 1;
  for (const TextLine& l : lines) {
    if (std::count(l.text.begin(), l.text.end(), '<') < 2) continue;
    if (page == 0) page = l.page;
    if (l.page != page) continue;
    box = box.Union(l.box);
    conf = std::min(conf, l.confidence);
  }
  Validation validation = ValidateMrz(*mrz);
  auto add = [&](const std::string& name, const std::string& value, const std::string& normalized) {
    if (value.empty()) return;
    core::Field f;
    f.name = name;
    f.value = value;
    f.normalized = normalized.empty() ? value : normalized;
    f.page = page;
    f.bbox = box;
    f.confidence = page ? conf : 0.5;
    f.source = "mrz";
    ApplyValidation(f, validation);
    out.push_back(std::move(f));
  };
  std::string joined;
  for (const std::string& l : mrz->lines) joined += (joined.empty() ? "" : "\n") + l;
  add("mrz", joined, "");
  add("mrz_type", MrzTypeName(mrz->type), "");
  add("document_type", mrz->document_type, "");
  add("issuing_country", mrz->issuing_country, "");
  add("surname", mrz->surname, "");
  add("given_names", mrz->given_names, "");
  add("document_number", mrz->document_number, "");
  add("nationality", mrz->nationality, "");
  add("birth_date", mrz->birth_date_raw, mrz->birth_date);
  add("sex", mrz->sex, "");
  add("expiry_date", mrz->expiry_date_raw, mrz->expiry_date);
  add("personal_number", mrz->personal_number, "");
  return out;
}

}  // namespace smartocr::extract
