// src/core/status.h
//
// Status and Result<T>: how errors cross module boundaries in SmartOCR.
//
// A Status is a cheap value: OK carries no allocation. An error carries a fixed
// StatusCode (whose numbers never change: they reach the CLI exit codes, the HTTP
// API and stored job rows), a stable machine-readable reason (e.g. "page_pixels"),
// and a human message. Callers branch on code() and reason(), never on message().
//
//   core::Result<Page> page = source.Next();
//   if (!page.ok()) return page.status();
//   Use(*page);
//
// Thread safety: const-safe values.
#ifndef SMARTOCR_CORE_STATUS_H_
#define SMARTOCR_CORE_STATUS_H_

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace smartocr::core {

// The numbers are part of the public contract; append only.
enum class StatusCode : int {
  kOk = 0,
  // The caller asked for something malformed (bad flag, bad page range). Do not retry.
  kInvalidArgument = 1,
  // A named file or object does not exist. Do not retry without a change.
  kNotFound = 2,
  // The input's content is not a type we read (detected by content). Do not retry.
  kUnsupportedFormat = 3,
  // The input claims a supported type but is damaged or truncated. Do not retry.
  kCorruptInput = 4,
  // The input is encrypted or password-protected. Do not retry without the password.
  kEncrypted = 5,
  // The input exceeds a configured limit (bytes, pages, pixels). Do not retry as is.
  kLimitExceeded = 6,
  // Work ran past its deadline. Retry only with a longer deadline.
  kDeadlineExceeded = 7,
  // Memory or another resource ran out while working. A retry may succeed later.
  kResourceExhausted = 8,
  // A bug or broken invariant on our side. Report it.
  kInternal = 9,
  // A dependency (engine data, server) is unavailable right now. Retry with backoff.
  kUnavailable = 10,
  // Reading or writing a file failed. Retry may succeed.
  kIoError = 11,
  // The caller cancelled the work. Do not retry.
  kCancelled = 12,
};

// Stable upper-case name of a code, e.g. "CORRUPT_INPUT". Never empty.
std::string_view StatusCodeName(StatusCode code);

// True for codes that say the input itself was rejected (exit code 3 in the CLI).
bool IsInputRejection(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  Status(StatusCode code, std::string reason, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Stable snake_case detail such as "file_bytes" or "encrypted_pdf"; empty when OK.
  const std::string& reason() const;
  const std::string& message() const;

  // "CORRUPT_INPUT (png_truncated): message".
  std::string ToString() const;

  // Returns a copy whose message is prefixed by `context` and ": ".
  Status WithContext(std::string_view context) const;
  // Returns a copy whose message says `name` wherever it said `path` (a temp file's
  // path, say, replaced by how the caller knows the document).
  Status WithPathNamed(std::string_view path, std::string_view name) const;
  // Returns a copy whose message shows no file paths (core::HidePaths): what a client
  // may see of a failure whose message names server files.
  Status WithoutPaths() const;

 private:
  struct Rep {
    StatusCode code;
    std::string reason;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // null when OK; shared so copies are cheap.
};

// Named factories: reason is a stable snake_case token.
Status InvalidArgument(std::string reason, std::string message);
Status NotFound(std::string reason, std::string message);
Status UnsupportedFormat(std::string reason, std::string message);
Status CorruptInput(std::string reason, std::string message);
Status Encrypted(std::string reason, std::string message);
Status LimitExceeded(std::string reason, std::string message);
Status DeadlineExceeded(std::string reason, std::string message);
Status ResourceExhausted(std::string reason, std::string message);
Status Internal(std::string reason, std::string message);
Status Unavailable(std::string reason, std::string message);
Status IoError(std::string reason, std::string message);
Status Cancelled(std::string reason, std::string message);

// Either a T or a non-OK Status, never an OK status without a value.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Requires: !status.ok().
  Result(Status status) : value_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(value_).ok() && "Result built from an OK status");
  }
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }

  // Requires: ok().
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> value_;
};

}  // namespace smartocr::core

// Returns the Status from the enclosing function when `expr` is not OK.
#define SMARTOCR_RETURN_IF_ERROR(expr)     \
  do {                                     \
    ::smartocr::core::Status _st = (expr); \
    if (!_st.ok()) return _st;             \
  } while (0)

#endif  // SMARTOCR_CORE_STATUS_H_
