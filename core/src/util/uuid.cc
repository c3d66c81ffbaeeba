// SPDX-License-Identifier: Apache-2.0
#include "util/uuid.h"

namespace slatedb {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::optional<Uuid128> ParseUuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid128 v;
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int d = HexValue(text[i]);
    if (d < 0) return std::nullopt;
    uint64_t& word = digits < 16 ? v.hi : v.lo;
    word = (word << 4) | static_cast<uint64_t>(d);
    ++digits;
  }
  return v;
}

std::string FormatUuid(Uuid128 value) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    const uint64_t word = i < 16 ? value.hi : value.lo;
    out.push_back(kHex[(word >> (60 - 4 * (i % 16))) & 0xF]);
  }
  return out;
}

}  // namespace slatedb
