#include "api/review_dataset.h"

#include <fstream>
#include <iterator>

#include "api/source.h"
#include "api/tar_archive.h"
#include "document/document.h"
#include "extract/fields.h"
#include "extract/schema.h"
#include "ingest/ingest.h"
#include "render/line_item_cells.h"

namespace smartocr::api {
namespace {

// Most bytes one dataset export holds, originals included: the reply is built in
// memory. Past it the export stops and says it is truncated.
constexpr size_t kMaxDatasetExportBytes = size_t{256} << 20;
constexpr char kManifestFormat[] = "smartocr-labelled-set/1";
// Tar bytes a document costs beyond its files: two headers and two paddings, at most.
constexpr size_t kTarOverheadPerDocument = size_t{4} * 512;

// The schema a job's fields were extracted with: the tenant schema it ran with, else
// the built-in type's; none for a type that has no schema ("other").
std::optional<extract::Schema> SchemaOf(const store::Job& job, const std::string& doc_type) {
  auto parsed = nlohmann::json::parse(job.spec.options_json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    auto options = document::DocumentOptionsFromJson(parsed);
    if (options.ok() && options->custom_schema != nullptr) return *options->custom_schema;
  }
  auto builtin = extract::BuiltinSchema(doc_type);
  if (builtin.ok()) return *builtin;
  return std::nullopt;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

eval::LabelledDocument LabelFor(const store::Job& job, const std::string& doc_type,
                                const std::vector<store::FieldRecord>& fields,
                                const std::string& file) {
  eval::LabelledDocument label;
  label.file = file;
  label.doc_type = doc_type;
  label.external_id = job.spec.external_id;
  const std::optional<extract::Schema> schema = SchemaOf(job, doc_type);
  core::DocumentResult cells;  // the line-item cells, to rebuild the items from
  for (const store::FieldRecord& f : fields) {
    if (render::InLineItemNamespace(f.name)) {
      core::Field cell;
      cell.name = f.name;
      cell.value = f.value;
      cells.fields.push_back(std::move(cell));
      continue;
    }
    if (f.value.empty()) continue;
    std::string type = "string";
    if (schema) {
      for (const extract::SchemaField& s : schema->fields) {
        if (s.name == f.name) type = extract::FieldTypeName(s.type);
      }
    }
    label.fields.push_back({f.name, type, f.normalized.empty() ? f.value : f.normalized});
  }
  render::LineItemsFromCells(cells);
  label.line_items = std::move(cells.line_items);
  return label;
}

Reply DatasetExport(Env& env, const std::string& tenant,
                    const std::vector<store::ReviewRecord>& rows, bool scan_truncated) {
  TarArchive tar;
  const int64_t now_ms = env.NowMs();
  bool truncated = scan_truncated;
  int documents = 0;
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const store::ReviewRecord& r : rows) {
    auto job = env.deps.repo.GetJob(tenant, r.job_id);
    auto fields = env.deps.repo.GetFields(tenant, r.job_id);
    if (!job.ok() || !fields.ok()) continue;  // deleted meanwhile
    TempPath original(env);
    if (core::Status st = FetchOriginal(env, *job, original.path()); !st.ok()) {
      skipped.push_back({{"job_id", r.job_id}, {"reason", st.reason()}});
      continue;
    }
    const std::string bytes = ReadAll(original.path());
    const ingest::FileType type = ingest::SniffType(bytes);
    const std::string file =
        r.job_id + "." + (type == ingest::FileType::kUnknown ? "bin" : ingest::FileTypeName(type));
    const std::string label =
        eval::LabelledDocumentToJson(LabelFor(*job, r.doc_type, *fields, file)).dump(2) + "\n";
    if (tar.size() + bytes.size() + label.size() + kTarOverheadPerDocument >
        kMaxDatasetExportBytes) {
      truncated = true;
      break;
    }
    if (!tar.Add(file, bytes, now_ms / 1000).ok() ||
        !tar.Add(r.job_id + ".json", label, now_ms / 1000).ok()) {
      skipped.push_back({{"job_id", r.job_id}, {"reason", "tar_name"}});
      continue;
    }
    ++documents;
  }
  const nlohmann::ordered_json manifest = {
      {"format", kManifestFormat},
      {"label_format", eval::kLabelledDocumentFormat},
      {"documents", documents},
      {"truncated", truncated},
      {"skipped", skipped},
      {"exported_at_ms", now_ms},
      {"evaluate_with", "smartocr eval --dataset reviewed DIR"}};
  (void)tar.Add("manifest.json", manifest.dump(2) + "\n", now_ms / 1000);
  Reply reply;
  reply.content_type = "application/x-tar";
  reply.body = std::move(tar).Finish();
  reply.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"smartocr-reviewed.tar\"");
  if (truncated) reply.headers.emplace_back("X-SmartOCR-Truncated", "true");
  return reply;
}

}  // namespace smartocr::api
