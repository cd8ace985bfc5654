// tests/unit/api/http_parse_test.cc
//
// What the transport reads from outside before any handler sees it: request targets
// (path and query) and multipart/form-data bodies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/http_server.h"
#include "api/multipart.h"

namespace smartocr::api {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/ocr/jobs/a%2Fb?format=csv&x=1+2&x=3&flag&e=%3D", &path, &query));
  EXPECT_EQ(path, "/ocr/jobs/a/b");
  EXPECT_EQ(query["format"], "csv");
  EXPECT_EQ(query["x"], "1 2");  // the first of a repeated name; '+' is a space there
  EXPECT_TRUE(query.count("flag"));
  EXPECT_EQ(query["e"], "=");
  ASSERT_TRUE(ParseTarget("/a+b", &path, &query));
  EXPECT_EQ(path, "/a+b");  // but not in a path
  EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, RefusesWhatItCannotDecode) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(ParseTarget("", &path, &query));
  EXPECT_FALSE(ParseTarget("http://host/x", &path, &query));  // absolute-form
  EXPECT_FALSE(ParseTarget("*", &path, &query));
  EXPECT_FALSE(ParseTarget("/bad%zz", &path, &query));
  EXPECT_FALSE(ParseTarget("/cut%4", &path, &query));
  EXPECT_FALSE(ParseTarget("/nul%00byte", &path, &query));
  EXPECT_FALSE(ParseTarget("/x?a=%G1", &path, &query));
}

TEST(HttpRequest, HeaderLookupIgnoresCase) {
  HttpRequest r;
  r.headers = {{"Content-Type", "text/plain"}, {"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  EXPECT_EQ(r.Header("X-A"), "1");
  EXPECT_EQ(r.Header("missing"), "");
}

std::string Body(const std::string& boundary, const std::vector<std::string>& parts) {
  std::string body;
  for (const std::string& p : parts) body += "--" + boundary + "\r\n" + p + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

TEST(Multipart, ReadsNamedPartsWithFilenameAndType) {
  const std::string body =
      Body("XyZ", {"Content-Disposition: form-data; name=\"file\"; filename=\"a b.png\"\r\n"
                   "Content-Type: image/png\r\n\r\n\x89PNG\r\n--not-a-boundary",
                   "content-disposition: form-data; name=options\r\n\r\n{\"schema\":\"receipt\"}"});
  std::vector<Part> parts;
  ASSERT_TRUE(ParseMultipart("multipart/form-data; boundary=XyZ", body, &parts));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "file");
  EXPECT_EQ(parts[0].filename, "a b.png");
  EXPECT_EQ(parts[0].content_type, "image/png");
  EXPECT_EQ(parts[0].data, "\x89PNG\r\n--not-a-boundary");  // CRLF inside data kept
  EXPECT_EQ(parts[1].name, "options");
  EXPECT_EQ(parts[1].data, "{\"schema\":\"receipt\"}");
}

TEST(Multipart, AcceptsQuotedBoundaryAndPreamble) {
  const std::string body =
      "preamble\r\n" + Body("a;b", {"Content-Disposition: form-data; name=\"f\"\r\n\r\nv"});
  std::vector<Part> parts;
  ASSERT_TRUE(ParseMultipart("Multipart/Form-Data; charset=x; boundary=\"a;b\"", body, &parts));
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "v");
}

TEST(Multipart, RefusesMalformedBodies) {
  const std::string part = "Content-Disposition: form-data; name=\"f\"\r\n\r\nv";
  std::vector<Part> parts;
  const std::string type = "multipart/form-data; boundary=B";
  EXPECT_FALSE(ParseMultipart("multipart/form-data", Body("B", {part}), &parts));  // no boundary
  EXPECT_FALSE(ParseMultipart("application/json; boundary=B", Body("B", {part}), &parts));
  EXPECT_FALSE(ParseMultipart(type, "--B\r\n" + part + "\r\n", &parts));  // never closed
  EXPECT_FALSE(ParseMultipart(type, "", &parts));
  EXPECT_FALSE(ParseMultipart(type, Body("B", {"Content-Type: text/plain\r\n\r\nv"}), &parts));
  EXPECT_FALSE(ParseMultipart(type, Body("B", {"no colon here\r\n\r\nv"}), &parts));
  EXPECT_FALSE(ParseMultipart(type, "--B\r\nContent-Disposition: form-data; name=\"f\"", &parts));
  EXPECT_FALSE(ParseMultipart(type,
                              Body("B", {"Content-Disposition: form-data; name=\"f\r\n\r\nv"}),
                              &parts));  // unterminated quote
  std::vector<std::string> many(kMaxMultipartParts + 1, part);
  EXPECT_FALSE(ParseMultipart(type, Body("B", many), &parts));
  many.pop_back();
  EXPECT_TRUE(ParseMultipart(type, Body("B", many), &parts));
  EXPECT_FALSE(ParseMultipart(
      type, Body("B", {"X-Pad: " + std::string(kMaxPartHeaderBytes, 'p') + "\r\n" + part}),
      &parts));
}

}  // namespace
}  // namespace smartocr::api
