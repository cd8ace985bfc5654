// ID document fields from the machine-readable zone (ICAO 9303).
#include <algorithm>
#include <map>
#include <string>

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

  // The zone's box and per-line recognition confidence: the lines that hold '<' runs.
  // Every other line of that page is the visual zone, the names' witness.
  auto is_zone = [](const TextLine& l) {
    return std::count(l.text.begin(), l.text.end(), '<') >= 2;
  };
  core::BBox box;
  int page = 0;
  for (const TextLine& l : lines) {
    if (is_zone(l)) {
      page = l.page;
      break;
    }
  }
  mrz::MrzEvidence evidence;
  for (const TextLine& l : lines) {
    if (l.page != page) continue;
    if (!is_zone(l)) {
      evidence.viz_text.push_back(l.text);
      continue;
    }
    box = box.Union(l.box);
    evidence.line_confidence.push_back(l.confidence);
  }
  // Zone lines that do not map one to one onto the MRZ's: each line gets the worst.
  if (evidence.line_confidence.size() != parsed->lines.size()) {
    double worst =
        evidence.line_confidence.empty()
            ? 0
            : *std::min_element(evidence.line_confidence.begin(), evidence.line_confidence.end());
    evidence.line_confidence.assign(parsed->lines.size(), worst);
  }
  std::map<std::string, mrz::MrzFieldTrust> trust;
  for (mrz::MrzFieldTrust& t : mrz::AssessMrz(*parsed, evidence)) trust[t.name] = std::move(t);
  auto add = [&](const std::string& name, const std::string& value, const std::string& normalized,
                 const std::string& trusted_as) {
    if (value.empty()) return;
    core::Field f;
    f.name = name;
    f.value = value;
    f.normalized = normalized.empty() ? value : normalized;
    f.page = page;
    f.bbox = box;
    f.source = "mrz";
    auto t = trust.find(trusted_as);
    if (t != trust.end()) {
      f.validator_status = mrz::MrzTrustName(t->second.status);
      f.validator_detail = t->second.detail;
      f.confidence = t->second.confidence;
    }
    out.push_back(std::move(f));
  };
  std::string joined;
  for (const std::string& l : parsed->lines) joined += (joined.empty() ? "" : "\n") + l;
  add("mrz", joined, "", "mrz");
  // The layout follows from the document code's first letter and the lines' shape.
  add("mrz_type", mrz::MrzTypeName(parsed->type), "", "document_type");
  add("document_type", parsed->document_type, "", "document_type");
  add("issuing_country", parsed->issuing_country, "", "issuing_country");
  add("surname", parsed->surname, "", "surname");
  add("given_names", parsed->given_names, "", "given_names");
  add("document_number", parsed->document_number, "", "document_number");
  add("nationality", parsed->nationality, "", "nationality");
  add("birth_date", parsed->birth_date_raw, parsed->birth_date, "birth_date");
  add("sex", parsed->sex, "", "sex");
  add("expiry_date", parsed->expiry_date_raw, parsed->expiry_date, "expiry_date");
  add("personal_number", parsed->personal_number, "", "personal_number");
  return out;
}

}  // namespace smartocr::extract
