// SPDX-License-Identifier: Apache-2.0
//
// Lifetimes of puts and merge operands as both Python APIs state them, mapped onto the core's
// PutOptions in one place.
//
// The core keeps a TTL relative to the write (PutOptions::ttl_ms): 0 expires at once, as
// upstream (a merge operand so written is never applied), kNoExpiry never expires; or an
// absolute expiry (PutOptions::expire_at_ms). A value that is expired when written is never
// visible and hides older versions, which is exactly a tombstone, so a put with a TTL of 0 ms
// is stored as one.
#pragma once

#include <cstdint>
#include <string_view>

#include "slatedb/options.h"
#include "slatedb/write_batch.h"

namespace slatedb::python {

struct TtlSpec {
  enum class Kind : uint8_t {
    kDefault = 0,   // the database's default TTL
    kNoExpiry = 1,  // never expires, whatever the default
    kAfterMs = 2,   // `ms` after the write; values beyond any real lifetime never expire
    kAtMs = 3,      // at unix time `ms` (the core's clock): PutOptions::expire_at_ms
  };
  Kind kind = Kind::kDefault;
  int64_t ms = 0;  // kAfterMs: >= 0
};

struct ResolvedWrite {
  bool as_delete = false;  // a put that is expired when written
  PutOptions options;
};

ResolvedWrite ResolveTtl(WriteBatch::OpType type, const TtlSpec& ttl);

// Adds one operation to `batch` with `ttl` resolved.
void AddWrite(WriteBatch& batch, WriteBatch::OpType type, std::string_view key,
              std::string_view value, const TtlSpec& ttl);

}  // namespace slatedb::python
