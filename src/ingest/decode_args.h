// src/ingest/decode_args.h
//
// Private to the ingest module. The command line of the smartocr-decode child: the
// parent turns IngestOptions into arguments, the child turns them back.
//
//   smartocr-decode --dpi=300 --image-dpi=0 --pages=1-3,7 --max-file-bytes=N --max-pages=N
//                   --max-page-pixels=N --memory-bytes=N --page-timeout-s=S
//                   --render-text-pages=0 --min-text-chars=16 -- FILE
#ifndef SMARTOCR_INGEST_DECODE_ARGS_H_
#define SMARTOCR_INGEST_DECODE_ARGS_H_

#include <string>
#include <vector>

#include "core/core.h"
#include "ingest/ingest.h"

namespace smartocr::ingest {

struct DecodeArgs {
  IngestOptions options;  // decoder_path unused
  std::string path;
};

// Arguments after argv[0].
std::vector<std::string> EncodeDecodeArgs(const IngestOptions& options, const std::string& path);

// Fails with kInvalidArgument "decoder_args".
core::Result<DecodeArgs> ParseDecodeArgs(const std::vector<std::string>& args);

// `range` as a spec PageRange::Parse reads back, exact for pages 1..max_page (callers
// pass limits.max_pages: no document has a page beyond it). "all" for all pages.
std::string PageRangeSpec(const core::PageRange& range, int max_page);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_DECODE_ARGS_H_
