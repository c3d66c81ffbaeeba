// SPDX-License-Identifier: Apache-2.0
//
// Binary SstInfo record and the validation shared with its JSON form. Layout (LE):
//   u64 object_size | u16 format_version | u8 type | u8 compression |
//   varint32+bytes first_key | varint32+bytes last_key | u64 num_rows | u32 num_blocks |
//   u64 min_seq | u64 max_seq | u8 has_create_ts | [i64 min_create_ts | i64 max_create_ts] |
//   u64 index_offset | u32 index_length | u64 filter_offset | u32 filter_length | u64 checksum
#include "format/sst_info.h"

#include "format/sst_footer.h"
#include "format/stored_block.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {

namespace {

Status Bad(std::string_view problem) { return Status::Data("SST info: " + std::string(problem)); }

// True if [offset, offset + length) lies within [0, limit).
bool WithinLimit(uint64_t offset, uint64_t length, uint64_t limit) {
  return offset <= limit && length <= limit - offset;
}

}  // namespace

Status ValidateSstInfo(const SstInfo& info) {
  if (info.format_version != kSstFormatVersion) {
    return Bad("unsupported format version " + std::to_string(info.format_version));
  }
  if (info.type != SstType::kCompacted && info.type != SstType::kWal) return Bad("unknown type");
  if (info.compression != CompressionCodec::kNone &&
      info.compression != CompressionCodec::kZstd) {
    return Bad("unknown compression codec");
  }
  if (info.first_key.size() > kMaxKeyBytes || info.last_key.size() > kMaxKeyBytes) {
    return Bad("key longer than the key size limit");
  }
  if (info.first_key > info.last_key) return Bad("first key sorts after last key");
  if (info.num_blocks == 0) return Bad("no data blocks");
  if (info.num_rows < info.num_blocks) return Bad("fewer rows than blocks");
  if (info.min_seq > info.max_seq) return Bad("min seq above max seq");
  if (info.min_create_ts.has_value() != info.max_create_ts.has_value()) {
    return Bad("only one of min/max create_ts present");
  }
  if (info.min_create_ts && *info.min_create_ts > *info.max_create_ts) {
    return Bad("min create_ts above max create_ts");
  }
  if (info.object_size <= kSstFooterBytes) return Bad("object too small for a footer");
  // The info record (at least one byte) and the footer follow the index.
  const uint64_t before_info = info.object_size - kSstFooterBytes - 1;
  if (info.index_length < kStoredBlockTrailerBytes ||
      !WithinLimit(info.index_offset, info.index_length, before_info)) {
    return Bad("index block out of range");
  }
  if (info.has_filter()) {
    if (info.filter_length < kStoredBlockTrailerBytes ||
        !WithinLimit(info.filter_offset, info.filter_length, info.index_offset) ||
        info.filter_offset + info.filter_length != info.index_offset) {
      return Bad("filter block out of range");
    }
  } else if (info.filter_offset != 0) {
    return Bad("filter offset without a filter");
  }
  if (info.data_end() / kStoredBlockTrailerBytes < info.num_blocks) {
    return Bad("data region too small for its blocks");
  }
  return Status::Ok();
}

std::string EncodeSstInfo(const SstInfo& info) {
  std::string out;
  PutFixed64(&out, info.object_size);
  PutFixed16(&out, info.format_version);
  PutFixed8(&out, static_cast<uint8_t>(info.type));
  PutFixed8(&out, static_cast<uint8_t>(info.compression));
  PutLengthPrefixed(&out, info.first_key);
  PutLengthPrefixed(&out, info.last_key);
  PutFixed64(&out, info.num_rows);
  PutFixed32(&out, info.num_blocks);
  PutFixed64(&out, info.min_seq);
  PutFixed64(&out, info.max_seq);
  const bool has_create_ts = info.min_create_ts.has_value() && info.max_create_ts.has_value();
  PutFixed8(&out, has_create_ts ? 1 : 0);
  if (has_create_ts) {
    PutFixed64(&out, static_cast<uint64_t>(*info.min_create_ts));
    PutFixed64(&out, static_cast<uint64_t>(*info.max_create_ts));
  }
  PutFixed64(&out, info.index_offset);
  PutFixed32(&out, info.index_length);
  PutFixed64(&out, info.filter_offset);
  PutFixed32(&out, info.filter_length);
  PutFixed64(&out, Checksum64(out));
  return out;
}

Result<SstInfo> DecodeSstInfo(std::string_view record) {
  if (record.size() < 8) return Bad("record shorter than its checksum");
  std::string_view in = record.substr(0, record.size() - 8);
  if (!ChecksumMatches(Checksum64(in), DecodeFixed64(record.data() + in.size()))) {
    return Bad("checksum mismatch");
  }

  SstInfo info;
  uint8_t type = 0, compression = 0, has_create_ts = 0;
  std::string_view first_key, last_key;
  bool ok = GetFixed64(&in, &info.object_size) && GetFixed16(&in, &info.format_version);
  // Check the version before the rest: a newer writer may have changed the layout.
  if (ok && info.format_version != kSstFormatVersion) {
    return Bad("unsupported format version " + std::to_string(info.format_version));
  }
  ok = ok && GetFixed8(&in, &type) && GetFixed8(&in, &compression) &&
       GetLengthPrefixed(&in, &first_key) && GetLengthPrefixed(&in, &last_key) &&
       GetFixed64(&in, &info.num_rows) && GetFixed32(&in, &info.num_blocks) &&
       GetFixed64(&in, &info.min_seq) && GetFixed64(&in, &info.max_seq) &&
       GetFixed8(&in, &has_create_ts);
  if (ok && has_create_ts > 1) return Bad("bad create_ts presence byte");
  if (ok && has_create_ts == 1) {
    uint64_t min_ts = 0, max_ts = 0;
    ok = GetFixed64(&in, &min_ts) && GetFixed64(&in, &max_ts);
    info.min_create_ts = static_cast<int64_t>(min_ts);
    info.max_create_ts = static_cast<int64_t>(max_ts);
  }
  ok = ok && GetFixed64(&in, &info.index_offset) && GetFixed32(&in, &info.index_length) &&
       GetFixed64(&in, &info.filter_offset) && GetFixed32(&in, &info.filter_length);
  if (!ok) return Bad("record truncated");
  if (!in.empty()) return Bad("trailing bytes after the record");
  info.type = static_cast<SstType>(type);
  info.compression = static_cast<CompressionCodec>(compression);
  info.first_key.assign(first_key.data(), first_key.size());
  info.last_key.assign(last_key.data(), last_key.size());
  SLATEDB_RETURN_IF_ERROR(ValidateSstInfo(info));
  return info;
}

}  // namespace slatedb
