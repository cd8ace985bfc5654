// OpenEncryptedBlobStore: objects encrypted before the inner store keeps them (blobs.h).
//
// Format: kMagic, the secretstream header, then records of a 4-byte big-endian length
// and that many bytes of one sealed chunk (at most kChunkBytes of plaintext each). The
// last record carries the FINAL tag, so a cut-short object is refused. Every chunk is
// authenticated with the object's key as associated data.
#include <sodium.h>

#include <array>
#include <cstdio>
#include <memory>

#include "blobs/atomic_file.h"
#include "blobs/blobs.h"
#include "blobs/crypto.h"

namespace smartocr::blobs {
namespace {

constexpr std::string_view kMagic = "SOCRENC1";
constexpr size_t kChunkBytes = 64 << 10;
constexpr size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kSealedChunkBytes = kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES;

// Reads up to `n` bytes into `buf`; fewer only at the end. Writes all of `bytes`.
using Reader = std::function<core::Result<size_t>(char* buf, size_t n)>;
using Writer = std::function<core::Status(std::string_view bytes)>;

core::Status Undecryptable(std::string_view key, const std::string& why) {
  return core::Internal("blob_decrypt", "object " + std::string(key) + " does not decrypt: " + why);
}

core::Status Encrypt(const std::string& stream_key, std::string_view object_key, const Reader& read,
                     const Writer& write) {
  crypto_secretstream_xchacha20poly1305_state state;
  std::array<unsigned char, kHeaderBytes> header{};
  crypto_secretstream_xchacha20poly1305_init_push(
      &state, header.data(), reinterpret_cast<const unsigned char*>(stream_key.data()));
  SMARTOCR_RETURN_IF_ERROR(write(kMagic));
  SMARTOCR_RETURN_IF_ERROR(write({reinterpret_cast<const char*>(header.data()), header.size()}));
  std::string plain(kChunkBytes, '\0');
  std::string next(kChunkBytes, '\0');
  std::string sealed(4 + kSealedChunkBytes, '\0');
  // One chunk read ahead, so the last one is known when it is sealed.
  core::Result<size_t> n = read(plain.data(), plain.size());
  while (true) {
    if (!n.ok()) return n.status();
    core::Result<size_t> next_n =
        *n < kChunkBytes ? core::Result<size_t>(size_t{0}) : read(next.data(), next.size());
    if (!next_n.ok()) return next_n.status();
    const bool last = *next_n == 0;
    unsigned long long len = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state, reinterpret_cast<unsigned char*>(sealed.data()) + 4, &len,
        reinterpret_cast<const unsigned char*>(plain.data()), *n,
        reinterpret_cast<const unsigned char*>(object_key.data()), object_key.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    for (int i = 0; i < 4; ++i) sealed[i] = static_cast<char>((len >> (8 * (3 - i))) & 0xff);
    SMARTOCR_RETURN_IF_ERROR(write({sealed.data(), 4 + static_cast<size_t>(len)}));
    if (last) return core::Status();
    plain.swap(next);
    n = next_n;
  }
}

// Decrypts what `read` gives, or passes it through when it lacks the magic (an object
// written before encryption was on).
core::Status Decrypt(const BlobKeyOf& key_of, std::string_view object_key, const Reader& read,
                     const Writer& write) {
  std::string magic(kMagic.size(), '\0');
  core::Result<size_t> got = read(magic.data(), magic.size());
  if (!got.ok()) return got.status();
  if (*got < kMagic.size() || magic != kMagic) {
    SMARTOCR_RETURN_IF_ERROR(write({magic.data(), *got}));
    std::string buf(kChunkBytes, '\0');
    while (true) {
      core::Result<size_t> n = read(buf.data(), buf.size());
      if (!n.ok()) return n.status();
      if (*n == 0) return core::Status();
      SMARTOCR_RETURN_IF_ERROR(write({buf.data(), *n}));
    }
  }
  core::Result<std::string> stream_key = key_of(TenantOfKey(object_key));
  if (!stream_key.ok()) return stream_key.status();
  std::array<unsigned char, kHeaderBytes> header{};
  got = read(reinterpret_cast<char*>(header.data()), header.size());
  if (!got.ok()) return got.status();
  crypto_secretstream_xchacha20poly1305_state state;
  if (*got != header.size() ||
      crypto_secretstream_xchacha20poly1305_init_pull(
          &state, header.data(), reinterpret_cast<const unsigned char*>(stream_key->data())) != 0) {
    return Undecryptable(object_key, "its header is cut short");
  }
  std::string sealed(kSealedChunkBytes, '\0');
  std::string plain(kChunkBytes, '\0');
  while (true) {
    std::array<char, 4> len_bytes{};
    got = read(len_bytes.data(), len_bytes.size());
    if (!got.ok()) return got.status();
    if (*got != len_bytes.size()) return Undecryptable(object_key, "it is cut short");
    size_t len = 0;
    for (char c : len_bytes) len = (len << 8) | static_cast<unsigned char>(c);
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES || len > kSealedChunkBytes) {
      return Undecryptable(object_key, "a chunk has a bad length");
    }
    got = read(sealed.data(), len);
    if (!got.ok()) return got.status();
    if (*got != len) return Undecryptable(object_key, "it is cut short");
    unsigned long long plain_len = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state, reinterpret_cast<unsigned char*>(plain.data()), &plain_len, &tag,
            reinterpret_cast<const unsigned char*>(sealed.data()), len,
            reinterpret_cast<const unsigned char*>(object_key.data()), object_key.size()) != 0) {
      return Undecryptable(object_key, "a chunk fails authentication (another key, or altered)");
    }
    SMARTOCR_RETURN_IF_ERROR(write({plain.data(), static_cast<size_t>(plain_len)}));
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      char extra = 0;
      got = read(&extra, 1);
      if (!got.ok()) return got.status();
      if (*got != 0) return Undecryptable(object_key, "bytes follow its last chunk");
      return core::Status();
    }
  }
}

