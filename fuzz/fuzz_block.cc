// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: data blocks of both versions. The input (after a selector byte) is decoded as
// a stored block (CRC32 + the selected codec) and as a raw block payload, each parsed as
// block version 1 and 2, iterated and sought into. Corrupt input must give a Data status,
// never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/block.h"
#include "format/stored_block.h"

using namespace slatedb;

namespace {

void Walk(std::string bytes, uint16_t version, std::string_view seek) {
  Result<Block> block = Block::Parse(std::move(bytes), version);
  if (!block.ok()) return;
  Block::Iterator it(&*block);
  size_t n = 0;
  for (it.SeekToFirst(); it.Valid() && n < 100000; it.Next(), ++n) {
    RowView row = it.row();
    (void)row.key.size();
    (void)row.value.size();
  }
  it.Seek(seek);
  if (it.Valid()) it.Next();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto codec = static_cast<CompressionCodec>(data[0] % 5);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view seek = bytes.substr(0, bytes.size() % 17);
  if (auto payload = DecodeStoredSection(bytes, codec, "data block"); payload.ok()) {
    Walk(*payload, kBlockFormatV2, seek);
    Walk(*payload, kBlockFormatV1, seek);
  }
  Walk(std::string(bytes), kBlockFormatV2, seek);
  Walk(std::string(bytes), kBlockFormatV1, seek);
  return 0;
}
