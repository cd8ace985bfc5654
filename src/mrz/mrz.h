// src/mrz/mrz.h
//
// MRZ: the machine-readable zone of passports, ID cards and visas (ICAO 9303).
//   - Text: finding the zone's lines in OCR text (FindMrzLines), parsing TD1/TD2/TD3/
//     MRV-A/MRV-B lines into fields with their check digits, and repairing the OCR
//     confusions that positions and check digits decide (ParseMrz).
//   - Image: the MRZ pass over a recognized page (RereadMrzBand), which finds the zone
//     on the image and re-reads it, and the orientation probe (FindMrzTurn), which
//     tells how an ID card stands by where its MRZ reads.
// Tunables are named in mrz/tunables.h; everything else under mrz/ is private.
//
//   mrz::MrzOptions opts{.today = {2024, 6, 1}};
//   core::Result<mrz::MrzFields> f = mrz::ParseMrz(mrz::FindMrzLines(texts), opts);
//   if (f.ok() && f->all_checks_valid) Use(f->document_number);
//
// Thread safety: free functions; the text functions work on values only, the image
// functions call the engines they are given (which are thread-safe).
#ifndef SMARTOCR_MRZ_MRZ_H_
#define SMARTOCR_MRZ_MRZ_H_

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "recognize/recognize.h"

