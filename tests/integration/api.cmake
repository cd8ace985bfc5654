# HTTP API end-to-end tests: the real `smartocr serve` on a free loopback port over
# SQLite and local blobs (and once over PostgreSQL + s3rver). Included by
# tests/integration/CMakeLists.txt.
smartocr_test(api_integration_test
  SRCS api_sync_test.cc api_async_test.cc api_authz_test.cc one_path_test.cc
       api_telemetry_test.cc api_review_test.cc api_engine_test.cc
  DEPS smartocr_test_e2e
  TIMEOUT 300 LABELS integration)
