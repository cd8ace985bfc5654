// src/blobs/signed_url.cc
//
// HMAC-signed URLs for blobs our own HTTP API serves (the local backend has no S3 to
// presign for it). The signature binds method, path and expiry; nothing else in the
// query is trusted, so any other parameter is refused rather than ignored.
#include <charconv>
#include <string>

#include "blobs/blobs.h"
#include "blobs/crypto.h"
#include "core/sha256.h"

namespace smartocr::blobs {
namespace {

constexpr std::size_t kMinSecretBytes = 16;

core::Status BadSignature(std::string message) {
  return core::InvalidArgument("bad_signature", std::move(message));
}

std::string Mac(std::string_view secret, std::string_view method, std::string_view path,
                long long expires) {
  return core::HmacSha256Hex(
      secret, std::string(method) + "\n" + std::string(path) + "\n" + std::to_string(expires));
}

core::Status CheckSecret(std::string_view secret) {
  if (secret.size() < kMinSecretBytes) {
    return core::InvalidArgument("signing_secret", "URL signing secret under 16 bytes");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::string> SignUrl(std::string_view secret, std::string_view method,
                                  std::string_view path, std::chrono::sys_seconds expires_at) {
  SMARTOCR_RETURN_IF_ERROR(CheckSecret(secret));
  const long long expires = expires_at.time_since_epoch().count();
  return "expires=" + std::to_string(expires) + "&signature=" + Mac(secret, method, path, expires);
}

core::Status VerifySignedUrl(std::string_view secret, std::string_view method,
                             std::string_view path, std::string_view query,
                             std::chrono::sys_seconds now) {
  SMARTOCR_RETURN_IF_ERROR(CheckSecret(secret));
  std::string_view expires_text, signature;
  bool seen_expires = false, seen_signature = false;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return BadSignature("malformed signed URL query");
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    if (name == "expires" && !seen_expires) {
      expires_text = value;
      seen_expires = true;
    } else if (name == "signature" && !seen_signature) {
      signature = value;
      seen_signature = true;
    } else {
      return BadSignature("unexpected or repeated parameter in signed URL");
    }
  }
  if (!seen_expires || !seen_signature) return BadSignature("signed URL lacks expires/signature");
  long long expires = 0;
  const auto [end, ec] =
      std::from_chars(expires_text.data(), expires_text.data() + expires_text.size(), expires);
  if (ec != std::errc() || end != expires_text.data() + expires_text.size()) {
    return BadSignature("malformed expiry in signed URL");
  }
  if (!internal::ConstantTimeEquals(Mac(secret, method, path, expires), signature)) {
    return BadSignature("signed URL does not match");
  }
  if (now.time_since_epoch().count() > expires) {
    return core::InvalidArgument("url_expired", "signed URL expired");
  }
  return core::Status::Ok();
}

}  // namespace smartocr::blobs
