# HTTP API end-to-end tests: the real `smartocr serve` on a free loopback port over
# SQLite and local blobs (and once over PostgreSQL + s3rver). Included by
# tests/integration/CMakeLists.txt.
pkg_check_modules(HTTPLIB_TEST REQUIRED IMPORTED_TARGET cpp-httplib)
smartocr_test(api_integration_test
  SRCS api_harness.cc api_sync_test.cc api_async_test.cc api_authz_test.cc jobs_harness.cc
       cli_runner.cc one_path_test.cc
  DEPS smartocr_store smartocr_blobs smartocr_test_pg smartocr_test_http
       PkgConfig::HTTPLIB_TEST nlohmann_json::nlohmann_json opencv_imgcodecs
  TIMEOUT 300 LABELS integration)
target_compile_definitions(api_integration_test PRIVATE
  SMARTOCR_BIN="$<TARGET_FILE:smartocr>")
add_dependencies(api_integration_test smartocr smartocr-decode)
