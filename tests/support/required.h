// tests/support/required.h
//
// One answer, for every harness and test, to "must this outside dependency be here?"
// (PostgreSQL, s3rver, Redis, ONNX Runtime and the PP-OCR models, poppler-utils):
// yes under CI (CI set to anything but "", "0" or "false") and when
// SMARTOCR_REQUIRE_ALL=1, which scripts/test.sh sets after installing everything. Then a
// missing dependency fails the test. Elsewhere (a developer's partial machine) the test
// is skipped and says why: ctest reports it as skipped, never as passed.
//
//   auto s3 = S3rver::Start("bucket", &why);
//   if (!s3) SMARTOCR_SKIP_OR_FAIL(why);
#ifndef SMARTOCR_TESTS_SUPPORT_REQUIRED_H_
#define SMARTOCR_TESTS_SUPPORT_REQUIRED_H_

#include <gtest/gtest.h>

namespace smartocr::testing {

bool DependenciesRequired();

}  // namespace smartocr::testing

// Ends the test for a missing dependency: a failure when DependenciesRequired(), else a
// skip, with `why` either way. Only in a test body or a void function of one.
#define SMARTOCR_SKIP_OR_FAIL(why)                      \
  do {                                                  \
    if (::smartocr::testing::DependenciesRequired()) {  \
      GTEST_FAIL() << "required dependency: " << (why); \
    }                                                   \
    GTEST_SKIP() << (why);                              \
  } while (0)

#endif  // SMARTOCR_TESTS_SUPPORT_REQUIRED_H_
