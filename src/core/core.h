// src/core/core.h
//
// Public header of the core module: Status/Result, the document model, and small
// shared helpers (page-range parsing, calendar dates). Every other module depends on this one.
#ifndef SMARTOCR_CORE_CORE_H_
#define SMARTOCR_CORE_CORE_H_

#include "core/date.h"
#include "core/document.h"
#include "core/page_range.h"
#include "core/status.h"
#include "core/version.h"

#endif  // SMARTOCR_CORE_CORE_H_
