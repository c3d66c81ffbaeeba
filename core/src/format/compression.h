// SPDX-License-Identifier: Apache-2.0
//
// The block codecs of the SST format. One codec per SST (SsTableInfo records it) applies to
// every block: data, filter, index and stats, never the info record. Each produces exactly
// what SlateDB writes:
//   none    the bytes as they are
//   snappy  one raw snappy block (varint length, then elements; no framing)
//   zlib    one zlib stream (RFC 1950), level 6
//   lz4     u32 little-endian decoded size, then one LZ4 block (not the frame format)
//   zstd    one zstd frame, level 3, with its content size
// Decoders are strict and bounded: they never allocate more than the caller's limit, nor
// more than the input can possibly decode to, and they reject trailing bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "slatedb/options.h"
#include "slatedb/result.h"

namespace slatedb {

// The largest decoded block a reader accepts: a block holding one maximal row (64 KiB key,
// 1 GiB value) plus slack.
inline constexpr uint64_t kMaxDecodedBlockBytes = (uint64_t{1} << 30) + (uint64_t{1} << 20);

// Whether `value` is a codec the format defines (0..4).
bool IsKnownCodec(uint8_t value);
// "none", "snappy", "zlib", "lz4", "zstd".
std::string_view CodecName(CompressionCodec codec);

// Compresses blocks with one codec, reusing its library context across calls: keep one per
// SST being built. Not thread-safe.
class BlockCompressor {
 public:
  explicit BlockCompressor(CompressionCodec codec);
  ~BlockCompressor();
  BlockCompressor(const BlockCompressor&) = delete;
  BlockCompressor& operator=(const BlockCompressor&) = delete;

  CompressionCodec codec() const { return codec_; }
  // Appends the codec's encoding of `raw` to `dst`. Internal if the codec library fails
  // (out of memory); the caller's SST is then not written.
  Status Compress(std::string_view raw, std::string* dst);

 private:
  struct Contexts;
  CompressionCodec codec_;
  std::unique_ptr<Contexts> contexts_;
};

// Decodes one block stored with `codec`. Data naming `what` ("data block") if the bytes are
// malformed, have trailing bytes, or decode to more than `max_bytes`.
Result<std::string> DecompressBlock(CompressionCodec codec, std::string_view stored,
                                    std::string_view what,
                                    uint64_t max_bytes = kMaxDecodedBlockBytes);

}  // namespace slatedb
