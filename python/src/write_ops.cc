// SPDX-License-Identifier: Apache-2.0
#include "write_ops.h"

#include <algorithm>

namespace slatedb::python {

namespace {
// Beyond this many ms a lifetime is "forever" (and now + ttl cannot overflow).
constexpr int64_t kForeverMs = int64_t{1} << 62;
}  // namespace

PutOptions ResolveTtl(const TtlSpec& ttl, int64_t now_ms) {
  PutOptions out;
  int64_t remaining = 0;
  switch (ttl.kind) {
    case TtlSpec::Kind::kDefault:
      return out;
    case TtlSpec::Kind::kNoExpiry:
      out.ttl_ms = kNoExpiry;
      return out;
    case TtlSpec::Kind::kAfterMs:
      remaining = ttl.ms;
      break;
    case TtlSpec::Kind::kAtMs:
      remaining = ttl.ms <= now_ms ? 0 : ttl.ms - now_ms;
      break;
  }
  out.ttl_ms =
      remaining >= kForeverMs ? kNoExpiry : static_cast<uint64_t>(std::max<int64_t>(remaining, 0));
  return out;
}

void AddWrite(WriteBatch& batch, WriteBatch::OpType type, std::string_view key,
              std::string_view value, const TtlSpec& ttl, int64_t now_ms) {
  if (type == WriteBatch::OpType::kDelete) {
    batch.Delete(key);
  } else if (type == WriteBatch::OpType::kPut) {
    batch.Put(key, value, ResolveTtl(ttl, now_ms));
  } else {
    batch.Merge(key, value, ResolveTtl(ttl, now_ms));
  }
}

}  // namespace slatedb::python
