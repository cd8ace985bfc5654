// --engine, --models-dir and --device: parsed, checked and turned into an engine.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cli/engine_factory.h"
#include "cli/extract_flags.h"
#include "ppocr/ppocr.h"
#include "required.h"

namespace smartocr::cli {
namespace {

bool PpocrInstalled() {
  return ppocr::RuntimeAvailable() &&
         std::filesystem::exists(ppocr::DefaultModelsDir() + "/ch_PP-OCRv4_rec_infer.onnx");
}

pipeline::PipelineOptions OneThread() {
  pipeline::PipelineOptions options;
  options.threads = 1;
  return options;
}

TEST(EngineSelection, ParsesEngineFlags) {
  auto flags = ParseExtractFlags({"in.png"});
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->engine.engine, "auto");
  EXPECT_EQ(flags->engine.device, "cpu");
  flags = ParseExtractFlags(
      {"--engine", "hybrid", "--models-dir=/m", "--device", "cuda", "--psm", "6", "in.png"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->engine.engine, "hybrid");
  EXPECT_EQ(flags->engine.models_dir, "/m");
  EXPECT_EQ(flags->engine.device, "cuda");
  EXPECT_EQ(flags->engine.tesseract.psm, 6);
  EXPECT_EQ(ParseExtractFlags({"--engine", "ppocr", "in.png"})->engine.engine, "ppocr");
  auto bad = ParseExtractFlags({"--engine", "easyocr", "in.png"});
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--engine"), std::string::npos);
  EXPECT_FALSE(ParseExtractFlags({"--device", "tpu", "in.png"}).ok());
}

TEST(EngineSelection, MrzPassOnlyWhereAnMrzCanBe) {
  EXPECT_TRUE(ParseExtractFlags({"in.png"})->pipeline.mrz_pass);
  EXPECT_TRUE(ParseExtractFlags({"--schema", "auto", "in.png"})->pipeline.mrz_pass);
  EXPECT_TRUE(ParseExtractFlags({"--schema", "id_document", "in.png"})->pipeline.mrz_pass);
  EXPECT_FALSE(ParseExtractFlags({"--schema", "receipt", "in.png"})->pipeline.mrz_pass);
  EXPECT_FALSE(ParseExtractFlags({"--schema", "invoice", "in.png"})->pipeline.mrz_pass);
}

TEST(EngineSelection, CreatesTheNamedEngine) {
  EngineFlags flags;
  auto tess = CreateEngine(flags);
  ASSERT_TRUE(tess.ok()) << tess.status().ToString();
  EXPECT_EQ((*tess)->info().name, "tesseract");
  flags.engine = "nope";
  EXPECT_EQ(CreateEngine(flags).status().code(), core::StatusCode::kInvalidArgument);
  flags.engine = "tesseract";
  flags.device = "cuda";
  EXPECT_EQ(CreateEngine(flags).status().code(), core::StatusCode::kUnavailable);
  flags.device = "cpu";
  flags.engine = "ppocr";
  flags.models_dir = "/nonexistent/models";
  auto missing = CreateEngine(flags);
  EXPECT_EQ(missing.status().code(), core::StatusCode::kUnavailable);
}

TEST(EngineSelection, AutoPicksHybridForReceiptsWhenInstalled) {
  EngineFlags flags;
  EXPECT_EQ(ResolveEngineName(flags, ""), "tesseract");
  EXPECT_EQ(ResolveEngineName(flags, "invoice"), "tesseract");
  flags.models_dir = "/nonexistent/models";
  EXPECT_EQ(ResolveEngineName(flags, "receipt"), "tesseract");  // falls back
  flags.engine = "ppocr";
  EXPECT_EQ(ResolveEngineName(flags, "receipt"), "ppocr");  // asked for: no fallback
  EXPECT_EQ(CreateEngine(flags, "receipt").status().code(), core::StatusCode::kUnavailable);
  flags.engine = "auto";
  flags.models_dir.clear();
  auto engine = CreateEngine(flags, "receipt");
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  // Where the models must be installed, auto must find them, whatever the code's own
  // check says; elsewhere it picks what is there.
  if (testing::DependenciesRequired() || PpocrInstalled()) {
    EXPECT_EQ((*engine)->info().name, "hybrid");
  } else {
    EXPECT_EQ((*engine)->info().name, "tesseract");
  }
}

TEST(EngineSelection, ModelsDirFromEnvironment) {
  if (!ppocr::RuntimeAvailable()) SMARTOCR_SKIP_OR_FAIL("this build has no ONNX Runtime");
  EngineFlags flags;
  flags.engine = "ppocr";
  setenv("SMARTOCR_MODELS_DIR", "/nonexistent/env-models", 1);
  auto from_env = CreateEngine(flags);
  unsetenv("SMARTOCR_MODELS_DIR");
  ASSERT_FALSE(from_env.ok());
  EXPECT_NE(from_env.status().message().find("/nonexistent/env-models"), std::string::npos)
      << from_env.status().ToString();
}

TEST(ServicePipelines, AutoWithoutModelsRunsEverythingOnTesseract) {
  EngineFlags flags;
  flags.models_dir = "/nonexistent/models";
  auto set = CreatePipelineSet(flags, OneThread());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ((*set)->names(), std::vector<std::string>{"tesseract"});
  for (const std::string schema : {"receipt", "invoice", "id_document", "auto", "", "mine"}) {
    EXPECT_EQ((*set)->For(schema).engine_name, "tesseract") << schema;
  }
  EXPECT_EQ((*set)->For("receipt").engine_version.rfind("tesseract-", 0), 0u);
  EXPECT_TRUE((*set)->For("receipt").pipeline.options().mrz_pass);
  // The readers load their models on first use: there whenever the runtime is.
  const mrz::PassOptions& readers = (*set)->For("receipt").pipeline.options().mrz_readers;
  EXPECT_EQ(readers.second_reader != nullptr, ppocr::RuntimeAvailable());
  EXPECT_EQ(readers.ocrb_reader != nullptr, ppocr::RuntimeAvailable());
}

TEST(ServicePipelines, ExplicitEngineRunsEveryDocument) {
  EngineFlags flags;
  flags.engine = "tesseract";
  auto set = CreatePipelineSet(flags, OneThread());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ((*set)->names(), std::vector<std::string>{"tesseract"});
  EXPECT_EQ((*set)->For("receipt").engine_name, "tesseract");
  flags.engine = "ppocr";
  flags.models_dir = "/nonexistent/models";
  EXPECT_EQ(CreatePipelineSet(flags, OneThread()).status().code(),
            core::StatusCode::kUnavailable);  // asked for: no fallback
  flags.engine = "nope";
  EXPECT_EQ(CreatePipelineSet(flags, OneThread()).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(ServicePipelines, AutoRunsReceiptsOnHybridWhenInstalled) {
  if (!PpocrInstalled()) SMARTOCR_SKIP_OR_FAIL("PP-OCR runtime or models not installed");
  auto set = CreatePipelineSet(EngineFlags{}, OneThread());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ((*set)->names(), (std::vector<std::string>{"tesseract", "hybrid"}));
  auto receipt = (*set)->For("receipt");
  EXPECT_EQ(receipt.engine_name, "hybrid");
  EXPECT_EQ(receipt.engine_version.rfind("hybrid-", 0), 0u) << receipt.engine_version;
  EXPECT_FALSE(receipt.pipeline.options().mrz_pass);  // as extract --schema receipt
  EXPECT_EQ(receipt.pipeline.options().threads, 1);   // the one pool of page workers
  for (const std::string schema : {"invoice", "id_document", "auto", ""}) {
    EXPECT_EQ((*set)->For(schema).engine_name, "tesseract") << schema;
  }
  EXPECT_NE(&(*set)->For("invoice").pipeline, &receipt.pipeline);
  EXPECT_EQ(DescribeEngines(**set), "tesseract, hybrid (receipt)");
  // The MRZ pass's readers: one of each, made by the set, for the pipelines that run it.
  EXPECT_EQ(receipt.pipeline.options().mrz_readers.second_reader, nullptr);
  EXPECT_EQ(receipt.pipeline.options().mrz_readers.ocrb_reader, nullptr);
  const mrz::PassOptions& id_readers = (*set)->For("id_document").pipeline.options().mrz_readers;
  EXPECT_NE(id_readers.second_reader, nullptr);
  EXPECT_NE(id_readers.ocrb_reader, nullptr);
}

}  // namespace
}  // namespace smartocr::cli
