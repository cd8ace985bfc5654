// src/keys/sealing.h
//
// Private to the keys module: libsodium's XChaCha20-Poly1305 and base64 behind
// string-in, string-out helpers.
//
// Thread safety: all functions are thread-safe (sodium_init must have run).
#ifndef SMARTOCR_KEYS_SEALING_H_
#define SMARTOCR_KEYS_SEALING_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace smartocr::keys::internal {

std::string RandomBytes(std::size_t n);
std::string Base64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

// nonce || ciphertext of `plain` under the 32-byte `key`, authenticated with `ad`.
std::string SealBytes(std::string_view key, std::string_view ad, std::string_view plain);
// The plaintext, or std::nullopt when `sealed` was not made by SealBytes with this key
// and `ad` (or was altered).
std::optional<std::string> OpenBytes(std::string_view key, std::string_view ad,
                                     std::string_view sealed);

}  // namespace smartocr::keys::internal

#endif  // SMARTOCR_KEYS_SEALING_H_
