// SPDX-License-Identifier: Apache-2.0
//
// Stored-block envelope: checksum, codec tag, zstd. Decoding checks the checksum before
// anything else, so a decompressor only ever sees bytes the writer produced (or a collision).
#include "format/stored_block.h"

#include <zstd.h>

#include "format/zstd_frame.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {

struct BlockEncoder::ZstdState {
  ZSTD_CCtx* cctx = nullptr;
  ~ZstdState() { ZSTD_freeCCtx(cctx); }
};

BlockEncoder::BlockEncoder(CompressionCodec codec, int zstd_level)
    : codec_(codec), zstd_level_(zstd_level) {}

BlockEncoder::~BlockEncoder() = default;

void BlockEncoder::Append(std::string_view payload, std::string* dst) {
  const size_t start = dst->size();
  uint8_t tag = kBlockCodecNone;
  if (codec_ == CompressionCodec::kZstd && !payload.empty()) {
    if (!zstd_) {
      zstd_ = std::make_unique<ZstdState>();
      zstd_->cctx = ZSTD_createCCtx();
    }
    scratch_.resize(ZSTD_compressBound(payload.size()));
    const size_t n = zstd_->cctx == nullptr
                         ? 0
                         : ZSTD_compressCCtx(zstd_->cctx, scratch_.data(), scratch_.size(),
                                             payload.data(), payload.size(), zstd_level_);
    if (!ZSTD_isError(n) && n > 0 && n <= payload.size() - payload.size() / 8) {
      dst->append(scratch_.data(), n);
      tag = kBlockCodecZstd;
    }
  }
  if (tag == kBlockCodecNone) dst->append(payload.data(), payload.size());
  PutFixed8(dst, tag);
  PutFixed64(dst, Checksum64(std::string_view(*dst).substr(start)));
}

namespace {

// One decompression context per thread, kept for reuse: creating one per block would cost
// more than decompressing a 4 KiB block.
ZSTD_DCtx* ThreadDctx() {
  struct Holder {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ~Holder() { ZSTD_freeDCtx(dctx); }
  };
  thread_local Holder holder;
  return holder.dctx;
}

Status Corrupt(std::string_view what, std::string_view problem) {
  std::string msg(what);
  msg += ": ";
  msg += problem;
  return Status::Data(msg);
}

Result<std::string> Decompress(std::string_view frame, std::string_view what) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Corrupt(what, "zstd frame header malformed");
  }
  if (size > kMaxDecodedBlockBytes) return Corrupt(what, "zstd frame claims an oversized block");
  const size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
  if (ZSTD_isError(frame_size) || frame_size != frame.size()) {
    return Corrupt(what, "zstd frame size does not match the block");
  }
  // The header's size is only a claim; allocate it only if the frame's blocks can produce it.
  Result<uint64_t> bound = ZstdFrameDecodedBound(frame);
  if (!bound.ok()) return Corrupt(what, bound.status().message());
  if (size > *bound) return Corrupt(what, "zstd frame claims more content than its blocks hold");
  ZSTD_DCtx* dctx = ThreadDctx();
  if (dctx == nullptr) return Status::Internal("zstd: cannot allocate a decompression context");
  std::string out(static_cast<size_t>(size), '\0');
  const size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != out.size()) return Corrupt(what, "zstd frame does not decompress");
  return out;
}

}  // namespace

Result<std::string> DecodeStoredBlock(std::string_view stored, std::string_view what) {
  if (stored.size() < kStoredBlockTrailerBytes) return Corrupt(what, "shorter than its trailer");
  const size_t body = stored.size() - 8;
  const uint64_t expected = DecodeFixed64(stored.data() + body);
  if (!ChecksumMatches(Checksum64(stored.substr(0, body)), expected)) {
    return Corrupt(what, "checksum mismatch");
  }
  const uint8_t tag = static_cast<uint8_t>(stored[body - 1]);
  const std::string_view payload = stored.substr(0, body - 1);
  switch (tag) {
    case kBlockCodecNone:
      return std::string(payload);
    case kBlockCodecZstd:
      return Decompress(payload, what);
    default:
      return Corrupt(what, "unknown codec tag");
  }
}

}  // namespace slatedb
