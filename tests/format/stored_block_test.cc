// SPDX-License-Identifier: Apache-2.0
//
// The stored-block envelope: codec choice per block, and decoding of envelopes whose
// checksum is right but whose contents are not (unknown tags, hostile zstd frames), which
// must still be Data. Also the index/info cross-checks.
#include <catch2/catch.hpp>

#include <zstd.h>

#include <string>

#include "format/index_block.h"
#include "format/sst_reader.h"
#include "format/stored_block.h"
#include "format/zstd_frame.h"
#include "format_test_util.h"
#include "util/checksum.h"
#include "util/coding.h"

namespace slatedb {
namespace {

// An envelope with a correct checksum around arbitrary payload and tag.
std::string Envelope(std::string_view payload, uint8_t tag) {
  std::string out(payload);
  PutFixed8(&out, tag);
  PutFixed64(&out, Checksum64(out));
  return out;
}

uint8_t TagOf(const std::string& stored) { return static_cast<uint8_t>(stored[stored.size() - 9]); }

TEST_CASE("BlockEncoder compresses only when it pays", "[format]") {
  BlockEncoder zstd(CompressionCodec::kZstd, 3);
  const std::string compressible(4000, 'a');
  std::string stored;
  zstd.Append(compressible, &stored);
  CHECK(TagOf(stored) == kBlockCodecZstd);
  CHECK(stored.size() < 100);
  Result<std::string> back = DecodeStoredBlock(stored, "test block");
  REQUIRE(back.ok());
  CHECK(*back == compressible);

  const std::string random = testing::TestRandom(1).Bytes(4000);
  stored.clear();
  zstd.Append(random, &stored);
  CHECK(TagOf(stored) == kBlockCodecNone);
  CHECK(stored.size() == random.size() + kStoredBlockTrailerBytes);

  stored.clear();
  zstd.Append("", &stored);
  CHECK(stored.size() == kStoredBlockTrailerBytes);
  CHECK(DecodeStoredBlock(stored, "empty").ok());

  BlockEncoder none(CompressionCodec::kNone, 3);
  stored.clear();
  none.Append(compressible, &stored);
  CHECK(TagOf(stored) == kBlockCodecNone);
}

TEST_CASE("stored blocks with a valid checksum but bad contents are Data", "[format]") {
  auto code = [](const std::string& stored) {
    return DecodeStoredBlock(stored, "test block").status().code();
  };
  CHECK(code(Envelope("payload", 2)) == StatusCode::kData);
  CHECK(code(Envelope("payload", 0xff)) == StatusCode::kData);
  CHECK(code(Envelope("not a zstd frame", kBlockCodecZstd)) == StatusCode::kData);
  CHECK(code(Envelope("", kBlockCodecZstd)) == StatusCode::kData);
  CHECK(code("short") == StatusCode::kData);

  // A frame header claiming 2^40 bytes of content (single segment, 8-byte content size).
  std::string huge("\x28\xb5\x2f\xfd\xe0", 5);
  PutFixed64(&huge, uint64_t{1} << 40);
  huge += std::string("\x01\x00\x00", 3);  // an empty last raw block
  Result<std::string> r = DecodeStoredBlock(Envelope(huge, kBlockCodecZstd), "test block");
  CHECK(r.status().code() == StatusCode::kData);
  CHECK(r.status().message().find("oversized") != std::string::npos);

  // A frame that does not declare its content size (streaming-style header).
  std::string unknown("\x28\xb5\x2f\xfd\x00\x00\x01\x00\x00", 9);
  CHECK(code(Envelope(unknown, kBlockCodecZstd)) == StatusCode::kData);

  // A valid frame followed by garbage, or cut short.
  std::string frame(ZSTD_compressBound(1000), '\0');
  const std::string text(1000, 'q');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), text.data(), text.size(), 3));
  REQUIRE(DecodeStoredBlock(Envelope(frame, kBlockCodecZstd), "ok").ok());
  CHECK(code(Envelope(frame + "x", kBlockCodecZstd)) == StatusCode::kData);
  for (size_t n = 0; n < frame.size(); ++n) {
    CHECK(code(Envelope(frame.substr(0, n), kBlockCodecZstd)) == StatusCode::kData);
  }
}

std::string ZstdFrame(std::string_view content, int level, bool checksum) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string frame(ZSTD_compressBound(content.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, frame.data(), frame.size(), content.data(), content.size());
  ZSTD_freeCCtx(cctx);
  REQUIRE(!ZSTD_isError(n));
  frame.resize(n);
  return frame;
}

