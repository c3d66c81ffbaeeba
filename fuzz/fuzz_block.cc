// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: one stored data block (codec byte, payload, checksum) decoded and iterated,
// then the same bytes parsed directly as a block payload, iterated and sought into.
// Corrupt input must give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/block.h"
#include "format/sst_reader.h"

namespace {

void Walk(const slatedb::Block& block, std::string_view seek) {
  slatedb::Block::Iterator it(&block);
  size_t n = 0;
  for (it.SeekToFirst(); it.Valid() && n < 100000; it.Next(), ++n) {
    slatedb::RowView row = it.row();
    (void)row.key.size();
    (void)row.value.size();
  }
  it.Seek(seek);
  if (it.Valid()) it.Next();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string_view seek = bytes.substr(0, bytes.size() % 17);
  if (auto block = slatedb::DecodeDataBlock(bytes); block.ok()) Walk(*block, seek);
  if (auto block = slatedb::Block::Parse(std::string(bytes)); block.ok()) Walk(*block, seek);
  return 0;
}
