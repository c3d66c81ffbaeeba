// SPDX-License-Identifier: Apache-2.0
#include "txn/txn_buffer.h"

#include "util/merge_failure.h"

#include <algorithm>

namespace slatedb {

Result<std::optional<std::string>> TxnEntry::Resolve(std::string_view key,
                                                     std::optional<std::string_view> existing,
                                                     const MergeOperator& merge) const {
  std::optional<std::string> acc;
  switch (base) {
    case Base::kPut:
      if (put.options.ttl_ms != 0u) acc = put.value;  // ttl 0 expires at once: reads as a delete
      break;
    case Base::kDelete:
      break;
    case Base::kNone:
      if (existing) acc = std::string(*existing);
      break;
  }
  // Operands expired when written are never applied (as in the database).
  auto live = [](const Operand& operand) { return operand.options.ttl_ms != 0u; };
  if (std::none_of(merges.begin(), merges.end(), live)) return acc;
  if (!merge) {
    return Status::Invalid("key has merge operands but the database has no merge operator");
  }
  for (const Operand& operand : merges) {
    if (!live(operand)) continue;
    std::optional<std::string_view> old;
    if (acc) old = std::string_view(*acc);
    Result<std::string> merged = merge(key, old, operand.value);
    if (!merged.ok()) return MergeOperatorFailure(merged.status());
    acc = std::move(*merged);
  }
  return acc;
}

void TxnBuffer::Put(std::string_view key, std::string_view value, const PutOptions& options) {
  TxnEntry& entry = entries_[std::string(key)];
  entry.base = TxnEntry::Base::kPut;
  entry.put = TxnEntry::Operand{std::string(value), options};
  entry.merges.clear();
}

void TxnBuffer::Delete(std::string_view key) {
  TxnEntry& entry = entries_[std::string(key)];
  entry.base = TxnEntry::Base::kDelete;
  entry.put = TxnEntry::Operand{};
  entry.merges.clear();
}

void TxnBuffer::Merge(std::string_view key, std::string_view operand, const PutOptions& options) {
  entries_[std::string(key)].merges.push_back(TxnEntry::Operand{std::string(operand), options});
}

const TxnEntry* TxnBuffer::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::shared_ptr<const TxnEntryMap> TxnBuffer::Slice(std::string_view start,
                                                    std::string_view end) const {
  auto out = std::make_shared<TxnEntryMap>();
  auto last = end.empty() ? entries_.end() : entries_.lower_bound(end);
  for (auto it = entries_.lower_bound(start); it != last; ++it) out->insert(*it);
  return out;
}

WriteBatch TxnBuffer::ToBatch() const {
  WriteBatch batch;
  for (const auto& [key, entry] : entries_) {
    switch (entry.base) {
      case TxnEntry::Base::kPut:
        batch.Put(key, entry.put.value, entry.put.options);
        break;
      case TxnEntry::Base::kDelete:
        batch.Delete(key);
        break;
      case TxnEntry::Base::kNone:
        break;
    }
    for (const TxnEntry::Operand& operand : entry.merges) {
      batch.Merge(key, operand.value, operand.options);
    }
  }
  return batch;
}

std::vector<std::string> TxnBuffer::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) keys.push_back(key);
  return keys;
}

}  // namespace slatedb
