// SPDX-License-Identifier: Apache-2.0
//
// SstBuilder. Rows are encoded into blocks as they arrive; stored blocks accumulate in one
// string that becomes the object, so Finish() only appends the filter, index, stats, info
// and footer.
#include "format/sst_builder.h"

#include "format/sst_footer.h"
#include "util/coding.h"

namespace slatedb {

namespace {

std::string SeqKey(uint64_t seq) {
  std::string out;
  PutBigEndian64(&out, seq);
  return out;
}

}  // namespace

SstBuilder::SstBuilder(const SstBuilderOptions& options)
    : options_(options),
      block_(options.type == SstType::kWal ? kWalBlockSizeBytes : options.block_size_bytes),
      encoder_(options.compression) {
  if (options.type == SstType::kCompacted) {
    filters_.reserve(options.filter_policies.size());
    for (const FilterPolicy& policy : options.filter_policies) {
      // A filter of no bits could not answer "may contain" for the keys it was built from.
      if (policy.bits_per_key > 0) filters_.emplace_back(policy);
    }
  }
}

void SstBuilder::Add(const RowView& row) {
  if (!status_.ok()) return;
  if (finished_) return Fail(Status::Invalid("SstBuilder::Add after Finish"));
  if (row.key.empty()) return Fail(Status::Invalid("SST row with an empty key"));
  if (row.key.size() > kMaxKeyBytes) {
    return Fail(Status::Invalid("SST row key longer than " + std::to_string(kMaxKeyBytes)));
  }
  if (row.value.size() > kMaxValueBytes) {
    return Fail(Status::Invalid("SST row value larger than the value size limit"));
  }
  const bool compacted = options_.type == SstType::kCompacted;
  const bool first_row = stats_.blocks.empty();
  if (compacted && !first_row && CompareInternal(last_key_, last_seq_, row.key, row.seq) >= 0) {
    return Fail(Status::Internal("SST rows added out of internal order"));
  }

  if (!block_.WouldFit(row)) FlushBlock();
  if (block_.empty()) {
    // The index key of a new block: WAL SSTs key blocks by their first seq; compacted SSTs
    // by the separator from the previous block (the empty key for the first).
    if (!compacted) {
      block_index_key_ = SeqKey(row.seq);
    } else if (first_row) {
      block_index_key_.clear();
    } else {
      block_index_key_ = IndexSeparator(prev_block_last_key_, row.key);
    }
    stats_.blocks.emplace_back();
  }
  block_.Add(row);
  stats_.Count(row);
  for (PolicyFilterBuilder& filter : filters_) {
    if (Status s = filter.AddKey(row.key); !s.ok()) return Fail(s);
  }
  if (first_row) first_entry_ = compacted ? std::string(row.key) : SeqKey(row.seq);
  last_key_.assign(row.key.data(), row.key.size());
  last_seq_ = row.seq;
}

void SstBuilder::FlushBlock() {
  prev_block_last_key_ = block_.last_key();
  const std::string raw = block_.Finish();
  const uint64_t offset = data_.size();
  Status s = encoder_.Append(raw, &data_);
  if (!s.ok()) return Fail(s);
  index_.AddBlock(offset, block_index_key_);
}

uint64_t SstBuilder::EstimatedSize() const {
  uint64_t size =
      data_.size() + block_.CurrentSize() + index_.EstimatedSize() + block_index_key_.size() + 4;
  if (options_.type == SstType::kCompacted) {
    if (num_rows() >= options_.min_filter_keys && !filters_.empty()) {
      size += 8;  // the section's count and checksum
      for (const PolicyFilterBuilder& filter : filters_) {
        size += (filter.num_hashes() * filter.policy().bits_per_key + 7) / 8 + 12 +
                filter.name().size();
      }
    }
    size += 32 + 8 * stats_.blocks.size();  // stats
  }
  // The info record: two keys plus about 100 bytes of fixed fields; then the footer.
  size += first_entry_.size() + last_key_.size() + 100 + kSstFooterBytes;
  return size;
}

Result<EncodedSst> SstBuilder::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return Status::Invalid("SstBuilder::Finish called twice");
  finished_ = true;
  if (num_rows() == 0) return Status::Invalid("SST has no rows");
  if (!block_.empty()) FlushBlock();
  SLATEDB_RETURN_IF_ERROR(status_);

  const bool compacted = options_.type == SstType::kCompacted;
  SstInfo info;
  info.type = options_.type;
  info.compression = options_.compression;
  info.filter_format = FilterFormat::kComposite;
  info.format_version = kSstFormatVersion;
  info.first_entry = std::move(first_entry_);
  if (compacted) info.last_entry = last_key_;

  info.filter_offset = data_.size();
  if (!filters_.empty() && num_rows() >= options_.min_filter_keys) {
    std::vector<NamedFilterBytes> entries;
    entries.reserve(filters_.size());
    for (PolicyFilterBuilder& filter : filters_)
      entries.push_back({filter.name(), filter.Finish()});
    SLATEDB_RETURN_IF_ERROR(encoder_.Append(EncodeCompositeFilter(entries), &data_));
    info.filter_len = data_.size() - info.filter_offset;
  }
  info.index_offset = data_.size();
  SLATEDB_RETURN_IF_ERROR(encoder_.Append(index_.Finish(), &data_));
  info.index_len = data_.size() - info.index_offset;
  if (compacted) {
    info.stats_offset = data_.size();
    SLATEDB_RETURN_IF_ERROR(encoder_.Append(EncodeSstStats(stats_), &data_));
    info.stats_len = data_.size() - info.stats_offset;
  }

  if (Status s = ValidateSstInfo(info); !s.ok()) {
    return Status::Internal("SstBuilder produced an invalid SST: " + s.message());
  }
  const uint64_t info_offset = data_.size();
  data_ += EncodeSstInfoRecord(info);
  EncodeSstFooter({info_offset, kSstFormatVersion}, &data_);
  return EncodedSst{std::move(data_), std::move(info)};
}

}  // namespace slatedb
