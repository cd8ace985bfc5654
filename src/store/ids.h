// src/store/ids.h
//
// List cursors: an opaque token naming the last row of a page, (created_at, id),
// hex-encoded so clients treat it as a blob.
#ifndef SMARTOCR_STORE_IDS_H_
#define SMARTOCR_STORE_IDS_H_

#include <cstdint>
#include <optional>
#include <string>

namespace smartocr::store::internal {

struct CursorPos {
  int64_t created_at = 0;
  std::string id;
};

std::string EncodeCursor(const CursorPos& pos);
// std::nullopt for text EncodeCursor did not produce.
std::optional<CursorPos> DecodeCursor(const std::string& cursor);

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_IDS_H_