Reader StringReader(std::string_view bytes) {
  return [bytes, pos = size_t{0}](char* buf, size_t n) mutable -> core::Result<size_t> {
    const size_t take = std::min(n, bytes.size() - pos);
    std::copy_n(bytes.data() + pos, take, buf);
    pos += take;
    return take;
  };
}

Writer StringWriter(std::string* out) {
  return [out](std::string_view bytes) {
    out->append(bytes);
    return core::Status();
  };
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    std::fclose(f);  // NOLINT(cppcoreguidelines-owning-memory): the unique_ptr owns it
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Reader FileReader(std::FILE* f) {
  return [f](char* buf, size_t n) -> core::Result<size_t> {
    const size_t got = std::fread(buf, 1, n, f);
    if (got < n && std::ferror(f)) return core::IoError("blob_read", "cannot read a local file");
    return got;
  };
}

// A file beside `near` that goes when this does (the ciphertext on its way in or out).
class ScratchFile {
 public:
  explicit ScratchFile(const std::filesystem::path& near)
      : path_(near.parent_path() /
              (std::string(internal::kTempPrefix) + "enc-" + internal::RandomHex(8))) {}
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class EncryptedBlobStore final : public BlobStore {
 public:
  EncryptedBlobStore(BlobStorePtr inner, BlobKeyOf key_of)
      : inner_(std::move(inner)), key_of_(std::move(key_of)) {}

  core::Status Put(std::string_view key, std::string_view bytes,
                   std::string_view content_type) override {
    auto sealed = Seal(key, bytes);
    if (!sealed.ok()) return sealed.status();
    return inner_->Put(key, *sealed, content_type);
  }
  core::Status PutNew(std::string_view key, std::string_view bytes,
                      std::string_view content_type) override {
    auto sealed = Seal(key, bytes);
    if (!sealed.ok()) return sealed.status();
    return inner_->PutNew(key, *sealed, content_type);
  }
  core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                       std::string_view content_type) override {
    SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
    auto stream_key = key_of_(TenantOfKey(key));
    if (!stream_key.ok()) return stream_key.status();
    File in(std::fopen(path.c_str(), "rb"));
    if (!in) return core::NotFound("no_such_file", "cannot open " + path.string());
    ScratchFile scratch(path);
    {
      File out(std::fopen(scratch.path().c_str(), "wbx"));
      if (!out) return core::IoError("blob_write", "cannot create " + scratch.path().string());
      SMARTOCR_RETURN_IF_ERROR(
          Encrypt(*stream_key, key, FileReader(in.get()), [&out](std::string_view bytes) {
            if (std::fwrite(bytes.data(), 1, bytes.size(), out.get()) != bytes.size()) {
              return core::IoError("blob_write", "cannot write a scratch file");
            }
            return core::Status();
          }));
      if (std::fflush(out.get()) != 0) {
        return core::IoError("blob_write", "cannot write a scratch file");
      }
    }
    return inner_->PutFile(key, scratch.path(), content_type);
  }
  core::Result<std::string> Get(std::string_view key) override {
    auto stored = inner_->Get(key);
    if (!stored.ok()) return stored.status();
    std::string plain;
    plain.reserve(stored->size());
    SMARTOCR_RETURN_IF_ERROR(Decrypt(key_of_, key, StringReader(*stored), StringWriter(&plain)));
    return plain;
  }
  core::Status GetToFile(std::string_view key, const std::filesystem::path& path) override {
    ScratchFile scratch(path);
    SMARTOCR_RETURN_IF_ERROR(inner_->GetToFile(key, scratch.path()));
    File in(std::fopen(scratch.path().c_str(), "rb"));
    if (!in) return core::IoError("blob_read", "cannot open " + scratch.path().string());
    auto out = internal::AtomicFile::Create(path, 0600);
    if (!out.ok()) return out.status();
    SMARTOCR_RETURN_IF_ERROR(
        Decrypt(key_of_, key, FileReader(in.get()),
                [&out](std::string_view bytes) { return out->Append(bytes); }));
    return out->Commit();
  }
  core::Result<bool> Exists(std::string_view key) override { return inner_->Exists(key); }
  core::Status Delete(std::string_view key) override { return inner_->Delete(key); }
  core::Result<std::vector<std::string>> List(std::string_view prefix) override {
    return inner_->List(prefix);
  }
  std::string Uri(std::string_view key) const override { return inner_->Uri(key); }
  std::optional<std::string> KeyOf(std::string_view uri) const override {
    return inner_->KeyOf(uri);
  }
  core::Result<std::string> PresignUrl(PresignMethod, std::string_view, std::chrono::seconds,
                                       const PutConditions&) const override {
    return core::InvalidArgument("presign_unsupported",
                                 "objects are encrypted by this server: no presigned URLs");
  }

 private:
  core::Result<std::string> Seal(std::string_view key, std::string_view bytes) {
    SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
    auto stream_key = key_of_(TenantOfKey(key));
    if (!stream_key.ok()) return stream_key.status();
    std::string sealed;
    sealed.reserve(bytes.size() + bytes.size() / kChunkBytes * 21 + 64);
    SMARTOCR_RETURN_IF_ERROR(Encrypt(*stream_key, key, StringReader(bytes), StringWriter(&sealed)));
    return sealed;
  }

  const BlobStorePtr inner_;
  const BlobKeyOf key_of_;
};

}  // namespace

core::Result<BlobStorePtr> OpenEncryptedBlobStore(BlobStorePtr inner, BlobKeyOf key_of) {
  if (sodium_init() < 0) return core::Internal("sodium_init", "libsodium failed to start");
  if (inner == nullptr || !key_of) {
    return core::InvalidArgument("blob_store", "an encrypted store needs a store and keys");
  }
  return BlobStorePtr(new EncryptedBlobStore(std::move(inner), std::move(key_of)));
}

}  // namespace smartocr::blobs
