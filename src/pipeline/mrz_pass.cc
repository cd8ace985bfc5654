// A second, dedicated OCR pass over the MRZ band of a page. The general pass reads
// OCR-B fillers as 'K', 'c', 'e' or '«' and splits the lines into words; a re-read of
// just the band, upscaled, with the MRZ alphabet as whitelist and one line per text
// row, is far cleaner. The band comes from the general pass's MRZ-like lines, so
// pages without them cost nothing. The re-read replaces those lines only when its
// check digits say it is better.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "extract/extract.h"
#include "pipeline/mrz_band.h"
#include "pipeline/mrz_viz.h"
#include "pipeline/pipeline.h"
#include "ppocr/ppocr.h"
#include "preprocess/preprocess.h"

namespace smartocr::pipeline {
namespace {

constexpr char kMrzAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

// A general-pass line that looks like (part of) an MRZ line: long, mostly MRZ
// characters (counting the usual filler misreads), with fillers or long digit runs.
bool LooksLikeMrz(const std::string& text) {
  std::string s = WithoutSpaces(text);
  if (s.size() < 20) return false;
  int mrz = 0, fillers = 0, digits = 0;
  for (char c : s) {
    bool upper = c >= 'A' && c <= 'Z';
    bool digit = c >= '0' && c <= '9';
    fillers += c == '<' ? 1 : 0;
    digits += digit ? 1 : 0;
    mrz += (upper || digit || c == '<' || c == 'c' || c == 'e') ? 1 : 0;
  }
  double n = static_cast<double>(s.size());
  return mrz >= 0.75 * n && (fillers >= 2 || digits >= 10);
}

struct Reading {
  std::vector<core::Line> lines;  // page coordinates
  int valid_checks = -1;          // -1: no MRZ found
  // Valid checks whose check character is a digit: a field of fillers checks as '<'
  // and passes on any page, so only these say that an MRZ is really there.
  int digit_checks = 0;
  int checks = 0;
  int repairs = 0;
  int mismatches = 0;                // positions where the text contradicts the image (ZoneCells)
  std::vector<std::string> mrz;      // the lines as FindMrzLines normalizes them
  std::vector<int> line_mismatches;  // per MRZ line, when the image's cells are known
};

// How good a set of lines is as an MRZ: check digits passing after repair, then
// agreement with what the image shows at each position (fillers or not), if known.
void Score(Reading& r, const internal::ZoneCells* cells = nullptr) {
  r.valid_checks = -1;
  r.checks = r.repairs = r.mismatches = r.digit_checks = 0;
  r.line_mismatches.clear();
  std::vector<std::string> texts;
  for (const core::Line& l : r.lines) texts.push_back(l.Text());
  std::vector<std::string> mrz = extract::FindMrzLines(texts);
  r.mrz = mrz;
  if (mrz.empty()) return;
  extract::MrzOptions options;
  options.today = {2026, 1, 1};  // only expands years; scoring looks at check digits
  auto parsed = extract::ParseMrz(mrz, options);
  if (!parsed.ok()) return;
  r.valid_checks = 0;
  r.checks = static_cast<int>(parsed->checks.size());
  for (const extract::MrzCheck& c : parsed->checks) {
    r.valid_checks += c.valid ? 1 : 0;
    r.digit_checks += c.valid && c.printed >= '0' && c.printed <= '9' ? 1 : 0;
  }
  r.repairs = static_cast<int>(parsed->repairs.size());
  if (cells != nullptr && cells->kinds.size() == mrz.size()) {
    for (size_t l = 0; l < mrz.size(); ++l) {
      int n = 0;
      for (size_t k = 0; k < mrz[l].size() && k < cells->kinds[l].size(); ++k) {
        internal::Cell kind = cells->kinds[l][k];
        bool filler = mrz[l][k] == '<';
        n += (kind == internal::Cell::kFiller && !filler) ||
                     (kind == internal::Cell::kGlyph && filler)
                 ? 1
                 : 0;
      }
      r.line_mismatches.push_back(n);
      r.mismatches += n;
    }
  }
}

// Turning a page by its MRZ (FindMrzTurn): the least share of class-fitting positions of
// the turned reading, the least lead over the other turns' readings, and the share that
// needs no passing check digit to back it.
constexpr double kMinTurnConformity = 0.85, kMinConformityMargin = 0.05, kSureTurnConformity = 0.95;

// A page with this many words of four characters or more read at this confidence
// along lines across it is upright (FindMrzTurn).
constexpr int kUprightWords = 15;
constexpr double kUprightWordConfidence = 0.9;

// Valid checks with digit check characters that make an MRZ found by the image alone
// (not by OCR text) believable: one check in ten passes by chance.
constexpr int kMinDigitChecks = 2;

bool Better(const Reading& a, const Reading& b) {
  // A re-read that passes no check at all is noise, not an MRZ.
  if (a.valid_checks <= 0 && b.valid_checks < 0) return false;
  if (a.valid_checks != b.valid_checks) return a.valid_checks > b.valid_checks;
  if (a.mismatches != b.mismatches) return a.mismatches < b.mismatches;
  return a.valid_checks >= 0 && a.repairs < b.repairs;
}

// The recognizer tends to drop a long run of fillers at a line's end. MRZ lines are
// equally long and monospaced: a line ending short of the longest one by n character
// pitches gets n fillers back.
void PadDroppedFillers(std::vector<core::Line>& lines) {
  const core::Line* longest = nullptr;
  for (const core::Line& l : lines) {
    if (l.words[0].text.size() >= 28 &&
        (longest == nullptr || l.box.width() > longest->box.width())) {
      longest = &l;
    }
  }
  if (longest == nullptr) return;
  // The zone's width: the MRZ width nearest the longest line's length.
  int len = static_cast<int>(longest->words[0].text.size());
  int width = 0;
  for (int w : {30, 36, 44}) {
    if (std::abs(len - w) <= 2) width = w;
  }
  if (width == 0) return;
  double pitch = longest->box.width() / static_cast<double>(len);
  for (core::Line& l : lines) {
    std::string& text = l.words[0].text;
    int short_by = width - static_cast<int>(text.size());
    if (&l == &*longest || text.size() < 10 || short_by <= 2 ||
        l.box.x0 > longest->box.x0 + 3 * pitch) {
      continue;
    }
    // A line that ends in fillers lost the rest of its filler run.
    long missing =
        text.back() == '<' ? short_by : std::lround((longest->box.x1 - l.box.x1) / pitch);
    missing = std::min<long>(missing, short_by);
    if (missing > 0) text.append(static_cast<size_t>(missing), '<');
  }
}

// Reads `crop` (a band cut from the page at `origin`, scaled by `scale`) as MRZ lines.
Reading ReadBand(const cv::Mat& crop, double scale, cv::Point origin, int psm,
                 recognize::Engine& engine) {
  Reading r;
  const int pad = 20;
  cv::Mat padded;
  cv::copyMakeBorder(crop, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  recognize::RecognizeOptions options;
  options.psm = psm;
  options.char_whitelist = kMrzAlphabet;
  auto lines = engine.Recognize(padded, options);
  if (!lines.ok()) return r;
  auto to_page = [&](const core::BBox& b) {
    return core::BBox{(b.x0 - pad) / scale + origin.x, (b.y0 - pad) / scale + origin.y,
                      (b.x1 - pad) / scale + origin.x, (b.y1 - pad) / scale + origin.y};
  };
  for (const core::Line& l : *lines) {
    // An MRZ line has no spaces: one word per line.
    core::Line out;
    out.box = to_page(l.box);
    out.confidence = l.confidence;
    out.words.push_back({WithoutSpaces(l.Text()), out.box, l.confidence});
    if (!out.words[0].text.empty()) r.lines.push_back(std::move(out));
  }
  PadDroppedFillers(r.lines);
  Score(r);
  return r;
}

// Reads each line of a block reading again on its own (psm 7): a single-line read
// drops and merges fewer fillers than the block read.
Reading ReadLineByLine(const cv::Mat& scaled, double scale, cv::Point origin, const Reading& block,
                       recognize::Engine& engine) {
  Reading r;
  for (const core::Line& l : block.lines) {
    core::Line out = l;
    if (l.words[0].text.size() >= 20) {
      double h = l.box.height() * scale;
      int x0 = std::max(0, static_cast<int>((l.box.x0 - origin.x) * scale - h));
      int x1 = std::min(scaled.cols, static_cast<int>((l.box.x1 - origin.x) * scale + 2 * h));
      int y0 = std::max(0, static_cast<int>((l.box.y0 - origin.y) * scale - 0.3 * h));
      int y1 = std::min(scaled.rows, static_cast<int>((l.box.y1 - origin.y) * scale + 0.3 * h));
      if (x1 - x0 > 10 && y1 - y0 > 5) {
        Reading one = ReadBand(scaled(cv::Rect(x0, y0, x1 - x0, y1 - y0)), 1.0, {0, 0}, 7, engine);
        std::string text;
        for (const core::Line& ol : one.lines) text += ol.words[0].text;
        if (!text.empty()) out.words[0].text = text;
      }
    }
    r.lines.push_back(std::move(out));
  }
  PadDroppedFillers(r.lines);
  Score(r);
  return r;
}

// PP-OCR's recognizer, when its models are installed: on small and blurred prints it
// reads the MRZ's digits and letters where Tesseract's fast model fails (on the dev
// specimens it alone reads FRA's document number), so it reads the rows as well when
// Tesseract's readings leave a check failing. One engine per process (its sessions are
// thread-safe); null without the runtime or the models.
recognize::Engine* SecondReader() {
  static const std::unique_ptr<recognize::Engine> engine =
      []() -> std::unique_ptr<recognize::Engine> {
    if (!ppocr::RuntimeAvailable()) return nullptr;
    ppocr::PpocrConfig config;
    config.classify_angle = false;  // rows come upright
    auto created = ppocr::CreatePpocrEngine(config);
    return created.ok() ? std::move(*created) : nullptr;
  }();
  return engine.get();
}

// The reading as MRZ characters: upper case, '«' as two fillers, anything else out.
std::string MrzChars(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (text.compare(i, 2, "\xC2\xAB") == 0) {
      out += "<<";
      ++i;
    } else if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') {
      out += c;
    }
  }
  return out;
}

bool AllPass(const Reading& r) {
  return r.checks > 0 && r.valid_checks == r.checks && r.repairs == 0;
}

// The best reading by check digits, and apart from it the name line that agrees best
// with the image: no check digit covers the name line (nor, on passports and visas,
// the document code and issuing state before it), so the reading that wins on check
// digits may have the worse one.
struct Pick {
  const std::vector<internal::MrzRow>* rows = nullptr;
  const internal::ZoneCells* cells = nullptr;
  Reading best;
  std::string name_line;
  int name_mismatches = 0;
  size_t line_count = 0;
  std::vector<std::vector<std::string>> seen;  // every reading's MRZ lines

