// src/cli/admin_command.h
//
// `smartocr admin`: `key create` (bootstrap API keys) and `audit verify` (check a
// tenant's audit log hash chain).
#ifndef SMARTOCR_CLI_ADMIN_COMMAND_H_
#define SMARTOCR_CLI_ADMIN_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

// `smartocr admin key create --tenant T --role R`: prints the key alone on the last line.
// `smartocr admin audit verify --tenant T [--head HASH]`: exit 0 when intact.
int RunAdmin(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_ADMIN_COMMAND_H_
