// SPDX-License-Identifier: Apache-2.0
//
// Lower-case hexadecimal text of arbitrary bytes. Keys and values are bytes, and the JSON
// documents the engine produces (state, manifest views) must be UTF-8, so bytes travel as hex.
#pragma once

#include <string>
#include <string_view>

namespace slatedb {

inline std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace slatedb
