// SPDX-License-Identifier: Apache-2.0
//
// The persistent cache's file format: one file per cached part of an object. Every byte
// served from the cache is covered by a checksum, so a file that was truncated, partly
// written before a crash, or damaged on disk is detected and dropped, never served.
//
//   offset  size  field (little-endian)
//   0       8     magic "SDBCPART"
//   8       4     format version (1)
//   12      4     header length H (all header bytes, including the header CRC)
//   16      8     part index
//   24      8     part size in bytes (the object is cut at multiples of it)
//   32      8     data length D (<= part size)
//   40      4     flags: bit 0 = last part (the object ends inside this part)
//   44      4     chunk size C
//   48      4     identity length I
//   52      I     identity: the store's description, a newline and the object key
//   52+I    4*N   CRC-32C of each C-byte chunk of the data, N = ceil(D / C)
//   H-4     4     CRC-32C of header bytes [0, H-4)
//   H       D     the part's bytes
// A file's size must be exactly H + D. Internal to platform/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb::cache {

inline constexpr uint32_t kPartFormatVersion = 1;
inline constexpr uint32_t kFixedHeaderBytes = 52;
inline constexpr uint32_t kChunkBytes = 32 * 1024;
// Identities longer than this are not cached (the header must stay small).
inline constexpr size_t kMaxIdentityBytes = 4096;

struct PartHeader {
  uint32_t header_length = 0;
  uint64_t part_index = 0;
  uint64_t part_size = 0;
  uint64_t data_length = 0;
  bool last = false;
  uint32_t chunk_size = kChunkBytes;
  std::string identity;
  std::vector<uint32_t> chunk_crcs;
};

// The whole file for one part (header followed by `data`).
std::string EncodePartFile(std::string_view identity, uint64_t part_index, uint64_t part_size,
                           bool last, std::string_view data);

// The header length a file claims, from its first kFixedHeaderBytes bytes (Data if they
// are not a part file's).
Result<uint32_t> PeekHeaderLength(std::string_view prefix);

// Decodes and verifies the header in `header` (exactly its claimed length) of a file of
// `file_size` bytes: magic, version, header CRC, sizes consistent with the file. Data on
// any mismatch.
Result<PartHeader> DecodePartHeader(std::string_view header, uint64_t file_size);

// The chunk-aligned span of the data that covers [begin, end) (end <= data_length).
struct ChunkSpan {
  uint64_t first_chunk = 0;
  uint64_t offset = 0;  // within the data
  uint64_t length = 0;
};
ChunkSpan ChunksCovering(const PartHeader& header, uint64_t begin, uint64_t end);

// Verifies `bytes` (the data of `span`) against the header's chunk CRCs. Data if any
// chunk does not match.
Status VerifyChunks(const PartHeader& header, const ChunkSpan& span, std::string_view bytes);

}  // namespace slatedb::cache
