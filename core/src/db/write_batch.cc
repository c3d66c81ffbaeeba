// SPDX-License-Identifier: Apache-2.0
#include "slatedb/write_batch.h"

namespace slatedb {

Status ValidateKey(std::string_view key) {
  if (key.empty()) return Status::Invalid("key is empty");
  if (key.size() > kMaxKeyBytes) {
    return Status::Invalid("key is " + std::to_string(key.size()) + " bytes; the limit is " +
                           std::to_string(kMaxKeyBytes));
  }
  return Status::Ok();
}

Status ValidateReadKey(std::string_view key) {
  if (key.empty()) return Status::Invalid("key is empty");
  return Status::Ok();
}

Status ValidateValue(std::string_view value) {
  if (value.size() > kMaxValueBytes) {
    return Status::Invalid("value is " + std::to_string(value.size()) + " bytes; the limit is " +
                           std::to_string(kMaxValueBytes));
  }
  return Status::Ok();
}

void WriteBatch::Add(OpType type, std::string_view key, std::string_view value,
                     const PutOptions& options) {
  if (status_.ok()) {
    Status s = ValidateKey(key);
    if (s.ok()) s = ValidateValue(value);
    if (!s.ok()) status_ = s;
  }
  ops_.push_back(
      Op{type, std::string(key), std::string(value), options.ttl_ms, options.expire_at_ms});
  payload_bytes_ += key.size() + value.size();
}

void WriteBatch::Put(std::string_view key, std::string_view value, const PutOptions& options) {
  Add(OpType::kPut, key, value, options);
}

void WriteBatch::Delete(std::string_view key) { Add(OpType::kDelete, key, {}, PutOptions{}); }

void WriteBatch::Merge(std::string_view key, std::string_view operand, const PutOptions& options) {
  Add(OpType::kMerge, key, operand, options);
}

void WriteBatch::Clear() {
  ops_.clear();
  payload_bytes_ = 0;
  status_ = Status::Ok();
}

}  // namespace slatedb
