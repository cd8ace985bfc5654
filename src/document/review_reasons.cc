// Which documents a person should look at (docs/review.md).
#include <cstdint>

#include "document/document.h"

namespace smartocr::document {
namespace {

// FNV-1a: stable across builds and machines, so a job is in or out of the sample for
// good (std::hash promises neither).
uint64_t StableHash(std::string_view key) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// How CrossCheckEInvoice says the page shows another value than the e-invoice.
constexpr std::string_view kEInvoiceMismatch = "the page shows ";

}  // namespace

std::vector<std::string> ReviewReasons(const core::DocumentResult& doc,
                                       const DocumentOptions& options,
                                       std::string_view sample_key) {
  std::vector<std::string> reasons;
  for (const core::Field& f : doc.fields) {
    if (f.value.empty() && f.validator_status == "invalid" && f.validator_detail == "required") {
      reasons.push_back("missing_required:" + f.name);
    } else if (f.validator_status == "invalid" &&
               f.validator_detail.rfind(kEInvoiceMismatch, 0) == 0) {
      // The e-invoice the PDF carries and its printed page disagree (extract/einvoice.h).
      reasons.push_back("einvoice_mismatch:" + f.name);
    } else if (f.validator_status == "invalid" || f.validator_status == "checks_pass_unconfirmed") {
      reasons.push_back("validator_failed:" + f.name);
    } else if (options.review_threshold > 0 && f.confidence < options.review_threshold) {
      reasons.push_back("low_confidence:" + f.name);
    }
  }
  // Hundredths of a percent: 0.5 samples one document in 200.
  constexpr uint64_t kSampleBuckets = 10'000;
  if (reasons.empty() && options.review_sample_percent > 0 &&
      static_cast<double>(StableHash(sample_key) % kSampleBuckets) <
          options.review_sample_percent * kSampleBuckets / 100.0) {
    reasons.emplace_back("sampled");
  }
  return reasons;
}

}  // namespace smartocr::document
