// src/cli/flag_table.h
//
// Command-line flags as a table of rows, in the manner of DuckDB's settings table:
// each row gives a flag's spellings, its value, its help paragraph and the setter
// that checks and stores the value. One parser (ParseFlags) and one help printer
// (Usage) serve every subcommand, so the --help text is the table, and a flag that
// several commands take (--engine, --device, --data-dir, ...) is one row with one
// check (common_flags.h).
//
//   ServeFlags flags;
//   FlagTable table = ServeFlagTable(&flags);  // rows bound to `flags`
//   core::Status st = ParseFlags("serve", table, args, /*positional=*/nullptr);
//   std::string help = Usage(kServeIntro, table);
//
// A row's setter writes into the struct it was built for: a table must not outlive
// the struct its rows point into. Its strings are views: pass literals.
#ifndef SMARTOCR_CLI_FLAG_TABLE_H_
#define SMARTOCR_CLI_FLAG_TABLE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::cli {

struct FlagSpec {
  // The spellings, short first: "--dpi" or "-j, --jobs". Messages name the last one.
  std::string_view name;
  // What the value is called in the help ("N" for "--dpi N"); empty for a switch,
  // which takes no value.
  std::string_view value_name;
  // One paragraph; Usage wraps it. Empty: the row is accepted but not listed.
  std::string_view help;
  // Checks and stores the value ("" for a switch). Fails with a usage error
  // (UsageError) whose message names the flag; the target is then unchanged.
  std::function<core::Status(const std::string& value)> set;
};

using FlagTable = std::vector<FlagSpec>;

// kInvalidArgument with reason "usage": the CLI exits 2 on it.
core::Status UsageError(std::string message);

// Parses `args` (without the program and command names) against `table`: "--name
// VALUE", "--name=VALUE", "-x VALUE" and switches, in any order and any number of
// times (the last value wins unless the setter collects them); "--" ends the flags.
// Other arguments ("-" included) go to *positional in order, or are an error when
// `positional` is null. Stops at the first error, a UsageError naming the flag:
// unknown (the message points to `smartocr <command> --help`), missing value, a
// value given to a switch, or the setter's own.
core::Status ParseFlags(std::string_view command, const FlagTable& table,
                        const std::vector<std::string>& args, std::vector<std::string>* positional);

// The help text: `intro` (ends with a newline), "Options:" and one entry per listed
// row, in table order ("  -j, --jobs N  help..." wrapped to 80 columns), then
// `outro` after an empty line when not empty.
std::string Usage(std::string_view intro, const FlagTable& table, std::string_view outro = "");

// Prints `help` on stdout; returns the exit code of a command that did (0).
int PrintHelp(const std::string& help);

// The start of every command: parses `args` against `table` (ParseFlags) for
// `smartocr <command>`. After a flag error prints it (FailUsage) and returns 2; when
// the table's help row set `help`, prints Usage(intro, table, outro) and returns 0;
// otherwise returns nullopt and the command goes on.
std::optional<int> ParseCommandLine(std::string_view command, const FlagTable& table,
                                    const bool& help, std::string_view intro,
                                    const std::vector<std::string>& args,
                                    std::vector<std::string>* positional,
                                    std::string_view outro = "");
// Prints "smartocr <command>: <message>" on stderr for a flag error; returns the
// usage exit code (2).
int FailUsage(std::string_view command, const core::Status& status);

// The tables one after another.
FlagTable Concat(std::initializer_list<FlagTable> tables);
// `table` without the rows whose name is listed (the whole name: "-o, --output").
FlagTable Without(FlagTable table, std::initializer_list<std::string_view> names);
// The rows of `table` named, unlisted, each refusing any use with UsageError(message):
// flags a command does not take although its siblings do, with a message saying why.
FlagTable Refused(const FlagTable& table, std::initializer_list<std::string_view> names,
                  const std::string& message);

// Rows for the common kinds of value. Numbers are read whole (no trailing text) and
// must lie in [lo, hi]; IntFlag also wants a whole number. The message then reads
// "--dpi needs a whole number from 72 to 1200, got '5'".
// The number IntFlag reads, for setters that check more: a UsageError naming `name`
// unless `text` is a whole number in [lo, hi].
core::Result<int64_t> ReadInt(std::string_view name, const std::string& text, int64_t lo,
                              int64_t hi);

FlagSpec SwitchFlag(std::string_view name, std::string_view help, bool* out);
FlagSpec TextFlag(std::string_view name, std::string_view value_name, std::string_view help,
                  std::string* out);
// A value that may not be empty ("--output needs a path", say): `empty_message`.
FlagSpec NonEmptyTextFlag(std::string_view name, std::string_view value_name, std::string_view help,
                          std::string* out, std::string empty_message);
FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, std::function<void(int64_t)> store);
FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, int* out);
FlagSpec IntFlag(std::string_view name, std::string_view value_name, std::string_view help,
                 int64_t lo, int64_t hi, int64_t* out);
FlagSpec RealFlag(std::string_view name, std::string_view value_name, std::string_view help,
                  double lo, double hi, std::function<void(double)> store);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_FLAG_TABLE_H_
