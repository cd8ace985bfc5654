#include "core/status.h"

#include "core/text.h"

namespace smartocr::core {

namespace {
const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kUnsupportedFormat:
      return "UNSUPPORTED_FORMAT";
    case StatusCode::kCorruptInput:
      return "CORRUPT_INPUT";
    case StatusCode::kEncrypted:
      return "ENCRYPTED";
    case StatusCode::kLimitExceeded:
      return "LIMIT_EXCEEDED";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kIoError:
      return "IO_ERROR";
    case StatusCode::kCancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

bool IsInputRejection(StatusCode code) {
  switch (code) {
    case StatusCode::kNotFound:
    case StatusCode::kUnsupportedFormat:
    case StatusCode::kCorruptInput:
    case StatusCode::kEncrypted:
    case StatusCode::kLimitExceeded:
      return true;
    default:
      return false;
  }
}

Status::Status(StatusCode code, std::string reason, std::string message) {
  if (code != StatusCode::kOk) {
    rep_ = std::make_shared<const Rep>(Rep{code, std::move(reason), std::move(message)});
  }
}

const std::string& Status::reason() const { return rep_ ? rep_->reason : EmptyString(); }
const std::string& Status::message() const { return rep_ ? rep_->message : EmptyString(); }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(rep_->code));
  if (!rep_->reason.empty()) out += " (" + rep_->reason + ")";
  out += ": " + rep_->message;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(rep_->code, rep_->reason, std::string(context) + ": " + rep_->message);
}

Status Status::WithPathNamed(std::string_view path, std::string_view name) const {
  if (ok() || path.empty() || name.empty()) return *this;
  std::string message = rep_->message;
  for (size_t at = message.find(path); at != std::string::npos;
       at = message.find(path, at + name.size())) {
    message.replace(at, path.size(), name);
  }
  return Status(rep_->code, rep_->reason, std::move(message));
}

Status Status::WithoutPaths() const {
  if (ok()) return *this;
  return Status(rep_->code, rep_->reason, HidePaths(rep_->message));
}

#define SMARTOCR_STATUS_FACTORY(Name, code)                                 \
  Status Name(std::string reason, std::string message) {                    \
    return Status(StatusCode::code, std::move(reason), std::move(message)); \
  }
SMARTOCR_STATUS_FACTORY(InvalidArgument, kInvalidArgument)
SMARTOCR_STATUS_FACTORY(NotFound, kNotFound)
SMARTOCR_STATUS_FACTORY(UnsupportedFormat, kUnsupportedFormat)
SMARTOCR_STATUS_FACTORY(CorruptInput, kCorruptInput)
SMARTOCR_STATUS_FACTORY(Encrypted, kEncrypted)
SMARTOCR_STATUS_FACTORY(LimitExceeded, kLimitExceeded)
SMARTOCR_STATUS_FACTORY(DeadlineExceeded, kDeadlineExceeded)
SMARTOCR_STATUS_FACTORY(ResourceExhausted, kResourceExhausted)
SMARTOCR_STATUS_FACTORY(Internal, kInternal)
SMARTOCR_STATUS_FACTORY(Unavailable, kUnavailable)
SMARTOCR_STATUS_FACTORY(IoError, kIoError)
SMARTOCR_STATUS_FACTORY(Cancelled, kCancelled)
#undef SMARTOCR_STATUS_FACTORY

}  // namespace smartocr::core
