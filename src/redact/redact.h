// src/redact/redact.h
//
// Redaction as a post-process over a recognized (and field-extracted) document: the
// values of the kinds asked for are replaced by a marker in every string the
// renderers read (words, hence lines, blocks and page text; table cells; fields; line
// items), and the boxes of the words they covered are returned so the caller can
// black them out of the page images before they reach a searchable PDF. Because the
// words themselves are replaced, the PDF text layer carries the marker, not the value.
//
// Kinds:
//   mrz              the "mrz" field and every line that looks like part of a
//                    machine-readable zone (25+ characters of A-Z, 0-9 and '<', with
//                    fillers), whether or not it parsed
//   document_number  the "document_number" and "personal_number" fields, wherever printed
//   iban             the "iban" field and any IBAN in the text (pattern, any position)
//   email            "email" fields and any e-mail address in the text
//   phone            "phone" fields and any phone number in the text
//   names            person names: the id fields "surname" and "given_names" (in the MRZ
//                    and in the visual zone). Company and vendor names are not personal
//                    data and are kept.
// A tenant-schema field named like a kind (e.g. "iban", "email") is redacted with it.
//
//   auto kinds = redact::ParseKinds("mrz,names");
//   std::vector<redact::Region> regions = redact::RedactDocument(doc, {.kinds = *kinds});
//   redact::BurnRegions(doc.pages[0], regions, image);
//
// Thread safety: functions over values; one document per call.
#ifndef SMARTOCR_REDACT_REDACT_H_
#define SMARTOCR_REDACT_REDACT_H_

#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::redact {

// The kinds `--redact` accepts, in this order.
const std::vector<std::string>& KnownKinds();

// "mrz,iban" -> {"mrz", "iban"} (deduplicated, in KnownKinds order); "all" is every
// kind. Fails with kInvalidArgument (reason "redact") naming an unknown kind.
core::Result<std::vector<std::string>> ParseKinds(std::string_view csv);

struct RedactOptions {
  std::vector<std::string> kinds;  // from ParseKinds
  std::string replacement = "[REDACTED]";
};

// A rectangle to black out, in pixels of page `page` (1-based).
struct Region {
  int page = 0;
  core::BBox box;
};

// Replaces the values in `doc` (see the header comment) and records the kinds in
// doc.redacted_kinds and the region count in doc.redacted_regions. Returns the regions.
std::vector<Region> RedactDocument(core::DocumentResult& doc, const RedactOptions& options);

// Fills the regions of `page` in `image` with black (scaled from page.width x
// page.height to the image's size, padded by a pixel). Opaque black for BGRA.
void BurnRegions(const core::PageResult& page, const std::vector<Region>& regions, cv::Mat& image);

// The regions a redacted document recorded (DocumentResult::redacted_boxes), e.g. one
// read back from its JSON, for images rendered later from the original.
std::vector<Region> RecordedRegions(const core::DocumentResult& doc);

}  // namespace smartocr::redact

#endif  // SMARTOCR_REDACT_REDACT_H_
