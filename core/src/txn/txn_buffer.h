// SPDX-License-Identifier: Apache-2.0
//
// TxnBuffer: a transaction's buffered writes, one entry per key in key order (so scans can
// merge it with the snapshot). The per-key rules are WriteBatch's: a put or delete replaces
// everything earlier for its key; merges accumulate after it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/options.h"
#include "slatedb/write_batch.h"

namespace slatedb {

struct TxnEntry {
  enum class Base : uint8_t { kNone, kPut, kDelete };
  struct Operand {
    std::string value;
    PutOptions options;  // its expiry
  };
  Base base = Base::kNone;
  Operand put;                  // when base == kPut
  std::vector<Operand> merges;  // after the base, oldest first

  // Whether the value depends on what the snapshot holds (only merges buffered).
  bool needs_existing() const { return base == Base::kNone; }
  // The value this transaction sees: the buffered writes folded over `existing` (the
  // snapshot's value, used only when needs_existing()). Invalid if merges need a merge
  // operator and there is none.
  Result<std::optional<std::string>> Resolve(std::string_view key,
                                             std::optional<std::string_view> existing,
                                             const MergeOperator& merge) const;
};

using TxnEntryMap = std::map<std::string, TxnEntry, std::less<>>;

class TxnBuffer {
 public:
  void Put(std::string_view key, std::string_view value, const PutOptions& options);
  void Delete(std::string_view key);
  void Merge(std::string_view key, std::string_view operand, const PutOptions& options);

  bool empty() const { return entries_.empty(); }
  const TxnEntry* Find(std::string_view key) const;
  // A copy of the entries in [start, end) (empty end: unbounded), for an iterator.
  std::shared_ptr<const TxnEntryMap> Slice(std::string_view start, std::string_view end) const;
  // The writes as a batch for Db's write path.
  WriteBatch ToBatch() const;
  // Buffered keys, sorted.
  std::vector<std::string> Keys() const;

 private:
  TxnEntryMap entries_;
};

}  // namespace slatedb
