// src/blobs/open_blob_store.cc
//
// The factories of blobs.h: option checks, store URLs ("/dir", "file:///dir",
// "s3://bucket?...") and object URIs.
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <system_error>

#include "blobs/atomic_file.h"
#include "blobs/blobs.h"
#include "blobs/local_blob_store.h"
#include "blobs/s3_blob_store.h"

namespace smartocr::blobs {
namespace {

constexpr std::string_view kFileScheme = "file://";
constexpr std::string_view kS3Scheme = "s3://";

core::Status BadOptions(std::string message) {
  return core::InvalidArgument("s3_options", std::move(message));
}

core::Status BadStoreUrl(std::string message) {
  return core::InvalidArgument("blob_store_url", std::move(message));
}

// S3's bucket naming rules, minus the IP-address form.
bool IsBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      return false;
    }
  }
  return std::isalnum(static_cast<unsigned char>(name.front())) &&
         std::isalnum(static_cast<unsigned char>(name.back()));
}

// "http://host:port" (an optional trailing '/') into scheme and authority.
bool SplitEndpoint(std::string_view endpoint, std::string* scheme, std::string* host_port) {
  const std::size_t sep = endpoint.find("://");
  if (sep == std::string_view::npos) return false;
  *scheme = std::string(endpoint.substr(0, sep));
  std::string_view rest = endpoint.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (*scheme != "http" && *scheme != "https") return false;
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return false;
  *host_port = std::string(rest);
  return true;
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(
          static_cast<char>(std::strtol(std::string(in.substr(i + 1, 2)).c_str(), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

core::Result<BlobStorePtr> OpenS3Url(std::string_view rest, const Credentials* credentials) {
  S3Options options;
  const std::size_t q = rest.find('?');
  options.bucket = std::string(rest.substr(0, q));
  if (!options.bucket.empty() && options.bucket.back() == '/') options.bucket.pop_back();
  std::string_view query = q == std::string_view::npos ? "" : rest.substr(q + 1);
  bool path_style_given = false;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string name(pair.substr(0, eq));
    const std::string value =
        PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (name == "endpoint") {
      options.endpoint = value;
    } else if (name == "region") {
      options.region = value;
    } else if (name == "path_style") {
      if (value != "true" && value != "false") return BadStoreUrl("path_style is true or false");
      options.path_style = value == "true";
      path_style_given = true;
    } else if (name == "sse") {
      options.sse = value;
    } else if (name == "sse_kms_key_id") {
      options.sse_kms_key_id = value;
    } else if (name == "part_size") {
      char* end = nullptr;
      const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0') return BadStoreUrl("part_size is a byte count");
      options.part_size = static_cast<std::size_t>(n);
    } else {
      return BadStoreUrl("unknown S3 store parameter '" + name + "'");
    }
  }
  // An endpoint of one's own (MinIO, s3rver, Ceph, a cloud's S3 API) rarely resolves
  // "bucket.host" names; AWS itself takes both. Path style unless the URL says.
  if (!path_style_given) options.path_style = !options.endpoint.empty();
  if (credentials != nullptr) {
    options.credentials = *credentials;
  } else {
    core::Result<Credentials> env = Credentials::FromEnv();
    if (!env.ok()) return env.status();
    options.credentials = *std::move(env);
  }
  return OpenS3BlobStore(std::move(options));
}

}  // namespace

core::Result<BlobStorePtr> OpenLocalBlobStore(const std::filesystem::path& root) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(root, ec);
  if (ec || root.empty()) {
    return core::IoError("blob_root", "bad blob root '" + root.string() + "'");
  }
  absolute = absolute.lexically_normal();
  if (absolute.has_filename() == false && absolute != absolute.root_path()) {
    absolute = absolute.parent_path();  // drop a trailing '/'
  }
  core::Status made = internal::MakeDirs(absolute, 0700);
  if (!made.ok()) return core::IoError("blob_root", made.message());
  return BlobStorePtr(std::make_unique<internal::LocalBlobStore>(absolute));
}

core::Result<BlobStorePtr> OpenS3BlobStore(S3Options options) {
  if (!IsBucketName(options.bucket)) {
    return BadOptions("bad bucket name '" + options.bucket + "'");
  }
  if (options.region.empty()) return BadOptions("empty region");
  if (options.endpoint.empty()) {
    options.endpoint = "https://s3." + options.region + ".amazonaws.com";
  }
  std::string scheme, host_port;
  if (!SplitEndpoint(options.endpoint, &scheme, &host_port)) {
    return BadOptions("endpoint must be http(s)://host[:port], got '" + options.endpoint + "'");
  }
  if (options.part_size < kMinPartSize) return BadOptions("part_size is under 5 MiB");
  if (options.max_attempts < 1) return BadOptions("max_attempts must be at least 1");
  if (!options.sse.empty() && options.sse != "AES256" && options.sse != "aws:kms") {
    return BadOptions("sse is AES256 or aws:kms, not '" + options.sse + "'");
  }
  if (!options.sse_kms_key_id.empty() && options.sse != "aws:kms") {
    return BadOptions("sse_kms_key_id needs sse=aws:kms");
  }
  if (options.credentials.access_key_id.empty() || options.credentials.secret_access_key.empty()) {
    return core::InvalidArgument("s3_credentials", "empty S3 access key or secret");
  }
  return BlobStorePtr(std::make_unique<internal::S3BlobStore>(std::move(options), std::move(scheme),
                                                              std::move(host_port)));
}

core::Result<BlobStorePtr> OpenBlobStore(std::string_view url, const Credentials* credentials) {
  if (url.starts_with(kS3Scheme)) return OpenS3Url(url.substr(kS3Scheme.size()), credentials);
  if (url.starts_with(kFileScheme)) {
    const std::string_view path = url.substr(kFileScheme.size());
    if (!path.starts_with("/")) return BadStoreUrl("file URLs take an absolute path: file:///dir");
    core::Result<std::string> decoded = internal::DecodeFilePath(path);
    if (!decoded.ok()) return BadStoreUrl(decoded.status().message());
    return OpenLocalBlobStore(*decoded);
  }
  const std::size_t colon = url.find("://");
  if (colon != std::string_view::npos) {
    return BadStoreUrl("unknown blob store scheme in '" + std::string(url) + "'");
  }
  if (url.empty()) return BadStoreUrl("empty blob store URL");
  return OpenLocalBlobStore(std::filesystem::path(url));
}

core::Result<BlobLocation> ResolveUri(std::string_view uri) {
  BlobLocation out;
  if (uri.starts_with(kS3Scheme)) {
    const std::string_view rest = uri.substr(kS3Scheme.size());
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos || !IsBucketName(rest.substr(0, slash))) {
      return core::InvalidArgument("blob_uri",
                                   "expected s3://bucket/key, got '" + std::string(uri) + "'");
    }
    out.store_url = std::string(kS3Scheme) + std::string(rest.substr(0, slash));
    out.key = std::string(rest.substr(slash + 1));
  } else if (uri.starts_with(kFileScheme)) {
    const std::string_view path = uri.substr(kFileScheme.size());
    const std::size_t slash = path.rfind('/');
    if (!path.starts_with("/") || slash == std::string_view::npos) {
      return core::InvalidArgument("blob_uri",
                                   "expected file:///dir/key, got '" + std::string(uri) + "'");
    }
    out.store_url = std::string(kFileScheme) + std::string(path.substr(0, slash == 0 ? 1 : slash));
    out.key = std::string(path.substr(slash + 1));
  } else {
    return core::InvalidArgument("blob_uri",
                                 "unknown blob URI scheme in '" + std::string(uri) + "'");
  }
  core::Status valid = ValidateKey(out.key);
  if (!valid.ok()) return core::InvalidArgument("blob_uri", valid.message());
  return out;
}

}  // namespace smartocr::blobs
