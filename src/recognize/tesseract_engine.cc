// The Tesseract engine. Initializing a TessBaseAPI loads the language model (tens of
// ms to ~0.1 s), so the engine keeps a pool of initialized APIs and lends one to each
// concurrent Recognize call; the pool grows to the number of threads that call at once.
#include <allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "core/mutex.h"
#include "recognize/recognize.h"

namespace smartocr::recognize {
namespace {

using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI>;

std::atomic<int> g_init_count{0};

// Language sets whose initialized APIs are kept idle at once (a tenant asking for
// "deu+eng" and another for "fra" keep two); the least recently used set goes first.
constexpr size_t kMaxIdleLanguageSets = 8;
// Model files in a tessdata directory that are not reading languages.
constexpr const char* kNotLanguages[] = {"osd", "equ"};

std::vector<std::string> SplitLanguages(const std::string& lang) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= lang.size()) {
    size_t plus = lang.find('+', start);
    if (plus == std::string::npos) plus = lang.size();
    out.push_back(lang.substr(start, plus - start));
    start = plus + 1;
  }
  return out;
}

// The *.traineddata files of `dir`, sorted, without the ones that are not languages.
std::vector<std::string> ListLanguages(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() != ".traineddata") continue;
    const std::string name = path.stem().string();
    if (std::find(std::begin(kNotLanguages), std::end(kNotLanguages), name) ==
        std::end(kNotLanguages)) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// FNV-1a of the model file, so results say which model read them.
std::string ModelFingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "unknown";
  uint64_t h = 1469598103934665603ull;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h = (h ^ static_cast<unsigned char>(buf[i])) * 1099511628211ull;
    }
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return std::string(out, 8);
}

core::BBox BoxOf(tesseract::ResultIterator& it, tesseract::PageIteratorLevel level) {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  it.BoundingBox(level, &x0, &y0, &x1, &y1);
  return {static_cast<double>(x0), static_cast<double>(y0), static_cast<double>(x1),
          static_cast<double>(y1)};
}

std::string TrimSpace(const char* text) {
  std::string s = text ? text : "";
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

class TesseractEngine final : public Engine {
 public:
  TesseractEngine(TesseractConfig config, std::string version, ApiPtr first,
                  std::vector<std::string> languages)
      : config_(std::move(config)),
        info_{"tesseract", std::move(version)},
        languages_(std::move(languages)) {
    idle_[config_.lang].push_back(std::move(first));
    recent_.push_back(config_.lang);
  }

  ~TesseractEngine() override {
    for (auto& [lang, apis] : idle_) {
      for (ApiPtr& api : apis) api->End();
    }
  }

  // Engine:
  const core::EngineInfo& info() const override { return info_; }
  std::vector<std::string> languages() const override { return languages_; }

  core::Result<std::vector<core::Line>> Recognize(const cv::Mat& gray,
                                                  const RecognizeOptions& options) override {
    if (gray.empty() || gray.type() != CV_8UC1) {
      return core::InvalidArgument("bad_image", "recognize needs a non-empty 8-bit gray image");
    }
    const std::string& lang = options.lang.empty() ? config_.lang : options.lang;
    if (!options.lang.empty()) SMARTOCR_RETURN_IF_ERROR(CheckLanguages(lang, languages_));
    auto api = Acquire(lang);
    if (!api.ok()) return api.status();
    int psm = options.psm != 0 ? options.psm
              : config_.psm != 0
                  ? config_.psm
                  : (options.single_column ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_AUTO);
    (*api)->SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
    // Variables stick to a pooled API: set the whitelist for this call only.
    if (!options.char_whitelist.empty()) {
      (*api)->SetVariable("tessedit_char_whitelist", options.char_whitelist.c_str());
    }
    std::vector<core::Line> lines = Read(**api, gray, options);
    if (!options.char_whitelist.empty()) (*api)->SetVariable("tessedit_char_whitelist", "");
    Release(lang, std::move(*api));
    if (Cancelled(options)) return core::Cancelled("cancelled", "recognition cancelled");
    return lines;
  }

  static core::Result<ApiPtr> NewApi(const TesseractConfig& config, const std::string& lang) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    g_init_count.fetch_add(1, std::memory_order_relaxed);
    const char* datapath = config.tessdata_dir.empty() ? nullptr : config.tessdata_dir.c_str();
    if (api->Init(datapath, lang.c_str(), tesseract::OEM_DEFAULT) != 0) {
      return core::Unavailable("tesseract_init", "cannot load Tesseract language data '" + lang +
                                                     "' (install tesseract-ocr-" + lang +
                                                     " or pass --tessdata)");
    }
    // Tesseract prints notes such as "Estimating resolution" through its debug file.
    api->SetVariable("debug_file", "/dev/null");
    return api;
  }

 private:
  core::Result<ApiPtr> Acquire(const std::string& lang) EXCLUDES(mu_) {
    {
      core::MutexLock lock(mu_);
      auto it = idle_.find(lang);
      if (it != idle_.end() && !it->second.empty()) {
        ApiPtr api = std::move(it->second.back());
        it->second.pop_back();
        return api;
      }
    }
    return NewApi(config_, lang);
  }

  void Release(const std::string& lang, ApiPtr api) EXCLUDES(mu_) {
    api->Clear();
    std::vector<ApiPtr> evicted;
    {
      core::MutexLock lock(mu_);
      idle_[lang].push_back(std::move(api));
      recent_.erase(std::remove(recent_.begin(), recent_.end(), lang), recent_.end());
      recent_.push_back(lang);
      while (recent_.size() > kMaxIdleLanguageSets) {
        auto oldest = idle_.find(recent_.front());
        if (oldest != idle_.end()) {
          for (ApiPtr& old : oldest->second) evicted.push_back(std::move(old));
          idle_.erase(oldest);
        }
        recent_.erase(recent_.begin());
      }
    }
    for (ApiPtr& old : evicted) old->End();  // outside the lock: End frees the models
  }

  static bool Cancelled(const RecognizeOptions& options) {
    return options.cancel != nullptr && options.cancel->load();
  }

  static std::vector<core::Line> Read(tesseract::TessBaseAPI& api, const cv::Mat& gray,
                                      const RecognizeOptions& options) {
    api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
    if (options.dpi > 0) api.SetSourceResolution(options.dpi);
    std::vector<core::Line> lines;
    // Tesseract polls the monitor's cancel function between words, so a raised flag
    // stops a long page within milliseconds instead of after the whole page.
    tesseract::ETEXT_DESC monitor;
    if (options.cancel != nullptr) {
      monitor.cancel = [](void* flag, int /*words*/) {
        return static_cast<const std::atomic<bool>*>(flag)->load();
      };
      monitor.cancel_this = const_cast<std::atomic<bool>*>(options.cancel);
    }
    if (Cancelled(options) || api.Recognize(&monitor) != 0 || Cancelled(options)) return lines;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return lines;
    do {
      if (it->Empty(tesseract::RIL_WORD)) continue;
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || lines.empty()) {
        lines.emplace_back();
        lines.back().box = BoxOf(*it, tesseract::RIL_TEXTLINE);
      }
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      std::string word = TrimSpace(text.get());
      if (word.empty()) continue;
      float conf = it->Confidence(tesseract::RIL_WORD);
      lines.back().words.push_back({std::move(word), BoxOf(*it, tesseract::RIL_WORD),
                                    std::clamp(static_cast<double>(conf) / 100.0, 0.0, 1.0)});
    } while (it->Next(tesseract::RIL_WORD));
    std::vector<core::Line> out;
    for (core::Line& line : lines) {
      if (line.words.empty()) continue;
      double sum = 0;
      core::BBox words_box;
      for (const core::Word& w : line.words) {
        sum += w.confidence;
        words_box = words_box.Union(w.box);
      }
      line.confidence = sum / static_cast<double>(line.words.size());
      // Tesseract's line box can reach past its words (baseline slack); the words are
      // what a reader selects.
      line.box = words_box;
      out.push_back(std::move(line));
    }
    return out;
  }

  const TesseractConfig config_;
  const core::EngineInfo info_;
  const std::vector<std::string> languages_;  // installed in the engine's tessdata
  core::Mutex mu_;
  std::map<std::string, std::vector<ApiPtr>> idle_ GUARDED_BY(mu_);  // by language set
  std::vector<std::string> recent_ GUARDED_BY(mu_);  // language sets, least recent first
};

}  // namespace

