// SPDX-License-Identifier: Apache-2.0
//
// SstBuilder. Rows are encoded into blocks as they arrive; stored blocks accumulate in one
// string that becomes the object, so Finish() only appends the filter, index, info and footer.
#include "format/sst_builder.h"

#include "format/sst_footer.h"

namespace slatedb {

SstBuilder::SstBuilder(const SstBuilderOptions& options)
    : options_(options),
      filter_(options.bloom_bits_per_key),
      encoder_(options.compression, options.zstd_level) {}

void SstBuilder::Add(const RowView& row) {
  if (!status_.ok()) return;
  if (finished_) {
    status_ = Status::Invalid("SstBuilder::Add after Finish");
    return;
  }
  if (row.key.size() > kMaxKeyBytes) {
    status_ = Status::Invalid("SST row key longer than " + std::to_string(kMaxKeyBytes));
    return;
  }
  if (row.value.size() > kMaxValueBytes) {
    status_ = Status::Invalid("SST row value larger than the value size limit");
    return;
  }
  const bool compacted = options_.type == SstType::kCompacted;
  if (compacted && num_rows_ > 0 && CompareInternal(last_key_, last_seq_, row.key, row.seq) >= 0) {
    status_ = Status::Internal("SST rows added out of internal order");
    return;
  }

  if (!block_.empty() && block_.EstimatedSizeWith(row) > options_.block_size_bytes) FlushBlock();
  if (block_.empty()) block_first_key_.assign(row.key.data(), row.key.size());
  block_.Add(row);

  const bool new_key = num_rows_ == 0 || row.key != last_key_;
  if (compacted && options_.bloom_bits_per_key > 0 && new_key) filter_.AddKey(row.key);
  if (num_rows_ == 0) {
    min_key_.assign(row.key.data(), row.key.size());
    max_key_ = min_key_;
    min_seq_ = max_seq_ = row.seq;
  } else {
    // Compacted rows arrive sorted, so only WAL rows can move the minimum.
    if (row.key < min_key_) min_key_.assign(row.key.data(), row.key.size());
    if (row.key > max_key_) max_key_.assign(row.key.data(), row.key.size());
    if (row.seq < min_seq_) min_seq_ = row.seq;
    if (row.seq > max_seq_) max_seq_ = row.seq;
  }
  if (row.create_ts != kNoTimestamp) {
    if (!has_create_ts_ || row.create_ts < min_create_ts_) min_create_ts_ = row.create_ts;
    if (!has_create_ts_ || row.create_ts > max_create_ts_) max_create_ts_ = row.create_ts;
    has_create_ts_ = true;
  }
  if (new_key) last_key_.assign(row.key.data(), row.key.size());
  last_seq_ = row.seq;
  ++num_rows_;
}

void SstBuilder::FlushBlock() {
  const std::string payload = block_.Finish();
  BlockHandle handle;
  handle.offset = data_.size();
  encoder_.Append(payload, &data_);
  handle.length = static_cast<uint32_t>(data_.size() - handle.offset);
  index_.AddBlock(handle, block_first_key_);
}

uint64_t SstBuilder::EstimatedSize() const {
  uint64_t size = data_.size() + block_.EstimatedSize() + index_.EstimatedSize() +
                  block_first_key_.size() + 2 * kStoredBlockTrailerBytes;
  if (options_.type == SstType::kCompacted && num_rows_ >= options_.min_filter_keys) {
    size += filter_.EstimatedSize() + kStoredBlockTrailerBytes;
  }
  // The info record: two keys plus about 100 bytes of fixed fields; then the footer.
  size += min_key_.size() + max_key_.size() + 100 + kSstFooterBytes;
  return size;
}

Result<EncodedSst> SstBuilder::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return Status::Invalid("SstBuilder::Finish called twice");
  finished_ = true;
  if (num_rows_ == 0) return Status::Invalid("SST has no rows");
  if (!block_.empty()) FlushBlock();

  SstInfo info;
  info.type = options_.type;
  info.compression = options_.compression;
  info.num_rows = num_rows_;
  info.num_blocks = static_cast<uint32_t>(index_.num_blocks());
  info.min_seq = min_seq_;
  info.max_seq = max_seq_;
  if (has_create_ts_) {
    info.min_create_ts = min_create_ts_;
    info.max_create_ts = max_create_ts_;
  }
  info.first_key = std::move(min_key_);
  info.last_key = std::move(max_key_);

  const bool with_filter = options_.type == SstType::kCompacted &&
                           options_.bloom_bits_per_key > 0 &&
                           num_rows_ >= options_.min_filter_keys;
  if (with_filter) {
    info.filter_offset = data_.size();
    encoder_.Append(filter_.Finish(), &data_);
    info.filter_length = static_cast<uint32_t>(data_.size() - info.filter_offset);
  }
  info.index_offset = data_.size();
  encoder_.Append(index_.Finish(info.last_key), &data_);
  info.index_length = static_cast<uint32_t>(data_.size() - info.index_offset);

  // object_size is a fixed-width field, so the record's length does not depend on it.
  const uint64_t info_offset = data_.size();
  const size_t record_size = EncodeSstInfo(info).size();
  info.object_size = info_offset + record_size + kSstFooterBytes;
  data_ += EncodeSstInfo(info);
  EncodeFooter({info_offset, static_cast<uint32_t>(record_size), kSstFormatVersion}, &data_);

  if (Status s = ValidateSstInfo(info); !s.ok()) {
    return Status::Internal("SstBuilder produced an invalid SST: " + s.message());
  }
  return EncodedSst{std::move(data_), std::move(info)};
}

}  // namespace slatedb
