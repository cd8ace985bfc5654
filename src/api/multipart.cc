#include "api/multipart.h"

#include <strings.h>

#include <algorithm>
#include <cctype>

namespace smartocr::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The value of parameter `name` in a header value like `form-data; name="f"` or
// `multipart/form-data; boundary=xyz`; quotes removed (a backslash escapes the next
// character inside them). Absent: false.
bool HeaderParam(std::string_view value, std::string_view name, std::string* out) {
  const size_t size = value.size();
  size_t i = value.find(';');
  while (i < size) {  // at a ';'
    ++i;
    const size_t key_start = i;
    while (i < size && value[i] != '=' && value[i] != ';') ++i;
    const std::string_view key = Trim(value.substr(key_start, i - key_start));
    std::string parsed;
    if (i < size && value[i] == '=') {
      ++i;
      while (i < size && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < size && value[i] == '"') {
        for (++i; i < size && value[i] != '"'; ++i) {
          if (value[i] == '\\' && i + 1 < size) ++i;
          parsed.push_back(value[i]);
        }
        if (i >= size) return false;  // unterminated quote
        ++i;
      }
      const size_t token_start = i;
      while (i < size && value[i] != ';') ++i;
      if (parsed.empty()) parsed = std::string(Trim(value.substr(token_start, i - token_start)));
    }
    if (IEquals(key, name)) {
      *out = std::move(parsed);
      return true;
    }
  }
  return false;
}

// Reads one part's header block (up to the blank line) into `part`.
bool ReadPartHeaders(std::string_view block, Part* part) {
  bool named = false;
  while (!block.empty()) {
    const size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (IEquals(name, "Content-Disposition")) {
      if (value.size() < 9 || !IEquals(value.substr(0, 9), "form-data")) return false;
      named = HeaderParam(value, "name", &part->name);
      HeaderParam(value, "filename", &part->filename);
    } else if (IEquals(name, "Content-Type")) {
      part->content_type = std::string(value);
    }
  }
  return named;
}

}  // namespace

bool IsMultipartFormData(std::string_view content_type) {
  constexpr std::string_view kType = "multipart/form-data";
  return content_type.size() >= kType.size() &&
         IEquals(content_type.substr(0, kType.size()), kType);
}

bool ParseMultipart(std::string_view content_type, std::string_view body,
                    std::vector<Part>* parts) {
  parts->clear();
  std::string boundary;
  if (!IsMultipartFormData(content_type) || !HeaderParam(content_type, "boundary", &boundary) ||
      boundary.empty() || boundary.size() > 70) {
    return false;
  }
  const std::string delimiter = "\r\n--" + boundary;
  // The first delimiter may open the body (no CRLF before it) or follow a preamble.
  const std::string_view opening = std::string_view(delimiter).substr(2);
  size_t pos = 0;
  if (body.starts_with(opening)) {
    pos = opening.size();
  } else if (const size_t at = body.find(delimiter); at != std::string_view::npos) {
    pos = at + delimiter.size();
  } else {
    return false;
  }
  while (true) {
    std::string_view rest = body.substr(pos);
    if (rest.substr(0, 2) == "--") return true;  // the closing delimiter
    if (rest.substr(0, 2) != "\r\n" || parts->size() >= kMaxMultipartParts) return false;
    rest.remove_prefix(2);
    const size_t blank = rest.find("\r\n\r\n");
    if (blank == std::string_view::npos || blank > kMaxPartHeaderBytes) return false;
    Part part;
    if (!ReadPartHeaders(rest.substr(0, blank), &part)) return false;
    const std::string_view data = rest.substr(blank + 4);
    const size_t end = data.find(delimiter);
    if (end == std::string_view::npos) return false;
    part.data = std::string(data.substr(0, end));
    parts->push_back(std::move(part));
    pos = static_cast<size_t>(data.data() - body.data()) + end + delimiter.size();
  }
}

}  // namespace smartocr::api
