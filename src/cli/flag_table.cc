#include "cli/flag_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "cli/cli_log.h"
#include "cli/extract_command.h"

namespace smartocr::cli {
namespace {

// Help layout: entries wrap at this width, and help text starts at most this far in
// (an entry wider than that puts its help on the next line).
constexpr size_t kHelpWidth = 80;
constexpr size_t kMaxHelpColumn = 30;

// "--jobs" for "-j, --jobs": the spelling messages use.
std::string_view LongName(std::string_view name) {
  size_t comma = name.rfind(", ");
  return comma == std::string_view::npos ? name : name.substr(comma + 2);
}

bool Spells(std::string_view name, std::string_view arg) {
  while (!name.empty()) {
    size_t comma = name.find(", ");
    if (name.substr(0, comma) == arg) return true;
    if (comma == std::string_view::npos) break;
    name.remove_prefix(comma + 2);
  }
  return false;
}

const FlagSpec* FindRow(const FlagTable& table, std::string_view arg) {
  for (const FlagSpec& row : table) {
    if (Spells(row.name, arg)) return &row;
  }
  return nullptr;
}

// "  -j, --jobs N" or "      --dpi N": long-only rows line up under the short ones.
std::string Entry(const FlagSpec& row) {
  std::string entry = row.name.substr(0, 2) == "--" ? "      " : "  ";
  entry += row.name;
  if (!row.value_name.empty()) (entry += ' ') += row.value_name;
  return entry;
}

// Appends `text` word by word, lines starting at `column` and ending by kHelpWidth;
// the first line continues `out`'s last line, which is `used` characters long.
void AppendWrapped(std::string_view text, size_t column, size_t used, std::string* out) {
  size_t line = used;
  bool first_word = true;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (word.empty()) continue;
    if (!first_word && line + 1 + word.size() > kHelpWidth) {
      (*out += '\n') += std::string(column, ' ');
      line = column;
    } else if (!first_word) {
      *out += ' ';
      ++line;
    }
    *out += word;
    line += word.size();
    first_word = false;
  }
  *out += '\n';
}

// "unknown option '--x' (see smartocr serve --help)".
core::Status NotTaken(std::string_view command, std::string_view what, const std::string& arg) {
  return UsageError(std::string(what) + " '" + arg + "' (see smartocr " + std::string(command) +
                    " --help)");
}

std::string NumberRange(double lo, double hi) {
  return std::to_string(static_cast<long long>(lo)) + " to " +
         std::to_string(static_cast<long long>(hi));
}

// `text` as a number in [lo, hi] (whole when `whole`); the usage error otherwise.
core::Result<double> ReadNumber(std::string_view name, const std::string& text, double lo,
                                double hi, bool whole) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  // !(in range) also refuses NaN.
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= lo && v <= hi) ||
      (whole && v != std::floor(v))) {
    return UsageError(std::string(LongName(name)) + " needs a " + (whole ? "whole " : "") +
                      "number from " + NumberRange(lo, hi) + ", got '" + text + "'");
  }
  return v;
}

}  // namespace

core::Status UsageError(std::string message) {
  return core::InvalidArgument("usage", std::move(message));
}

core::Status ParseFlags(std::string_view command, const FlagTable& table,
                        const std::vector<std::string>& args,
                        std::vector<std::string>* positional) {
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool is_flag = !flags_ended && arg.size() > 1 && arg[0] == '-';
    if (is_flag && arg == "--") {
      flags_ended = true;
      continue;
    }
    if (!is_flag) {
      if (positional == nullptr) return NotTaken(command, "unexpected argument", arg);
      positional->push_back(arg);
      continue;
    }
    const size_t eq = arg.rfind("--", 0) == 0 ? arg.find('=') : std::string::npos;
    const std::string name = arg.substr(0, eq);
    const FlagSpec* row = FindRow(table, name);
    if (row == nullptr) return NotTaken(command, "unknown option", name);
    const std::string long_name(LongName(row->name));
    std::string value;
    if (row->value_name.empty()) {
      if (eq != std::string::npos) return UsageError(long_name + " takes no value");
    } else if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return UsageError(long_name + " needs a value");
    }
    SMARTOCR_RETURN_IF_ERROR(row->set(value));
  }
  return core::Status::Ok();
}

