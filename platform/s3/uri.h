// SPDX-License-Identifier: Apache-2.0
//
// Percent-encoding the way S3 and SigV4 want it: every byte except the unreserved set
// A-Z a-z 0-9 - . _ ~ becomes %XY (upper-case hex), so any key byte value survives the
// trip into a URL path and into the canonical request unchanged.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace slatedb::s3 {

// Encodes every byte outside the unreserved set; '/' is kept only if `keep_slash` (object
// keys in a path keep their '/', query values do not).
std::string UriEncode(std::string_view in, bool keep_slash);

// Decodes %XY escapes (and '+' as a space only if `plus_is_space`, as in form encoding).
// nullopt if an escape is malformed.
std::optional<std::string> UriDecode(std::string_view in, bool plus_is_space);

}  // namespace slatedb::s3
