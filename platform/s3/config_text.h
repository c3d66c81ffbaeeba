// SPDX-License-Identifier: Apache-2.0
//
// Reading configuration text the way the S3 and Azure configurations both do.
#pragma once

#include <string>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb::s3 {

std::string LowerAscii(std::string_view s);

// true/1/yes/on or false/0/no/off/"" in any case; Invalid "<name> must be true or false"
// otherwise (the value is not repeated: it may be a misplaced secret).
Result<bool> ParseBoolOption(std::string_view name, std::string_view value);

}  // namespace slatedb::s3
