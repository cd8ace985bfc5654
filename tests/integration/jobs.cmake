# Jobs end-to-end tests: real `smartocr worker` processes on real stores (SQLite, and
# PostgreSQL through the test harness when its binaries are installed). Included by
# tests/integration/CMakeLists.txt.
smartocr_test(jobs_integration_test
  SRCS jobs_harness.cc jobs_crash_test.cc jobs_scale_test.cc jobs_webhook_test.cc
       jobs_failure_test.cc jobs_s3_test.cc cli_runner.cc
  DEPS smartocr_store smartocr_blobs smartocr_test_pg smartocr_test_http
       nlohmann_json::nlohmann_json
  TIMEOUT 900 LABELS integration)
target_compile_definitions(jobs_integration_test PRIVATE
  SMARTOCR_BIN="$<TARGET_FILE:smartocr>")
add_dependencies(jobs_integration_test smartocr smartocr-decode)
