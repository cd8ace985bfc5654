// src/pipeline/page_cache.h
//
// Stage cache for OCR pages: a re-run or a retry of a document does not redo the OCR
// of a page that already finished. The key is a hash of the page's decoded pixels,
// its resolution, the engine (name and version), every preprocessing setting and the
// SmartOCR version, so a change to any of them is a miss, never a stale hit. The value
// is the finished PageResult in a lossless JSON encoding.
//
// A cache is handed to one run (Pipeline::Run), so whoever owns it decides whose pages
// it holds: the service's is one job's (jobs/repository_page_cache.h), never shared
// across jobs or tenants.
//
// Pages from a PDF text layer are not cached (reading them costs less than hashing).
// Nor are pages whose image the caller asked to keep: a hit has no page image.
#ifndef SMARTOCR_PIPELINE_PAGE_CACHE_H_
#define SMARTOCR_PIPELINE_PAGE_CACHE_H_

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/core.h"
#include "preprocess/preprocess.h"

namespace smartocr::pipeline {

// Thread-safe implementations only: pages of several documents call it at once.
class PageCache {
 public:
  virtual ~PageCache() = default;
  // The value stored under `key`; std::nullopt on a miss. A cache that cannot be read
  // answers a miss: the page is then simply processed again.
  virtual std::optional<std::string> Get(const std::string& key) = 0;
  // Best effort: a failed write is not an error of the page.
  virtual void Put(const std::string& key, const std::string& value) = 0;
};

// "page/v1/<64 hex digits>": BLAKE2b-256 over the pixels (with size and type), `dpi`,
// the engine's name and version, `options`, `settings` (any other setting that changes
// a page's result, e.g. "mrz_pass=1") and core::kVersion.
std::string PageCacheKey(const cv::Mat& image, double dpi, const core::EngineInfo& engine,
                         const preprocess::PreprocessOptions& options, std::string_view settings);

// Lossless: DecodePageResult(EncodePageResult(p)) equals p field by field (doubles
// round-trip exactly). Decode fails with kInternal (reason "page_cache") on anything
// that is not such an encoding.
std::string EncodePageResult(const core::PageResult& page);
core::Result<core::PageResult> DecodePageResult(std::string_view encoded);

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_PAGE_CACHE_H_