namespace smartocr::mrz {

// ---------------------------------------------------------------------------------------
// Text: parsing and finding.

enum class MrzType { kTd1, kTd2, kTd3, kMrvA, kMrvB };
// "TD1", "TD2", "TD3", "MRVA", "MRVB" (the spelling of the shared labels).
const char* MrzTypeName(MrzType type);

// ICAO check digit of `s`: weights 7,3,1 repeating; '0'-'9' = 0-9, 'A'-'Z' = 10-35,
// '<' = 0. Returns 0..9, or -1 when `s` holds any other character.
int MrzCheckDigit(std::string_view s);

// One verified check digit.
struct MrzCheck {
  std::string name;    // "document_number", "birth_date", "expiry_date",
                       // "personal_number" (TD3 only), "composite"
  char printed = '<';  // the check character on the document (after repair)
  int computed = -1;   // the digit computed from the covered characters; -1: bad chars
  bool valid = false;  // printed == computed ('<' counts as 0)
};

// One character changed by repair. `line` and `column` are 0-based, counted in
// characters (code points) of the normalized line.
struct MrzRepair {
  int line = 0;
  int column = 0;
  std::string from;
  std::string to;
  bool check_guided = false;  // chosen because it made a check digit pass
};

struct MrzFields {
  MrzType type = MrzType::kTd3;
  std::vector<std::string> lines;  // the lines after normalization and repair
  std::string document_type;       // "P", "ID", "V", ... ('<' fillers removed)
  std::string issuing_country;     // "UTO"
  std::string surname;             // "ERIKSSON"; '<' inside -> ' '
  std::string given_names;         // "ANNA MARIA"; "" when the name has no "<<"
  std::string document_number;     // fillers removed; TD1 long numbers joined
  std::string nationality;
  std::string birth_date;          // ISO 8601, "" when not a valid date
  std::string birth_date_raw;      // YYMMDD as printed
  std::string sex;                 // "M", "F", or "X" (for '<' or 'X')
  std::string expiry_date;         // ISO 8601, "" when not a valid date
  std::string expiry_date_raw;     // YYMMDD as printed
  std::string personal_number;     // optional data 1 (TD3 personal number), fillers removed
  std::string optional_data_2;     // TD1 line 2 optional data, fillers removed
  std::vector<MrzCheck> checks;    // in order: number, birth, expiry, [personal], [composite]
  std::vector<MrzRepair> repairs;  // in line/column order
  bool all_checks_valid = false;
};

struct MrzOptions {
  // Reference date for expanding two-digit years (the caller's clock, e.g.
  // extract::TodayUtc()). Requires: IsValidDate(today).
  core::Date today;
  // Repair OCR confusions (O/0, I/1, ...) where the position's type or the check
  // digits decide them.
  bool repair = true;
  // At most this many characters changed per field in check-guided search.
  int max_changes_per_field = 2;
  // And at most this many over the whole MRZ: with two per field over four or five
  // fields, wrong text can be searched into passing every check. A reading that needs
  // more stays as read and reports its failing checks.
  int max_changes_total = 3;
};

// Parses 3x30 (TD1), 2x36 (TD2, or MRV-B when the line starts with 'V') or 2x44 (TD3,
// or MRV-A) lines. Whitespace is removed, ASCII letters upper-cased; non-ASCII
// characters are kept (and fail any check that covers them). A document whose check
// digits fail is still returned, with all_checks_valid = false.
// Birth YY: the latest century not after options.today. Expiry YY: 20YY unless that
// is more than 30 years after today (then 19YY).
// Fails with kInvalidArgument: "mrz_shape" (line count/length fits no format),
// "mrz_today" (options.today invalid).
core::Result<MrzFields> ParseMrz(const std::vector<std::string>& lines, const MrzOptions& options);

// Picks the MRZ block out of OCR text lines: 2 or 3 consecutive lines that, after
// removing spaces, are 30/36/44 characters (+-2) of mostly [A-Z0-9<] with frequent '<'.
// Returned lines are normalized: spaces removed, upper-cased, '«' -> "<<", '‹' -> '<',
// runs of 'K'/'<' at a line end read as fillers, and padded/cut to the exact width.
// Returns {} when no block is found.
std::vector<std::string> FindMrzLines(const std::vector<std::string>& lines);

// ---------------------------------------------------------------------------------------
// Trust: what each field's value rests on.
//
// Check digits do not cover the document code, the issuing state, the names, the
// nationality or the sex, and two misread characters can cancel out in a check. A
// field is "valid" only when something confirms every character of it: its check digit
// and the composite (with no character chosen by the check itself), the ICAO code list,
// the layout's syntax, or the names the visual zone (VIZ) prints. A field whose checks
// pass but that nothing else confirms is "checks_pass_unconfirmed"; one that a check,
// the code list or the syntax refutes is "invalid". The whole MRZ is valid only when
// every field in it is.

enum class MrzTrust { kValid, kChecksPassUnconfirmed, kInvalid };
// "valid", "checks_pass_unconfirmed", "invalid".
const char* MrzTrustName(MrzTrust trust);

struct MrzEvidence {
  // Recognition confidence of each MRZ line, [0,1], in order; a missing line counts 0.
  std::vector<double> line_confidence;
  // The page's text outside the MRZ (the visual zone), any case, any separators.
  std::vector<std::string> viz_text;
};

struct MrzFieldTrust {
  // "document_type", "issuing_country", "surname", "given_names", "document_number",
  // "nationality", "birth_date", "sex", "expiry_date", "personal_number",
  // "optional_data_2", and "mrz" for the whole zone.
  std::string name;
  MrzTrust status = MrzTrust::kChecksPassUnconfirmed;
  // Per character the larger of its recognition confidence and what confirms it, the
  // minimum over the field's characters; 0 when invalid, below
  // config::kMinValidConfidence when unconfirmed, at least that when valid.
  double confidence = 0;
  std::string detail;  // what confirms or refutes the value, for people
};

// The trust of every field of `fields` (from ParseMrz), and of the whole zone last.
// Fields absent from the layout are left out.
std::vector<MrzFieldTrust> AssessMrz(const MrzFields& fields, const MrzEvidence& evidence);

// ---------------------------------------------------------------------------------------
// Image: the MRZ pass and the orientation probe.

struct PassOptions {
  // The OCR-B reader (CreateOcrbReader): reads the rows the image shows before the
  // main engine does; null: none. Borrowed: must outlive the call.
  recognize::Engine* ocrb_reader = nullptr;
  // A second recognizer for the zone's rows, asked when the other readings leave a
  // check failing (CreateSecondReader); null: none. Borrowed: must outlive the call.
  recognize::Engine* second_reader = nullptr;
};

// The MRZ pass: when the page's lines include MRZ-like ones (fillers '<', long digit
// runs), or the image shows an MRZ's rows, re-reads that band of `image` (8-bit gray,
// the page image the boxes refer to) upscaled, with the MRZ alphabet as whitelist, and
// replaces those lines with the re-read ones when their ICAO check digits pass better.
// Returns true when it replaced lines; `page` is unchanged otherwise.
bool RereadMrzBand(core::PageResult& page, const cv::Mat& image, recognize::Engine& engine,
                   const PassOptions& options = {});

// The clockwise turn (90, 270 or 180) under which `image` (8-bit gray, the image
// `page`'s boxes refer to) shows MRZ rows whose reading fits the ICAO layout, when the
// page as read shows no MRZ that passes its checks or shows it sideways; else 0.
// Tesseract's OSD cannot tell the orientation of most ID cards (a photo, a few short
// fields); their MRZ can.
// The rows are read by options.ocrb_reader when there is one (it reads OCR-B far more
// surely than `engine`), else by `engine`.
int FindMrzTurn(const core::PageResult& page, const cv::Mat& image, recognize::Engine& engine,
                const PassOptions& options = {});

// The second reader the pass is meant to have: PP-OCR's recognizer (no angle
// classifier: the rows come upright), which on small and blurred prints reads the
// MRZ's digits and letters where Tesseract's fast model fails. Null in a build without
// the PP-OCR runtime. Its models are loaded on first use (most pages never need it);
// without them every read fails with kUnavailable, and the pass goes on without it.
// Create once per process and share (thread-safe).
std::unique_ptr<recognize::Engine> CreateSecondReader();

// The MRZ alphabet in the order of the OCR-B reader's classes.
inline constexpr std::string_view kOcrbAlphabet = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// The OCR-B reader: a small CTC line recognizer trained on OCR-B rows rendered at
// random (tools/mrz/train_ocrb.py; models/mrz/ocrb-rec.onnx), which reads one row per
// crop. `model_path` empty: env SMARTOCR_MRZ_MODEL, else DefaultOcrbModelPath(). Null
// in a build without the ONNX runtime. The model is loaded on first use; a missing or
// corrupt file makes every read fail with kUnavailable, and the pass goes on with the
// other readers. Create once per process and share (thread-safe).
std::unique_ptr<recognize::Engine> CreateOcrbReader(std::string model_path = "");
std::string DefaultOcrbModelPath();

// The readers the pass is meant to have (either may be null), owned; made once per
// process and shared by every pipeline that runs the pass.
struct ZoneReaders {
  std::unique_ptr<recognize::Engine> ocrb;    // CreateOcrbReader()
  std::unique_ptr<recognize::Engine> second;  // CreateSecondReader()
  PassOptions Borrow() const { return {.ocrb_reader = ocrb.get(), .second_reader = second.get()}; }
};
ZoneReaders CreateZoneReaders();

}  // namespace smartocr::mrz

#endif  // SMARTOCR_MRZ_MRZ_H_
