// src/telemetry/stage.h
//
// A pipeline stage that just finished, recorded once for both signals: the stage
// histogram (smartocr_stage_duration_seconds{stage,engine}) and a span under the
// thread's current one, covering [start, now].
#ifndef SMARTOCR_TELEMETRY_STAGE_H_
#define SMARTOCR_TELEMETRY_STAGE_H_

#include <cstdint>
#include <string>

namespace smartocr::telemetry {

// `page` 0: a document-level stage (ingest, extract, llm). Returns the end time (unix ns).
int64_t RecordStage(const std::string& stage, const std::string& engine, int64_t start_unix_ns,
                    int page = 0);

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_STAGE_H_
