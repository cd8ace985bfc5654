// Reading a request's head: header lookup and the target's path and query. Outside
// input: ParseTarget refuses what it cannot decode rather than guessing.
#include <strings.h>

#include "api/http_server.h"

namespace smartocr::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` ('+' is a space in a query, a plus in a path). False on a bad
// escape.
bool Decode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

}  // namespace

std::string HttpRequest::Header(const std::string& name) const {
  for (const auto& [n, value] : headers) {
    if (n.size() == name.size() && ::strncasecmp(n.c_str(), name.c_str(), n.size()) == 0) {
      return value;
    }
  }
  return "";
}

bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query) {
  if (target.empty() || target[0] != '/') return false;
  const size_t q = target.find('?');
  const std::string_view raw_path = std::string_view(target).substr(0, q);
  if (!Decode(raw_path, /*plus_is_space=*/false, path)) return false;
  // A NUL in a decoded path would cut it short wherever it is used as a C string.
  if (path->find('\0') != std::string::npos) return false;
  query->clear();
  if (q == std::string::npos) return true;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string name;
    std::string value;
    if (!Decode(pair.substr(0, eq), true, &name)) return false;
    if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), true, &value)) return false;
    query->emplace(std::move(name), std::move(value));  // the first of a repeated name
  }
  return true;
}

}  // namespace smartocr::api
