// SPDX-License-Identifier: Apache-2.0
//
// The block codecs and the stored-section envelope: every codec round-trips what the format
// stores (empty, small, compressible, random and multi-megabyte blocks) in the framing the
// format prescribes, and decoding payloads whose checksum is right but whose contents are not
// (hostile size claims, truncated or padded streams) is Data, before any large allocation.
// Also the index section's own checks.
#include <catch2/catch.hpp>

#include <lz4.h>
#include <zstd.h>

#include <string>

#include "format/compression.h"
#include "format/index_block.h"
#include "format/sst_reader.h"
#include "format/stored_block.h"
#include "format/zstd_frame.h"
#include "format_test_util.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {
namespace {

constexpr CompressionCodec kCodecs[] = {CompressionCodec::kNone, CompressionCodec::kSnappy,
                                        CompressionCodec::kZlib, CompressionCodec::kLz4,
                                        CompressionCodec::kZstd};

std::string Compress(CompressionCodec codec, std::string_view raw) {
  BlockCompressor compressor(codec);
  std::string out;
  REQUIRE(compressor.Compress(raw, &out).ok());
  return out;
}

StatusCode DecodeCode(CompressionCodec codec, std::string_view stored,
                      uint64_t max = kMaxDecodedBlockBytes) {
  return DecompressBlock(codec, stored, "test block", max).status().code();
}

TEST_CASE("every codec round-trips blocks of every shape", "[format]") {
  testing::TestRandom random(3);
  std::string big;
  while (big.size() < (3u << 20)) big += random.Bytes(64) + std::string(4000, 'k');
  const std::string blocks[] = {"", "x", std::string(4000, 'a'), random.Bytes(4000), big};
  for (CompressionCodec codec : kCodecs) {
    BlockCompressor compressor(codec);  // one context, reused across blocks
    for (const std::string& raw : blocks) {
      std::string stored;
      REQUIRE(compressor.Compress(raw, &stored).ok());
      INFO(CodecName(codec) << " " << raw.size());
      Result<std::string> back = DecompressBlock(codec, stored, "test block");
      REQUIRE(back.ok());
      CHECK(*back == raw);
      if (codec != CompressionCodec::kNone && raw.size() == 4000 && raw[1] == 'a') {
        CHECK(stored.size() < 200);  // compressible blocks are stored compressed
      }
    }
  }
}

TEST_CASE("each codec writes the framing the format prescribes", "[format]") {
  const std::string raw = std::string(3000, 'a') + "tail";
  // zlib: an RFC 1950 stream at level 6 (header 78 9c).
  CHECK(testing::Hex(Compress(CompressionCodec::kZlib, raw).substr(0, 2)) == "789c");
  // lz4: the decoded size as u32 little-endian, then one LZ4 block.
  const std::string lz4 = Compress(CompressionCodec::kLz4, raw);
  CHECK(DecodeFixed32(lz4.data()) == raw.size());
  std::string plain(raw.size(), '\0');
  CHECK(LZ4_decompress_safe(lz4.data() + 4, plain.data(), static_cast<int>(lz4.size() - 4),
                            static_cast<int>(plain.size())) == static_cast<int>(raw.size()));
  CHECK(plain == raw);
  // zstd: one frame (magic 28 b5 2f fd) that states its content size.
  const std::string zstd = Compress(CompressionCodec::kZstd, raw);
  CHECK(testing::Hex(zstd.substr(0, 4)) == "28b52ffd");
  CHECK(ZSTD_getFrameContentSize(zstd.data(), zstd.size()) == raw.size());
  CHECK(ZSTD_findFrameCompressedSize(zstd.data(), zstd.size()) == zstd.size());
  // snappy: a raw block, starting with the decoded length as a varint (3004 = bc 17).
  CHECK(testing::Hex(Compress(CompressionCodec::kSnappy, raw).substr(0, 2)) == "bc17");
  // none: the bytes themselves.
  CHECK(Compress(CompressionCodec::kNone, raw) == raw);
}

TEST_CASE("hostile payloads are Data before any large allocation", "[format]") {
  // lz4: a size prefix no block of this length can decode to.
  std::string lz4;
  PutFixed32(&lz4, 900000000u);
  lz4 += "\x10xxxxxxxx";
  Result<std::string> r = DecompressBlock(CompressionCodec::kLz4, lz4, "test block");
  CHECK(r.status().code() == StatusCode::kData);
  CHECK(r.status().message().find("impossible size") != std::string::npos);
  // A claim the block could meet but does not.
  std::string good_lz4 = Compress(CompressionCodec::kLz4, std::string(100, 'q'));
  EncodeFixed32(good_lz4.data(), 101);
  CHECK(DecodeCode(CompressionCodec::kLz4, good_lz4) == StatusCode::kData);
  CHECK(DecodeCode(CompressionCodec::kLz4, "abc") == StatusCode::kData);
  // snappy: a length varint claiming 2^31 bytes from a 10-byte block.
  CHECK(DecodeCode(CompressionCodec::kSnappy, std::string("\x80\x80\x80\x80\x08xxxxx", 10)) ==
        StatusCode::kData);
  CHECK(DecodeCode(CompressionCodec::kSnappy, "\xff") == StatusCode::kData);
  // zstd: a header claiming 2^40 bytes (single segment, 8-byte content size).
  std::string huge("\x28\xb5\x2f\xfd\xe0", 5);
  PutFixed64(&huge, uint64_t{1} << 40);
  huge += std::string("\x01\x00\x00", 3);  // an empty last raw block
  CHECK(DecodeCode(CompressionCodec::kZstd, huge) == StatusCode::kData);
  CHECK(DecodeCode(CompressionCodec::kZstd, "not a zstd frame") == StatusCode::kData);
  CHECK(DecodeCode(CompressionCodec::kZstd, "") == StatusCode::kData);
  // zlib: not a stream.
  CHECK(DecodeCode(CompressionCodec::kZlib, "not a zlib stream") == StatusCode::kData);
  CHECK(DecodeCode(CompressionCodec::kZlib, "") == StatusCode::kData);
}

TEST_CASE("truncated or padded payloads of every codec are Data", "[format]") {
  const std::string raw = std::string(2000, 'q') + testing::TestRandom(4).Bytes(300);
  for (CompressionCodec codec : kCodecs) {
    if (codec == CompressionCodec::kNone) continue;
    const std::string stored = Compress(codec, raw);
    INFO(CodecName(codec));
    for (size_t n = 0; n < stored.size(); ++n) {
      Result<std::string> cut = DecompressBlock(codec, stored.substr(0, n), "test block");
      // A cut that still decodes is impossible for these framings: each knows its length.
      CHECK(cut.status().code() == StatusCode::kData);
    }
    CHECK(DecodeCode(codec, stored + "x") == StatusCode::kData);
  }
}

TEST_CASE("decoding stops at the size limit", "[format]") {
  const std::string raw(100000, 'z');
  for (CompressionCodec codec : kCodecs) {
    const std::string stored = Compress(codec, raw);
    INFO(CodecName(codec));
    CHECK(DecodeCode(codec, stored, raw.size()) == StatusCode::kOk);
    CHECK(DecodeCode(codec, stored, raw.size() - 1) == StatusCode::kData);
  }
}

std::string ZstdFrame(std::string_view content, int level, bool checksum,
                      bool content_size = true) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, content_size ? 1 : 0);
  std::string frame(ZSTD_compressBound(content.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, frame.data(), frame.size(), content.data(), content.size());
  ZSTD_freeCCtx(cctx);
  REQUIRE(!ZSTD_isError(n));
  frame.resize(n);
  return frame;
}

