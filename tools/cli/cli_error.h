// SPDX-License-Identifier: Apache-2.0
//
// How the `slatedb` command line reports failure: an exit code that says what kind of
// failure it was, and a message that names the problem. Command code throws CliError
// (Unwrap turns a failed Result into one) and main() prints it and exits; the library
// underneath reports errors as values, the exception stays inside this program.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "slatedb/result.h"

namespace slatedb::cli {

// Exit codes (docs/operations.md lists them).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,       // the database or the store reported an error (kind in the message)
  kExitUsage = 2,        // bad command line: unknown command or option, malformed value
  kExitNotFound = 3,     // what was asked for does not exist (a key, a manifest version, ...)
  kExitRefused = 4,      // a safety flag is missing (--i-am-the-writer, --yes)
  kExitUnsupported = 5,  // the command exists but the engine cannot do it yet
};

class CliError : public std::runtime_error {
 public:
  // `kind` is "usage", "refused", "unsupported", "not_found" or an error kind of the
  // library ("invalid", "data", "unavailable", ...).
  CliError(int exit_code, std::string kind, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code), kind_(std::move(kind)) {}

  static CliError Usage(const std::string& message) { return {kExitUsage, "usage", message}; }
  static CliError Refused(const std::string& message) { return {kExitRefused, "refused", message}; }
  static CliError Unsupported(const std::string& message) {
    return {kExitUnsupported, "unsupported", "not yet supported: " + message};
  }
  static CliError NotFound(const std::string& message) {
    return {kExitNotFound, "not_found", message};
  }
  // A failed library call: exit code 1, the error's kind, its message.
  static CliError FromStatus(const Status& status) {
    return {kExitFailed, ErrorKindName(status.kind()), status.message()};
  }

  int exit_code() const { return exit_code_; }
  const std::string& kind() const { return kind_; }

 private:
  int exit_code_;
  std::string kind_;
};

// The value of `result`, or throws CliError::FromStatus.
template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) throw CliError::FromStatus(result.status());
  return std::move(result).value();
}

inline void Check(const Status& status) {
  if (!status.ok()) throw CliError::FromStatus(status);
}

}  // namespace slatedb::cli
