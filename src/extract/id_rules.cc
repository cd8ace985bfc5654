// ID document fields from the machine-readable zone (ICAO 9303).
#include <algorithm>

#include "extract/fields_internal.h"
#include "mrz/mrz.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

std::vector<core::Field> ExtractIdFields(const std::vector<TextLine>& lines,
                                         const ExtractOptions& options) {
  std::vector<core::Field> out;
  std::vector<std::string> texts;
  texts.reserve(lines.size());
  for (const TextLine& l : lines) texts.push_back(l.text);
  std::vector<std::string> mrz_lines = mrz::FindMrzLines(texts);
  if (mrz_lines.empty()) return out;
  mrz::MrzOptions mopt;
  // Two-digit years need a reference day: the caller's, else the clock's.
  mopt.today = IsValidDate(options.today) ? options.today : TodayUtc();
  auto parsed = mrz::ParseMrz(mrz_lines, mopt);
  if (!parsed.ok()) return out;

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
  Validation validation = ValidateMrz(*parsed);
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
  for (const std::string& l : parsed->lines) joined += (joined.empty() ? "" : "\n") + l;
  add("mrz", joined, "");
  add("mrz_type", mrz::MrzTypeName(parsed->type), "");
  add("document_type", parsed->document_type, "");
  add("issuing_country", parsed->issuing_country, "");
  add("surname", parsed->surname, "");
  add("given_names", parsed->given_names, "");
  add("document_number", parsed->document_number, "");
  add("nationality", parsed->nationality, "");
  add("birth_date", parsed->birth_date_raw, parsed->birth_date);
  add("sex", parsed->sex, "");
  add("expiry_date", parsed->expiry_date_raw, parsed->expiry_date);
  add("personal_number", parsed->personal_number, "");
  return out;
}

}  // namespace smartocr::extract
