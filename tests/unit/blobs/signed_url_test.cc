// tests/unit/blobs/signed_url_test.cc
//
// Signed URLs for the local backend. s3rver does not reliably enforce presigned
// expiry, so expiry and tampering are checked here, against our own verifier.
#include <gtest/gtest.h>

#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef-test-secret";
const std::chrono::sys_seconds kNow{std::chrono::seconds(1700000000)};
const std::chrono::sys_seconds kExpires = kNow + std::chrono::seconds(300);

std::string Signed() {
  core::Result<std::string> query = SignUrl(kSecret, "GET", "/blobs/jobs/1/p.png", kExpires);
  EXPECT_TRUE(query.ok()) << query.status().ToString();
  return query.ok() ? *query : "";
}

TEST(SignedUrlTest, RoundTrip) {
  const std::string query = Signed();
  EXPECT_TRUE(query.starts_with("expires=1700000300&signature=")) << query;
  EXPECT_TRUE(VerifySignedUrl(kSecret, "GET", "/blobs/jobs/1/p.png", query, kNow).ok());
  // Valid up to and including the expiry second.
  EXPECT_TRUE(VerifySignedUrl(kSecret, "GET", "/blobs/jobs/1/p.png", query, kExpires).ok());
}

TEST(SignedUrlTest, ExpiredUrlIsRefused) {
  const core::Status status = VerifySignedUrl(kSecret, "GET", "/blobs/jobs/1/p.png", Signed(),
                                              kExpires + std::chrono::seconds(1));
  EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "url_expired");
}

TEST(SignedUrlTest, TamperedUrlsAreRefused) {
  const std::string good = Signed();
  const std::string sig = good.substr(good.find("signature=") + 10);
  std::string flipped = good;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  struct Case {
    const char* name;
    std::string method, path, query;
  };
  const Case cases[] = {
      {"other path", "GET", "/blobs/jobs/2/p.png", good},
      {"other method", "PUT", "/blobs/jobs/1/p.png", good},
      {"extended expiry", "GET", "/blobs/jobs/1/p.png", "expires=1800000000&signature=" + sig},
      {"flipped signature", "GET", "/blobs/jobs/1/p.png", flipped},
      {"no signature", "GET", "/blobs/jobs/1/p.png", "expires=1700000300"},
      {"extra parameter", "GET", "/blobs/jobs/1/p.png", good + "&download=1"},
      {"repeated parameter", "GET", "/blobs/jobs/1/p.png", good + "&signature=" + sig},
      {"garbage expiry", "GET", "/blobs/jobs/1/p.png", "expires=17e8&signature=" + sig},
      {"empty", "GET", "/blobs/jobs/1/p.png", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const core::Status status = VerifySignedUrl(kSecret, c.method, c.path, c.query, kNow);
    EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.reason(), "bad_signature");
  }
  EXPECT_EQ(VerifySignedUrl("another-secret-of-length", "GET", "/blobs/jobs/1/p.png", good, kNow)
                .reason(),
            "bad_signature");
}

TEST(SignedUrlTest, ShortSecretIsRefused) {
  EXPECT_EQ(SignUrl("short", "GET", "/x", kExpires).status().reason(), "signing_secret");
  EXPECT_EQ(VerifySignedUrl("short", "GET", "/x", "expires=1&signature=00", kNow).reason(),
            "signing_secret");
}

}  // namespace
}  // namespace smartocr::blobs
