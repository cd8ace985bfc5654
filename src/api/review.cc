#include "api/review.h"

#include <algorithm>

#include "extract/extract.h"
#include "extract/fields.h"

namespace smartocr::api {
namespace {

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

bool IsAmount(const std::string& name) {
  return Contains(name, "total") || Contains(name, "amount") || Contains(name, "tax") ||
         Contains(name, "subtotal");
}

void Revalidate(store::FieldRecord* f) {
  f->normalized = f->value;
  f->validator_status = "unchecked";
  f->confidence = 1.0;
  if (Contains(f->name, "date")) {
    auto date = extract::NormalizeDate(f->value);
    if (!date.ok()) {
      f->validator_status = "invalid";
      return;
    }
    f->normalized = date->iso;
    f->validator_status =
        extract::ValidityName(extract::ValidateDate(date->iso, extract::TodayUtc()).status);
  } else if (IsAmount(f->name)) {
    auto amount = extract::NormalizeAmount(f->value);
    f->normalized = amount.ok() ? amount->value : f->value;
    f->validator_status = amount.ok() ? "valid" : "invalid";
  } else if (Contains(f->name, "iban")) {
    f->validator_status = extract::ValidityName(extract::ValidateIban(f->value).status);
  }
}

std::optional<double> AmountOf(const std::vector<store::FieldRecord>& fields, const char* name) {
  for (const store::FieldRecord& f : fields) {
    if (f.name != name || f.validator_status == "invalid") continue;
    char* end = nullptr;
    double v = std::strtod(f.normalized.c_str(), &end);
    if (end != f.normalized.c_str() && *end == '\0') return v;
  }
  return std::nullopt;
}

}  // namespace

std::vector<store::FieldRecord> ApplyEdits(
    std::vector<store::FieldRecord> fields,
    const std::map<std::string, std::optional<std::string>>& edits) {
  for (const auto& edit : edits) {
    const std::string& name = edit.first;
    const std::optional<std::string>& value = edit.second;
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const store::FieldRecord& f) { return f.name == name; });
    if (!value) {
      if (it != fields.end()) fields.erase(it);
      continue;
    }
    if (it == fields.end()) {
      fields.push_back(store::FieldRecord{});
      it = fields.end() - 1;
      it->name = name;
    }
    it->value = *value;
    it->source_model = "review";
    Revalidate(&*it);
  }
  // The totals' arithmetic decides over the whole set once a reviewer touched it.
  extract::AmountSet set;
  set.subtotal = AmountOf(fields, "subtotal");
  set.tax = AmountOf(fields, "tax");
  set.total = AmountOf(fields, "total");
  if (set.total && (set.subtotal || set.tax)) {
    const extract::Validation v = extract::ValidateAmounts(set);
    for (store::FieldRecord& f : fields) {
      if (f.name == "total" && f.source_model == "review") {
        f.validator_status = extract::ValidityName(v.status);
      }
    }
  }
  return fields;
}

}  // namespace smartocr::api
