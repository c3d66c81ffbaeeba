// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch: puts, deletes and merges applied atomically by Db::Write: all of them become
// visible together, under one sequence number, and are durable together. A later put or
// delete of a key in the same batch replaces the earlier operations on that key; merges
// accumulate after the last put/delete.
//
// Not thread-safe. The batch validates each operation as it is added; an invalid one is
// remembered and Db::Write fails with Invalid without writing anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/options.h"
#include "slatedb/status.h"

namespace slatedb {

class WriteBatch {
 public:
  enum class OpType : uint8_t { kPut, kDelete, kMerge };
  struct Op {
    OpType type;
    std::string key;
    std::string value;                    // empty for kDelete
    std::optional<uint64_t> ttl_ms;       // as PutOptions::ttl_ms
    std::optional<int64_t> expire_at_ms;  // as PutOptions::expire_at_ms
  };

  void Put(std::string_view key, std::string_view value, const PutOptions& options = {});
  void Delete(std::string_view key);
  void Merge(std::string_view key, std::string_view operand, const PutOptions& options = {});

  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  const std::vector<Op>& ops() const { return ops_; }
  // Bytes of keys and values added so far.
  uint64_t payload_bytes() const { return payload_bytes_; }
  // OK, or the first invalid operation added (empty key, key or value too large).
  const Status& status() const { return status_; }
  void Clear();

 private:
  void Add(OpType type, std::string_view key, std::string_view value, const PutOptions& options);
  std::vector<Op> ops_;
  uint64_t payload_bytes_ = 0;
  Status status_;
};

// Shared argument checks; Invalid names the problem.
Status ValidateKey(std::string_view key);
// A key to look up: any non-empty key. One longer than kMaxKeyBytes cannot have been written,
// so reads answer "not found" for it (as upstream), and scan bounds may be that long.
Status ValidateReadKey(std::string_view key);
Status ValidateValue(std::string_view value);

}  // namespace slatedb
