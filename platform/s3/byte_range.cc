// SPDX-License-Identifier: Apache-2.0
#include "s3/byte_range.h"

#include <charconv>

namespace slatedb::s3 {

ByteRange RangeFor(uint64_t offset, uint64_t length) {
  ByteRange out;
  if (length == 0 || offset > kMaxRangeValue) return out;
  out.header = "bytes=" + std::to_string(offset) + "-";
  // last = offset + length - 1, unless that passes 2^63-1 (or wraps): then open-ended.
  if (length - 1 <= kMaxRangeValue - offset) {
    out.header += std::to_string(offset + (length - 1));
  }
  return out;
}

Status CheckContentRange(std::string_view content_range, uint64_t offset) {
  constexpr std::string_view kUnit = "bytes ";
  if (content_range.substr(0, kUnit.size()) != kUnit) return Status::Ok();
  std::string_view rest = content_range.substr(kUnit.size());
  uint64_t first = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), first);
  if (ec != std::errc() || end == rest.data() || end == rest.data() + rest.size() || *end != '-') {
    return Status::Ok();
  }
  if (first != offset) {
    return Status::Invalid("s3: asked for bytes from " + std::to_string(offset) +
                           ", the store answered Content-Range: " + std::string(content_range));
  }
  return Status::Ok();
}

}  // namespace slatedb::s3
