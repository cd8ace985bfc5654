#include "pipeline/page_language.h"

#include <algorithm>

namespace smartocr::pipeline {

langid::Guess IdentifyLanguage(const std::vector<core::Line>& lines) {
  std::string text;
  for (const core::Line& line : lines) {
    text += line.Text();
    text += '\n';
  }
  return langid::Identifier::BuiltIn().Identify(text);
}

std::string RereadLanguages(const langid::Guess& guess, const recognize::Engine& engine) {
  if (guess.code.empty() || guess.code == kAutoFirstLanguage ||
      guess.confidence < kRereadLanguageConfidence) {
    return "";
  }
  const std::vector<std::string> installed = engine.languages();
  if (std::find(installed.begin(), installed.end(), guess.code) == installed.end()) return "";
  return guess.code + "+" + kAutoFirstLanguage;
}

}  // namespace smartocr::pipeline
