// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: each codec's framing (a selector byte picks none, snappy, zlib, lz4 or zstd)
// decoded under a size limit; what decodes must compress and decode back to itself. Hostile
// size claims must be refused before allocating (scripts/fuzz.sh caps single allocations),
// and corrupt input must give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "format/compression.h"

using namespace slatedb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto codec = static_cast<CompressionCodec>(data[0] % 5);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  Result<std::string> raw = DecompressBlock(codec, bytes, "fuzz block", 1 << 24);
  if (!raw.ok()) return 0;
  BlockCompressor compressor(codec);
  std::string stored;
  if (!compressor.Compress(*raw, &stored).ok()) std::abort();
  Result<std::string> back = DecompressBlock(codec, stored, "fuzz block", 1 << 24);
  if (!back.ok() || *back != *raw) std::abort();
  return 0;
}
