// SPDX-License-Identifier: Apache-2.0
//
// Standard base64 (RFC 4648, '+' '/' alphabet, '=' padding), for binary keys in JSON. The
// decoder is strict: it rejects missing padding, stray characters and non-zero pad bits, so
// each byte string has exactly one encoding.
#pragma once

#include <string>
#include <string_view>

namespace slatedb {

std::string Base64Encode(std::string_view bytes);

// False if `text` is not canonical base64; `*out` is then unspecified.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace slatedb
