// The OCR-B reader (models/mrz/ocrb-rec.onnx): loading failures are clear errors that
// leave the pass to its other readers, and on its own it reads synthetic specimens'
// zones (tests/support/mrz_specimen.h, a renderer separate from the training script's).
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <random>

#include "fixtures.h"
#include "mrz/mrz.h"
#include "mrz_specimen.h"
#include "ppocr/ppocr.h"
#include "required.h"

namespace smartocr::mrz {
namespace {

using smartocr::testing::DegradationByName;
using smartocr::testing::SpecimenLayout;

// An engine that sees nothing: the pass then has the OCR-B reader's rows alone.
class BlindEngine final : public recognize::Engine {
 public:
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat&,
                                                  const recognize::RecognizeOptions&) override {
    return std::vector<core::Line>{};
  }

 private:
  const core::EngineInfo info_{"blind", "0"};
};

bool ModelInstalled() {
  return ppocr::RuntimeAvailable() && std::filesystem::exists(DefaultOcrbModelPath());
}

TEST(OcrbReader, MissingOrCorruptModelFailsUnavailable) {
  if (!ppocr::RuntimeAvailable()) {
    EXPECT_EQ(CreateOcrbReader(), nullptr);
    return;
  }
  const cv::Mat row(32, 200, CV_8UC1, cv::Scalar(255));
  std::unique_ptr<recognize::Engine> missing = CreateOcrbReader("/nonexistent/ocrb.onnx");
  ASSERT_NE(missing, nullptr);  // nothing is loaded before the first read
  auto read = missing->Recognize(row, {});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), core::StatusCode::kUnavailable) << read.status().ToString();
  EXPECT_EQ(read.status().reason(), "line_model_missing");
  EXPECT_EQ(missing->info().version, "unavailable");

  const std::string dir = smartocr::testing::MakeTempDir();
  const std::string corrupt = dir + "/ocrb.onnx";
  smartocr::testing::WriteFile(corrupt, "this is not an ONNX model");
  auto opened = ppocr::CreateLineRecognizer(
      {.model_path = corrupt, .alphabet = std::string(kOcrbAlphabet), .name = "ocrb"});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), core::StatusCode::kUnavailable) << opened.status().ToString();

  EXPECT_EQ(ppocr::CreateLineRecognizer({.model_path = corrupt, .alphabet = ""}).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(OcrbReader, PassWithoutItsModelStillReadsWithTheMainEngine) {
  // SMARTOCR_MRZ_MODEL names a missing file: the reader fails every read, and the pass
  // goes on with what the main engine reads (here nothing: no MRZ, no crash).
  if (!ppocr::RuntimeAvailable()) GTEST_SKIP() << "no ONNX runtime in this build";
  std::unique_ptr<recognize::Engine> reader = CreateOcrbReader("/nonexistent/ocrb.onnx");
  std::mt19937 rng(5);
  auto h = testing::RandomHolder(SpecimenLayout::kTd3, rng);
  cv::Mat page = testing::RenderSpecimen(SpecimenLayout::kTd3, h, rng), gray;
  cv::cvtColor(page, gray, cv::COLOR_BGR2GRAY);
  core::PageResult result;
  result.width = gray.cols;
  result.height = gray.rows;
  BlindEngine blind;
  EXPECT_FALSE(RereadMrzBand(result, gray, blind, {.ocrb_reader = reader.get()}));
  EXPECT_TRUE(result.blocks.empty());
}

// The zone of `count` specimens of each layout under `degradation`, read by the OCR-B
// reader alone: how many read exactly.
int ExactAlone(recognize::Engine& reader, const std::string& degradation, int count,
               unsigned seed) {
  const SpecimenLayout layouts[] = {SpecimenLayout::kTd3, SpecimenLayout::kTd1,
                                    SpecimenLayout::kTd2, SpecimenLayout::kMrvA,
                                    SpecimenLayout::kMrvB};
  std::mt19937 rng(seed);
  BlindEngine blind;
  int exact = 0;
  for (int i = 0; i < count; ++i) {
    for (SpecimenLayout layout : layouts) {
      auto h = testing::RandomHolder(layout, rng);
      cv::Mat shot = testing::Degrade(testing::RenderSpecimen(layout, h, rng),
                                      DegradationByName(degradation), rng),
              gray;
      cv::cvtColor(shot, gray, cv::COLOR_BGR2GRAY);
      core::PageResult result;
      result.width = gray.cols;
      result.height = gray.rows;
      RereadMrzBand(result, gray, blind, {.ocrb_reader = &reader});
      std::vector<std::string> read;
      for (const core::Block& b : result.blocks) {
        for (const core::Line& l : b.lines) read.push_back(l.Text());
      }
      exact += read == testing::ComposeMrz(layout, h) ? 1 : 0;
    }
  }
  return exact;
}

TEST(OcrbReader, AloneReadsSyntheticZones) {
  if (!ModelInstalled()) SMARTOCR_SKIP_OR_FAIL("ONNX runtime or OCR-B model not installed");
  std::unique_ptr<recognize::Engine> reader = CreateOcrbReader();
  EXPECT_GE(ExactAlone(*reader, "clean", 2, 21), 9);     // of 10
  EXPECT_GE(ExactAlone(*reader, "moderate", 2, 22), 7);  // of 10
  EXPECT_NE(reader->info().version.find("ocrb"), std::string::npos) << reader->info().version;
}

}  // namespace
}  // namespace smartocr::mrz