core::Result<std::unique_ptr<Engine>> CreateTesseractEngine(const TesseractConfig& config) {
  // Leptonica reports recoverable conditions inside Tesseract's layout analysis
  // ("box outside rectangle") on stderr; they are not errors of ours or the caller's.
  setMsgSeverity(L_SEVERITY_NONE);
  if (config.psm < 0 || config.psm > 13 || config.psm == 2) {
    return core::InvalidArgument("psm", "page segmentation mode must be 0 (auto), 1 or 3-13");
  }
  auto api = TesseractEngine::NewApi(config, config.lang);
  if (!api.ok()) return api.status();
  std::string model_dir = (*api)->GetDatapath() ? (*api)->GetDatapath() : "";
  std::string models;
  for (const std::string& lang : SplitLanguages(config.lang)) {
    std::string path = (std::filesystem::path(model_dir) / (lang + ".traineddata")).string();
    if (!models.empty()) models += '+';
    models += lang + ":" + ModelFingerprint(path);
  }
  std::string version = TesseractVersion() + " " + models + " psm" +
                        (config.psm == 0 ? std::string("auto") : std::to_string(config.psm));
  return std::unique_ptr<Engine>(std::make_unique<TesseractEngine>(
      config, std::move(version), std::move(*api), ListLanguages(model_dir)));
}

core::Status CheckLanguages(const std::string& lang, const std::vector<std::string>& installed) {
  const std::vector<std::string> codes = SplitLanguages(lang);
  if (codes.size() > kMaxLanguagesPerRead) {
    return core::InvalidArgument("bad_language", "at most " + std::to_string(kMaxLanguagesPerRead) +
                                                     " languages may be read at once");
  }
  std::string missing;
  for (const std::string& code : codes) {
    const bool well_formed =
        !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (!well_formed) {
      return core::InvalidArgument("bad_language",
                                   "'" + lang + "' is not language codes joined by '+' (deu+eng)");
    }
    if (std::find(installed.begin(), installed.end(), code) == installed.end()) {
      missing += (missing.empty() ? "" : ", ") + code;
    }
  }
  if (missing.empty()) return core::Status::Ok();
  std::string list;
  for (const std::string& code : installed) list += (list.empty() ? "" : ", ") + code;
  return core::InvalidArgument("unsupported_language", "language " + missing +
                                                           " is not installed here (installed: " +
                                                           (list.empty() ? "none" : list) + ")");
}

int TesseractInitCountForTest() { return g_init_count.load(); }

std::string TesseractVersion() { return tesseract::TessBaseAPI::Version(); }

std::string LeptonicaVersion() {
  char* v = getLeptonicaVersion();
  std::string out = v ? v : "";
  lept_free(v);
  const std::string prefix = "leptonica-";
  if (out.rfind(prefix, 0) == 0) out = out.substr(prefix.size());
  return out;
}

}  // namespace smartocr::recognize
