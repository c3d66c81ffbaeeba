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

std::optional<Result<std::string>> RangeFromResponse(HttpResponse* r, uint64_t offset,
                                                     uint64_t length, const std::string& store,
                                                     const std::string& what) {
  if (r->status == 206) {
    Status served = CheckContentRange(r->Header("content-range"), offset);
    if (!served.ok()) return Result<std::string>(served.WithContext(what));
    if (r->body.size() > length) r->body.resize(length);
    return Result<std::string>(std::move(r->body));
  }
  if (r->status == 200) {
    if (offset > r->body.size()) {
      return Result<std::string>(
          Status::Invalid(store + ": range offset beyond the end of the object"));
    }
    return Result<std::string>(r->body.substr(offset, length));
  }
  return std::nullopt;
}

Result<std::string> SettleRangeFromSize(const std::string& store, const std::string& key,
                                        uint64_t offset, uint64_t size,
                                        const std::string& refused) {
  if (offset > size) {
    return Status::Invalid(store + ": range offset " + std::to_string(offset) +
                           " beyond the end of " + key + " (size " + std::to_string(size) + ")");
  }
  if (offset < size && !refused.empty()) {
    return Status::Invalid(refused + ": the store refused the range although the object has " +
                           std::to_string(size) + " bytes");
  }
  return std::string();
}

}  // namespace slatedb::s3
