// SPDX-License-Identifier: Apache-2.0
//
// The five block codecs over the system libraries (Debian's libsnappy, zlib, liblz4,
// libzstd; under Emscripten the same sources compiled by scripts/build-wasm-deps.sh).
#include "format/compression.h"

#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>

#include "format/zstd_frame.h"
#include "util/coding.h"

namespace slatedb {

namespace {

constexpr int kZlibLevel = 6;
constexpr int kZstdLevel = 3;

Status Corrupt(std::string_view what, std::string_view codec, std::string_view problem) {
  std::string msg(what);
  msg += ": ";
  msg += codec;
  msg += ' ';
  msg += problem;
  return Status::Data(msg);
}

// One decompression context of each kind per thread, kept for reuse: creating one per
// block would cost more than decoding a 4 KiB block.
struct ThreadDecoders {
  ZSTD_DCtx* zstd = ZSTD_createDCtx();
  z_stream zlib{};
  bool zlib_ready = false;
  ~ThreadDecoders() {
    ZSTD_freeDCtx(zstd);
    if (zlib_ready) inflateEnd(&zlib);
  }
};

ThreadDecoders& Decoders() {
  thread_local ThreadDecoders decoders;
  return decoders;
}

Result<std::string> DecodeSnappy(std::string_view in, std::string_view what, uint64_t max) {
  size_t size = 0;
  if (snappy_uncompressed_length(in.data(), in.size(), &size) != SNAPPY_OK) {
    return Corrupt(what, "snappy", "length header malformed");
  }
  // A snappy element produces at most 64 bytes from 2; anything claiming more than that
  // ratio is corrupt, so it is refused before any allocation.
  if (size > max || size > 32 * static_cast<uint64_t>(in.size()) + 64) {
    return Corrupt(what, "snappy", "block claims an impossible size");
  }
  std::string out(size, '\0');
  size_t out_size = size;
  if (snappy_uncompress(in.data(), in.size(), out.data(), &out_size) != SNAPPY_OK ||
      out_size != size) {
    return Corrupt(what, "snappy", "block does not decompress");
  }
  return out;
}

Result<std::string> DecodeZlib(std::string_view in, std::string_view what, uint64_t max) {
  ThreadDecoders& d = Decoders();
  z_stream& z = d.zlib;
  if (!d.zlib_ready) {
    if (inflateInit(&z) != Z_OK) return Status::Internal("zlib: cannot allocate an inflater");
    d.zlib_ready = true;
  } else if (inflateReset(&z) != Z_OK) {
    return Status::Internal("zlib: cannot reset the inflater");
  }
  // The decoded size is not stored; start at 4x the input (the common ratio of KV blocks)
  // and grow, never past `max`.
  std::string out;
  uint64_t capacity = std::min<uint64_t>(max, std::max<uint64_t>(4 * in.size(), 256));
  out.resize(static_cast<size_t>(capacity));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t in_left = in.size();
  size_t produced = 0;
  for (;;) {
    const uInt in_chunk = static_cast<uInt>(std::min<size_t>(in_left, UINT32_MAX));
    z.avail_in = in_chunk;
    const size_t room = out.size() - produced;
    const uInt out_chunk = static_cast<uInt>(std::min<size_t>(room, UINT32_MAX));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = out_chunk;
    const int rc = inflate(&z, Z_NO_FLUSH);
    in_left -= in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Corrupt(what, "zlib", "stream malformed");
    if (z.avail_out == 0) {
      if (out.size() >= max) return Corrupt(what, "zlib", "stream decodes past the size limit");
      out.resize(
          static_cast<size_t>(std::min<uint64_t>(max, 2 * static_cast<uint64_t>(out.size()))));
    } else if (in_left == 0 && z.avail_in == 0) {
      return Corrupt(what, "zlib", "stream truncated");
    }
  }
  if (in_left != 0 || z.avail_in != 0) return Corrupt(what, "zlib", "bytes after the stream");
  out.resize(produced);
  return out;
}

Result<std::string> DecodeLz4(std::string_view in, std::string_view what, uint64_t max) {
  if (in.size() < 4) return Corrupt(what, "lz4", "size prefix truncated");
  const uint32_t size = DecodeFixed32(in.data());
  const std::string_view body = in.substr(4);
  // LZ4 decodes at most 255 bytes per input byte; a larger claim is corrupt.
  if (size > max || size > 255 * static_cast<uint64_t>(body.size()) + 16 ||
      body.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Corrupt(what, "lz4", "block claims an impossible size");
  }
  std::string out(size, '\0');
  const int n = LZ4_decompress_safe(body.data(), out.data(), static_cast<int>(body.size()),
                                    static_cast<int>(size));
  if (n < 0 || static_cast<uint32_t>(n) != size) {
    return Corrupt(what, "lz4", "block does not decompress to its stated size");
  }
  return out;
}

Result<std::string> DecodeZstd(std::string_view frame, std::string_view what, uint64_t max) {
  const size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
  if (ZSTD_isError(frame_size) || frame_size != frame.size()) {
    return Corrupt(what, "zstd", "frame size does not match the block");
  }
  // The header's content size is only a claim; the blocks bound what the frame can produce.
  Result<uint64_t> bound = ZstdFrameDecodedBound(frame);
  if (!bound.ok()) return Corrupt(what, "zstd", bound.status().message());
  const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return Corrupt(what, "zstd", "frame header malformed");
  ZSTD_DCtx* dctx = Decoders().zstd;
  if (dctx == nullptr) return Status::Internal("zstd: cannot allocate a decompression context");
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN) {
    if (declared > max || declared > *bound) {
      return Corrupt(what, "zstd", "frame claims more content than it can hold");
    }
    std::string out(static_cast<size_t>(declared), '\0');
    const size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), frame.data(), frame.size());
    if (ZSTD_isError(n) || n != out.size())
      return Corrupt(what, "zstd", "frame does not decompress");
    return out;
  }
  // No content size in the header (a streaming writer): decode into the bound.
  const uint64_t capacity = std::min(max, *bound);
  std::string out(static_cast<size_t>(capacity), '\0');
  const size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n)) return Corrupt(what, "zstd", "frame does not decompress");
  out.resize(n);
  return out;
}

}  // namespace

