// SPDX-License-Identifier: Apache-2.0
#include "cache/part_file.h"

#include <algorithm>
#include <cstring>

#include "cache/crc32c.h"

namespace slatedb::cache {

namespace {

constexpr char kMagic[8] = {'S', 'D', 'B', 'C', 'P', 'A', 'R', 'T'};

void Put32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void Put64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
uint32_t Get32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
uint64_t Get64(std::string_view s, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

uint64_t ChunkCount(uint64_t data_length, uint32_t chunk_size) {
  return (data_length + chunk_size - 1) / chunk_size;
}

Status Corrupt(const std::string& what) { return Status::Data("cache part file: " + what); }

}  // namespace

std::string EncodePartFile(std::string_view identity, uint64_t part_index, uint64_t part_size,
                           bool last, std::string_view data) {
  const uint64_t chunks = ChunkCount(data.size(), kChunkBytes);
  const uint64_t header_length = kFixedHeaderBytes + identity.size() + 4 * chunks + 4;
  std::string out;
  out.reserve(header_length + data.size());
  out.append(kMagic, sizeof(kMagic));
  Put32(&out, kPartFormatVersion);
  Put32(&out, static_cast<uint32_t>(header_length));
  Put64(&out, part_index);
  Put64(&out, part_size);
  Put64(&out, data.size());
  Put32(&out, last ? 1u : 0u);
  Put32(&out, kChunkBytes);
  Put32(&out, static_cast<uint32_t>(identity.size()));
  out.append(identity);
  for (uint64_t c = 0; c < chunks; ++c) {
    Put32(&out, Crc32c(data.substr(c * kChunkBytes, kChunkBytes)));
  }
  Put32(&out, Crc32c(out));
  out.append(data);
  return out;
}

Result<uint32_t> PeekHeaderLength(std::string_view prefix) {
  if (prefix.size() < kFixedHeaderBytes) return Corrupt("shorter than its header");
  if (std::memcmp(prefix.data(), kMagic, sizeof(kMagic)) != 0) return Corrupt("bad magic");
  if (Get32(prefix, 8) != kPartFormatVersion) return Corrupt("unknown version");
  uint32_t header_length = Get32(prefix, 12);
  if (header_length < kFixedHeaderBytes + 4) return Corrupt("header length too small");
  return header_length;
}

Result<PartHeader> DecodePartHeader(std::string_view header, uint64_t file_size) {
  SLATEDB_ASSIGN_OR_RETURN(uint32_t header_length, PeekHeaderLength(header));
  if (header.size() != header_length) return Corrupt("header cut short");
  if (Crc32c(header.substr(0, header_length - 4)) != Get32(header, header_length - 4)) {
    return Corrupt("header checksum mismatch");
  }
  PartHeader h;
  h.header_length = header_length;
  h.part_index = Get64(header, 16);
  h.part_size = Get64(header, 24);
  h.data_length = Get64(header, 32);
  uint32_t flags = Get32(header, 40);
  h.last = (flags & 1u) != 0;
  h.chunk_size = Get32(header, 44);
  uint32_t identity_length = Get32(header, 48);
  if (h.chunk_size == 0 || h.part_size == 0 || h.data_length > h.part_size || flags > 1) {
    return Corrupt("bad sizes");
  }
  if (!h.last && h.data_length != h.part_size) return Corrupt("short part not marked last");
  uint64_t chunks = ChunkCount(h.data_length, h.chunk_size);
  if (uint64_t(kFixedHeaderBytes) + identity_length + 4 * chunks + 4 != header_length) {
    return Corrupt("header length does not match its fields");
  }
  if (file_size != header_length + h.data_length) return Corrupt("file size mismatch");
  h.identity.assign(header.substr(kFixedHeaderBytes, identity_length));
  h.chunk_crcs.reserve(chunks);
  for (uint64_t c = 0; c < chunks; ++c) {
    h.chunk_crcs.push_back(Get32(header, kFixedHeaderBytes + identity_length + 4 * c));
  }
  return h;
}

ChunkSpan ChunksCovering(const PartHeader& header, uint64_t begin, uint64_t end) {
  ChunkSpan span;
  if (end <= begin) return span;
  const uint64_t c = header.chunk_size;
  span.first_chunk = begin / c;
  span.offset = span.first_chunk * c;
  uint64_t stop = std::min<uint64_t>(((end + c - 1) / c) * c, header.data_length);
  span.length = stop - span.offset;
  return span;
}

Status VerifyChunks(const PartHeader& header, const ChunkSpan& span, std::string_view bytes) {
  if (bytes.size() != span.length) return Corrupt("data cut short");
  const uint64_t c = header.chunk_size;
  for (uint64_t at = 0, chunk = span.first_chunk; at < bytes.size(); at += c, ++chunk) {
    if (chunk >= header.chunk_crcs.size() ||
        Crc32c(bytes.substr(at, c)) != header.chunk_crcs[chunk]) {
      return Corrupt("data checksum mismatch in chunk " + std::to_string(chunk));
    }
  }
  return Status::Ok();
}

}  // namespace slatedb::cache
