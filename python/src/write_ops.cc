// SPDX-License-Identifier: Apache-2.0
#include "write_ops.h"

namespace slatedb::python {

namespace {
// Beyond this many ms a lifetime is "forever" (and now + ttl cannot overflow).
constexpr int64_t kForeverMs = int64_t{1} << 62;
}  // namespace

ResolvedWrite ResolveTtl(WriteBatch::OpType type, const TtlSpec& ttl) {
  ResolvedWrite out;
  int64_t remaining = 0;
  switch (ttl.kind) {
    case TtlSpec::Kind::kDefault:
      return out;
    case TtlSpec::Kind::kNoExpiry:
      out.options.ttl_ms = kNoExpiry;
      return out;
    case TtlSpec::Kind::kAfterMs:
      remaining = ttl.ms;
      break;
    case TtlSpec::Kind::kAtMs:
      out.options.expire_at_ms = ttl.ms;
      return out;
  }
  if (remaining >= kForeverMs) {
    out.options.ttl_ms = kNoExpiry;
  } else if (remaining > 0) {
    out.options.ttl_ms = static_cast<uint64_t>(remaining);
  } else if (type == WriteBatch::OpType::kPut) {
    out.as_delete = true;
  } else {
    out.options.ttl_ms = 0;  // expires at once: the operand is never applied
  }
  return out;
}

void AddWrite(WriteBatch& batch, WriteBatch::OpType type, std::string_view key,
              std::string_view value, const TtlSpec& ttl) {
  ResolvedWrite w = ResolveTtl(type, ttl);
  if (type == WriteBatch::OpType::kDelete || w.as_delete) {
    batch.Delete(key);
  } else if (type == WriteBatch::OpType::kPut) {
    batch.Put(key, value, w.options);
  } else {
    batch.Merge(key, value, w.options);
  }
}

}  // namespace slatedb::python
