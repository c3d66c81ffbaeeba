// SPDX-License-Identifier: Apache-2.0
#include "format/zstd_frame.h"

#include <cstddef>
#include <string>

namespace slatedb {
namespace {

constexpr uint32_t kZstdMagic = 0xFD2FB528u;
constexpr uint64_t kMaxBlockContent = 128 * 1024;  // Block_Maximum_Size, RFC 8878 3.1.1.2.3

enum BlockType : uint32_t { kRaw = 0, kRle = 1, kCompressed = 2 };

uint64_t LittleEndian(std::string_view bytes, size_t pos, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    v |= uint64_t{static_cast<uint8_t>(bytes[pos + i])} << (8 * i);
  }
  return v;
}

Status Malformed(const char* problem) {
  return Status::Data(std::string("zstd frame: ") + problem);
}

}  // namespace

Result<uint64_t> ZstdFrameDecodedBound(std::string_view frame) {
  if (frame.size() < 5 || LittleEndian(frame, 0, 4) != kZstdMagic) {
    return Malformed("no frame magic");
  }
  const uint8_t descriptor = static_cast<uint8_t>(frame[4]);
  const bool single_segment = (descriptor >> 5) & 1;
  const bool has_checksum = (descriptor >> 2) & 1;
  if ((descriptor >> 3) & 1) return Malformed("reserved header bit set");
  static constexpr size_t kDictIdBytes[4] = {0, 1, 2, 4};
  static constexpr size_t kContentSizeBytes[4] = {0, 2, 4, 8};
  size_t content_size_bytes = kContentSizeBytes[descriptor >> 6];
  if (content_size_bytes == 0 && single_segment) content_size_bytes = 1;
  size_t pos = 5 + (single_segment ? 0 : 1) + kDictIdBytes[descriptor & 3] + content_size_bytes;
  if (pos > frame.size()) return Malformed("header runs past the frame");

  uint64_t bound = 0;
  for (;;) {
    if (frame.size() - pos < 3) return Malformed("block header runs past the frame");
    const uint32_t header = static_cast<uint32_t>(LittleEndian(frame, pos, 3));
    pos += 3;
    const bool last = header & 1;
    const uint32_t type = (header >> 1) & 3;
    const uint64_t size = header >> 3;
    if (size > kMaxBlockContent) return Malformed("block larger than 128 KiB");
    size_t stored = 0;
    switch (type) {
      case kRaw:
        stored = size;
        bound += size;
        break;
      case kRle:
        stored = 1;
        bound += size;
        break;
      case kCompressed:
        stored = size;
        bound += kMaxBlockContent;
        break;
      default:
        return Malformed("reserved block type");
    }
    if (frame.size() - pos < stored) return Malformed("block runs past the frame");
    pos += stored;
    if (last) break;
  }
  if (has_checksum) pos += 4;
  if (pos != frame.size()) return Malformed("bytes after the last block");
  return bound;
}

}  // namespace slatedb
