// Accumulates per-document scores into corpus figures and prints them.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "eval/eval.h"

namespace smartocr::eval {
namespace {

std::string PageText(const nlohmann::json& result) {
  std::string text;
  if (!result.contains("pages") || !result["pages"].is_array()) return text;
  for (const auto& page : result["pages"]) {
    if (!page.contains("text") || !page["text"].is_string()) continue;
    if (!text.empty()) text += '\n';
    text += page["text"].get<std::string>();
  }
  return text;
}

// The first field named `name` in the result's "fields" array (as the scorers do).
const nlohmann::json* FindField(const nlohmann::json& result, const std::string& name) {
  if (!result.contains("fields") || !result["fields"].is_array()) return nullptr;
  for (const auto& f : result["fields"]) {
    if (f.is_object() && f.value("name", "") == name) return &f;
  }
  return nullptr;
}

std::string StringOf(const nlohmann::json& f, const char* key) {
  if (!f.contains(key) || f[key].is_null()) return "";
  return f[key].is_string() ? f[key].get<std::string>() : f[key].dump();
}

double Round4(double v) { return std::round(v * 10000) / 10000; }

nlohmann::json FieldJson(const FieldScore& s) {
  double p = s.hyp ? static_cast<double>(s.hits) / s.hyp : 0;
  double r = s.ref ? static_cast<double>(s.hits) / s.ref : 0;
  double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  return {{"precision", Round4(p)}, {"recall", Round4(r)}, {"f1", Round4(f1)},
          {"hits", s.hits},         {"ref", s.ref},        {"hyp", s.hyp}};
}

std::string Num(const nlohmann::json& j, const std::vector<std::string>& path) {
  const nlohmann::json* cur = &j;
  for (const std::string& k : path) {
    if (!cur->is_object() || !cur->contains(k)) return "-";
    cur = &(*cur)[k];
  }
  if (cur->is_number()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", cur->get<double>());
    return buf;
  }
  return cur->is_string() ? cur->get<std::string>() : cur->dump();
}

}  // namespace

Report::Report(std::string dataset, std::string engine_version, nlohmann::json settings)
    : dataset_(std::move(dataset)),
      engine_version_(std::move(engine_version)),
      settings_(std::move(settings)) {}

void Report::Add(const Dataset& dataset, const Sample& sample, const nlohmann::json& result,
                 double seconds) {
  DocumentOutcome doc;
  doc.stem = sample.stem;
  doc.seconds = seconds;
  seconds_ += seconds;
  if (sample.ref_text) {
    has_text_ = true;
    std::string hyp = PageText(result);
    doc.words = BagOfWords(*sample.ref_text, hyp);
    bool sorted = dataset.text_metric == TextMetric::kSortedTokens;
    doc.chars =
        sorted ? SortedTokenCharErrors(*sample.ref_text, hyp) : CharErrors(*sample.ref_text, hyp);
    doc.word_edits = WordErrors(*sample.ref_text, hyp);
    words_ += doc.words;
    chars_ += doc.chars;
    word_edits_ += doc.word_edits;
  }
  for (const auto& [name, label] : sample.fields) {
    if (Fold(label.value).empty()) continue;
    FieldScore& score = fields_[name];
    ++score.ref;
    const nlohmann::json* f = FindField(result, name);
    std::string value = f ? StringOf(*f, "value") : "";
    bool hit = false;
    if (!Fold(value).empty()) {
      ++score.hyp;
      hit = FieldMatches(label.kind, label.value, value, StringOf(*f, "normalized"));
      score.hits += hit ? 1 : 0;
    }
    doc.field_hits[name] = hit;
  }
  if (!sample.mrz_lines.empty()) {
    const nlohmann::json* f = FindField(result, "mrz");
    std::vector<std::string> got;
    std::istringstream in(f ? StringOf(*f, "value") : "");
    std::string line;
    while (std::getline(in, line)) {
      line = Fold(line);
      if (!line.empty()) got.push_back(line);
    }
    doc.mrz_exact = got == sample.mrz_lines;
    ++mrz_total_;
    mrz_exact_ += *doc.mrz_exact ? 1 : 0;
    const std::string status = f != nullptr ? StringOf(*f, "validator_status") : "";
    if (sample.mrz_printed_valid) {
      // Checks pass: "valid", or passing but unconfirmed (mrz::AssessMrz).
      doc.mrz_checks_pass = status == "valid" || status == "checks_pass_unconfirmed";
      ++mrz_printed_valid_;
      mrz_checks_pass_ += *doc.mrz_checks_pass ? 1 : 0;
    }
    doc.mrz_valid = status == "valid";
    mrz_valid_ += *doc.mrz_valid ? 1 : 0;
    mrz_false_valid_ += *doc.mrz_valid && !*doc.mrz_exact ? 1 : 0;
    if (*doc.mrz_valid && !*doc.mrz_exact) doc.mrz_false_valid.push_back("mrz");
    for (const auto& [name, truth] : sample.mrz_truth) {
      const nlohmann::json* field = FindField(result, name);
      if (field == nullptr || StringOf(*field, "validator_status") != "valid") continue;
      auto& [claims, wrong] = mrz_field_valid_[name];
      ++claims;
      if (StringOf(*field, "value") != truth) {
        ++wrong;
        doc.mrz_false_valid.push_back(name);
      }
    }
  }
  documents_.push_back(std::move(doc));
}

void Report::AddFailure(const Sample& sample, const core::Status& status, const Dataset& dataset) {
  // Scored as an empty result: a document we could not read counts against us.
  Add(dataset, sample, nlohmann::json::object(), 0);
  documents_.back().failed = true;
  documents_.back().error = status.ToString();
}

nlohmann::json Report::ToJson() const {
  nlohmann::json j;
  j["dataset"] = dataset_;
  j["engine_version"] = engine_version_;
  j["settings"] = settings_;
  j["documents"] = documents_.size();
  int failed = 0;
  for (const auto& d : documents_) failed += d.failed ? 1 : 0;
  j["failed"] = failed;
  j["seconds_per_document"] =
      documents_.empty() ? 0.0 : Round4(seconds_ / static_cast<double>(documents_.size()));
  j["cpu_seconds_per_document"] =
      documents_.empty() ? 0.0 : Round4(cpu_seconds_ / static_cast<double>(documents_.size()));
  if (has_text_) {
    j["text"] = {{"word_f1", Round4(words_.F1())},
                 {"word_precision", Round4(words_.Precision())},
                 {"word_recall", Round4(words_.Recall())},
                 {"cer", Round4(chars_.Rate())},
                 {"wer", Round4(word_edits_.Rate())}};
  }
  if (!fields_.empty()) {
    FieldScore micro;
    nlohmann::json per = nlohmann::json::object();
    for (const auto& [name, s] : fields_) {
      per[name] = FieldJson(s);
      micro.hits += s.hits;
      micro.ref += s.ref;
      micro.hyp += s.hyp;
    }
    j["fields"] = per;
    j["fields_micro"] = FieldJson(micro);
  }
  if (mrz_total_ > 0) {
    j["mrz_exact"] = {{"exact", mrz_exact_}, {"total", mrz_total_}};
    j["mrz_checks_pass"] = {{"pass", mrz_checks_pass_}, {"total", mrz_printed_valid_}};
    j["mrz_valid"] = {
        {"valid", mrz_valid_}, {"false_valid", mrz_false_valid_}, {"total", mrz_total_}};
    nlohmann::json per = nlohmann::json::object();
    for (const auto& [name, counts] : mrz_field_valid_) {
      per[name] = {{"valid", counts.first}, {"false_valid", counts.second}};
    }
    j["mrz_field_valid"] = per;
  }
  nlohmann::json docs = nlohmann::json::array();
  for (const auto& d : documents_) {
    nlohmann::json dj = {{"stem", d.stem}, {"seconds", Round4(d.seconds)}};
    if (d.failed) dj["error"] = d.error;
    if (d.words.ref > 0) {
      dj["word_f1"] = Round4(d.words.F1());
      dj["cer"] = Round4(d.chars.Rate());
    }
    nlohmann::json missed = nlohmann::json::array();
    for (const auto& [name, hit] : d.field_hits) {
      if (!hit) missed.push_back(name);
    }
    if (!d.field_hits.empty()) dj["fields_missed"] = missed;
    if (d.mrz_exact) dj["mrz_exact"] = *d.mrz_exact;
    if (d.mrz_checks_pass) dj["mrz_checks_pass"] = *d.mrz_checks_pass;
    if (d.mrz_valid) dj["mrz_valid"] = *d.mrz_valid;
    if (!d.mrz_false_valid.empty()) dj["mrz_false_valid"] = d.mrz_false_valid;
    docs.push_back(dj);
  }
  j["per_document"] = docs;
  return j;
}

std::string Report::ToText(const nlohmann::json* baseline) const {
  nlohmann::json now = ToJson();
  std::ostringstream out;
  char line[256];
  auto row = [&](const std::string& label, const std::vector<std::string>& path) {
    std::snprintf(line, sizeof line, "%-28s %12s", label.c_str(), Num(now, path).c_str());
    out << line;
    if (baseline) {
      std::snprintf(line, sizeof line, " %12s", Num(*baseline, path).c_str());
      out << line;
    }
    out << "\n";
  };
  out << "dataset " << dataset_ << ", " << now["documents"] << " documents (" << now["failed"]
      << " failed), engine " << engine_version_ << "\n";
  if (baseline) {
    std::snprintf(line, sizeof line, "%-28s %12s %12s\n", "", "this run", "baseline");
    out << line;
    out << "baseline engine " << Num(*baseline, {"engine_version"}) << "\n";
  }
  if (has_text_) {
    row("text word F1", {"text", "word_f1"});
    row("text CER", {"text", "cer"});
    row("text WER", {"text", "wer"});
  }
  for (const auto& [name, s] : fields_) {
    row("field " + name + " F1", {"fields", name, "f1"});
    (void)s;
  }
  if (!fields_.empty()) row("fields micro F1", {"fields_micro", "f1"});
  if (mrz_total_ > 0) {
    std::snprintf(line, sizeof line, "%-28s %9d/%d\n", "mrz exact", mrz_exact_, mrz_total_);
    out << line;
    // Of the documents whose printed check digits are valid.
    std::snprintf(line, sizeof line, "%-28s %9d/%d\n", "mrz all checks pass", mrz_checks_pass_,
                  mrz_printed_valid_);
    out << line;
    std::snprintf(line, sizeof line, "%-28s %9d/%d\n", "mrz valid", mrz_valid_, mrz_total_);
    out << line;
    // A "valid" MRZ or field with a wrong value: must stay 0.
    int wrong_fields = 0, field_claims = 0;
    std::string which;
    for (const auto& [name, counts] : mrz_field_valid_) {
      field_claims += counts.first;
      wrong_fields += counts.second;
      if (counts.second > 0) which += " " + name + ":" + std::to_string(counts.second);
    }
    std::snprintf(line, sizeof line, "%-28s %9d/%d\n", "mrz false valid", mrz_false_valid_,
                  mrz_valid_);
    out << line;
    std::snprintf(line, sizeof line, "%-28s %9d/%d", "mrz fields false valid", wrong_fields,
                  field_claims);
    out << line << which << "\n";
  }
  row("seconds per document", {"seconds_per_document"});
  row("cpu seconds per document", {"cpu_seconds_per_document"});
  int shown = 0;
  for (const auto& d : documents_) {
    if (!d.failed) continue;
    if (shown++ == 0) out << "failed documents:\n";
    out << "  " << d.stem << ": " << d.error << "\n";
  }
  return out.str();
}

}  // namespace smartocr::eval