TEST_CASE("zstd frames without a content size, with checksums, at any level decode", "[format]") {
  testing::TestRandom random(8);
  const std::string content = random.Bytes(20000) + std::string(300000, 'm');
  for (bool content_size : {false, true}) {
    for (bool checksum : {false, true}) {
      Result<std::string> back = DecompressBlock(
          CompressionCodec::kZstd, ZstdFrame(content, 19, checksum, content_size), "test block");
      REQUIRE(back.ok());
      CHECK(*back == content);
    }
  }
}

TEST_CASE("zstd frame bound covers what real frames decode to", "[format]") {
  testing::TestRandom random(7);
  const std::string mixed = random.Bytes(150000) + std::string(400000, 'm') + random.Bytes(999);
  const std::string contents[] = {
      "", "x", std::string(1000, 'q'), random.Bytes(300000), mixed, std::string(3 << 20, 'z')};
  for (const std::string& content : contents) {
    for (int level : {1, 3, 19}) {
      for (bool checksum : {false, true}) {
        const std::string frame = ZstdFrame(content, level, checksum);
        Result<uint64_t> bound = ZstdFrameDecodedBound(frame);
        REQUIRE(bound.ok());
        CHECK(*bound >= content.size());
        CHECK(ZstdFrameDecodedBound(frame + "x").status().code() == StatusCode::kData);
        CHECK(ZstdFrameDecodedBound(frame.substr(0, frame.size() - 1)).status().code() ==
              StatusCode::kData);
      }
    }
  }
  CHECK(ZstdFrameDecodedBound("").status().code() == StatusCode::kData);
  CHECK(ZstdFrameDecodedBound("\x28\xb5\x2f\xfd").status().code() == StatusCode::kData);
}

TEST_CASE("a zstd frame whose header claims more than its blocks hold is Data", "[format]") {
  // 200 KB that zstd stores in two blocks; then the header's content size is rewritten to
  // claim 900 MB, which the two blocks (at most 256 KiB) cannot produce.
  const std::string content(200000, 'z');
  std::string frame = ZstdFrame(content, 3, false);
  const uint8_t descriptor = static_cast<uint8_t>(frame[4]);
  REQUIRE((descriptor >> 6) == 2);  // a 4-byte content size field
  static constexpr size_t kDictIdBytes[4] = {0, 1, 2, 4};
  const size_t at = 5 + (((descriptor >> 5) & 1) ? 0 : 1) + kDictIdBytes[descriptor & 3];
  REQUIRE(DecodeFixed32(frame.data() + at) == content.size());
  REQUIRE(DecompressBlock(CompressionCodec::kZstd, frame, "ok").ok());
  EncodeFixed32(frame.data() + at, 900000000u);
  Result<std::string> r = DecompressBlock(CompressionCodec::kZstd, frame, "test block");
  CHECK(r.status().code() == StatusCode::kData);
  CHECK(r.status().message().find("claims more content") != std::string::npos);
  // A claim the blocks could meet but do not is left to zstd, which also says Data.
  EncodeFixed32(frame.data() + at, static_cast<uint32_t>(content.size() + 10));
  CHECK(DecodeCode(CompressionCodec::kZstd, frame) == StatusCode::kData);
}