TEST_CASE("zstd frame bound covers what real frames decode to", "[format]") {
  testing::TestRandom random(7);
  const std::string mixed = random.Bytes(150000) + std::string(400000, 'm') + random.Bytes(999);
  const std::string contents[] = {"", "x", std::string(1000, 'q'), random.Bytes(300000), mixed,
                                  std::string(3 << 20, 'z')};
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

TEST_CASE("a frame whose header claims more than its blocks hold is Data before allocating",
          "[format]") {
  // 200 KB that zstd stores in two blocks; then the header's content size is rewritten to
  // claim 900 MB, which the two blocks (at most 256 KiB) cannot produce.
  const std::string content(200000, 'z');
  std::string frame = ZstdFrame(content, 3, false);
  const uint8_t descriptor = static_cast<uint8_t>(frame[4]);
  REQUIRE((descriptor >> 6) == 2);  // a 4-byte content size field
  static constexpr size_t kDictIdBytes[4] = {0, 1, 2, 4};
  const size_t at = 5 + (((descriptor >> 5) & 1) ? 0 : 1) + kDictIdBytes[descriptor & 3];
  REQUIRE(DecodeFixed32(frame.data() + at) == content.size());
  REQUIRE(DecodeStoredBlock(Envelope(frame, kBlockCodecZstd), "ok").ok());
  EncodeFixed32(frame.data() + at, 900000000u);
  Result<std::string> r = DecodeStoredBlock(Envelope(frame, kBlockCodecZstd), "test block");
  CHECK(r.status().code() == StatusCode::kData);
  CHECK(r.status().message().find("claims more content") != std::string::npos);
  // A claim the blocks could meet but do not is left to zstd, which also says Data.
  EncodeFixed32(frame.data() + at, content.size() + 10);
  CHECK(DecodeStoredBlock(Envelope(frame, kBlockCodecZstd), "test").status().code() ==
        StatusCode::kData);
}

TEST_CASE("multi-megabyte blocks round-trip through the envelope", "[format]") {
  testing::TestRandom random(9);
  std::string big;
  while (big.size() < (3u << 20)) big += random.Bytes(64) + std::string(4000, 'k');
  BlockEncoder zstd(CompressionCodec::kZstd, 3);
  std::string stored;
  zstd.Append(big, &stored);
  CHECK(TagOf(stored) == kBlockCodecZstd);
  Result<std::string> back = DecodeStoredBlock(stored, "big block");
  REQUIRE(back.ok());
  CHECK(*back == big);
}

TEST_CASE("index payloads that parse but lie are rejected", "[format]") {
  IndexBuilder builder;
  builder.AddBlock({0, 100}, "a");
  builder.AddBlock({100, 50}, "m");
  const std::string good = builder.Finish("z");
  Result<SstIndex> index = SstIndex::Parse(good);
  REQUIRE(index.ok());
  CHECK(index->num_blocks() == 2);
  CHECK(index->data_end() == 150);
  CHECK(index->first_key(1) == "m");
  CHECK(index->last_key() == "z");
  CHECK(index->FindBlock("a") == 0);
  CHECK(index->FindBlock("b") == 0);
  CHECK(index->FindBlock("m") == 0);
  CHECK(index->FindBlock("n") == 1);

  IndexBuilder gap;
  gap.AddBlock({0, 100}, "a");
  gap.AddBlock({101, 50}, "m");
  CHECK(SstIndex::Parse(gap.Finish("z")).status().code() == StatusCode::kData);
  IndexBuilder tiny;
  tiny.AddBlock({0, 3}, "a");
  CHECK(SstIndex::Parse(tiny.Finish("z")).status().code() == StatusCode::kData);
  IndexBuilder empty;
  CHECK(SstIndex::Parse(empty.Finish("z")).status().code() == StatusCode::kData);
  CHECK(SstIndex::Parse(good + "x").status().code() == StatusCode::kData);
  for (size_t n = 0; n < good.size(); ++n) {
    CHECK(SstIndex::Parse(good.substr(0, n)).status().code() == StatusCode::kData);
  }
  std::string many = good;
  EncodeFixed32(many.data(), 0xffffffffu);  // count far beyond the bytes present
  CHECK(SstIndex::Parse(many).status().code() == StatusCode::kData);
}

TEST_CASE("DecodeIndex cross-checks the index against the info", "[format]") {
  SstBuilderOptions opts;
  opts.block_size_bytes = 200;
  Result<EncodedSst> sst = testing::BuildSst(testing::MakeSortedRows(50, 2, 30, 5), opts);
  REQUIRE(sst.ok());
  const SstInfo& info = sst->info;
  const std::string_view stored =
      std::string_view(sst->data).substr(info.index_offset, info.index_length);
  REQUIRE(DecodeIndex(stored, info).ok());
  auto mismatch = [&](auto mutate) {
    SstInfo other = info;
    mutate(other);
    return DecodeIndex(stored, other).status().code() == StatusCode::kData;
  };
  CHECK(mismatch([](SstInfo& i) { i.num_blocks += 1; }));
  CHECK(mismatch([](SstInfo& i) { i.index_offset += 1; }));
  CHECK(mismatch([](SstInfo& i) { i.last_key.push_back('x'); }));
  CHECK(mismatch([](SstInfo& i) { i.first_key = std::string(1, 'a'); }));
  // Slicing a handle outside the object is Data, not an out-of-bounds read.
  CHECK(SliceRange("abc", 0, {2, 2}).status().code() == StatusCode::kData);
  CHECK(SliceRange("abc", 0, {UINT64_MAX, 2}).status().code() == StatusCode::kData);
  CHECK(SliceRange("abc", 10, {9, 1}).status().code() == StatusCode::kData);
  CHECK(*SliceRange("abc", 10, {11, 2}) == "bc");
}

}  // namespace
}  // namespace slatedb
