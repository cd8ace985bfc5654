// src/cli/document_drivers.h
//
// Runs one call per input document on a few driver threads. Drivers only feed the
// pipeline (decoding waits on the sandboxed decoder, pages go to the pipeline's shared
// worker pool), so up to `threads` documents are in flight at once.
#ifndef SMARTOCR_CLI_DOCUMENT_DRIVERS_H_
#define SMARTOCR_CLI_DOCUMENT_DRIVERS_H_

#include <cstddef>
#include <functional>

namespace smartocr::cli {

// Calls fn(i) once for every i in [0, count), on min(count, threads) threads (at least
// one), and returns when all calls have returned. `fn` must be thread-safe.
void ForEachDocument(size_t count, int threads, const std::function<void(size_t)>& fn);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_DOCUMENT_DRIVERS_H_