  static size_t NameIndex(size_t line_count) { return line_count == 3 ? 2 : 0; }

  // Takes `r`, and where its lines sit on the image's positions (no filler where the
  // image shows a letter, nor the reverse), `r` with identical glyphs made identical
  // characters as well.
  void Offer(const Reading& r) {
    Consider(r);
    bool aligned = !r.mrz.empty() && r.line_mismatches.size() == r.mrz.size() &&
                   std::all_of(r.line_mismatches.begin(), r.line_mismatches.end(),
                               [](int m) { return m == 0; });
    if (aligned && cells != nullptr && cells->glyph_ids.size() == r.mrz.size()) {
      std::vector<std::string> texts = extract::HarmonizeMrzGlyphs(r.mrz, cells->glyph_ids);
      Reading h;
      if (texts != r.mrz && FromTexts(texts, r, h)) Consider(h);
    }
  }

  void Consider(const Reading& r) {
    if (r.valid_checks > 0) seen.push_back(r.mrz);
    size_t n = NameIndex(r.mrz.size());
    if (r.valid_checks >= 0 && r.line_mismatches.size() == r.mrz.size() &&
        (name_line.empty() || r.line_mismatches[n] < name_mismatches)) {
      name_line = r.mrz[n];
      name_mismatches = r.line_mismatches[n];
      line_count = r.mrz.size();
    }
    if (Better(r, best)) best = r;
  }

