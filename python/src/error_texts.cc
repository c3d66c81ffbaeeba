// SPDX-License-Identifier: Apache-2.0
#include "error_texts.h"

#include "slatedb/error_kinds.h"

namespace slatedb::python {

const char* UpstreamKindTitle(ErrorKind kind) {
  // Upstream's titles are the uniffi variant names (the core's table, slatedb/error_kinds.h).
  return ErrorKindInfoOf(kind).uniffi_variant;
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