std::string Usage(std::string_view intro, const FlagTable& table, std::string_view outro) {
  size_t column = 0;
  for (const FlagSpec& row : table) {
    if (!row.help.empty()) column = std::max(column, Entry(row).size() + 2);
  }
  column = std::min(column, kMaxHelpColumn);
  std::string out(intro);
  out += "\nOptions:\n";
  for (const FlagSpec& row : table) {
    if (row.help.empty()) continue;
    std::string entry = Entry(row);
    out += entry;
    if (entry.size() + 2 > column) {
      (out += '\n') += std::string(column, ' ');
    } else {
      out += std::string(column - entry.size(), ' ');
    }
    AppendWrapped(row.help, column, column, &out);
  }
  if (!outro.empty()) (out += '\n') += outro;
  return out;
}

int PrintHelp(const std::string& help) {
  std::fputs(help.c_str(), stdout);
  return kExitOk;
}

std::optional<int> ParseCommandLine(std::string_view command, const FlagTable& table,
                                    const bool& help, std::string_view intro,
                                    const std::vector<std::string>& args,
                                    std::vector<std::string>* positional, std::string_view outro) {
  core::Status st = ParseFlags(command, table, args, positional);
  if (!st.ok()) return FailUsage(command, st);
  if (help) return PrintHelp(Usage(intro, table, outro));
  return std::nullopt;
}

int FailUsage(std::string_view command, const core::Status& status) {
  ReportError(command, status.message());
  return kExitUsage;
}

FlagTable Concat(std::initializer_list<FlagTable> tables) {
  FlagTable all;
  for (const FlagTable& table : tables) all.insert(all.end(), table.begin(), table.end());
  return all;
}

FlagTable Without(FlagTable table, std::initializer_list<std::string_view> names) {
  std::erase_if(table, [&](const FlagSpec& row) {
    return std::find(names.begin(), names.end(), row.name) != names.end();
  });
  return table;
}

FlagTable Refused(const FlagTable& table, std::initializer_list<std::string_view> names,
                  const std::string& message) {
  FlagTable refused;
  for (const FlagSpec& row : table) {
    if (std::find(names.begin(), names.end(), row.name) == names.end()) continue;
    refused.push_back({row.name, row.value_name, "",
                       [message](const std::string&) { return UsageError(message); }});
  }
  return refused;
}

FlagSpec SwitchFlag(std::string_view name, std::string_view help, bool* out) {
  return {name, "", help, [out](const std::string&) {
            *out = true;
            return core::Status::Ok();
          }};
}

FlagSpec TextFlag(std::string_view name, std::string_view value_name, std::string_view help,
                  std::string* out) {
  return {name, value_name, help, [out](const std::string& value) {
            *out = value;
            return core::Status::Ok();
          }};
}

FlagSpec NonEmptyTextFlag(std::string_view name, std::string_view value_name, std::string_view help,
                          std::string* out, std::string empty_message) {
  return {name, value_name, help,
          [out, empty_message = std::move(empty_message)](const std::string& value) {
            if (value.empty()) return UsageError(empty_message);
            *out = value;
            return core::Status::Ok();
          }};
}

core::Result<int64_t> ReadInt(std::string_view name, const std::string& text, int64_t lo,
                              int64_t hi) {
  auto n = ReadNumber(name, text, static_cast<double>(lo), static_cast<double>(hi),
                      /*whole=*/true);
  if (!n.ok()) return n.status();
  return static_cast<int64_t>(*n);
}

FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, std::function<void(int64_t)> store) {
  return {name, value_name, help,
          [name, lo, hi, store = std::move(store)](const std::string& value) -> core::Status {
            auto n = ReadInt(name, value, lo, hi);
            if (!n.ok()) return n.status();
            store(*n);
            return core::Status::Ok();
          }};
}

FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, int* out) {
  return IntFlag(name, value_name, help, lo, hi, [out](int64_t v) { *out = static_cast<int>(v); });
}

FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, int64_t* out) {
  return IntFlag(name, value_name, help, lo, hi, [out](int64_t v) { *out = v; });
}

FlagSpec RealFlag(std::string_view name, std::string_view value_name, std::string_view help,
                  double lo, double hi, std::function<void(double)> store) {
  return {name, value_name, help,
          [name, lo, hi, store = std::move(store)](const std::string& value) -> core::Status {
            auto n = ReadNumber(name, value, lo, hi, /*whole=*/false);
            if (!n.ok()) return n.status();
            store(*n);
            return core::Status::Ok();
          }};
}

}  // namespace smartocr::cli