  // The best reading with the better name line in, when that does not cost a check.
  void Compose() {
    size_t n = NameIndex(best.mrz.size());
    if (name_line.empty() || best.mrz.size() != line_count ||
        best.line_mismatches.size() != line_count || best.line_mismatches[n] <= name_mismatches ||
        best.mrz[n].size() != name_line.size()) {
      return;
    }
    std::vector<std::string> texts = best.mrz;
    texts[n] = name_line;
    Reading composed;
    if (FromTexts(texts, best, composed) && composed.valid_checks >= best.valid_checks) {
      best = std::move(composed);
    }
  }

  // The best reading with, outside the name line, each position as most readings of
  // the same shape have it, when that costs no check: fields no check covers
  // (nationality, issuing state) are then not left to one reader's slip.
  void Vote() {
    if (best.mrz.empty()) return;
    std::vector<std::string> texts = best.mrz;
    size_t n = NameIndex(texts.size());
    for (size_t l = 0; l < texts.size(); ++l) {
      if (l == n) continue;
      for (size_t k = 0; k < texts[l].size(); ++k) {
        std::map<char, int> votes;
        int total = 0;
        for (const auto& other : seen) {
          if (other.size() != texts.size() || other[l].size() != texts[l].size()) continue;
          ++votes[other[l][k]];
          ++total;
        }
        for (const auto& [c, count] : votes) {
          if (2 * count > total && count >= 2) texts[l][k] = c;
        }
      }
    }
    Reading voted;
    if (texts != best.mrz && FromTexts(texts, best, voted) &&
        voted.valid_checks >= best.valid_checks && voted.mismatches <= best.mismatches) {
      best = std::move(voted);
    }
  }

