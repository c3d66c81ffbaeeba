// SPDX-License-Identifier: Apache-2.0
//
// SST decoding entry points. Everything below the checksum layer (stored_block.cc) assumes
// nothing about its input; the cross-checks here catch sections that are individually
// intact but do not belong together.
#include "format/sst_reader.h"

#include "format/stored_block.h"

namespace slatedb {

Result<SstInfo> DecodeSstInfoFromTail(std::string_view tail, uint64_t object_size) {
  if (tail.size() > object_size) return Status::Invalid("SST tail longer than the object");
  SLATEDB_ASSIGN_OR_RETURN(SstFooter footer, DecodeSstFooter(tail, object_size));
  const uint64_t needed = object_size - footer.info_offset;
  if (tail.size() < needed) {
    return Status::Invalid("SST tail holds " + std::to_string(tail.size()) + " bytes; " +
                           std::to_string(needed) + " needed");
  }
  const std::string_view record = tail.substr(tail.size() - static_cast<size_t>(needed),
                                              static_cast<size_t>(needed) - kSstFooterBytes);
  SLATEDB_ASSIGN_OR_RETURN(SstInfo info, DecodeSstInfoRecord(record));
  info.format_version = footer.format_version;
  if (info.sections_end() > footer.info_offset) {
    return Status::Data("SST info: sections run into the info record");
  }
  return info;
}

Result<SstInfo> DecodeSstInfoFromObject(std::string_view object) {
  return DecodeSstInfoFromTail(object, object.size());
}

ByteRange MetadataRange(const SstInfo& info) {
  const uint64_t start = info.has_filter() ? info.filter_offset : info.index_offset;
  return {start, info.index_offset + info.index_len - start};
}

Result<std::string_view> SliceRange(std::string_view bytes, uint64_t bytes_offset,
                                    ByteRange range) {
  if (range.offset < bytes_offset || range.offset - bytes_offset > bytes.size() ||
      range.length > bytes.size() - (range.offset - bytes_offset)) {
    return Status::Data("SST: byte range outside the object");
  }
  return bytes.substr(static_cast<size_t>(range.offset - bytes_offset),
                      static_cast<size_t>(range.length));
}

Result<SstIndex> DecodeIndex(std::string_view stored_index, const SstInfo& info) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredSection(stored_index, info.compression, "index block"));
  return SstIndex::Parse(payload, info.data_end(), info.type == SstType::kCompacted);
}

Result<Block> DecodeDataBlock(std::string_view stored_block, const SstInfo& info) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredSection(stored_block, info.compression, "data block"));
  return Block::Parse(std::move(payload), info.format_version);
}

Result<std::optional<BloomFilter>> DecodeFilter(std::string_view stored_filter,
                                                const SstInfo& info) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredSection(stored_filter, info.compression, "filter block"));
  return DecodeFilterSection(payload, info.filter_format == FilterFormat::kComposite);
}

Result<SstFilters> DecodeFilters(std::string_view stored_filter, const SstInfo& info,
                                 const std::vector<FilterPolicy>& policies) {
  if (policies.empty()) return SstFilters{};
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredSection(stored_filter, info.compression, "filter block"));
  return DecodeSstFilters(payload, info.filter_format == FilterFormat::kComposite, policies);
}

Result<SstStats> DecodeStats(std::string_view stored_stats, const SstInfo& info) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredSection(stored_stats, info.compression, "stats block"));
  return DecodeSstStats(payload);
}

}  // namespace slatedb
