// src/blobs/crypto.h
//
// Private to the blobs module: the few libsodium calls we need beside core/sha256.h's
// hashes (constant-time compares, random bytes) behind string-in, string-out helpers,
// and the byte encodings (hex, percent) that signatures and URIs are written in.
//
// Thread safety: all functions are thread-safe.
#ifndef SMARTOCR_BLOBS_CRYPTO_H_
#define SMARTOCR_BLOBS_CRYPTO_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace smartocr::blobs::internal {

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);

// `raw` with every byte except ASCII letters, digits and the bytes in `keep` written as
// %XX (upper-case hex).
std::string PercentEncode(std::string_view raw, std::string_view keep);

// True when a == b, comparing in time that does not depend on where they differ
// (only the lengths, which are public here, can short-cut).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes characters).
std::string RandomHex(std::size_t bytes);

// A uniformly random integer in [0, upper_bound). Requires: upper_bound > 0.
unsigned RandomBelow(unsigned upper_bound);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_CRYPTO_H_
