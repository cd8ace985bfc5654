// The flag table: parsing against rows, the usage errors, the help text made from
// the rows, and the rows the commands share.
#include "cli/flag_table.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli/common_flags.h"
#include "cli/extract_flags.h"

namespace smartocr::cli {
namespace {

struct DemoFlags {
  int dpi = 300;
  double rate = 20;
  std::string name;
  bool verbose = false;
  bool help = false;
  EngineFlags engine;
};

FlagTable DemoTable(DemoFlags* f) {
  return Concat({
      {IntFlag("--dpi", "N", "PDF rasterization resolution (default: 300)", 72, 1200, &f->dpi),
       RealFlag("--rate", "R", "requests per second", 0, 1e6, [f](double r) { f->rate = r; }),
       NonEmptyTextFlag("-n, --name", "NAME", "a name", &f->name, "--name needs a name"),
       SwitchFlag("--verbose", "", &f->verbose)},  // unlisted: no help
      EngineFlagRows(&f->engine),
      {HelpFlag(&f->help)},
  });
}

core::Status Parse(DemoFlags* f, const std::vector<std::string>& args,
                   std::vector<std::string>* positional = nullptr) {
  return ParseFlags("demo", DemoTable(f), args, positional);
}

TEST(FlagTable, ParsesValuesSpellingsAndSwitches) {
  DemoFlags f;
  std::vector<std::string> rest;
  ASSERT_TRUE(
      Parse(&f,
            {"--dpi", "150", "in.pdf", "--rate=0.5", "-n", "a", "--verbose", "-", "--", "--dpi"},
            &rest)
          .ok());
  EXPECT_EQ(f.dpi, 150);
  EXPECT_DOUBLE_EQ(f.rate, 0.5);
  EXPECT_EQ(f.name, "a");
  EXPECT_TRUE(f.verbose);
  EXPECT_FALSE(f.help);
  EXPECT_EQ(rest, (std::vector<std::string>{"in.pdf", "-", "--dpi"}));
  ASSERT_TRUE(Parse(&f, {"--name=b", "--dpi=72"}).ok());
  EXPECT_EQ(f.name, "b");
  EXPECT_EQ(f.dpi, 72);
}

TEST(FlagTable, UsageErrorsNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--bogus"}, "unknown option '--bogus' (see smartocr demo --help)"},
      {{"--bogus=1"}, "unknown option '--bogus' (see smartocr demo --help)"},
      {{"-x"}, "unknown option '-x' (see smartocr demo --help)"},
      {{"--dpi"}, "--dpi needs a value"},
      {{"-n"}, "--name needs a value"},
      {{"--verbose=1"}, "--verbose takes no value"},
      {{"--dpi", "5"}, "--dpi needs a whole number from 72 to 1200, got '5'"},
      {{"--dpi", "150.5"}, "--dpi needs a whole number from 72 to 1200, got '150.5'"},
      {{"--dpi", "150x"}, "--dpi needs a whole number from 72 to 1200, got '150x'"},
      {{"--rate", "nan"}, "--rate needs a number from 0 to 1000000, got 'nan'"},
      {{"--name", ""}, "--name needs a name"},
      {{"--device", "tpu"}, "--device must be cpu or cuda, got 'tpu'"},
      {{"--engine", "easyocr"}, "--engine must be auto, tesseract, ppocr or hybrid, got 'easyocr'"},
      {{"--lang="}, "--lang needs a language"},
      {{"in.pdf"}, "unexpected argument 'in.pdf' (see smartocr demo --help)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.front());
    DemoFlags f;
    core::Status st = Parse(&f, c.args);
    EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(st.reason(), "usage");
    EXPECT_EQ(st.message(), c.message);
    // A refused value leaves the target as it was.
    EXPECT_EQ(f.dpi, 300);
    EXPECT_EQ(f.engine.device, "cpu");
    EXPECT_EQ(f.engine.engine, "auto");
  }
}

TEST(FlagTable, HelpComesFromTheRows) {
  DemoFlags f;
  const std::string help = Usage("Usage: smartocr demo [options]\n", DemoTable(&f), "Bye.\n");
  EXPECT_EQ(help.rfind("Usage: smartocr demo [options]\n\nOptions:\n", 0), 0u) << help;
  EXPECT_NE(help.find("      --dpi N"), std::string::npos) << help;
  EXPECT_NE(help.find("  -n, --name NAME"), std::string::npos) << help;
  EXPECT_NE(help.find("  -h, --help"), std::string::npos) << help;
  EXPECT_NE(help.find("PDF rasterization resolution (default: 300)"), std::string::npos);
  EXPECT_NE(help.find("--device DEV"), std::string::npos) << help;
  EXPECT_EQ(help.find("--verbose"), std::string::npos) << help;  // no help: not listed
  EXPECT_EQ(help.substr(help.size() - 6), "\nBye.\n");
  // Rows in table order, lines within 80 columns, continuation lines indented.
  EXPECT_LT(help.find("--dpi"), help.find("--rate"));
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 80u) << line;
  }
  const std::string continued = "\n" + std::string(24, ' ');  // the help column here
  const size_t at = help.find(continued);
  ASSERT_NE(at, std::string::npos) << help;
  EXPECT_NE(help[at + continued.size()], ' ') << help;
}