  // The best reading with its name line checked against the names the VIZ prints
  // (ConfirmNamesByViz), where the readings disagree or show a filler for a letter.
  void ConfirmNames(const std::vector<std::string>& viz_words) {
    if (best.mrz.empty() || viz_words.empty()) return;
    const size_t n = NameIndex(best.mrz.size());
    const std::string& line = best.mrz[n];
    std::vector<bool> unsure(line.size(), false);
    for (const auto& other : seen) {
      if (other.size() != best.mrz.size() || other[n].size() != line.size()) continue;
      for (size_t k = 0; k < line.size(); ++k) unsure[k] = unsure[k] || other[n][k] != line[k];
    }
    // TD1 gives its third line to the name; the others begin theirs with the document
    // code and the issuing state.
    const size_t field_start = best.mrz.size() == 3 ? 0 : 5;
    std::vector<std::string> texts = best.mrz;
    texts[n] = internal::ConfirmNamesByViz(line, field_start, unsure, viz_words);
    Reading confirmed;
    if (texts != best.mrz && FromTexts(texts, best, confirmed) &&
        confirmed.valid_checks >= best.valid_checks) {
      best = std::move(confirmed);
    }
  }

  // A scored reading of `texts` (MRZ lines) with the boxes of `like`'s lines, or of
  // the image's rows.
  bool FromTexts(const std::vector<std::string>& texts, const Reading& like, Reading& out) const {
    out = Reading();
    for (size_t l = 0; l < texts.size(); ++l) {
      core::Line line;
      if (like.lines.size() == texts.size()) {
        line.box = like.lines[l].box;
        line.confidence = like.lines[l].confidence;
      } else if (rows != nullptr && rows->size() == texts.size()) {
        const cv::Rect& b = (*rows)[l].box;
        line.box = {static_cast<double>(b.x), static_cast<double>(b.y),
                    static_cast<double>(b.x + b.width), static_cast<double>(b.y + b.height)};
        line.confidence = like.lines.empty() ? 0 : like.lines[0].confidence;
      } else {
        return false;
      }
      line.words.push_back({texts[l], line.box, line.confidence});
      out.lines.push_back(std::move(line));
    }
    Score(out, cells);
    return true;
  }
};

// A row read short lost characters, and FitToCells leaves '<' where the reading has
// none: right for the fillers OCR drops most, wrong for a letter or digit lost among
// them (a TD1 composite check digit after a long run of fillers). Such positions not
// seen to be fillers are read again one by one (psm 10), a few per row at most.
void ReadDroppedCells(const cv::Mat& image, const internal::MrzRow& row, int width,
                      const std::vector<internal::Cell>& cells, double cap,
                      recognize::Engine& engine, std::string& text) {
  constexpr int kMaxRereads = 3;
  std::vector<double> xs = internal::CellCentreXs(row, width);
  if (xs.size() != text.size() || cells.size() != text.size()) return;
  double h = row.box.height;
  int y0 = std::max(0, static_cast<int>(row.box.y - 0.35 * h));
  int y1 = std::min(image.rows, static_cast<int>(row.box.y + row.box.height + 0.35 * h));
  int rereads = 0;
  for (size_t p = 0; p < text.size() && rereads < kMaxRereads; ++p) {
    if (text[p] != '<' || cells[p] == internal::Cell::kFiller) continue;
    ++rereads;
    // Half a pitch either side: the cell without its neighbours' strokes.
    int x0 = std::max(0, static_cast<int>(xs[p] - 0.55 * row.pitch));
    int x1 = std::min(image.cols, static_cast<int>(xs[p] + 0.55 * row.pitch));
    if (x1 - x0 < 3 || y1 - y0 < 5) continue;
    double scale = std::clamp(cap / h, 1.0, 6.0);
    cv::Mat scaled;
    cv::resize(image(cv::Rect(x0, y0, x1 - x0, y1 - y0)), scaled, cv::Size(), scale, scale,
               cv::INTER_CUBIC);
    Reading one = ReadBand(scaled, scale, {x0, y0}, 10, engine);
    std::string c;
    for (const core::Line& l : one.lines) c += MrzChars(l.words[0].text);
    if (c.size() == 1 && c[0] != '<') text[p] = c[0];
  }
}

// Reads the rows the image itself shows (FindMrzRows), each on its own (psm 7) at an
// OCR-B friendly size. The row's character count is known from its pitch, so a read
// that lost fillers at the end gets them back.
Reading ReadRows(const cv::Mat& image, const std::vector<internal::MrzRow>& rows,
                 const internal::ZoneCells& zone, double cap, recognize::Engine& engine) {
  const auto& cells = zone.kinds;
  int width = internal::ZoneWidth(rows);
  Reading r;
  std::vector<std::string> raw;  // per line of `r`, the reading before FitToCells
  for (size_t k = 0; k < rows.size(); ++k) {
    const internal::MrzRow& row = rows[k];
    double h = row.box.height;
    int x0 = std::max(0, static_cast<int>(row.box.x - row.pitch));
    int right =
        std::max(row.box.x + row.box.width, static_cast<int>(row.box.x + width * row.pitch));
    int x1 = std::min(image.cols, static_cast<int>(right + row.pitch));
    int y0 = std::max(0, static_cast<int>(row.box.y - 0.35 * h));
    int y1 = std::min(image.rows, static_cast<int>(row.box.y + row.box.height + 0.35 * h));
    if (x1 - x0 < 20 || y1 - y0 < 5) continue;
    double scale = std::min(std::clamp(cap / h, 1.0, 6.0),
                            std::max(1.0, 6000.0 / static_cast<double>(x1 - x0)));
    cv::Mat scaled;
    cv::resize(image(cv::Rect(x0, y0, x1 - x0, y1 - y0)), scaled, cv::Size(), scale, scale,
               scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
    Reading one = ReadBand(scaled, scale, {x0, y0}, 7, engine);
    core::Line line;
    line.box = {static_cast<double>(row.box.x), static_cast<double>(row.box.y),
                static_cast<double>(row.box.x + row.box.width),
                static_cast<double>(row.box.y + row.box.height)};
    std::string text;
    double conf = 0;
    for (const core::Line& l : one.lines) {
      text += l.words[0].text;
      conf += l.confidence / static_cast<double>(one.lines.size());
    }
    text = MrzChars(text);
    raw.push_back(text);
    if (text.empty()) continue;
    if (k < cells.size()) {
      bool short_read = static_cast<int>(text.size()) < width;
      text = internal::FitToCells(
          text, cells[k], k < zone.glyph_ids.size() ? zone.glyph_ids[k] : std::vector<int>{});
      if (short_read) ReadDroppedCells(image, row, width, cells[k], cap, engine, text);
    } else if (static_cast<int>(text.size()) < width) {
      text.append(width - text.size(), '<');
    }
    line.confidence = conf;
    line.words.push_back({text, line.box, conf});
    r.lines.push_back(std::move(line));
  }
  // Positions known: identical glyphs are made identical characters.
  std::vector<std::string> texts;
  for (const core::Line& l : r.lines) {
    if (static_cast<int>(l.words[0].text.size()) == width) texts.push_back(l.words[0].text);
  }
  if (texts.size() == rows.size() && zone.glyph_ids.size() == rows.size()) {
    texts = extract::HarmonizeMrzGlyphs(texts, zone.glyph_ids);
    for (size_t k = 0; k < texts.size(); ++k) r.lines[k].words[0].text = texts[k];
  }
  Score(r, &zone);
  // The image's cells misjudge a glyph now and then (a small '4' taken for a filler),
  // and the fit then overrides a reading that was right. A reading of full width as
  // read is the alternative: it wins when its check digits need fewer repairs than the
  // fit's, counting each position where it contradicts the cells as one repair.
  Reading as_read = r;
  bool differs = false;
  for (size_t k = 0; k < as_read.lines.size() && k < raw.size(); ++k) {
    std::string& text = as_read.lines[k].words[0].text;
    if (static_cast<int>(raw[k].size()) == width && raw[k] != text) {
      text = raw[k];
      differs = true;
    }
  }
  if (!differs) return r;
  Score(as_read, &zone);
  int as_read_cost = as_read.repairs + as_read.mismatches, fit_cost = r.repairs + r.mismatches;
  bool prefer =
      as_read.valid_checks >= r.valid_checks &&
      (as_read_cost < fit_cost || (as_read_cost == fit_cost && as_read.repairs < r.repairs));
  return prefer ? as_read : r;
}

// The general pass's MRZ-like lines of the zone (the lowest group of them), if any.
struct Hit {
  size_t block, line;
};

std::vector<Hit> ZoneHits(const core::PageResult& page) {
  std::vector<Hit> hits;
  for (size_t b = 0; b < page.blocks.size(); ++b) {
    for (size_t l = 0; l < page.blocks[b].lines.size(); ++l) {
      if (LooksLikeMrz(page.blocks[b].lines[l].Text())) hits.push_back({b, l});
    }
  }
  if (hits.empty()) return hits;
  auto line_of = [&](const Hit& h) -> const core::Line& {
    return page.blocks[h.block].lines[h.line];
  };
  std::sort(hits.begin(), hits.end(),
            [&](const Hit& a, const Hit& b) { return line_of(a).box.cy() < line_of(b).box.cy(); });
  // Keep the hits within a few line heights of the lowest one.
  const core::Line& lowest = line_of(hits.back());
  double h = std::max(8.0, lowest.box.height());
  std::vector<Hit> zone;
  for (const Hit& hit : hits) {
    if (lowest.box.cy() - line_of(hit).box.cy() <= 4.5 * h) zone.push_back(hit);
  }
  // Lines of digits alone (receipts' tax numbers) are no MRZ: fillers, or two lines.
  bool fillers = std::any_of(zone.begin(), zone.end(), [&](const Hit& hit) {
    const std::string t = line_of(hit).Text();
    long n = std::count(t.begin(), t.end(), '<');
    long digits = std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    return n >= 2 || (n >= 1 && digits >= 10);
  });
  if (!fillers && zone.size() < 2) zone.clear();
  return zone;
}

// Re-reads the band around the general pass's zone lines (block and per-line reads).
void ReadAroundZone(const core::PageResult& page, const std::vector<Hit>& zone,
                    const cv::Mat& image, recognize::Engine& engine,
                    const internal::ZoneCells* cells, Pick& pick) {
  core::BBox band;
  std::vector<double> heights;
  for (const Hit& hit : zone) {
    const core::Line& line = page.blocks[hit.block].lines[hit.line];
    band = band.Union(line.box);
    heights.push_back(line.box.height());
  }
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  double line_h = std::max(6.0, heights[heights.size() / 2]);
  // Room for a line the general pass missed or cut short (a 2-line zone read as one).
  int x0 = std::max(0, static_cast<int>(band.x0 - 2 * line_h));
  int x1 = std::min(image.cols, static_cast<int>(band.x1 + 2 * line_h));
  // A zone of one line: the general pass missed the other(s), which lie within two
  // line heights above or below.
  double margin = zone.size() == 1 ? 2.2 * line_h : 0.8 * line_h;
  int y0 = std::max(0, static_cast<int>(band.y0 - margin));
  int y1 = std::min(image.rows, static_cast<int>(band.y1 + margin));
  if (x1 - x0 < 20 || y1 - y0 < 8) return;
  cv::Mat crop = image(cv::Rect(x0, y0, x1 - x0, y1 - y0));
  // OCR-B reads best at cap heights of ~30-40 px.
  for (double target : {36.0, 52.0}) {
    // Bounded so that a wide band on a large page stays a modest image.
    double scale = std::min(std::clamp(target / line_h, 1.0, 6.0),
                            std::max(1.0, 6000.0 / static_cast<double>(crop.cols)));
    cv::Mat scaled;
    cv::resize(crop, scaled, cv::Size(), scale, scale,
               scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
    Reading r = ReadBand(scaled, scale, {x0, y0}, 6, engine);
    Reading single = ReadLineByLine(scaled, scale, {x0, y0}, r, engine);
    Score(r, cells);
    Score(single, cells);
    pick.Offer(r);
    pick.Offer(single);
    if (AllPass(pick.best)) return;
  }
}

// Puts `lines` in place of the zone's lines (where the zone began), or in a block of
// their own at the end when the general pass had none.
void ReplaceZone(core::PageResult& page, const std::vector<Hit>& zone,
                 std::vector<core::Line> lines) {
  if (zone.empty()) {
    core::Block block;
    for (const core::Line& l : lines) block.box = block.box.Union(l.box);
    block.lines = std::move(lines);
    page.blocks.push_back(std::move(block));
  } else {
    size_t target_block = zone.front().block;
    size_t insert_at = zone.front().line;
    for (const Hit& hit : zone) {
      if (hit.block < target_block || (hit.block == target_block && hit.line < insert_at)) {
        target_block = hit.block;
        insert_at = hit.line;
      }
    }
    std::vector<std::vector<bool>> drop(page.blocks.size());
    for (size_t b = 0; b < page.blocks.size(); ++b) {
      drop[b].assign(page.blocks[b].lines.size(), false);
    }
    for (const Hit& hit : zone) drop[hit.block][hit.line] = true;
    for (size_t b = 0; b < page.blocks.size(); ++b) {
      std::vector<core::Line> kept;
      for (size_t l = 0; l < page.blocks[b].lines.size(); ++l) {
        if (b == target_block && l == insert_at) {
          for (core::Line& nl : lines) kept.push_back(std::move(nl));
        }
        if (!drop[b][l]) kept.push_back(std::move(page.blocks[b].lines[l]));
      }
      page.blocks[b].lines = std::move(kept);
    }
  }
  std::vector<core::Block> blocks;
  for (core::Block& b : page.blocks) {
    if (b.lines.empty()) continue;
    core::BBox box;
    double conf = 0;
    for (const core::Line& l : b.lines) {
      box = box.Union(l.box);
      conf += l.confidence;
    }
    b.box = b.box.Union(box);
    b.confidence = conf / static_cast<double>(b.lines.size());
    b.reading_order = static_cast<int>(blocks.size());
    blocks.push_back(std::move(b));
  }
  page.blocks = std::move(blocks);
  page.FinalizeTextAndConfidence();
}

// When the page shows no MRZ rows but was deskewed, the deskew may have turned a
// straight MRZ askew (strong stripes of a security print can mislead it): the page
// turned back (either way) is tried. Returns the turned page and the transform from
// its coordinates to the page's, or an empty image.
cv::Mat UndoDeskew(const cv::Mat& image, double skew_deg, std::vector<internal::MrzRow>& rows,
                   cv::Mat& to_page) {
  if (std::abs(skew_deg) < 1) return {};
  cv::Point2f centre(static_cast<float>(image.cols) / 2, static_cast<float>(image.rows) / 2);
  for (double angle : {skew_deg, -skew_deg}) {
    cv::Mat m = cv::getRotationMatrix2D(centre, angle, 1.0);
    cv::Mat turned;
    cv::warpAffine(image, turned, m, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(255));
    rows = internal::FindMrzRows(turned);
    if (!rows.empty()) {
      cv::invertAffineTransform(m, to_page);
      return turned;
    }
  }
  return {};
}

core::BBox MapBox(const core::BBox& b, const cv::Mat& m) {
  core::BBox out;
  bool first = true;
  for (double x : {b.x0, b.x1}) {
    for (double y : {b.y0, b.y1}) {
      double px = m.at<double>(0, 0) * x + m.at<double>(0, 1) * y + m.at<double>(0, 2);
      double py = m.at<double>(1, 0) * x + m.at<double>(1, 1) * y + m.at<double>(1, 2);
      if (first) {
        out = {px, py, px, py};
        first = false;
      } else {
        out = {std::min(out.x0, px), std::min(out.y0, py), std::max(out.x1, px),
               std::max(out.y1, py)};
      }
    }
  }
  return out;
}

}  // namespace

bool RereadMrzBand(core::PageResult& page, const cv::Mat& page_image, recognize::Engine& engine) {
  if (page_image.empty() || page_image.type() != CV_8UC1) return false;
  std::vector<Hit> zone = ZoneHits(page);
  // The zone as the image shows it, found whether or not the general pass read it.
  std::vector<internal::MrzRow> rows = internal::FindMrzRows(page_image);
  cv::Mat image = page_image, to_page;
  if (zone.empty() && rows.empty()) {
    image = UndoDeskew(page_image, page.skew_deg, rows, to_page);
    if (image.empty()) return false;
  }

  Reading first;
  for (const Hit& hit : zone) first.lines.push_back(page.blocks[hit.block].lines[hit.line]);
  internal::ZoneCells cells;
  if (!rows.empty()) cells = internal::AnalyzeCells(image, rows, internal::ZoneWidth(rows));
  if (!first.lines.empty()) Score(first, &cells);
  Pick pick;
  pick.rows = &rows;
  pick.cells = &cells;
  pick.best = first;
  pick.Offer(first);
  if (!rows.empty()) {
    for (double cap : {36.0, 52.0}) {
      Reading r = ReadRows(image, rows, cells, cap, engine);
      pick.Offer(r);
      if (AllPass(pick.best)) break;
    }
  }
  if (!zone.empty() && !AllPass(pick.best)) ReadAroundZone(page, zone, image, engine, &cells, pick);
  recognize::Engine* second = rows.empty() || AllPass(pick.best) ? nullptr : SecondReader();
  if (second != nullptr && second != &engine) {
    pick.Offer(ReadRows(image, rows, cells, 36.0, *second));
  }
  pick.Compose();
  pick.Vote();
  pick.ConfirmNames(internal::VizWords(page, LooksLikeMrz));
  // A composed reading may tie with the general pass's on every score and still be
  // the better text (glyph consensus in fields no check covers): not worse and
  // different is enough.
  bool improves =
      Better(pick.best, first) ||
      (pick.best.valid_checks > 0 && !Better(first, pick.best) && pick.best.mrz != first.mrz);
  if (!improves) return false;
  // Found by the image alone (the general pass saw no MRZ-like line): monospaced
  // receipt or letter text also makes even rows, one check digit in ten passes by
  // chance, and fields of fillers pass always, so such a zone must pass all checks but
  // one, and at least two with digits.
  if (zone.empty() &&
      (pick.best.digit_checks < kMinDigitChecks || pick.best.valid_checks < pick.best.checks - 1)) {
    return false;
  }
  if (!to_page.empty()) {
    for (core::Line& line : pick.best.lines) {
      line.box = MapBox(line.box, to_page);
      for (core::Word& word : line.words) word.box = MapBox(word.box, to_page);
    }
  }
  ReplaceZone(page, zone, std::move(pick.best.lines));
  return true;
}

int FindMrzTurn(const core::PageResult& page, const cv::Mat& image, recognize::Engine& engine) {
  if (image.empty() || image.type() != CV_8UC1) return 0;
  // What the page as read shows: an MRZ that passes its checks, and whether its lines
  // run across the page or down it (Tesseract reads a sideways MRZ too, but poorly).
  Reading as_read;
  int sideways = 0, across = 0;
  for (const Hit& hit : ZoneHits(page)) {
    const core::BBox& b = page.blocks[hit.block].lines[hit.line].box;
    (b.y1 - b.y0 > b.x1 - b.x0 ? sideways : across) += 1;
    as_read.lines.push_back(page.blocks[hit.block].lines[hit.line]);
  }
  Score(as_read);
  const bool is_sideways = sideways > across;
  if (!is_sideways && as_read.digit_checks >= kMinDigitChecks) return 0;
  // A page that reads well as it stands is upright: many words read with confidence,
  // along lines that run across it (Tesseract reads a sideways page's lines too, but
  // as tall boxes; an upside-down page comes out as noise). Receipts and letters are
  // spared the reads below, a tenth of a second per page.
  int upright_words = 0;
  for (const core::Block& block : page.blocks) {
    for (const core::Line& line : block.lines) {
      for (const core::Word& w : line.words) {
        upright_words += w.confidence >= kUprightWordConfidence && w.text.size() >= 4 &&
                                 w.box.width() > w.box.height()
                             ? 1
                             : 0;
      }
    }
  }
  if (!is_sideways && upright_words >= kUprightWords) return 0;
  // Each turn that shows MRZ rows is read once (quickly: one row read, no second
  // reader). Text read upside down or sideways comes out as MRZ characters too (the
  // recognizer's whitelist sees to that), but not where the ICAO layout puts them:
  // the share of positions that fit their class (digits in dates, letters in names)
  // tells the right turn from the wrong ones, by a margin, before the check digits do.
  struct Turned {
    int turn = 0;
    double conformity = 0;
    Reading reading;
  };
  std::vector<Turned> seen;
  for (int turn : {90, 270, 180}) {
    if (is_sideways && turn == 180) continue;
    cv::Mat turned = preprocess::TurnClockwise(image, turn);
    std::vector<internal::MrzRow> rows = internal::FindMrzRows(turned);
    if (rows.empty()) continue;
    internal::ZoneCells cells = internal::AnalyzeCells(turned, rows, internal::ZoneWidth(rows));
    Reading r = ReadRows(turned, rows, cells, 36.0, engine);
    double conformity = extract::MrzClassConformity(r.mrz);
    seen.push_back({turn, conformity, std::move(r)});
  }
  auto best = std::max_element(seen.begin(), seen.end(), [](const Turned& a, const Turned& b) {
    return a.conformity < b.conformity;
  });
  if (best == seen.end()) return 0;
  const double runner_up =
      std::max(extract::MrzClassConformity(as_read.mrz),
               std::accumulate(seen.begin(), seen.end(), 0.0, [&](double m, const Turned& t) {
                 return t.turn == best->turn ? m : std::max(m, t.conformity);
               }));
  const bool shaped = best->conformity >= kMinTurnConformity &&
                      best->conformity - runner_up >= kMinConformityMargin;
  // A check with a digit confirms it, or a near-perfect shape alone.
  const bool confirmed = best->reading.digit_checks >= 1 || best->conformity >= kSureTurnConformity;
  return shaped && confirmed ? best->turn : 0;
}

}  // namespace smartocr::pipeline
