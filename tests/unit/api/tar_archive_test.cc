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
