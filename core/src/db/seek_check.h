// SPDX-License-Identifier: Apache-2.0
//
// The rule every forward-only iterator applies to Seek: the target lies inside the scan's
// [start, end) range (end empty: unbounded) and past the last key already returned.
#pragma once

#include <string_view>

#include "slatedb/status.h"

namespace slatedb {

inline Status CheckSeekTarget(std::string_view key, std::string_view start, std::string_view end,
                              bool returned_any, std::string_view last_returned) {
  if (key < start || (!end.empty() && key >= end)) {
    return Status::Invalid("seek key is outside the scan's range");
  }
  if (returned_any && key <= last_returned) {
    return Status::Invalid("seek must move forward past the last returned key");
  }
  return Status::Ok();
}

}  // namespace slatedb