TEST(FlagTable, WithoutAndRefused) {
  DemoFlags f;
  const FlagTable table = DemoTable(&f);
  const FlagTable rows = Concat({Without(table, {"--dpi", "-n, --name"}),
                                 Refused(table, {"--dpi"}, "--dpi does not apply here")});
  EXPECT_EQ(ParseFlags("demo", rows, {"--dpi", "100"}, nullptr).message(),
            "--dpi does not apply here");
  EXPECT_EQ(ParseFlags("demo", rows, {"-n", "x"}, nullptr).message(),
            "unknown option '-n' (see smartocr demo --help)");
  const std::string help = Usage("", rows);
  EXPECT_EQ(help.find("--dpi"), std::string::npos) << help;
  EXPECT_NE(help.find("--rate"), std::string::npos) << help;
}

TEST(CommonFlags, LlmClientOnlyWhenAskedAndConfigured) {
  unsetenv("SMARTOCR_LLM_BASE_URL");
  unsetenv("SMARTOCR_LLM_MODEL");
  auto none = MakeLlmClient(false);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  auto missing = MakeLlmClient(true);
  EXPECT_EQ(missing.status().reason(), "usage");
  EXPECT_EQ(missing.status().message(), "--llm: set SMARTOCR_LLM_BASE_URL and SMARTOCR_LLM_MODEL");
  setenv("SMARTOCR_LLM_BASE_URL", "http://127.0.0.1:1/v1", 1);
  setenv("SMARTOCR_LLM_MODEL", "fake", 1);
  auto client = MakeLlmClient(true);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_NE(*client, nullptr);
  unsetenv("SMARTOCR_LLM_BASE_URL");
  unsetenv("SMARTOCR_LLM_MODEL");
}

TEST(CommonFlags, ServiceAndWebhookRows) {
  ServiceFlags service;
  WebhookFlags webhooks;
  const FlagTable rows = Concat({ServiceFlagRows(&service), WebhookFlagRows(&webhooks)});
  ASSERT_TRUE(ParseFlags("demo", rows,
                         {"--data-dir", "d", "--database=sqlite:///x.db", "--blobs", "b",
                          "--webhook-secret", "s", "--webhook-allow", "10.0.0.0/8"},
                         nullptr)
                  .ok());
  EXPECT_EQ(service.data_dir, "d");
  EXPECT_EQ(service.database, "sqlite:///x.db");
  EXPECT_EQ(service.blobs, "b");
  EXPECT_EQ(webhooks.legacy_secret, "s");  // accepted, so old command lines start; ignored
  core::Status bad = ParseFlags("demo", rows, {"--webhook-allow", "10.0.0.0/99"}, nullptr);
  EXPECT_EQ(bad.reason(), "usage");
  EXPECT_EQ(bad.message().rfind("--webhook-allow: ", 0), 0u) << bad.message();
  setenv("SMARTOCR_WEBHOOK_ALLOW", "10.0.0.1,,hooks.internal", 1);
  EXPECT_TRUE(AllowWebhooksFromEnv(&webhooks).ok());
  setenv("SMARTOCR_WEBHOOK_ALLOW", "10.0.0.1,bad/99", 1);
  core::Status env = AllowWebhooksFromEnv(&webhooks);
  EXPECT_EQ(env.reason(), "usage");
  EXPECT_EQ(env.message().rfind("SMARTOCR_WEBHOOK_ALLOW: ", 0), 0u) << env.message();
  unsetenv("SMARTOCR_WEBHOOK_ALLOW");
}

TEST(ExtractFlags, TheTableDrivesParsingAndHelp) {
  auto flags = ParseExtractFlags({"-j", "2", "-l", "deu", "--tessdata=/td", "a.png", "b.png"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->pipeline.threads, 2);
  EXPECT_EQ(flags->engine.tesseract.lang, "deu");
  EXPECT_EQ(flags->engine.tesseract.tessdata_dir, "/td");
  EXPECT_EQ(flags->pipeline.preprocess.tessdata_dir, "/td");
  EXPECT_EQ(flags->inputs, (std::vector<std::string>{"a.png", "b.png"}));
  EXPECT_EQ(ParseExtractFlags({"in.png", "-j", "0"}).status().message(),
            "--jobs needs a whole number from 1 to 256, got '0'");
  EXPECT_EQ(ParseExtractFlags({"in.png", "--psm", "2"}).status().message(),
            "--psm 2 is not supported by Tesseract");
  EXPECT_EQ(ParseExtractFlags({}).status().message(),
            "no input files (see smartocr extract --help)");
  EXPECT_TRUE(ParseExtractFlags({"--help"})->help);
  const std::string help = ExtractUsage();
  for (const char* entry : {"  -f, --format FMT", "      --llm", "SMARTOCR_LLM_BASE_URL",
                            "      --engine NAME", "  -j, --jobs N", "Exit codes"}) {
    EXPECT_NE(help.find(entry), std::string::npos) << entry << " missing in\n" << help;
  }
}

}  // namespace
}  // namespace smartocr::cli
