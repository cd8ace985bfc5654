#include "api/router.h"

namespace smartocr::api {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  const std::vector<std::string> want = Split(pattern);
  const std::vector<std::string> got = Split(path);
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    const bool is_param = w.size() > 2 && w.front() == '{' && w.back() == '}';
    if (is_param && w[w.size() - 2] == '+') {  // the rest of the path
      if (i >= got.size()) return false;
      std::string rest;
      for (size_t j = i; j < got.size(); ++j) rest += (j > i ? "/" : "") + got[j];
      if (rest.empty()) return false;
      found[w.substr(1, w.size() - 3)] = rest;
      *params = std::move(found);
      return true;
    }
    if (i >= got.size()) return false;
    if (is_param) {
      if (got[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  if (got.size() != want.size()) return false;
  *params = std::move(found);
  return true;
}

}  // namespace

std::string Ctx::Query(const std::string& name) const {
  if (http == nullptr) return "";
  auto it = http->query.find(name);
  return it != http->query.end() ? it->second : "";
}
bool Ctx::HasQuery(const std::string& name) const {
  return http != nullptr && http->HasQuery(name);
}
std::string Ctx::Header(const std::string& name) const {
  return http != nullptr ? http->Header(name) : "";
}
const Part* Ctx::FindPart(const std::string& name) const {
  for (const Part& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Reply JsonReply(int status, const nlohmann::ordered_json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply ErrorReply(int status, std::string code, std::string message) {
  Reply r;
  r.status = status;
  r.error = ApiError{status, std::move(code), std::move(message)};
  return r;
}

Reply ErrorReply(const core::Status& status) {
  ApiError e = FromStatus(status);
  if (e.http_status >= 500) e.cause = status.ToString();
  Reply r;
  r.status = e.http_status;
  r.error = std::move(e);
  return r;
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params, bool* path_known) const {
  *path_known = false;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> p;
    if (!MatchPattern(r.pattern, path, &p)) continue;
    if (r.method == method) {
      *params = std::move(p);
      return &r;
    }
    *path_known = true;
  }
  return nullptr;
}

}  // namespace smartocr::api
