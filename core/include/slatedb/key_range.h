// SPDX-License-Identifier: Apache-2.0
//
// Key ranges shared by every binding's scan_prefix: one rule, so Python, JavaScript and C++
// callers scan exactly the same keys for a prefix.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace slatedb {

// The smallest key greater than every key that starts with `prefix`: drop trailing 0xff
// bytes, then add one to the last byte. nullopt when there is none (an empty or all-0xff
// prefix): the range then runs to the end of the keyspace.
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

}  // namespace slatedb
