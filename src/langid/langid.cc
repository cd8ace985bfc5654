#include "langid/langid.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/utf8.h"
#include "langid/builtin_profiles.h"

namespace smartocr::langid {
namespace {

bool IsLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// Lower case for ASCII, Latin-1 and Latin Extended-A, where the word lists' letters lie
// (the trainer's str.lower() agrees there).
char32_t ToLower(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x178) return 0xFF;
  const bool pairs_even_upper = (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
  const bool pairs_odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
  if ((pairs_even_upper && c % 2 == 0) || (pairs_odd_upper && c % 2 == 1)) return c + 1;
  return c;
}

// The LCG of Knuth's MMIX: a fixed, portable stream for the resamples.
class Resampler {
 public:
  size_t Next(size_t n) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((state_ >> 33) % n);
  }

 private:
  uint64_t state_ = 12345;
};

size_t ArgMax(const std::vector<double>& v) {
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

struct Identifier::Profiles {
  // Trigram (UTF-8) -> log-probability per language, in codes_ order; a trigram a
  // language did not keep has that language's floor.
  std::unordered_map<std::string, std::vector<double>> trigrams;
  std::vector<double> floors;
};

Identifier::Identifier() : profiles_(std::make_unique<Profiles>()) {}
Identifier::~Identifier() = default;

const Identifier& Identifier::BuiltIn() {
  static const Identifier* const kBuiltIn = [] {
    auto id = FromJson(std::string_view(kBuiltinProfiles, sizeof(kBuiltinProfiles) - 1));
    // The model is part of the build: a broken one fails its unit test, not a request.
    return id.ok() ? id->release() : new Identifier();
  }();
  return *kBuiltIn;
}

core::Result<std::unique_ptr<Identifier>> Identifier::FromJson(std::string_view json) {
  auto bad = [](const std::string& why) {
    return core::InvalidArgument("langid_model", "language profiles: " + why);
  };
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("languages") || !j["languages"].is_object() ||
      j["languages"].empty()) {
    return bad("no languages");
  }
  std::unique_ptr<Identifier> id(new Identifier());
  id->version_ = j.value("version", "");
  const nlohmann::json& languages = j["languages"];
  for (const auto& [code, profile] : languages.items()) {
    if (!profile.is_object() || !profile.contains("floor") || !profile["floor"].is_number() ||
        !profile.contains("trigrams") || !profile["trigrams"].is_object()) {
      return bad("profile " + code + " is malformed");
    }
    id->codes_.push_back(code);
    id->profiles_->floors.push_back(profile["floor"].get<double>());
  }
  const size_t n = id->codes_.size();
  size_t i = 0;
  for (const auto& [code, profile] : languages.items()) {
    for (const auto& [trigram, logp] : profile["trigrams"].items()) {
      if (!logp.is_number()) return bad("profile " + code + " has a non-number");
      auto [it, added] = id->profiles_->trigrams.try_emplace(trigram, id->profiles_->floors);
      it->second[i] = logp.get<double>();
      (void)added;
    }
    ++i;
  }
  if (id->profiles_->floors.size() != n) return bad("inconsistent profiles");
  return id;
}

Guess Identifier::Identify(std::string_view text) const {
  Guess guess;
  const size_t n_lang = codes_.size();
  if (n_lang == 0) return guess;
  std::vector<std::vector<double>> scores;  // per scored word, per language
  std::u32string word;
  auto score_word = [&] {
    if (word.size() >= kMinWordLetters) {
      const std::u32string padded = U"_" + word + U"_";
      std::vector<double> s(n_lang, 0.0);
      std::string key;
      for (size_t k = 0; k + 3 <= padded.size(); ++k) {
        key.clear();
        for (size_t m = k; m < k + 3; ++m) core::AppendUtf8(padded[m], key);
        auto it = profiles_->trigrams.find(key);
        const std::vector<double>& logp =
            it == profiles_->trigrams.end() ? profiles_->floors : it->second;
        for (size_t l = 0; l < n_lang; ++l) s[l] += logp[l];
      }
      scores.push_back(std::move(s));
    }
    word.clear();
  };
  for (char32_t c : core::DecodeUtf8(text)) {
    if (IsLetter(c)) {
      word.push_back(ToLower(c));
    } else {
      score_word();
    }
  }
  score_word();
  guess.words = scores.size();
  if (scores.size() < kMinWords) return guess;
  std::vector<double> totals(n_lang, 0.0);
  for (const auto& s : scores) {
    for (size_t l = 0; l < n_lang; ++l) totals[l] += s[l];
  }
  const size_t best = ArgMax(totals);
  Resampler resampler;
  int agree = 0;
  std::vector<double> sample(n_lang);
  for (int round = 0; round < kBootstrapRounds; ++round) {
    std::fill(sample.begin(), sample.end(), 0.0);
    for (size_t k = 0; k < scores.size(); ++k) {
      const std::vector<double>& s = scores[resampler.Next(scores.size())];
      for (size_t l = 0; l < n_lang; ++l) sample[l] += s[l];
    }
    if (ArgMax(sample) == best) ++agree;
  }
  guess.code = codes_[best];
  guess.confidence = static_cast<double>(agree) / kBootstrapRounds;
  return guess;
}

}  // namespace smartocr::langid
