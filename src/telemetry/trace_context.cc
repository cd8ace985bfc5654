#include "telemetry/trace_context.h"

#include <array>
#include <random>

namespace smartocr::telemetry {
namespace {

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

std::string RandomHex(size_t digits) {
  // Per-thread generator seeded from the OS: ids must not repeat across processes.
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }()};
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  out.reserve(digits);
  while (out.size() < digits) {
    uint64_t bits = rng();
    for (int i = 0; i < 16 && out.size() < digits; ++i, bits >>= 4) out.push_back(kHex[bits & 15]);
  }
  if (AllZero(out)) out.back() = '1';  // the all-zero id means "none"
  return out;
}

SpanContext& Current() {
  thread_local SpanContext current;
  return current;
}

}  // namespace

std::optional<SpanContext> ParseTraceparent(std::string_view h) {
  // version(2) - trace id(32) - span id(16) - flags(2): 55 characters.
  constexpr size_t kLength = 55;
  if (h.size() < kLength || h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  const std::string_view version = h.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" && h.size() != kLength) return std::nullopt;
  if (h.size() > kLength && h[kLength] != '-') return std::nullopt;
  const std::string_view trace = h.substr(3, 32);
  const std::string_view span = h.substr(36, 16);
  const std::string_view flags = h.substr(53, 2);
  if (!IsLowerHex(trace) || !IsLowerHex(span) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace) || AllZero(span)) return std::nullopt;
  const int flag_bits = std::stoi(std::string(flags), nullptr, 16);
  return SpanContext{std::string(trace), std::string(span), (flag_bits & 1) != 0};
}

std::string FormatTraceparent(const SpanContext& c) {
  return "00-" + c.trace_id + "-" + c.span_id + (c.sampled ? "-01" : "-00");
}

std::string NewTraceId() { return RandomHex(32); }
std::string NewSpanId() { return RandomHex(16); }

const SpanContext& CurrentContext() { return Current(); }

ScopedContext::ScopedContext(SpanContext context) : previous_(std::move(Current())) {
  Current() = std::move(context);
}

ScopedContext::~ScopedContext() { Current() = std::move(previous_); }

}  // namespace smartocr::telemetry
