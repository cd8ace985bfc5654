// tests/unit/blobs/blob_key_test.cc
#include <gtest/gtest.h>

#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

TEST(ValidateKeyTest, Table) {
  struct Case {
    std::string key;
    bool ok;
  };
  const Case cases[] = {
      {"a", true},
      {"jobs/42/page-1.png", true},
      {"tenant_7/orig/scan (1).pdf", false},  // space
      {"tenant_7/orig/scan(1)~v2.pdf", true},
      {"a:b@c=d+e,f!g*h'i", true},
      {".hidden", true},
      {"a/.../b", true},  // "..." is a plain name
      {"", false},
      {"/abs", false},
      {"trailing/", false},
      {"a//b", false},
      {"..", false},
      {"a/../b", false},
      {"../a", false},
      {"a/..", false},
      {"./a", false},
      {"a\\b", false},
      {"a\nb", false},
      {std::string("a\0b", 3), false},
      {"caf\xc3\xa9", false},  // non-ASCII
      {"a?b", false},
      {"a#b", false},
      {"a%2e", false},
      {std::string(1024, 'k'), false},  // one segment over 255
      {std::string(255, 'k'), true},
      {std::string(256, 'k'), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key.substr(0, 40));
    const core::Status status = ValidateKey(c.key);
    EXPECT_EQ(status.ok(), c.ok) << status.ToString();
    if (!c.ok) {
      EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
      EXPECT_EQ(status.reason(), "blob_key");
    }
  }
}

TEST(ValidateKeyTest, LengthLimit) {
  std::string key;
  while (key.size() + 100 < kMaxKeyBytes) key += std::string(99, 'a') + "/";
  key += std::string(kMaxKeyBytes - key.size(), 'b');
  ASSERT_EQ(key.size(), kMaxKeyBytes);
  EXPECT_TRUE(ValidateKey(key).ok());
  EXPECT_EQ(ValidateKey(key + "b").reason(), "blob_key");
}

}  // namespace
}  // namespace smartocr::blobs
