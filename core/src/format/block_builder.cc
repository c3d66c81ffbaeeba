// SPDX-License-Identifier: Apache-2.0
//
// BlockBuilder: prefix compression against the previous key, restarts every 16 rows.
#include "format/block_builder.h"

#include "format/row_codec.h"
#include "util/coding.h"

namespace slatedb {

void BlockBuilder::Add(const RowView& row) {
  size_t shared = 0;
  if (num_rows_ % kBlockRestartInterval == 0) {
    restarts_.push_back(static_cast<uint32_t>(buffer_.size()));
  } else {
    shared = SharedPrefixLength(last_key_, row.key);
  }
  EncodeRow(row, shared, &buffer_);
  last_key_.assign(row.key.data(), row.key.size());
  ++num_rows_;
}

size_t BlockBuilder::EstimatedSize() const {
  return buffer_.size() + 4 * restarts_.size() + 4;
}

size_t BlockBuilder::EstimatedSizeWith(const RowView& row) const {
  const bool restart = num_rows_ % kBlockRestartInterval == 0;
  const size_t shared = restart ? 0 : SharedPrefixLength(last_key_, row.key);
  return EstimatedSize() + EncodedRowSize(row, shared) + (restart ? 4 : 0);
}

std::string BlockBuilder::Finish() {
  for (uint32_t offset : restarts_) PutFixed32(&buffer_, offset);
  PutFixed32(&buffer_, static_cast<uint32_t>(restarts_.size()));
  std::string out = std::move(buffer_);
  Reset();
  return out;
}

void BlockBuilder::Reset() {
  buffer_.clear();
  restarts_.clear();
  last_key_.clear();
  num_rows_ = 0;
}

}  // namespace slatedb
