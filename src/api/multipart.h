// src/api/multipart.h
//
// multipart/form-data bodies (RFC 7578), as browsers and curl send uploads: parts with
// a name, an optional filename and content type, and their bytes. Outside input: the
// parser refuses a body it cannot read whole rather than guessing.
#ifndef SMARTOCR_API_MULTIPART_H_
#define SMARTOCR_API_MULTIPART_H_

#include <string>
#include <string_view>
#include <vector>

namespace smartocr::api {

struct Part {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

// The most parts one body may hold, and the most bytes of one part's headers.
inline constexpr size_t kMaxMultipartParts = 64;
inline constexpr size_t kMaxPartHeaderBytes = size_t{8} * 1024;

// Whether `content_type` is multipart/form-data (case-insensitive).
bool IsMultipartFormData(std::string_view content_type);

// Splits `body`, sent with `content_type`, into its parts. False when the boundary is
// missing or bad, the body does not end with the closing delimiter, a part has no
// form-data name, or a limit above is passed.
bool ParseMultipart(std::string_view content_type, std::string_view body, std::vector<Part>* parts);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_MULTIPART_H_
