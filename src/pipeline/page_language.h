// src/pipeline/page_language.h
//
// Private to the pipeline module. The language of a page from the words read on it
// (langid), and under --lang auto whether to read the page again with that language.
#ifndef SMARTOCR_PIPELINE_PAGE_LANGUAGE_H_
#define SMARTOCR_PIPELINE_PAGE_LANGUAGE_H_

#include <string>
#include <vector>

#include "core/document.h"
#include "langid/langid.h"
#include "recognize/recognize.h"

namespace smartocr::pipeline {

// Under "auto" a page is first read with this language, the engine's.
inline constexpr char kAutoFirstLanguage[] = "eng";
// A page identified as another language at least this sure is read again with it.
// Fitted with tools/lang/fit_reread.py: every German and French invoices2 page (text
// layer) reaches it; no sroie-train receipt is identified as another language at all.
inline constexpr double kRereadLanguageConfidence = 0.75;

// The language of the words of `lines`.
langid::Guess IdentifyLanguage(const std::vector<core::Line>& lines);

// "<code>+eng" when `guess` is another language than kAutoFirstLanguage, at least
// kRereadLanguageConfidence sure, and among `engine`'s languages; else "".
std::string RereadLanguages(const langid::Guess& guess, const recognize::Engine& engine);

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_PAGE_LANGUAGE_H_
