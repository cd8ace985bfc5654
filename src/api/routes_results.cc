// A finished job's result (JSON as stored, or text, hOCR, CSV of the reviewed fields,
// searchable PDF) and its page images (optionally with the word boxes drawn, or as a
// one-page searchable PDF). Page images are rendered again from the original, so
// nothing but the result JSON is kept per job; the original is checked against the
// hash recorded with the job first (409 original_changed when its bytes changed).
#include <algorithm>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "api/api.h"
#include "api/page_image.h"
#include "api/source.h"
#include "redact/redact.h"
#include "render/render.h"

namespace smartocr::api {
namespace {

// The most a request waits for one page of an original to be decoded (the decoder's
// own page deadline is for jobs, which nobody waits on).
constexpr double kPageRenderTimeoutS = 15;

struct Finished {
  store::Job job;
  std::string json;
};

// The job, succeeded, with its result JSON; or the error reply.
std::optional<Finished> LoadFinished(Env& env, Ctx& ctx, Reply* error) {
  auto job = env.deps.repo.GetJob(ctx.principal.tenant_id, ctx.params["id"]);
  if (!job.ok()) {
    *error = ErrorReply(job.status());
    return std::nullopt;
  }
  if (job->status != store::JobStatus::kSucceeded) {
    *error = ErrorReply(409, "job_not_succeeded",
                        std::string("the job is ") + store::JobStatusName(job->status));
    return std::nullopt;
  }
  auto key = blobs::KeyInStore(env.deps.blobs, job->result_uri);
  if (!key) {
    *error = ErrorReply(500, "internal", "the result is not in this blob store");
    return std::nullopt;
  }
  auto json = env.deps.blobs.Get(*key);
  if (!json.ok()) {
    *error = ErrorReply(json.status());
    return std::nullopt;
  }
  return Finished{*job, std::move(*json)};
}

// The stored result with the stored fields (reviewers' edits included) in place of the
// fields as first extracted, for the CSV.
core::Result<core::DocumentResult> ReviewedDocument(Env& env, const Ctx& ctx,
                                                    const Finished& done) {
  auto doc = render::ParseResultJson(done.json);
  if (!doc.ok()) return doc.status();
  auto rows = env.deps.repo.GetFields(ctx.principal.tenant_id, done.job.id);
  if (!rows.ok()) return rows.status();
  doc->fields.clear();
  for (const store::FieldRecord& r : *rows) {
    core::Field f;
    f.name = r.name;
    f.value = r.value;
    f.normalized = r.normalized;
    f.confidence = r.confidence;
    f.validator_status = r.validator_status;
    f.page = r.page;
    f.source = r.source_model;
    f.engine_version = r.version;
    doc->fields.push_back(std::move(f));
  }
  return doc;
}

// Calls `fn(page)` for the original's pages, rendered at the pipeline's resolution.
core::Status ForEachSourcePage(Env& env, const store::Job& job, int only_page,
                               const std::function<core::Status(ingest::Page&)>& fn) {
  TempPath source(env);
  SMARTOCR_RETURN_IF_ERROR(FetchOriginal(env, job, source.path()));
  ingest::IngestOptions options = env.deps.pipelines.For("").pipeline.options().ingest;
  options.render_text_pages = true;
  // One page asked for: the decoder skips the others (a read-only key could otherwise
  // make it decode pages 1..n of a long original on every request), and a request
  // waits for a page no longer than a request should.
  if (only_page > 0) {
    auto range = core::PageRange::Parse(std::to_string(only_page));
    if (range.ok()) options.pages = *range;
  }
  options.limits.page_timeout_s = std::min(options.limits.page_timeout_s, kPageRenderTimeoutS);
  auto doc = ingest::OpenDocument(source.path(), options);
  if (!doc.ok()) return doc.status();
  for (;;) {
    auto page = (*doc)->Next();
    if (!page.ok()) return page.status();
    if (!page->has_value()) return core::Status::Ok();
    if (only_page > 0 && (*page)->number != only_page) continue;
    SMARTOCR_RETURN_IF_ERROR(fn(**page));
    if (only_page > 0) return core::Status::Ok();
  }
}

core::Result<std::string> SearchablePdf(Env& env, const store::Job& job,
                                        const core::DocumentResult& doc, int only_page) {
  TempPath pdf(env);
  auto writer = render::OpenSearchablePdf(pdf.path());
  if (!writer.ok()) return writer.status();
  const double dpi = env.deps.pipelines.For("").pipeline.options().ingest.dpi;
  SMARTOCR_RETURN_IF_ERROR(ForEachSourcePage(env, job, only_page, [&](ingest::Page& page) {
    for (const core::PageResult& result : doc.pages) {
      if (result.number != page.number) continue;
      cv::Mat image = PageImageForResult(page.image, result);
      redact::BurnRegions(result, redact::RecordedRegions(doc), image);
      return (*writer)->AddPage(result, image, dpi);
    }
    return core::Status::Ok();
  }));
  SMARTOCR_RETURN_IF_ERROR((*writer)->Finish());
  std::ifstream in(pdf.path(), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Reply Binary(std::string body, const char* type) {
  Reply r;
  r.body = std::move(body);
  r.content_type = type;
  return r;
}

Reply Result(Env& env, Ctx& ctx) {
  Reply error;
  auto done = LoadFinished(env, ctx, &error);
  if (!done) return error;
  const std::string format = ctx.HasQuery("format") ? ctx.Query("format") : "json";
  if (format == "json") return Binary(std::move(done->json), "application/json");
  if (format == "csv") {
    auto doc = ReviewedDocument(env, ctx, *done);
    if (!doc.ok()) return ErrorReply(doc.status());
    return Binary(render::RenderFieldsCsv(*doc), "text/csv; charset=utf-8");
  }
  if (format != "text" && format != "hocr" && format != "pdf") {
    return ErrorReply(400, "invalid_query", "format is one of json, text, hocr, csv, pdf");
  }
  auto doc = render::ParseResultJson(done->json);
  if (!doc.ok()) return ErrorReply(doc.status());
  if (format == "text") return Binary(render::RenderText(*doc), "text/plain; charset=utf-8");
  if (format == "hocr") return Binary(render::RenderHocr(*doc), "application/xhtml+xml");
  auto pdf = SearchablePdf(env, done->job, *doc, 0);
  if (!pdf.ok()) return ErrorReply(pdf.status());
  return Binary(std::move(*pdf), "application/pdf");
}

Reply PageImage(Env& env, Ctx& ctx) {
  Reply error;
  auto done = LoadFinished(env, ctx, &error);
  if (!done) return error;
  char* end = nullptr;
  const long n = std::strtol(ctx.params["n"].c_str(), &end, 10);
  if (*end != '\0' || n < 1) return ErrorReply(400, "invalid_path", "the page number is 1, 2, ...");
  auto doc = render::ParseResultJson(done->json);
  if (!doc.ok()) return ErrorReply(doc.status());
  const core::PageResult* result = nullptr;
  for (const core::PageResult& p : doc->pages) {
    if (p.number == n) result = &p;
  }
  if (result == nullptr) return ErrorReply(404, "not_found", "the job has no such page");
  if (ctx.Query("format") == "pdf") {
    core::DocumentResult one;
    one.pages.push_back(*result);
    one.redacted_boxes = doc->redacted_boxes;
    auto pdf = SearchablePdf(env, done->job, one, static_cast<int>(n));
    if (!pdf.ok()) return ErrorReply(pdf.status());
    return Binary(std::move(*pdf), "application/pdf");
  }
  const bool annotated = ctx.Query("annotated") == "true";
  std::vector<unsigned char> png;
  core::Status st = ForEachSourcePage(env, done->job, static_cast<int>(n), [&](ingest::Page& page) {
    cv::Mat image = PageImageForResult(page.image, *result);
    redact::BurnRegions(*result, redact::RecordedRegions(*doc), image);
    if (annotated) {
      if (image.channels() == 1) cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
      for (const core::Block& block : result->blocks) {
        for (const core::Line& line : block.lines) {
          for (const core::Word& w : line.words) {
            cv::rectangle(image, cv::Point(static_cast<int>(w.box.x0), static_cast<int>(w.box.y0)),
                          cv::Point(static_cast<int>(w.box.x1), static_cast<int>(w.box.y1)),
                          cv::Scalar(0, 0, 255), 2);
          }
        }
      }
    }
    if (!cv::imencode(".png", image, png)) return core::Internal("png", "cannot encode");
    return core::Status::Ok();
  });
  if (!st.ok()) return ErrorReply(st);
  if (png.empty()) return ErrorReply(404, "not_found", "the original has no such page");
  return Binary(std::string(png.begin(), png.end()), "image/png");
}

}  // namespace

void AddResultRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/result",
              .handler = [&env](Ctx& ctx) { return Result(env, ctx); },
              .summary = "A succeeded job's result (?format=json|text|hocr|csv|pdf)",
              .statuses = {200, 409}});
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/pages/{n}",
              .handler = [&env](Ctx& ctx) { return PageImage(env, ctx); },
              .summary = "Page n's image as PNG (?annotated=true draws the word boxes; "
                         "?format=pdf gives a searchable one-page PDF)",
              .statuses = {200, 409}});
}

}  // namespace smartocr::api
