// src/store/sql_conn.cc
#include "store/sql_conn.h"

#include <charconv>

namespace smartocr::store::internal {

int64_t SqlRow::Int(size_t i) const {
  const std::string& s = cols[i];
  int64_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

double SqlRow::Real(size_t i) const {
  const std::string& s = cols[i];
  double value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

std::string DoubleToText(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

}  // namespace smartocr::store::internal
