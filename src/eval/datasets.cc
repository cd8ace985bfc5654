// Readers for the labelled folders in ../shared/data (each folder's README gives the
// format) and for FUNSD's published layout (images/ + annotations/).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "eval/eval.h"
#include "eval/labelled_document.h"

namespace smartocr::eval {
namespace {

namespace fs = std::filesystem;

core::Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("no_such_file", "cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

core::Result<nlohmann::json> ReadJson(const fs::path& path) {
  auto text = ReadText(path);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return core::CorruptInput("label_json", "not valid JSON: " + path.string());
  }
  return j;
}

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

// Files directly in `dir` with one of `exts` (lower-case, with dot), sorted.
std::vector<fs::path> FilesIn(const fs::path& dir, const std::vector<std::string>& exts) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string> kImageExts = {".jpg", ".jpeg", ".png", ".tif", ".tiff"};

core::Status LoadSroie(const fs::path& dir, Dataset& ds) {
  ds.text_metric = TextMetric::kSortedTokens;
  ds.schema = "receipt";
  for (const fs::path& img : FilesIn(dir / "img", kImageExts)) {
    Sample s;
    s.stem = img.stem().string();
    s.input = img.string();
    if (auto box = ReadText(dir / "box" / (s.stem + ".csv")); box.ok()) {
      std::string text;
      std::istringstream lines(*box);
      std::string row;
      while (std::getline(lines, row)) {
        if (!row.empty() && row.back() == '\r') row.pop_back();
        size_t pos = 0;
        int commas = 0;
        while (commas < 8 && (pos = row.find(',', pos)) != std::string::npos) {
          ++pos;
          ++commas;
        }
        if (commas < 8) continue;
        if (!text.empty()) text += '\n';
        text += row.substr(pos);
      }
      s.ref_text = text;
    }
    if (auto key = ReadJson(dir / "key" / (s.stem + ".json")); key.ok()) {
      s.fields["company"] = {FieldKind::kText, Str(*key, "company")};
      s.fields["address"] = {FieldKind::kText, Str(*key, "address")};
      s.fields["date"] = {FieldKind::kDate, Str(*key, "date")};
      s.fields["total"] = {FieldKind::kAmount, Str(*key, "total")};
    } else if (key.status().code() == core::StatusCode::kCorruptInput) {
      return key.status();
    }
    if (!s.ref_text && s.fields.empty()) continue;  // an image without labels
    ds.samples.push_back(std::move(s));
  }
  return core::Status::Ok();
}

core::Status LoadFullText(const fs::path& dir, Dataset& ds) {
  ds.text_metric = TextMetric::kReadingOrder;
  for (const fs::path& img : FilesIn(dir / "img", kImageExts)) {
    Sample s;
    s.stem = img.stem().string();
    s.input = img.string();
    auto gt = ReadText(dir / "gt" / (s.stem + ".txt"));
    if (!gt.ok()) continue;  // an image without labels
    s.ref_text = *gt;
    ds.samples.push_back(std::move(s));
  }
  return core::Status::Ok();
}

core::Status LoadFunsd(const fs::path& dir, Dataset& ds) {
  ds.text_metric = TextMetric::kSortedTokens;
  for (const fs::path& img : FilesIn(dir / "images", kImageExts)) {
    Sample s;
    s.stem = img.stem().string();
    s.input = img.string();
    auto ann = ReadJson(dir / "annotations" / (s.stem + ".json"));
    if (!ann.ok() && ann.status().code() == core::StatusCode::kCorruptInput) return ann.status();
    if (ann.ok() && (*ann).contains("form") && (*ann)["form"].is_array()) {
      std::string text;
      for (const auto& entity : (*ann)["form"]) {
        std::string t = Str(entity, "text");
        if (t.empty()) continue;
        if (!text.empty()) text += '\n';
        text += t;
      }
      s.ref_text = text;
    }
    if (!s.ref_text) continue;  // an image without labels
    ds.samples.push_back(std::move(s));
  }
  return core::Status::Ok();
}

core::Status LoadInvoices(const fs::path& dir, bool zugferd, Dataset& ds) {
  ds.schema = "invoice";
  // The PDFs, or scans of them (bench/invoice_scans.sh renders multi-page TIFFs).
  for (const fs::path& pdf : FilesIn(dir, {".pdf", ".tif", ".tiff"})) {
    fs::path label = pdf;
    label.replace_extension(".json");
    auto j = ReadJson(label);
    if (!j.ok()) {
      if (j.status().code() == core::StatusCode::kCorruptInput) return j.status();
      continue;
    }
    nlohmann::json k = j->is_array() && !j->empty() ? (*j)[0] : *j;
    Sample s;
    s.stem = pdf.stem().string();
    s.input = pdf.string();
    if (zugferd) {
      s.fields["vendor_name"] = {FieldKind::kText, Str(k, "seller_name")};
      s.fields["invoice_number"] = {FieldKind::kText, Str(k, "invoice_number")};
      s.fields["invoice_date"] = {FieldKind::kDate, Str(k, "issue_date")};
      s.fields["total"] = {FieldKind::kAmount, Str(k, "total_amount")};
      s.fields["tax"] = {FieldKind::kAmount, Str(k, "tax_amount")};
      s.fields["currency"] = {FieldKind::kText, Str(k, "currency")};
    } else {
      s.fields["vendor_name"] = {FieldKind::kText, Str(k, "issuer")};
      s.fields["invoice_number"] = {FieldKind::kText, Str(k, "invoice_number")};
      s.fields["invoice_date"] = {FieldKind::kDate, Str(k, "date")};
      s.fields["total"] = {FieldKind::kAmount, Str(k, "amount")};
      s.fields["currency"] = {FieldKind::kText, Str(k, "currency")};
    }
    ds.samples.push_back(std::move(s));
  }
  return core::Status::Ok();
}

// The labels' parsed fields under the names and in the form id_document gives them
// (fillers removed, '<' in names as spaces, YYMMDD dates as printed), for counting
// false "valid" claims field by field.
std::map<std::string, std::string> MrzTruth(const nlohmann::json& label) {
  auto text = [&](const char* key) -> std::string {
    return label.contains(key) && label[key].is_string() ? label[key].get<std::string>() : "";
  };
  auto no_fillers = [](std::string v) {
    v.erase(std::remove(v.begin(), v.end(), '<'), v.end());
    return v;
  };
  std::map<std::string, std::string> t;
  t["document_type"] = no_fillers(text("type"));
  t["issuing_country"] = no_fillers(text("country"));
  t["surname"] = text("surname");
  t["given_names"] = text("names");
  t["document_number"] = no_fillers(text("number"));
  t["nationality"] = no_fillers(text("nationality"));
  t["birth_date"] = text("date_of_birth");
  t["expiry_date"] = text("expiration_date");
  t["sex"] = text("sex") == "<" ? "X" : text("sex");
  for (const char* key : {"personal_number", "optional", "optional1"}) {
    if (label.contains(key)) t["personal_number"] = no_fillers(text(key));
  }
  for (auto it = t.begin(); it != t.end();) {
    it = it->second.empty() && it->first != "given_names" ? t.erase(it) : std::next(it);
  }
  return t;
}

core::Status LoadMrz(const fs::path& dir, Dataset& ds) {
  ds.schema = "id_document";
  for (const fs::path& img : FilesIn(dir / "img", kImageExts)) {
    auto j = ReadJson(dir / "expected" / (img.filename().string() + ".json"));
    if (!j.ok()) {
      if (j.status().code() == core::StatusCode::kCorruptInput) return j.status();
      continue;
    }
    Sample s;
    // Two images may share a stem (passport-td2.jpg/.png): keep the extension.
    s.stem = img.filename().string();
    s.input = img.string();
    if (j->contains("lines") && (*j)["lines"].is_array()) {
      for (const auto& l : (*j)["lines"]) {
        if (l.is_string()) s.mrz_lines.push_back(l.get<std::string>());
      }
    }
    s.mrz_printed_valid = j->value("all_valid", false);
    s.mrz_truth = MrzTruth(*j);
    std::string joined;
    for (const std::string& l : s.mrz_lines) joined += (joined.empty() ? "" : "\n") + l;
    s.fields["mrz"] = {FieldKind::kText, joined};
    ds.samples.push_back(std::move(s));
  }
  return core::Status::Ok();
}

// Labelled documents of our own format (eval/labelled_document.h), as the review
// export writes them: every *.json in `dir` of that format, its original beside it.
// The schema is the documents' doc_type when they share one (eval reads with "auto"
// when it is not a built-in type), else "auto".
core::Status LoadReviewed(const fs::path& dir, Dataset& ds) {
  std::set<std::string> doc_types;
  for (const fs::path& path : FilesIn(dir, {".json"})) {
    auto j = ReadJson(path);
    if (!j.ok()) return j.status();
    // Another file of the set (the manifest) or another format: not a label.
    if (!j->is_object() || !j->contains("format") || (*j)["format"] != kLabelledDocumentFormat) {
      continue;
    }
    auto label = LabelledDocumentFromJson(*j);
    if (!label.ok()) return label.status().WithContext(path.string());
    Sample s;
    s.stem = path.stem().string();
    s.input = (dir / label->file).string();
    for (const LabelledDocument::Field& f : label->fields) {
      const FieldKind kind = f.type == "date"                            ? FieldKind::kDate
                             : f.type == "amount" || f.type == "integer" ? FieldKind::kAmount
                                                                         : FieldKind::kText;
      s.fields[f.name] = {kind, f.value};
    }
    doc_types.insert(label->doc_type);
    ds.samples.push_back(std::move(s));
  }
  ds.schema = doc_types.size() == 1 ? *doc_types.begin() : "auto";
  return core::Status::Ok();
}

}  // namespace

std::vector<std::string> DatasetNames() {
  return {"sroie", "tesseract", "funsd", "invoices", "invoices2", "mrz", "reviewed"};
}

core::Result<Dataset> LoadDataset(const std::string& name, const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return core::NotFound("no_such_dir", "no folder " + dir);
  Dataset ds;
  ds.name = name;
  core::Status st;
  if (name == "sroie") {
    st = LoadSroie(dir, ds);
  } else if (name == "tesseract") {
    st = LoadFullText(dir, ds);
  } else if (name == "funsd") {
    st = LoadFunsd(dir, ds);
  } else if (name == "invoices") {
    st = LoadInvoices(dir, /*zugferd=*/false, ds);
  } else if (name == "invoices2") {
    st = LoadInvoices(dir, /*zugferd=*/true, ds);
  } else if (name == "mrz") {
    st = LoadMrz(dir, ds);
  } else if (name == "reviewed") {
    st = LoadReviewed(dir, ds);
  } else {
    return core::InvalidArgument("dataset", "unknown dataset '" + name +
                                                "' (sroie, tesseract, funsd, invoices, "
                                                "invoices2, mrz, reviewed)");
  }
  if (!st.ok()) return st;
  if (ds.samples.empty()) {
    return core::NotFound("no_samples", "no labelled documents found in " + dir + " for " + name);
  }
  return ds;
}

}  // namespace smartocr::eval
