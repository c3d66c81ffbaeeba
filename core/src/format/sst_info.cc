// SPDX-License-Identifier: Apache-2.0
#include "format/sst_info.h"

#include <algorithm>
#include <vector>

#include "format/compression.h"
#include "format/flatbuffer_util.h"
#include "format/sst_info_fb.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {

namespace {

// end = offset + len, false on overflow.
bool EndOf(uint64_t offset, uint64_t len, uint64_t* end) {
  if (len > UINT64_MAX - offset) return false;
  *end = offset + len;
  return true;
}

}  // namespace

uint64_t SstInfo::sections_end() const {
  uint64_t end = index_offset + index_len;
  if (stats_len != 0) end = std::max(end, stats_offset + stats_len);
  if (filter_len != 0) end = std::max(end, filter_offset + filter_len);
  return end;
}

Status ValidateSstInfo(const SstInfo& info) {
  if (!IsKnownCodec(static_cast<uint8_t>(info.compression))) {
    return Status::Data("SST info: unknown compression codec");
  }
  if (info.type != SstType::kCompacted && info.type != SstType::kWal) {
    return Status::Data("SST info: unknown SST type");
  }
  if (info.filter_format != FilterFormat::kLegacy &&
      info.filter_format != FilterFormat::kComposite) {
    return Status::Data("SST info: unknown filter format");
  }
  if (info.format_version != 1 && info.format_version != 2) {
    return Status::Data("SST info: unsupported format version " +
                        std::to_string(info.format_version));
  }
  uint64_t index_end = 0, filter_end = 0, stats_end = 0;
  if (!EndOf(info.index_offset, info.index_len, &index_end) ||
      !EndOf(info.filter_offset, info.filter_len, &filter_end) ||
      !EndOf(info.stats_offset, info.stats_len, &stats_end)) {
    return Status::Data("SST info: a section's end overflows");
  }
  if (info.index_len < 4) return Status::Data("SST info: index shorter than its checksum");
  if (info.has_filter() && (info.filter_len < 4 || filter_end > info.index_offset)) {
    return Status::Data("SST info: filter does not precede the index");
  }
  if (info.stats_len != 0 && (info.stats_len < 4 || info.stats_offset < index_end)) {
    return Status::Data("SST info: stats do not follow the index");
  }
  if (info.type == SstType::kCompacted) {
    if (info.first_entry.empty())
      return Status::Data("SST info: compacted SST without a first key");
    if (info.last_entry < info.first_entry) {
      return Status::Data("SST info: last key before first key");
    }
  }
  return Status::Ok();
}

flatbuffers::Offset<fb::SstMeta> WriteSstMeta(flatbuffers::FlatBufferBuilder& fbb,
                                              const SstInfo& info) {
  auto bytes = [&](std::string_view s) {
    return fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  flatbuffers::Offset<flatbuffers::Vector<uint8_t>> first = bytes(info.first_entry);
  flatbuffers::Offset<flatbuffers::Vector<uint8_t>> last = 0;
  if (!info.last_entry.empty()) last = bytes(info.last_entry);
  return fb::CreateSstMeta(fbb, first, info.index_offset, info.index_len, info.filter_offset,
                           info.filter_len, static_cast<fb::Codec>(info.compression),
                           static_cast<fb::TableKind>(info.type), last, info.stats_offset,
                           info.stats_len, static_cast<fb::FilterLayout>(info.filter_format));
}

Result<SstInfo> ReadSstMeta(const fb::SstMeta& meta) {
  SstInfo info;
  info.first_entry = std::string(BytesOf(meta.first_entry()));
  info.last_entry = std::string(BytesOf(meta.last_entry()));
  info.index_offset = meta.index_offset();
  info.index_len = meta.index_len();
  info.filter_offset = meta.filter_offset();
  info.filter_len = meta.filter_len();
  info.stats_offset = meta.stats_offset();
  info.stats_len = meta.stats_len();
  const auto codec = static_cast<uint8_t>(meta.codec());
  if (!IsKnownCodec(codec)) {
    return Status::Data("SST info: unknown compression codec " + std::to_string(codec));
  }
  info.compression = static_cast<CompressionCodec>(codec);
  const auto kind = static_cast<uint8_t>(meta.kind());
  if (kind > 1) return Status::Data("SST info: unknown SST type " + std::to_string(kind));
  info.type = static_cast<SstType>(kind);
  const auto layout = static_cast<uint8_t>(meta.filter_layout());
  if (layout > 1) return Status::Data("SST info: unknown filter format " + std::to_string(layout));
  info.filter_format = static_cast<FilterFormat>(layout);
  SLATEDB_RETURN_IF_ERROR(ValidateSstInfo(info));
  return info;
}

std::string EncodeSstInfoRecord(const SstInfo& info) {
  flatbuffers::FlatBufferBuilder fbb(256);
  fbb.Finish(WriteSstMeta(fbb, info));
  std::string out = FinishedBytes(fbb);
  PutBigEndian32(&out, Crc32(out));
  return out;
}

Result<SstInfo> DecodeSstInfoRecord(std::string_view record) {
  if (record.size() <= 4) return Status::Data("SST info record too short");
  const std::string_view body = record.substr(0, record.size() - 4);
  if (!ChecksumMatches(Crc32(body), DecodeBigEndian32(record.data() + body.size()))) {
    return Status::Data("SST info: checksum mismatch");
  }
  std::vector<uint64_t> storage;
  const fb::SstMeta* meta = VerifiedRoot<fb::SstMeta>(body, &storage);
  if (meta == nullptr) return Status::Data("SST info: not a valid SsTableInfo FlatBuffer");
  return ReadSstMeta(*meta);
}

}  // namespace slatedb
