// SPDX-License-Identifier: Apache-2.0
//
// dotenv files (KEY=VALUE lines), read the same way by every host: the S3 opener's
// `from_env` and the Python package's `env_file` / ./.env loading.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

// What ParseDotEnvPartial read: the variables of the lines before the first malformed one
// (all of them if none is), and that line's error (OK if none).
struct DotEnvParse {
  std::map<std::string, std::string> variables;
  Status error;
};

// Parses dotenv text: KEY=VALUE lines (names of letters, digits, '_' and '.'), blank lines
// and '#' comments, an optional `export ` prefix, single- or double-quoted values (double
// quotes understand \n, \t and escaped characters), " #" starting a comment after an
// unquoted value; a later line overrides an earlier one. Stops at the first line that is
// not an assignment or has an unterminated quote; the error names the line number, never
// a value (a misplaced secret must not be printed).
DotEnvParse ParseDotEnvPartial(std::string_view text);

// All or nothing: Invalid at the first malformed line.
Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text);

}  // namespace slatedb
