// SPDX-License-Identifier: Apache-2.0
#include "format/block_builder.h"

#include "format/row_codec.h"
#include "util/coding.h"

namespace slatedb {

bool BlockBuilder::WouldFit(const RowView& row) const {
  if (num_rows_ == 0) return true;
  const bool restart = AtRestart();
  const size_t shared = restart ? 0 : SharedPrefixLength(last_key_, row.key);
  return CurrentSize() + EncodedRowSize(row, shared) + (restart ? 2 : 0) <= block_size_;
}

void BlockBuilder::Add(const RowView& row) {
  size_t shared = 0;
  if (AtRestart()) {
    restarts_.push_back(static_cast<uint16_t>(buffer_.size()));
  } else {
    shared = SharedPrefixLength(last_key_, row.key);
  }
  EncodeRow(row, shared, &buffer_);
  last_key_.assign(row.key.data(), row.key.size());
  ++num_rows_;
}

std::string BlockBuilder::Finish() {
  for (uint16_t offset : restarts_) PutBigEndian16(&buffer_, offset);
  PutBigEndian16(&buffer_, static_cast<uint16_t>(restarts_.size()));
  std::string out = std::move(buffer_);
  buffer_.clear();
  restarts_.clear();
  last_key_.clear();
  num_rows_ = 0;
  return out;
}

}  // namespace slatedb
