// SPDX-License-Identifier: Apache-2.0
//
// SST decoding entry points. Everything below the checksum layer (stored_block.cc) assumes
// nothing about its input; the cross-checks here catch blocks that are individually intact
// but do not belong together.
#include "format/sst_reader.h"

#include "format/stored_block.h"

namespace slatedb {

Result<SstInfo> DecodeSstInfoFromTail(std::string_view tail, uint64_t object_size) {
  if (tail.size() > object_size) return Status::Invalid("SST tail longer than the object");
  if (tail.size() < kSstFooterBytes && object_size >= kSstFooterBytes) {
    return Status::Invalid("SST tail shorter than the footer");
  }
  SLATEDB_ASSIGN_OR_RETURN(FooterLocation loc, DecodeFooter(tail, object_size));
  const uint64_t needed = SstTailBytesNeeded(loc);
  if (tail.size() < needed) {
    return Status::Invalid("SST tail holds " + std::to_string(tail.size()) + " bytes; " +
                           std::to_string(needed) + " needed");
  }
  const std::string_view record =
      tail.substr(tail.size() - static_cast<size_t>(needed), loc.info_length);
  SLATEDB_ASSIGN_OR_RETURN(SstInfo info, DecodeSstInfo(record));
  if (info.object_size != object_size) return Status::Data("SST info: object size mismatch");
  if (info.info_offset() != loc.info_offset) {
    return Status::Data("SST info: index does not end where the info record starts");
  }
  return info;
}

Result<SstInfo> DecodeSstInfoFromObject(std::string_view object) {
  return DecodeSstInfoFromTail(object, object.size());
}

ByteRange MetadataRange(const SstInfo& info) {
  const uint64_t start = info.has_filter() ? info.filter_offset : info.index_offset;
  return {start, info.index_offset + info.index_length - start};
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

Result<SstIndex> DecodeIndex(std::string_view stored_index_bytes) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredBlock(stored_index_bytes, "index block"));
  return SstIndex::Parse(std::move(payload));
}

Result<SstIndex> DecodeIndex(std::string_view stored_index_bytes, const SstInfo& info) {
  SLATEDB_ASSIGN_OR_RETURN(SstIndex index, DecodeIndex(stored_index_bytes));
  if (index.num_blocks() != info.num_blocks) {
    return Status::Data("index block: block count differs from the SST info");
  }
  if (index.data_end() != info.data_end()) {
    return Status::Data("index block: data blocks do not end where the SST info says");
  }
  if (index.last_key() != info.last_key) {
    return Status::Data("index block: last key differs from the SST info");
  }
  if (info.type == SstType::kCompacted && index.first_key(0) != info.first_key) {
    return Status::Data("index block: first key differs from the SST info");
  }
  return index;
}

Result<Block> DecodeDataBlock(std::string_view stored_block_bytes) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredBlock(stored_block_bytes, "data block"));
  return Block::Parse(std::move(payload));
}

Result<BloomFilter> DecodeFilter(std::string_view stored_filter_bytes) {
  SLATEDB_ASSIGN_OR_RETURN(std::string payload,
                           DecodeStoredBlock(stored_filter_bytes, "filter block"));
  return BloomFilter::Parse(std::move(payload));
}

}  // namespace slatedb