bool IsKnownCodec(uint8_t value) { return value <= static_cast<uint8_t>(CompressionCodec::kZstd); }

std::string_view CodecName(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::kNone:
      return "none";
    case CompressionCodec::kSnappy:
      return "snappy";
    case CompressionCodec::kZlib:
      return "zlib";
    case CompressionCodec::kLz4:
      return "lz4";
    case CompressionCodec::kZstd:
      return "zstd";
  }
  return "unknown";
}

struct BlockCompressor::Contexts {
  ZSTD_CCtx* zstd = nullptr;
  z_stream zlib{};
  bool zlib_ready = false;
  ~Contexts() {
    ZSTD_freeCCtx(zstd);
    if (zlib_ready) deflateEnd(&zlib);
  }
};

BlockCompressor::BlockCompressor(CompressionCodec codec)
    : codec_(codec), contexts_(std::make_unique<Contexts>()) {}

BlockCompressor::~BlockCompressor() = default;

Status BlockCompressor::Compress(std::string_view raw, std::string* dst) {
  const size_t start = dst->size();
  switch (codec_) {
    case CompressionCodec::kNone:
      dst->append(raw.data(), raw.size());
      return Status::Ok();
    case CompressionCodec::kSnappy: {
      size_t n = snappy_max_compressed_length(raw.size());
      dst->resize(start + n);
      if (snappy_compress(raw.data(), raw.size(), dst->data() + start, &n) != SNAPPY_OK) {
        dst->resize(start);
        return Status::Internal("snappy: compression failed");
      }
      dst->resize(start + n);
      return Status::Ok();
    }
    case CompressionCodec::kZlib: {
      z_stream& z = contexts_->zlib;
      if (!contexts_->zlib_ready) {
        if (deflateInit(&z, kZlibLevel) != Z_OK)
          return Status::Internal("zlib: deflateInit failed");
        contexts_->zlib_ready = true;
      } else if (deflateReset(&z) != Z_OK) {
        return Status::Internal("zlib: deflateReset failed");
      }
      if (raw.size() > UINT32_MAX / 2) return Status::Internal("zlib: block too large");
      const uLong bound = deflateBound(&z, static_cast<uLong>(raw.size()));
      dst->resize(start + bound);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
      z.avail_in = static_cast<uInt>(raw.size());
      z.next_out = reinterpret_cast<Bytef*>(dst->data() + start);
      z.avail_out = static_cast<uInt>(bound);
      if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        dst->resize(start);
        return Status::Internal("zlib: compression failed");
      }
      dst->resize(start + (bound - z.avail_out));
      return Status::Ok();
    }
    case CompressionCodec::kLz4: {
      if (raw.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        return Status::Internal("lz4: block too large");
      }
      const int bound = LZ4_compressBound(static_cast<int>(raw.size()));
      dst->resize(start + 4 + static_cast<size_t>(bound));
      EncodeFixed32(dst->data() + start, static_cast<uint32_t>(raw.size()));
      const int n = LZ4_compress_default(raw.data(), dst->data() + start + 4,
                                         static_cast<int>(raw.size()), bound);
      if (n <= 0) {
        dst->resize(start);
        return Status::Internal("lz4: compression failed");
      }
      dst->resize(start + 4 + static_cast<size_t>(n));
      return Status::Ok();
    }
    case CompressionCodec::kZstd: {
      if (contexts_->zstd == nullptr) contexts_->zstd = ZSTD_createCCtx();
      if (contexts_->zstd == nullptr) return Status::Internal("zstd: cannot allocate a context");
      const size_t bound = ZSTD_compressBound(raw.size());
      dst->resize(start + bound);
      const size_t n = ZSTD_compressCCtx(contexts_->zstd, dst->data() + start, bound, raw.data(),
                                         raw.size(), kZstdLevel);
      if (ZSTD_isError(n)) {
        dst->resize(start);
        return Status::Internal("zstd: compression failed");
      }
      dst->resize(start + n);
      return Status::Ok();
    }
  }
  return Status::Internal("unknown codec");
}

Result<std::string> DecompressBlock(CompressionCodec codec, std::string_view stored,
                                    std::string_view what, uint64_t max_bytes) {
  switch (codec) {
    case CompressionCodec::kNone:
      if (stored.size() > max_bytes) return Corrupt(what, "raw", "block exceeds the size limit");
      return std::string(stored);
    case CompressionCodec::kSnappy:
      return DecodeSnappy(stored, what, max_bytes);
    case CompressionCodec::kZlib:
      return DecodeZlib(stored, what, max_bytes);
    case CompressionCodec::kLz4:
      return DecodeLz4(stored, what, max_bytes);
    case CompressionCodec::kZstd:
      return DecodeZstd(stored, what, max_bytes);
  }
  return Status::Data(std::string(what) + ": unknown codec");
}

}  // namespace slatedb
