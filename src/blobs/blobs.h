// src/blobs/blobs.h
//
// Blob storage for originals, page images and results: one BlobStore interface with
// a local-directory backend and an S3 (or MinIO) backend, plus HMAC-signed URLs that
// our own HTTP API serves for the local backend. Webhook signing and delivery live in
// blobs/webhook.h.
//
//   core::Result<blobs::BlobStorePtr> store = blobs::OpenBlobStore("/var/lib/smartocr");
//   if (!store.ok()) return store.status();
//   SMARTOCR_RETURN_IF_ERROR((*store)->Put("jobs/42/page-1.png", png, "image/png"));
//   std::string uri = (*store)->Uri("jobs/42/page-1.png");  // stored in jobs.source_uri
//
// Keys are relative, '/'-separated names (see ValidateKey). Every method that takes a
// key fails with kInvalidArgument "blob_key" before touching storage when the key is
// not valid, and a missing object is kNotFound "no_such_blob".
//
// Thread safety: BlobStore implementations are thread-safe; free functions are too.
#ifndef SMARTOCR_BLOBS_BLOBS_H_
#define SMARTOCR_BLOBS_BLOBS_H_

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smartocr::blobs {

// S3's own key limit; also keeps local paths well under PATH_MAX.
inline constexpr std::size_t kMaxKeyBytes = 1024;

// OK when `key` is 1..kMaxKeyBytes bytes of [A-Za-z0-9] and "-_.~!*'()+,=@:/", does not
// start or end with '/', has no empty, "." or ".." segment, and no segment over 255
// bytes. The set is narrower than S3 allows so that a key is also a safe file name and
// needs no escaping inside a URI. Otherwise kInvalidArgument "blob_key".
core::Status ValidateKey(std::string_view key);

// OK when `prefix` is a valid key followed by '/' (what List takes); else
// kInvalidArgument "blob_key".
core::Status ValidatePrefix(std::string_view prefix);

// kInvalidArgument "blob_exists": PutNew found an object under `key`.
core::Status BlobExists(std::string_view key);

enum class PresignMethod { kGet, kPut };

// What a presigned PUT must carry: each set header is signed into the URL, so the
// store refuses a PUT that sends another value (S3 answers 403 SignatureDoesNotMatch).
// A client that asked for a 1 KB upload cannot send 5 GB through the same URL.
struct PutConditions {
  int64_t content_length = -1;  // the exact body size; -1: not signed
  std::string content_type;     // "": not signed
};

// A place to keep blobs. Implementations are thread-safe.
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes` under `key`, replacing any previous object. Readers see the old or
  // the new object, never a partial one. On failure the previous object is unchanged.
  // Fails with kInvalidArgument "blob_key", kIoError (local) or kUnavailable (S3).
  virtual core::Status Put(std::string_view key, std::string_view bytes,
                           std::string_view content_type) = 0;

  // Like Put, but only when no object lies under `key` yet: otherwise kInvalidArgument
  // "blob_exists" and the existing object is unchanged. The local backend decides
  // atomically (the new file is linked, never renamed, over the key). The default, used
  // by S3, checks Exists first, so two writers racing there may both succeed; S3
  // presigned PUTs bypass this anyway (see docs/security/originals.md).
  virtual core::Status PutNew(std::string_view key, std::string_view bytes,
                              std::string_view content_type);

  // Like Put, streaming the contents of the local file `path` without loading it all
  // (S3 switches to a multipart upload above its part size). kNotFound "no_such_file"
  // when `path` cannot be opened.
  virtual core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                               std::string_view content_type) = 0;

  // The whole object. kNotFound "no_such_blob" when missing.
  virtual core::Result<std::string> Get(std::string_view key) = 0;

  // Writes the object to the local file `path` (replaced atomically: a temporary file
  // in the same directory, then rename). On failure `path` is unchanged.
  virtual core::Status GetToFile(std::string_view key, const std::filesystem::path& path) = 0;

  // Whether an object exists under `key`.
  virtual core::Result<bool> Exists(std::string_view key) = 0;

  // Removes the object. Deleting a missing key is OK (S3 cannot tell the two apart
  // without another round trip, so neither backend does).
  virtual core::Status Delete(std::string_view key) = 0;

  // The keys of every object whose key starts with `prefix` (a valid key followed by
  // '/', e.g. "originals/acme/"), in no particular order. kInvalidArgument "blob_key"
  // for another prefix; the default is kInternal "list_unsupported".
  virtual core::Result<std::vector<std::string>> List(std::string_view prefix);

  // The object's URI: "file:///abs/root/key" or "s3://bucket/key". Requires a valid
  // key (the URI of an invalid key is unspecified).
  virtual std::string Uri(std::string_view key) const = 0;

  // The key of `uri` when it names an object of this store (see KeyInStore), else
  // std::nullopt. The default compares with Uri(); a store over several asks each.
  virtual std::optional<std::string> KeyOf(std::string_view uri) const;

  // A URL that lets whoever holds it GET or PUT `key` without credentials until
  // `expires_in` has passed (1 s .. 7 days, else kInvalidArgument "presign_expiry").
  // The default is kInvalidArgument "presign_unsupported": the local backend has no
  // server of its own; the HTTP API signs its URLs with SignUrl below instead.
  // `conditions` apply to kPut only (kInvalidArgument "presign_conditions" on a kGet).
  virtual core::Result<std::string> PresignUrl(PresignMethod method, std::string_view key,
                                               std::chrono::seconds expires_in,
                                               const PutConditions& conditions) const;
};
using BlobStorePtr = std::unique_ptr<BlobStore>;

// A store under the directory `root` (made absolute; created with mode 0700 if
// missing). Objects are files with mode 0600. kIoError "blob_root" when `root` cannot
// be created or is not a directory.
core::Result<BlobStorePtr> OpenLocalBlobStore(const std::filesystem::path& root);

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials

  // From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN.
  // kInvalidArgument "s3_credentials" when either of the first two is unset or empty.
  static core::Result<Credentials> FromEnv();
};

struct S3Options {
  std::string bucket;
  // Scheme, host and optional port, e.g. "http://127.0.0.1:9000". Empty means AWS:
  // "https://s3.<region>.amazonaws.com".
  std::string endpoint;
  std::string region = "us-east-1";
  // "endpoint/bucket/key" instead of "bucket.endpoint/key"; MinIO and s3rver need it.
  bool path_style = false;
  Credentials credentials;
  // Multipart part size; files larger than one part are uploaded in parts. S3 refuses
  // parts under 5 MiB (except the last), so smaller values are rejected by Open.
  std::size_t part_size = 8 << 20;
  std::chrono::milliseconds connect_timeout{5000};
  // A transfer slower than 1 byte/s for this long is abandoned (the read timeout).
  std::chrono::seconds stall_timeout{30};
  // Tries for idempotent requests (GET, HEAD, PUT, DELETE) that fail with 5xx, 429 or
  // a transport error; the wait doubles from retry_backoff, with jitter.
  int max_attempts = 3;
  std::chrono::milliseconds retry_backoff{200};
  // Server-side encryption asked of S3 for each object we write (a PUT, or a multipart
  // upload's start): "" (the bucket's default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS,
  // with sse_kms_key_id or the account's default KMS key). On top of, not instead of,
  // our own encryption (OpenEncryptedBlobStore). Presigned uploads do not carry it: they
  // get the bucket's default encryption.
  std::string sse;
  std::string sse_kms_key_id;  // only with sse "aws:kms"
};

// Minimum part size S3 accepts for all but the last part.
inline constexpr std::size_t kMinPartSize = 5 << 20;

// An S3 store. kInvalidArgument "s3_options" for an empty bucket, a bad endpoint, a
// part size under kMinPartSize, max_attempts < 1, an sse other than "", "AES256" and
// "aws:kms" or a KMS key without "aws:kms"; "s3_credentials" for empty keys.
// Nothing is sent until the first call.
core::Result<BlobStorePtr> OpenS3BlobStore(S3Options options);

// Opens a store from a URL:
//   "/dir", "dir" or "file:///dir"                              -> local store at dir
//   "s3://bucket?endpoint=http://h:9000&region=r"                 -> S3 store
// For S3 the query may also carry part_size (bytes), path_style (true/false;
// default true when an endpoint is given, else false: virtual-hosted AWS names), sse
// (AES256 or aws:kms) and sse_kms_key_id (S3Options::sse). Credentials come
// from `credentials` when not null, else from the environment (Credentials::FromEnv).
// kInvalidArgument "blob_store_url" for unknown schemes or parameters.
core::Result<BlobStorePtr> OpenBlobStore(std::string_view url,
                                         const Credentials* credentials = nullptr);

// ---- Per-tenant regions ----

// The areas whose keys read "<area>/<tenant>/...": everything a tenant has stored.
inline constexpr std::string_view kTenantAreas[] = {"originals", "uploads", "results", "pages"};

// The tenant of a key (or a List prefix) in one of kTenantAreas; "" for other keys.
std::string TenantOfKey(std::string_view key);

// The region a tenant's data must live in ("" = the default store). An error (the
// database is down) fails the blob operation: guessing would put data in the wrong
// region.
using RegionOf = std::function<core::Result<std::string>(const std::string& tenant_id)>;

// A store that keeps each tenant's objects (keys in kTenantAreas) in the store of the
// tenant's region, and every other key, and tenants without a region, in
// `default_store`. A tenant whose region has no store here is refused with
// kInvalidArgument "blob_region" rather than stored elsewhere. `region_of` is asked once
// per tenant and its answer kept (a tenant's region is fixed when it is created).
// kInvalidArgument "blob_region" for an empty or repeated region name.
core::Result<BlobStorePtr> OpenRegionalBlobStore(
    BlobStorePtr default_store, std::vector<std::pair<std::string, BlobStorePtr>> regions,
    RegionOf region_of);

// ---- Encryption at rest ----

// The 32-byte key that encrypts a tenant's objects; tenant "" for keys outside
// kTenantAreas (keys::Keyring::BlobKey).
using BlobKeyOf = std::function<core::Result<std::string>(const std::string& tenant_id)>;

// A store that encrypts each object before `inner` keeps it and decrypts it on the way
// out (libsodium secretstream, XChaCha20-Poly1305 in 64 KiB chunks, bound to the
// object's key: an object copied under another key, cut short or altered does not
// decrypt). Objects written before encryption was turned on (without the format's
// magic) are read as they are. Presigned URLs are refused ("presign_unsupported"): the
// bytes must pass through this server to be encrypted. Reading an object that does not
// decrypt is kInternal "blob_decrypt".
core::Result<BlobStorePtr> OpenEncryptedBlobStore(BlobStorePtr inner, BlobKeyOf key_of);

// Where an object URI points: the store URL to open and the key inside it.
struct BlobLocation {
  std::string store_url;  // "s3://bucket" or "file:///dir"
  std::string key;
};

// Splits "s3://bucket/key" into {"s3://bucket", "key"}. A file URI does not record
// its store's root, so "file:///a/b/c.png" splits at the last '/' into
// {"file:///a/b", "c.png"}: the same file either way. kInvalidArgument "blob_uri" for
// other schemes, missing parts, or a key that fails ValidateKey.
core::Result<BlobLocation> ResolveUri(std::string_view uri);

// The key of `uri` when it names a valid key in `store` (a URI under store.Uri("")),
// else std::nullopt.
std::optional<std::string> KeyInStore(const BlobStore& store, std::string_view uri);

// ---- Signed URLs for the local backend (served by our own HTTP API) ----

// The query string ("expires=<unix>&signature=<hex>") that authorises `method` on
// `path` (e.g. "/blobs/jobs/42/page-1.png") until `expires_at`. The signature is
// HMAC-SHA256 over "<METHOD>\n<path>\n<expires>" keyed by `secret`.
// kInvalidArgument "signing_secret" when the secret is shorter than 16 bytes.
core::Result<std::string> SignUrl(std::string_view secret, std::string_view method,
                                  std::string_view path, std::chrono::sys_seconds expires_at);

// OK when `query` (without '?') came from SignUrl for the same secret, method and path
// and `now` is not past its expiry. Compares in constant time. Fails with
// kInvalidArgument: "bad_signature" (missing, malformed, extra parameters, or not
// matching), "url_expired" (checked after the signature, so a forged expiry reads as
// bad_signature), "signing_secret". The API should answer both with 403.
core::Status VerifySignedUrl(std::string_view secret, std::string_view method,
                             std::string_view path, std::string_view query,
                             std::chrono::sys_seconds now);

}  // namespace smartocr::blobs

#endif  // SMARTOCR_BLOBS_BLOBS_H_
