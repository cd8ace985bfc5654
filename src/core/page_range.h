// src/core/page_range.h
//
// "1-3,7,10-" page selections as given to --pages.
#ifndef SMARTOCR_CORE_PAGE_RANGE_H_
#define SMARTOCR_CORE_PAGE_RANGE_H_

#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smartocr::core {

// A set of 1-based pages. Default-constructed: every page.
class PageRange {
 public:
  PageRange() = default;

  // Parses "1-3,7,10-" (an open end means "to the last page").
  // Fails with kInvalidArgument (reason "page_range") on anything else, on page 0 or
  // on a descending range.
  static Result<PageRange> Parse(std::string_view spec);

  bool all() const { return spans_.empty(); }
  bool Contains(int page) const;
  // Number of selected pages among pages 1..page_count.
  int CountIn(int page_count) const;

 private:
  std::vector<std::pair<int, int>> spans_;  // inclusive; second == 0 means open end
};

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_PAGE_RANGE_H_
