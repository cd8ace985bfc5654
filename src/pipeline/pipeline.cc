#include "pipeline/pipeline.h"

#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <thread>

#include "pipeline/thread_pool.h"
#include "telemetry/metrics.h"
#include "telemetry/trace_context.h"

namespace smartocr::pipeline {

namespace {

struct PageOutcome {
  core::Result<core::PageResult> result = core::Internal("not_run", "page not processed");
  cv::Mat image;
};

int DefaultThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// After the last page: the embedded e-invoice, the ingest and total times.
void FinishDocument(ingest::DocumentSource& source, double ingest_ms,
                    std::chrono::steady_clock::time_point started, core::DocumentResult& doc) {
  if (std::optional<ingest::EmbeddedInvoice> invoice = source.embedded_invoice()) {
    doc.embedded_invoice_name = std::move(invoice->name);
    doc.embedded_invoice_xml = std::move(invoice->xml);
  }
  doc.timings_ms["ingest"] = ingest_ms;
  // Ingest interleaves with the pages' work: its time is one histogram sample, no span.
  telemetry::ObserveStage("ingest", doc.engine.name, ingest_ms / 1000.0);
  doc.timings_ms["total"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

// The engine that reads page `number`: the run's own unless `page_engines` names another.
recognize::Engine* EngineForPage(recognize::Engine& own, const PageEngines* page_engines,
                                 int number) {
  if (page_engines == nullptr) return &own;
  auto it = page_engines->find(number);
  return it == page_engines->end() ? &own : it->second;
}

}  // namespace

class Pipeline::Impl {
 public:
  explicit Impl(std::shared_ptr<ThreadPool> pool) : pool(std::move(pool)) {}
  std::shared_ptr<ThreadPool> pool;  // shared by the pipelines built on one another
};

Pipeline::Pipeline(recognize::Engine& engine, PipelineOptions options)
    : engine_(engine), options_(std::move(options)) {
  if (options_.threads <= 0) options_.threads = DefaultThreads();
  if (options_.keep_page_images) options_.ingest.render_text_pages = true;
  impl_ = std::make_unique<Impl>(std::make_shared<ThreadPool>(options_.threads));
}

Pipeline::Pipeline(recognize::Engine& engine, PipelineOptions options, const Pipeline& workers)
    : engine_(engine), options_(std::move(options)) {
  options_.threads = workers.options_.threads;
  if (options_.keep_page_images) options_.ingest.render_text_pages = true;
  impl_ = std::make_unique<Impl>(workers.impl_->pool);
}

Pipeline::~Pipeline() = default;

namespace {

// `options`, read in `lang` when one is given.
PipelineOptions InLanguage(const PipelineOptions& options, const std::string& lang) {
  PipelineOptions out = options;
  if (!lang.empty()) out.lang = lang;
  return out;
}

}  // namespace

core::Result<core::DocumentResult> Pipeline::Run(const std::string& path, PageSink* sink,
                                                 const std::atomic<bool>* cancel,
                                                 PageCache* page_cache,
                                                 const PageEngines* page_engines,
                                                 const std::string& lang) {
  auto started = std::chrono::steady_clock::now();
  core::DocumentResult doc;
  doc.input = path;
  doc.engine = engine_.info();

  auto source = ingest::OpenDocument(path, options_.ingest);
  if (!source.ok()) return source.status();
  doc.page_count = (*source)->page_count();
  const int total = (*source)->selected_page_count();
  // Two pages per worker keeps every worker busy while ingest decodes the next page,
  // and bounds memory by pages in flight.
  const size_t window = 2 * static_cast<size_t>(options_.threads);
  const bool keep_images = options_.keep_page_images;
  // The run's languages over the pipeline's; every page is done before Run returns.
  const PipelineOptions run_options = InLanguage(options_, lang);
  // The pool's threads work under the caller's span (a request's or a job's).
  const telemetry::SpanContext& trace = telemetry::CurrentContext();

  std::deque<std::future<PageOutcome>> in_flight;
  core::Status failure;
  bool ingest_done = false;
  double ingest_ms = 0;
  int done = 0;
  while (true) {
    if (failure.ok() && cancel != nullptr && cancel->load()) {
      failure = core::Cancelled("cancelled", "the run was cancelled");
    }
    while (failure.ok() && !ingest_done && in_flight.size() < window) {
      auto t0 = std::chrono::steady_clock::now();
      auto next = (*source)->Next();
      ingest_ms +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!next.ok()) {
        failure = next.status();
        break;
      }
      if (!next->has_value()) {
        ingest_done = true;
        break;
      }
      ingest::Page page = std::move(**next);
      recognize::Engine* engine = EngineForPage(engine_, page_engines, page.number);
      in_flight.push_back(impl_->pool->Submit([page = std::move(page), engine, &run_options,
                                               keep_images, cancel, page_cache, trace]() mutable {
        const telemetry::ScopedContext current(trace);
        PageOutcome out;
        out.result = ProcessPage(std::move(page), *engine, run_options,
                                 keep_images ? &out.image : nullptr, cancel, page_cache);
        return out;
      }));
    }
    if (in_flight.empty()) break;
    PageOutcome outcome = in_flight.front().get();
    in_flight.pop_front();
    if (!failure.ok()) continue;  // drain the pages already submitted
    if (!outcome.result.ok()) {
      failure = outcome.result.status();
      continue;
    }
    if (sink != nullptr) {
      core::Status st = sink->OnPage(*outcome.result, outcome.image);
      if (!st.ok()) {
        failure = st;
        continue;
      }
    }
    for (const auto& [stage, ms] : outcome.result->timings_ms) doc.timings_ms[stage] += ms;
    doc.pages.push_back(std::move(*outcome.result));
    ++done;
    if (progress_) progress_(path, done, total);
  }
  if (!failure.ok()) return failure;
  FinishDocument(**source, ingest_ms, started, doc);
  return doc;
}

}  // namespace smartocr::pipeline
