// SPDX-License-Identifier: Apache-2.0
//
// The envelope every block of an SST (data, filter, index) is stored in:
//   payload (raw or zstd frame) | u8 codec tag | u64 XXH3 checksum of payload + tag
// Compression is decided per block: a block is stored compressed only when that saves at
// least 1/8 of its size, so incompressible data costs no decompression on read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

inline constexpr size_t kStoredBlockTrailerBytes = 9;  // codec tag + checksum

// Codec tags as stored. Any other value is corruption or a newer format.
inline constexpr uint8_t kBlockCodecNone = 0;
inline constexpr uint8_t kBlockCodecZstd = 1;

// The largest decoded payload a reader accepts: a block holding one maximal row (64 KiB key,
// 1 GiB value) plus slack. Guards against a zstd frame that claims an absurd size.
inline constexpr uint64_t kMaxDecodedBlockBytes = (uint64_t{1} << 30) + (uint64_t{1} << 20);

// Wraps payloads in the stored-block envelope. Holds a zstd context reused across blocks, so
// keep one per SST being built. Not thread-safe.
class BlockEncoder {
 public:
  // `zstd_level` is used only when codec is kZstd.
  BlockEncoder(CompressionCodec codec, int zstd_level);
  ~BlockEncoder();
  BlockEncoder(const BlockEncoder&) = delete;
  BlockEncoder& operator=(const BlockEncoder&) = delete;

  // Appends the stored form of `payload` to `dst`. Never fails: if compression errors or does
  // not pay, the payload is stored raw.
  void Append(std::string_view payload, std::string* dst);

 private:
  struct ZstdState;
  CompressionCodec codec_;
  int zstd_level_;
  std::unique_ptr<ZstdState> zstd_;
  std::string scratch_;
};

// Verifies the checksum and decompresses. `what` names the block in error messages ("index
// block"). Data on a checksum mismatch, unknown codec tag, or malformed or oversized frame.
Result<std::string> DecodeStoredBlock(std::string_view stored, std::string_view what);

}  // namespace slatedb
