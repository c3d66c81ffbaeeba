// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the index section (SsTableIndex FlatBuffer) after the FlatBuffers Verifier,
// with the end of the data taken from the input, then block handles, keys and FindBlock.
// Corrupt input must give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/index_block.h"

using namespace slatedb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint64_t data_end = uint64_t{data[0]} << (data[1] % 40);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  for (bool sorted : {true, false}) {
    Result<SstIndex> index = SstIndex::Parse(bytes, data_end, sorted);
    if (!index.ok()) continue;
    for (size_t i = 0; i < index->num_blocks(); ++i) {
      (void)index->block(i);
      (void)index->first_key(i).size();
    }
    (void)index->FindBlock(bytes.substr(0, 5));
  }
  return 0;
}
