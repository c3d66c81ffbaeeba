// SPDX-License-Identifier: Apache-2.0
//
// Lower-case hexadecimal text of bytes, and back. Keys and values are arbitrary bytes, while
// the JSON the library and its tools produce (Db state and manifest views, the CLI's --json,
// the JS WAL reader's rows) must be UTF-8, so bytes travel as hex. One definition, which the
// core, the CLI, the bindings and the tests share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace slatedb {

// Two lower-case digits per byte.
std::string HexEncode(std::string_view bytes);

// The value of one hex digit (either case), or -1.
int HexDigitValue(char c);

// The bytes `text` denotes: an even number of hex digits, either case, and nothing else.
// nullopt otherwise.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace slatedb
