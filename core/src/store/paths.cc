// SPDX-License-Identifier: Apache-2.0
#include "store/paths.h"

namespace slatedb {

std::string DbPaths::PadId(uint64_t id) {
  std::string digits = std::to_string(id);
  return std::string(20 - digits.size(), '0') + digits;
}

std::optional<uint64_t> DbPaths::ParseId(std::string_view key, std::string_view dir,
                                         std::string_view suffix) {
  if (key.size() != dir.size() + 20 + suffix.size()) return std::nullopt;
  if (key.substr(0, dir.size()) != dir) return std::nullopt;
  if (key.substr(dir.size() + 20) != suffix) return std::nullopt;
  uint64_t id = 0;
  for (char c : key.substr(dir.size(), 20)) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (id > (UINT64_MAX - digit) / 10) return std::nullopt;  // overflow
    id = id * 10 + digit;
  }
  return id;
}

}  // namespace slatedb
