// src/pipeline/pipeline.h
//
// Pipeline: runs ingest -> preprocess -> layout -> recognize for every page of a
// document on a shared thread pool and assembles a DocumentResult. Pages are pulled
// from ingest one at a time and at most `2 x threads` are in flight per document, so
// memory is bounded by pages in flight, not by document size. Output order is page
// order for any thread count.
//
//   auto engine = recognize::CreateTesseractEngine({});
//   pipeline::Pipeline p(**engine, options);
//   auto doc = p.Run("scan.pdf", /*sink=*/nullptr);
#ifndef SMARTOCR_PIPELINE_PIPELINE_H_
#define SMARTOCR_PIPELINE_PIPELINE_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "core/core.h"
#include "ingest/ingest.h"
#include "mrz/mrz.h"
#include "pipeline/page_cache.h"
#include "preprocess/preprocess.h"
#include "recognize/recognize.h"

namespace smartocr::pipeline {

struct PipelineOptions {
  ingest::IngestOptions ingest;
  preprocess::PreprocessOptions preprocess;
  int threads = 0;  // page workers; 0 = hardware cores
  // Languages OCR pages are read with (RecognizeOptions::lang); "": the engine's own;
  // kAutoLanguage: read with English first, then, when the words say the page is in
  // another installed language, again with that language (page_language.h). Set per
  // run by Run's `lang`. Every page's language is identified and reported either way.
  std::string lang;
  // Hand each page's image to the sink (e.g. for a searchable PDF); also makes ingest
  // rasterize text-layer pages.
  bool keep_page_images = false;
  // Re-read an MRZ band found on an OCR page with a dedicated pass (mrz::RereadMrzBand),
  // and turn a page whose MRZ reads only turned (mrz::FindMrzTurn).
  bool mrz_pass = true;
  // The MRZ pass's other readers (mrz::ZoneReaders::Borrow); none: the main engine
  // alone. Borrowed: must outlive the Pipeline.
  mrz::PassOptions mrz_readers;
  // A page whose MRZ reads only turned (mrz::FindMrzTurn) is read again from its original
  // image when it has at most this many pixels (no second interpolation of a deskew),
  // else from the page as preprocessed (no second copy of a large page in memory).
  size_t mrz_turn_original_max_pixels = 16'000'000;
  // No page cache here: a cache belongs to one document's run (Run's `page_cache`), so
  // that the caller scopes it to whom the document is read for.
};

// Receives finished pages in page order, on the thread that called Run.
class PageSink {
 public:
  virtual ~PageSink() = default;
  // `image` is the page image the boxes refer to (empty unless keep_page_images), at
  // page.dpi.
  virtual core::Status OnPage(const core::PageResult& page, const cv::Mat& image) = 0;
};

// Called after each finished page with (pages done, pages selected in total) of the
// document being run; from the thread that called Run.
using ProgressFn = std::function<void(const std::string& input, int done, int total)>;

// Pages read with another engine than the pipeline's: 1-based page number -> engine
// (borrowed; must outlive the run). A re-run of one page with another engine.
using PageEngines = std::map<int, recognize::Engine*>;

// Thread-safe: Run may be called from several threads at once; all share one pool of
// page workers.
class Pipeline {
 public:
  // `engine` must outlive the Pipeline.
  Pipeline(recognize::Engine& engine, PipelineOptions options);
  // A pipeline running `engine` on `workers`' page workers (options.threads is taken
  // from it): a process with several engines keeps one pool. `workers` may go first.
  Pipeline(recognize::Engine& engine, PipelineOptions options, const Pipeline& workers);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  void set_progress(ProgressFn fn) { progress_ = std::move(fn); }
  const PipelineOptions& options() const { return options_; }

  // Runs the whole document. `sink` may be null. Fails with ingest's codes, or with
  // the first page's failure, or the sink's. `cancel` (may be null; must outlive the
  // call): once it reads true, pages not started are skipped, pages being recognized
  // stop inside the engine, and Run fails with kCancelled (reason "cancelled").
  // `page_cache` (may be null: none; must outlive the call): the stage cache for this
  // document's OCR pages (page_cache.h), not consulted while keep_page_images is set.
  // `page_engines` (may be null): pages read with another engine; every other page, and
  // the document's `engine`, are the pipeline's.
  // `lang` ("deu+eng"; "": the engine's own): the languages the pages are read with,
  // checked by the caller against engine().languages().
  core::Result<core::DocumentResult> Run(const std::string& path, PageSink* sink,
                                         const std::atomic<bool>* cancel = nullptr,
                                         PageCache* page_cache = nullptr,
                                         const PageEngines* page_engines = nullptr,
                                         const std::string& lang = "");

  recognize::Engine& engine() const { return engine_; }

 private:
  class Impl;
  recognize::Engine& engine_;
  PipelineOptions options_;
  ProgressFn progress_;
  std::unique_ptr<Impl> impl_;
};

// Runs preprocess, layout and recognition on one ingested page. Thread-safe.
// The result's dpi is the page's (page.dpi, scaled as the page was) when known, else
// estimated from the text height (EstimateDpi), else kDefaultImageDpi.
// `page_image` (may be null) receives the page image the boxes refer to.
// `cancel`, `page_cache` (may be null): see Pipeline::Run; a page from the cache is the
// page as first read, its stage timings included, so a hit does not show in the result.
core::Result<core::PageResult> ProcessPage(ingest::Page page, recognize::Engine& engine,
                                           const PipelineOptions& options, cv::Mat* page_image,
                                           const std::atomic<bool>* cancel = nullptr,
                                           PageCache* page_cache = nullptr);

// PipelineOptions::lang (and a request's `lang`): the language chosen per page.
inline constexpr char kAutoLanguage[] = "auto";

// Resolution assumed for an image that states none and has no text to estimate it from.
inline constexpr double kDefaultImageDpi = 300;

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_PIPELINE_H_
