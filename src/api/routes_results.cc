// A finished job's result (JSON as stored, or text, hOCR, CSV of the reviewed fields,
// searchable PDF) and its page images (optionally with the word boxes drawn, or as a
// one-page searchable PDF). A page image is drawn from the original on its first
// request (the original checked against the hash recorded with the job: 409
// original_changed when its bytes changed; the decode within kPageRenderTimeoutS),
// then kept upright and redacted beside the result, so later requests decode no
// original at all.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "api/api.h"
#include "api/page_image.h"
#include "api/source.h"
#include "redact/redact.h"
#include "render/line_item_cells.h"
#include "render/render.h"
#include "telemetry/tracer.h"

namespace smartocr::api {
namespace {

// The most a request waits for one page of an original to be decoded (the decoder's
// own page deadline is for jobs, which nobody waits on).
constexpr double kPageRenderTimeoutS = 15;
// The most a request spends drawing a whole document's pages (a searchable PDF of the
// job): past it, no further page is decoded and the request is 504.
constexpr std::chrono::seconds kDocumentRenderTimeout{120};

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

// The stored result with the stored fields and line-item cells (reviewers' edits
// included) in place of those first extracted, for the CSV.
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
  render::LineItemsFromCells(*doc);
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
  const auto deadline = std::chrono::steady_clock::now() + kDocumentRenderTimeout;
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) {
      return core::DeadlineExceeded("render_timeout",
                                    "drawing the document's pages took too long for a request");
    }
    auto page = (*doc)->Next();
    if (!page.ok()) return page.status();
    if (!page->has_value()) return core::Status::Ok();
    if (only_page > 0 && (*page)->number != only_page) continue;
    SMARTOCR_RETURN_IF_ERROR(fn(**page));
    if (only_page > 0) return core::Status::Ok();
  }
}

// The page's resolution; for a result stored before pages carried one, the server's
// --dpi, as then.
double DpiOf(Env& env, const core::PageResult& page) {
  return page.dpi > 0 ? page.dpi : env.deps.pipelines.For("").pipeline.options().ingest.dpi;
}

// The whole document as a searchable PDF, drawn from the original page by page.
core::Result<std::string> SearchablePdf(Env& env, const store::Job& job,
                                        const core::DocumentResult& doc) {
  TempPath pdf(env);
  auto writer = render::OpenSearchablePdf(pdf.path());
  if (!writer.ok()) return writer.status();
  SMARTOCR_RETURN_IF_ERROR(ForEachSourcePage(env, job, 0, [&](ingest::Page& page) {
    for (const core::PageResult& result : doc.pages) {
      if (result.number != page.number) continue;
      cv::Mat image = PageImageForResult(page.image, result);
      redact::BurnRegions(result, redact::RecordedRegions(doc), image);
      return (*writer)->AddPage(result, image, DpiOf(env, result));
    }
    return core::Status::Ok();
  }));
  SMARTOCR_RETURN_IF_ERROR((*writer)->Finish());
  std::ifstream in(pdf.path(), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Page `page` of the finished job as served (upright, sized to the result, redacted),
// as PNG: the kept one when it was drawn for this result, else drawn from the original
// and kept (best effort: a store that cannot keep it costs a decode next time).
core::Result<std::string> ServedPagePng(Env& env, const Finished& done,
                                        const core::DocumentResult& doc,
                                        const core::PageResult& page) {
  const std::string key = PageImageKey(done.job.tenant_id, done.job.id, page.number);
  // The page image is an artifact of the job: its span names where it is kept.
  telemetry::Span span = telemetry::Span::StartChild("page_image");
  span.SetAttribute("smartocr.page", int64_t{page.number});
  span.SetAttribute("smartocr.page.image_uri", env.deps.blobs.Uri(key));
  // Each run writes its result once, at completed_at: the stamp of this result.
  const std::string result_stamp = std::to_string(done.job.completed_at);
  if (auto kept = env.deps.blobs.Get(key); kept.ok()) {
    if (auto png = UnpackPageImage(*kept, result_stamp)) {
      span.SetAttribute("smartocr.page.image_kept", true);
      return *png;
    }
  }
  span.SetAttribute("smartocr.page.image_kept", false);
  std::vector<unsigned char> png;
  SMARTOCR_RETURN_IF_ERROR(ForEachSourcePage(env, done.job, page.number, [&](ingest::Page& source) {
    cv::Mat image = PageImageForResult(source.image, page);
    redact::BurnRegions(page, redact::RecordedRegions(doc), image);
    if (!cv::imencode(".png", image, png)) return core::Internal("png", "cannot encode");
    return core::Status::Ok();
  }));
  if (png.empty()) return core::NotFound("page", "the original has no such page");
  std::string bytes(png.begin(), png.end());
  (void)env.deps.blobs.Put(key, PackPageImage(result_stamp, bytes), "application/octet-stream");
  return bytes;
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
  auto pdf = SearchablePdf(env, done->job, *doc);
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
  auto png = ServedPagePng(env, *done, *doc, *result);
  if (!png.ok()) {
    if (png.status().code() == core::StatusCode::kNotFound) {
      return ErrorReply(404, "not_found", "the original has no such page");
    }
    return ErrorReply(png.status());
  }
  const bool annotated = ctx.Query("annotated") == "true";
  const bool as_pdf = ctx.Query("format") == "pdf";
  if (!annotated && !as_pdf) return Binary(std::move(*png), "image/png");
  cv::Mat image = cv::imdecode(cv::Mat(1, static_cast<int>(png->size()), CV_8U, png->data()),
                               cv::IMREAD_UNCHANGED);
  if (image.empty()) return ErrorReply(500, "internal", "a kept page image does not decode");
  if (as_pdf) {
    TempPath pdf(env);
    auto writer = render::OpenSearchablePdf(pdf.path());
    if (!writer.ok()) return ErrorReply(writer.status());
    core::Status st = (*writer)->AddPage(*result, image, DpiOf(env, *result));
    if (st.ok()) st = (*writer)->Finish();
    if (!st.ok()) return ErrorReply(st);
    std::ifstream in(pdf.path(), std::ios::binary);
    return Binary(std::string(std::istreambuf_iterator<char>(in), {}), "application/pdf");
  }
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
  std::vector<unsigned char> annotated_png;
  if (!cv::imencode(".png", image, annotated_png)) {
    return ErrorReply(500, "internal", "cannot encode the page");
  }
  return Binary(std::string(annotated_png.begin(), annotated_png.end()), "image/png");
}

}  // namespace

void AddResultRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/result",
              .handler = [&env](Ctx& ctx) { return Result(env, ctx); },
              .summary = "A succeeded job's result (?format=json|text|hocr|csv|pdf)",
              .statuses = {200, 409},
              .audit_read = "job.result.read"});
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/pages/{n}",
              .handler = [&env](Ctx& ctx) { return PageImage(env, ctx); },
              .summary = "Page n's image as PNG (?annotated=true draws the word boxes; "
                         "?format=pdf gives a searchable one-page PDF)",
              .statuses = {200, 409},
              .audit_read = "job.page.read"});
}

}  // namespace smartocr::api
