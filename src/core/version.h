// src/core/version.h
#ifndef SMARTOCR_CORE_VERSION_H_
#define SMARTOCR_CORE_VERSION_H_

namespace smartocr::core {
// SmartOCR's own version (semantic versioning).
inline constexpr const char* kVersion = "0.1.0";
}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_VERSION_H_
