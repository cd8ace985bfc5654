// Fuzz target: signed blob URLs (blobs::VerifySignedUrl), the check in front of the
// public PUT/GET /blobs routes. Input: method '\n' path '\n' query (seeds:
// fuzz/corpus/signed_url_fuzz/). Checks that the input never verifies unless it is
// what SignUrl writes, and that SignUrl's own URL verifies until its expiry only.
#include <chrono>
#include <string>

#include "blobs/blobs.h"
#include "fuzz_input.h"

namespace {

namespace blobs = smartocr::blobs;
using std::chrono::seconds;

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef";
const std::chrono::sys_seconds kNow{seconds(1'700'000'000)};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [method, rest] = smartocr::fuzz::SplitFirstLine(smartocr::fuzz::AsText(data, size));
  const auto [path, query] = smartocr::fuzz::SplitFirstLine(rest);
  const smartocr::core::Status verified =
      blobs::VerifySignedUrl(kSecret, method, path, query, kNow);
  // Forging needs the secret's HMAC; the fuzzer sees only what it writes itself.
  FUZZ_CHECK(!verified.ok());
  const auto url = blobs::SignUrl(kSecret, method, path, kNow + seconds(60));
  FUZZ_CHECK(url.ok());
  FUZZ_CHECK(blobs::VerifySignedUrl(kSecret, method, path, *url, kNow).ok());
  FUZZ_CHECK(blobs::VerifySignedUrl(kSecret, method, path, *url, kNow + seconds(61)).reason() ==
             "url_expired");
  return 0;
}
