# Jobs end-to-end tests: real `smartocr worker` processes on real stores (SQLite, and
# PostgreSQL through the test harness when its binaries are installed). Included by
# tests/integration/CMakeLists.txt.
smartocr_test(jobs_integration_test
  SRCS jobs_crash_test.cc jobs_scale_test.cc jobs_webhook_test.cc jobs_failure_test.cc
       jobs_s3_test.cc jobs_signal_test.cc
  DEPS smartocr_test_e2e
  TIMEOUT 900 LABELS integration)
