// SPDX-License-Identifier: Apache-2.0
#include "error_texts.h"

namespace slatedb::python {

const char* UpstreamKindTitle(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTransaction:
      return "Transaction";
    case ErrorKind::kClosed:
      return "Closed";
    case ErrorKind::kUnavailable:
      return "Unavailable";
    case ErrorKind::kInvalid:
      return "Invalid";
    case ErrorKind::kData:
      return "Data";
    case ErrorKind::kNone:
    case ErrorKind::kInternal:
      break;
  }
  return "Internal";
}

std::string UpstreamErrorText(const Status& status) {
  if (status.kind() == ErrorKind::kClosed) {
    switch (status.close_reason()) {
      case CloseReason::kClean:
        return "db is closed";
      case CloseReason::kFenced:
        return "detected newer DB client";
      default:
        break;
    }
  }
  return status.message();
}

std::string UpstreamEngineMessage(const Status& status) {
  return std::string(UpstreamKindTitle(status.kind())) + " error: " + UpstreamErrorText(status);
}

std::string SeedEngineMessage(const Status& status) {
  return UpstreamEngineMessage(status) + "\nBacktrace:\ndisabled backtrace";
}

}  // namespace slatedb::python
