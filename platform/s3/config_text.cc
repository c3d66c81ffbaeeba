// SPDX-License-Identifier: Apache-2.0
#include "s3/config_text.h"

#include <cctype>

namespace slatedb::s3 {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<bool> ParseBoolOption(std::string_view name, std::string_view value) {
  std::string v = LowerAscii(value);
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off" || v.empty()) return false;
  return Status::Invalid(std::string(name) + " must be true or false");
}

}  // namespace slatedb::s3
