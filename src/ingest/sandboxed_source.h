// src/ingest/sandboxed_source.h
//
// Private to the ingest module. A DocumentSource whose pages come from a
// smartocr-decode child over a pipe (see frame.h for the protocol).
#ifndef SMARTOCR_INGEST_SANDBOXED_SOURCE_H_
#define SMARTOCR_INGEST_SANDBOXED_SOURCE_H_

#include <memory>
#include <string>

#include "core/core.h"
#include "ingest/ingest.h"

namespace smartocr::ingest {

// Starts `decoder` on `path` and waits (up to limits.page_timeout_s) for the
// document's first frame: its page count, or the error that opening it gave.
core::Result<std::unique_ptr<DocumentSource>> OpenSandboxedSource(const std::string& decoder,
                                                                  const std::string& path,
                                                                  const IngestOptions& options);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_SANDBOXED_SOURCE_H_
