// src/telemetry/trace_context.h
//
// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header a
// client sends, the ids of our own spans, and the calling thread's current span.
#ifndef SMARTOCR_TELEMETRY_TRACE_CONTEXT_H_
#define SMARTOCR_TELEMETRY_TRACE_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace smartocr::telemetry {

struct SpanContext {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits, not all zero
  bool sampled = false;  // recorded and exported

  bool valid() const { return !trace_id.empty() && !span_id.empty(); }
};

// "00-<trace id>-<span id>-<flags>"; nullopt for anything else (a wrong length, upper
// case, all-zero ids, version ff). A later version's longer header is read by its
// first four fields, as the recommendation asks.
std::optional<SpanContext> ParseTraceparent(std::string_view header);
std::string FormatTraceparent(const SpanContext& context);

std::string NewTraceId();  // random, 32 hex
std::string NewSpanId();   // random, 16 hex

// The span the calling thread works under (invalid when none). Set by ScopedContext.
const SpanContext& CurrentContext();

// Makes `context` the thread's current one until destroyed (then the previous again).
class ScopedContext {
 public:
  explicit ScopedContext(SpanContext context);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  SpanContext previous_;
};

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_TRACE_CONTEXT_H_
