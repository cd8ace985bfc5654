// The MRZ pass's second reader: made without loading anything, loaded on first use.
#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/core.hpp>

#include "mrz/mrz.h"
#include "ppocr/ppocr.h"

namespace smartocr::mrz {
namespace {

TEST(SecondReader, WithoutModelsEveryReadFailsUnavailable) {
  if (!ppocr::RuntimeAvailable()) {
    EXPECT_EQ(CreateSecondReader(), nullptr);
    return;
  }
  // Made while the models are there or not: nothing is loaded yet.
  std::unique_ptr<recognize::Engine> reader = CreateSecondReader();
  ASSERT_NE(reader, nullptr);
  setenv("SMARTOCR_MODELS_DIR", "/nonexistent/mrz-models", 1);
  const cv::Mat row(32, 200, CV_8UC1, cv::Scalar(255));
  auto first = reader->Recognize(row, {});
  auto again = reader->Recognize(row, {});
  unsetenv("SMARTOCR_MODELS_DIR");
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), core::StatusCode::kUnavailable) << first.status().ToString();
  EXPECT_EQ(again.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(reader->info().version, "unavailable");
}

}  // namespace
}  // namespace smartocr::mrz
