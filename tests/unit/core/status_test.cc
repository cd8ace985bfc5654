#include "core/status.h"

#include <gtest/gtest.h>

namespace smartocr::core {
namespace {

struct CodeCase {
  StatusCode code;
  Status (*factory)(std::string, std::string);
  const char* name;
  int number;
  bool rejection;
};

TEST(Status, FactoriesCarryStableCodesAndNames) {
  const CodeCase cases[] = {
      {StatusCode::kInvalidArgument, InvalidArgument, "INVALID_ARGUMENT", 1, false},
      {StatusCode::kNotFound, NotFound, "NOT_FOUND", 2, true},
      {StatusCode::kUnsupportedFormat, UnsupportedFormat, "UNSUPPORTED_FORMAT", 3, true},
      {StatusCode::kCorruptInput, CorruptInput, "CORRUPT_INPUT", 4, true},
      {StatusCode::kEncrypted, Encrypted, "ENCRYPTED", 5, true},
      {StatusCode::kLimitExceeded, LimitExceeded, "LIMIT_EXCEEDED", 6, true},
      {StatusCode::kDeadlineExceeded, DeadlineExceeded, "DEADLINE_EXCEEDED", 7, false},
      {StatusCode::kResourceExhausted, ResourceExhausted, "RESOURCE_EXHAUSTED", 8, false},
      {StatusCode::kInternal, Internal, "INTERNAL", 9, false},
      {StatusCode::kUnavailable, Unavailable, "UNAVAILABLE", 10, false},
      {StatusCode::kIoError, IoError, "IO_ERROR", 11, false},
      {StatusCode::kCancelled, Cancelled, "CANCELLED", 12, false},
  };
  for (const CodeCase& c : cases) {
    SCOPED_TRACE(c.name);
    Status s = c.factory("why", "what happened");
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), c.code);
    EXPECT_EQ(static_cast<int>(s.code()), c.number);
    EXPECT_EQ(StatusCodeName(s.code()), c.name);
    EXPECT_EQ(s.reason(), "why");
    EXPECT_EQ(s.message(), "what happened");
    EXPECT_EQ(IsInputRejection(s.code()), c.rejection);
    EXPECT_EQ(s.ToString(), std::string(c.name) + " (why): what happened");
  }
}

TEST(Status, OkIsEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.reason(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(s.WithContext("x").ok());
}

TEST(Status, WithContextKeepsCodeAndReason) {
  Status s = CorruptInput("png_crc", "bad CRC").WithContext("a.png");
  EXPECT_EQ(s.code(), StatusCode::kCorruptInput);
  EXPECT_EQ(s.reason(), "png_crc");
  EXPECT_EQ(s.message(), "a.png: bad CRC");
}

TEST(Status, WithPathNamedNamesTheDocumentTheCallersWay) {
  const Status s = CorruptInput("no_pages", "/tmp/job-1 has no pages (/tmp/job-1)")
                       .WithPathNamed("/tmp/job-1", "job_1");
  EXPECT_EQ(s.reason(), "no_pages");
  EXPECT_EQ(s.message(), "job_1 has no pages (job_1)");
  EXPECT_EQ(CorruptInput("x", "/a b").WithPathNamed("/a", "").message(), "/a b");
  EXPECT_TRUE(Status::Ok().WithPathNamed("/a", "b").ok());
}

TEST(Status, WithoutPathsHidesServerFilesAndKeepsTheRest) {
  struct Case {
    const char* in;
    const char* want;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"cannot read /var/lib/smartocr/blobs/originals/acme/src_1: No such file",
            "cannot read <path>: No such file"},
           {"fetching file:///srv/data/uploads/a/b: gone", "fetching <path>: gone"},
           {"bad file '/etc/passwd', stop", "bad file '<path>', stop"},
           {"(/tmp/x) and path=/tmp/y", "(<path>) and path=<path>"},
           {"page 3/5 of a/b, ratio 1/2", "page 3/5 of a/b, ratio 1/2"},
           {"a lone / and // stay", "a lone / and // stay"},
           {"file://host/x stays", "file://host/x stays"},
       }) {
    EXPECT_EQ(IoError("r", c.in).WithoutPaths().message(), c.want) << c.in;
  }
  EXPECT_EQ(IoError("r", "/x").WithoutPaths().reason(), "r");
}

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd", "odd number");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  Result<int> r = Half(x);
  if (!r.ok()) return r.status();
  *out = *r;
  return Status::Ok();
}

TEST(Result, HoldsValueOrError) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(3, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Half(2).status().ok());
}

Status ReturnsEarly(bool fail) {
  SMARTOCR_RETURN_IF_ERROR(fail ? Internal("x", "y") : Status::Ok());
  return NotFound("reached", "end");
}

TEST(Status, ReturnIfErrorMacro) {
  EXPECT_EQ(ReturnsEarly(true).code(), StatusCode::kInternal);
  EXPECT_EQ(ReturnsEarly(false).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace smartocr::core
