#include "api/tar_archive.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "fixtures.h"

namespace smartocr::api {
namespace {

using smartocr::testing::MakeTempDir;
using smartocr::testing::ReadFile;
using smartocr::testing::WriteFile;

TEST(TarArchive, SystemTarUnpacksWhatWasAdded) {
  TarArchive tar;
  std::string binary(1300, '\0');  // spans blocks, with NULs inside
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  ASSERT_TRUE(tar.Add("job_1.png", binary, 1700000000).ok());
  ASSERT_TRUE(tar.Add("job_1.json", "{\"a\": 1}\n", 1700000000).ok());
  ASSERT_TRUE(tar.Add("empty.txt", "", 0).ok());
  ASSERT_TRUE(tar.Add(std::string(100, 'n'), "long name", 0).ok());
  const std::string bytes = std::move(tar).Finish();
  EXPECT_EQ(bytes.size() % 512, 0u);
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/a.tar", bytes);
  ASSERT_EQ(
      std::system(("mkdir -p " + dir + "/x && tar -xf " + dir + "/a.tar -C " + dir + "/x").c_str()),
      0);
  EXPECT_EQ(ReadFile(dir + "/x/job_1.png"), binary);
  EXPECT_EQ(ReadFile(dir + "/x/job_1.json"), "{\"a\": 1}\n");
  EXPECT_EQ(ReadFile(dir + "/x/empty.txt"), "");
  EXPECT_EQ(ReadFile(dir + "/x/" + std::string(100, 'n')), "long name");
  // GNU tar checks each header's checksum and format: a listing without complaints.
  EXPECT_EQ(std::system(("tar -tvf " + dir + "/a.tar > /dev/null 2> " + dir + "/err").c_str()), 0);
  EXPECT_EQ(ReadFile(dir + "/err"), "");
}

// Names over 100 bytes go into ustar's prefix field, split at a '/'; a sink receives
// the same bytes an in-memory archive holds.
TEST(TarArchive, LongNamesSplitAndASinkGetsTheSameBytes) {
  const std::string deep = "blobs/originals/" + std::string(120, 't') + "/src_0123456789";
  std::string streamed;
  TarArchive to_sink([&](std::string_view bytes) {
    streamed.append(bytes);
    return core::Status::Ok();
  });
  TarArchive in_memory;
  for (TarArchive* tar : {&to_sink, &in_memory}) {
    ASSERT_TRUE(tar->Add(deep, "deep", 1700000000).ok());
    ASSERT_TRUE(tar->Add("tenant.json", "{}", 1700000000).ok());
  }
  EXPECT_EQ(to_sink.size(), in_memory.size());
  core::Status sink_status = core::Internal("unset", "");
  EXPECT_EQ(std::move(to_sink).Finish(&sink_status), "");
  EXPECT_TRUE(sink_status.ok());
  const std::string bytes = std::move(in_memory).Finish();
  EXPECT_EQ(streamed, bytes);
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/a.tar", bytes);
  ASSERT_EQ(
      std::system(("mkdir -p " + dir + "/x && tar -xf " + dir + "/a.tar -C " + dir + "/x").c_str()),
      0);
  EXPECT_EQ(ReadFile(dir + "/x/" + deep), "deep");
  // Too long to split (no '/' leaves both parts within their fields).
  TarArchive tar;
  EXPECT_EQ(tar.Add(std::string(160, 'p') + "/" + std::string(20, 'n'), "x", 0).reason(),
            "tar_name");
  EXPECT_EQ(tar.Add("a/" + std::string(120, 'n'), "x", 0).reason(), "tar_name");
  // A sink's error stops the archive and comes back as it is.
  TarArchive failing([](std::string_view) { return core::IoError("disk_full", "no space"); });
  EXPECT_EQ(failing.Add("a", "x", 0).reason(), "disk_full");
}

TEST(TarArchive, UnsafeNamesAreRefused) {
  TarArchive tar;
  for (const std::string& bad :
       {std::string(""), std::string(101, 'n'), std::string("/etc/x"), std::string("../x"),
        std::string("a/../../x"), std::string("a\0b", 3)}) {
    EXPECT_EQ(tar.Add(bad, "x", 0).reason(), "tar_name") << bad;
  }
  EXPECT_EQ(tar.size(), 0u);
  EXPECT_TRUE(tar.Add("a/b..c", "x", 0).ok());  // ".." only as a whole part
}

}  // namespace
}  // namespace smartocr::api
