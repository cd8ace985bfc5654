// src/blobs/sigv4.cc
#include "blobs/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "blobs/crypto.h"
#include "core/sha256.h"

namespace smartocr::blobs::internal {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims the ends and folds runs of spaces inside to one, as the canonical form wants.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" lines
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders Canonicalize(const Params& headers) {
  // std::map sorts by the lower-cased name; repeated names join with ','.
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string& slot = merged[ToLower(name)];
    if (!slot.empty()) slot.push_back(',');
    slot += CanonicalHeaderValue(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name;
    out.block += ':';
    out.block += value;
    out.block += '\n';
    if (!out.signed_names.empty()) out.signed_names.push_back(';');
    out.signed_names += name;
  }
  return out;
}

std::string CredentialScope(const SigV4Scope& scope) {
  return scope.amz_date.substr(0, 8) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string SigningKey(const Credentials& credentials, const SigV4Scope& scope) {
  std::string key =
      core::HmacSha256("AWS4" + credentials.secret_access_key, scope.amz_date.substr(0, 8));
  key = core::HmacSha256(key, scope.region);
  key = core::HmacSha256(key, scope.service);
  return core::HmacSha256(key, "aws4_request");
}

SigV4Signature Sign(std::string_view method, std::string_view path, const Params& query,
                    const Params& headers, std::string_view payload_hash,
                    const Credentials& credentials, const SigV4Scope& scope) {
  SigV4Signature out;
  CanonicalHeaders canonical = Canonicalize(headers);
  out.signed_headers = canonical.signed_names;
  out.canonical_request = std::string(method) + "\n" + UriEncode(path, false) + "\n" +
                          CanonicalQuery(query) + "\n" + canonical.block + "\n" +
                          canonical.signed_names + "\n" + std::string(payload_hash);
  const std::string scope_text = CredentialScope(scope);
  out.string_to_sign = std::string(kAlgorithm) + "\n" + scope.amz_date + "\n" + scope_text + "\n" +
                       core::Sha256Hex(out.canonical_request);
  out.signature = HexEncode(core::HmacSha256(SigningKey(credentials, scope), out.string_to_sign));
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope_text + ", SignedHeaders=" + out.signed_headers +
                      ", Signature=" + out.signature;
  return out;
}

}  // namespace

std::string UriEncode(std::string_view raw, bool encode_slash) {
  return PercentEncode(raw, encode_slash ? "-_.~" : "-_.~/");
}

std::string FormatAmzDate(std::chrono::sys_seconds time) {
  const std::time_t t = time.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string CanonicalQuery(const Params& query) {
  Params encoded;
  encoded.reserve(query.size());
  for (const auto& [key, value] : query) {
    encoded.emplace_back(UriEncode(key, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

SigV4Signature SignV4(const SigV4Request& request, const Credentials& credentials,
                      const SigV4Scope& scope) {
  return Sign(request.method, request.path, request.query, request.headers, request.payload_hash,
              credentials, scope);
}

std::string PresignV4(std::string_view method, std::string_view path, std::string_view host,
                      const Params& query, const Params& headers, const Credentials& credentials,
                      const SigV4Scope& scope, long expires_s) {
  Params signed_headers = headers;
  signed_headers.emplace_back("host", std::string(host));
  Params all = query;
  all.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  all.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + CredentialScope(scope));
  all.emplace_back("X-Amz-Date", scope.amz_date);
  all.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  if (!credentials.session_token.empty()) {
    all.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  all.emplace_back("X-Amz-SignedHeaders", Canonicalize(signed_headers).signed_names);
  SigV4Signature sig =
      Sign(method, path, all, signed_headers, kUnsignedPayload, credentials, scope);
  return CanonicalQuery(all) + "&X-Amz-Signature=" + sig.signature;
}

}  // namespace smartocr::blobs::internal
