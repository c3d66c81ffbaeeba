// SPDX-License-Identifier: Apache-2.0
#include "format/stored_block.h"

#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {

Status SectionEncoder::Append(std::string_view raw, std::string* dst) {
  const size_t start = dst->size();
  SLATEDB_RETURN_IF_ERROR(compressor_.Compress(raw, dst));
  PutBigEndian32(dst, Crc32(std::string_view(*dst).substr(start)));
  return Status::Ok();
}

Result<std::string> DecodeStoredSection(std::string_view stored, CompressionCodec codec,
                                        std::string_view what) {
  if (stored.size() < kSectionChecksumBytes) {
    return Status::Data(std::string(what) + ": shorter than its checksum");
  }
  const size_t body = stored.size() - kSectionChecksumBytes;
  if (!ChecksumMatches(Crc32(stored.substr(0, body)), DecodeBigEndian32(stored.data() + body))) {
    return Status::Data(std::string(what) + ": checksum mismatch");
  }
  return DecompressBlock(codec, stored.substr(0, body), what);
}

}  // namespace slatedb