TEST_CASE("stored sections: payload then u32 BE CRC32 of the stored bytes", "[format]") {
  const std::string raw(1000, 'r');
  for (CompressionCodec codec : kCodecs) {
    SectionEncoder encoder(codec);
    std::string stored;
    REQUIRE(encoder.Append(raw, &stored).ok());
    const std::string_view payload(stored.data(), stored.size() - 4);
    CHECK(DecodeBigEndian32(stored.data() + payload.size()) == Crc32(payload));
    CHECK(payload == Compress(codec, raw));
    Result<std::string> back = DecodeStoredSection(stored, codec, "test");
    REQUIRE(back.ok());
    CHECK(*back == raw);
    std::string damaged = stored;
    damaged[0] ^= 1;
    Result<std::string> bad = DecodeStoredSection(damaged, codec, "index block");
    CHECK(bad.status().code() == StatusCode::kData);
    CHECK(bad.status().message() == "index block: checksum mismatch");
  }
  CHECK(DecodeStoredSection("abc", CompressionCodec::kNone, "x").status().code() ==
        StatusCode::kData);
  // A checksum over a payload the codec rejects.
  std::string lying = "garbage";
  PutBigEndian32(&lying, Crc32("garbage"));
  CHECK(DecodeStoredSection(lying, CompressionCodec::kZstd, "x").status().code() ==
        StatusCode::kData);
}

TEST_CASE("index sections that verify but lie are rejected", "[format]") {
  IndexBuilder builder;
  builder.AddBlock(0, "");
  builder.AddBlock(100, "m");
  builder.AddBlock(150, "q");
  const std::string good = builder.Finish();
  Result<SstIndex> index = SstIndex::Parse(good, 200, true);
  REQUIRE(index.ok());
  CHECK(index->num_blocks() == 3);
  CHECK(index->block(0) == BlockHandle{0, 100});
  CHECK(index->block(2) == BlockHandle{150, 50});
  CHECK(index->first_key(1) == "m");
  CHECK(index->FindBlock("a") == 0);
  CHECK(index->FindBlock("m") == 0);  // versions of "m" may end block 0
  CHECK(index->FindBlock("n") == 1);
  CHECK(index->FindBlock("zz") == 2);

  auto parse = [](std::vector<std::pair<uint64_t, std::string>> blocks, uint64_t data_end,
                  bool sorted = true) {
    IndexBuilder b;
    for (const auto& [offset, key] : blocks) b.AddBlock(offset, key);
    return SstIndex::Parse(b.Finish(), data_end, sorted).status().code();
  };
  CHECK(parse({{0, ""}, {100, "m"}}, 200) == StatusCode::kOk);
  CHECK(parse({}, 200) == StatusCode::kData);                      // no blocks
  CHECK(parse({{1, ""}, {100, "m"}}, 200) == StatusCode::kData);   // not from 0
  CHECK(parse({{0, ""}, {0, "m"}}, 200) == StatusCode::kData);     // not increasing
  CHECK(parse({{0, ""}, {2, "m"}}, 200) == StatusCode::kData);     // a block shorter than its CRC
  CHECK(parse({{0, ""}, {100, "m"}}, 102) == StatusCode::kData);   // last block too short
  CHECK(parse({{0, ""}, {100, "m"}}, 50) == StatusCode::kData);    // data ends before it
  CHECK(parse({{0, "z"}, {100, "m"}}, 200) == StatusCode::kData);  // keys out of order
  CHECK(parse({{0, "z"}, {100, "m"}}, 200, /*sorted=*/false) == StatusCode::kOk);  // WAL seqs
  CHECK(SstIndex::Parse("not a flatbuffer", 200, true).status().code() == StatusCode::kData);
  for (size_t n = 0; n < good.size(); ++n) {
    CHECK(SstIndex::Parse(good.substr(0, n), 200, true).status().code() == StatusCode::kData);
  }
  // Slicing a handle outside the object is Data, not an out-of-bounds read.
  CHECK(SliceRange("abc", 0, {2, 2}).status().code() == StatusCode::kData);
  CHECK(SliceRange("abc", 0, {UINT64_MAX, 2}).status().code() == StatusCode::kData);
  CHECK(SliceRange("abc", 10, {9, 1}).status().code() == StatusCode::kData);
  CHECK(*SliceRange("abc", 10, {11, 2}) == "bc");
}

}  // namespace
}  // namespace slatedb
