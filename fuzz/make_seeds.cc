// SPDX-License-Identifier: Apache-2.0
//
// Writes the seed corpora under fuzz/corpus/<target>/ from the engine's own encoders, so the
// seeds are real stored bytes: SSTs (every codec, with and without a filter), a WAL object,
// single blocks of both versions, filter, index, stats and info sections, codec frames,
// manifests (versions 1 and 2), compactions files and sequence-tracker blobs, S3 XML bodies
// and configuration text; plus the objects upstream SlateDB wrote in tests/format/data. Run
// by scripts/fuzz.sh --seeds; the output is checked in (a few KiB).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fb/manifest_generated.h"
#include "format/compression.h"
#include "format/flatbuffer_util.h"
#include "format/sst_builder.h"
#include "format/sst_info_fb.h"
#include "format/sst_reader.h"
#include "manifest/compactions_store.h"
#include "manifest/manifest.h"
#include "manifest/manifest_fb.h"
#include "tests/format/legacy_format.h"
#include "util/coding.h"

namespace fs = std::filesystem;
using namespace slatedb;

namespace {

fs::path g_root;

void Write(const std::string& target, const std::string& name, std::string_view bytes) {
  fs::create_directories(g_root / target);
  std::ofstream out(g_root / target / name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<Row> Rows(SstType type, int count) {
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) {
    int k = type == SstType::kWal ? (i * 7) % count : i;
    Row row;
    row.key = "key" + std::to_string(100 + k);
    uint64_t n = static_cast<uint64_t>(i);
    row.seq = type == SstType::kWal ? 10 + n : 100 - n;
    row.kind = i % 5 == 4 ? RowKind::kTombstone : (i % 7 == 6 ? RowKind::kMerge : RowKind::kValue);
    if (row.kind != RowKind::kTombstone) row.value = "value-" + std::to_string(i);
    if (i % 3 == 0) row.create_ts = 1'700'000'000'000 + i;
    if (i % 4 == 0) row.expire_ts = 1'800'000'000'000;
    rows.push_back(std::move(row));
  }
  return rows;
}

EncodedSst Build(SstType type, CompressionCodec codec, int count, uint32_t filter_min) {
  SstBuilderOptions options;
  options.block_size_bytes = 256;
  options.min_filter_keys = filter_min;
  options.compression = codec;
  options.type = type;
  SstBuilder builder(options);
  for (const Row& row : Rows(type, count)) builder.Add(row.view());
  Result<EncodedSst> sst = builder.Finish();
  if (!sst.ok()) {
    std::fprintf(stderr, "%s\n", sst.status().ToString().c_str());
    std::exit(1);
  }
  return *sst;
}

std::string_view Slice(const EncodedSst& sst, uint64_t offset, uint64_t length) {
  return std::string_view(sst.data).substr(offset, length);
}

std::string Selected(CompressionCodec codec, std::string_view bytes) {
  return std::string(1, static_cast<char>(codec)) + std::string(bytes);
}

std::string ManifestV1(const EncodedSst& sst) {
  flatbuffers::FlatBufferBuilder fbb;
  SstRef ref = SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4T5", sst.info);
  auto l0 =
      fbb.CreateVector(std::vector<flatbuffers::Offset<fb::TableRefV1>>{WriteTableRefV1(fbb, ref)});
  auto runs = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::RunV1>>{});
  auto checkpoints = fbb.CreateVector(std::vector<flatbuffers::Offset<fb::Checkpoint>>{});
  fb::ManifestV1Builder b(fbb);
  b.add_writer_epoch(2);
  b.add_l0(l0);
  b.add_runs(runs);
  b.add_checkpoints(checkpoints);
  fbb.Finish(b.Finish());
  std::string out("\x00\x01", 2);
  return out + FinishedBytes(fbb);
}

}  // namespace

int main(int argc, char** argv) {
  g_root = argc > 1 ? argv[1] : "fuzz/corpus";
  const fs::path upstream = argc > 2 ? argv[2] : "tests/format/data";
  EncodedSst plain = Build(SstType::kCompacted, CompressionCodec::kNone, 40, 10);
  EncodedSst zstd = Build(SstType::kCompacted, CompressionCodec::kZstd, 30, 10);
  EncodedSst lz4 = Build(SstType::kCompacted, CompressionCodec::kLz4, 30, 1000);
  EncodedSst wal = Build(SstType::kWal, CompressionCodec::kNone, 12, 1000);
  Write("fuzz_sst", "plain_filter.sst", plain.data);
  Write("fuzz_sst", "zstd_filter.sst", zstd.data);
  Write("fuzz_sst", "lz4.sst", lz4.data);
  Write("fuzz_sst", "wal.sst", wal.data);
  Write("fuzz_sst", "upstream_l0_none.sst", ReadFile(upstream / "l0_none.sst"));
  Write("fuzz_sst", "upstream_l0_snappy.sst", ReadFile(upstream / "l0_snappy.sst"));
  Write("fuzz_wal", "wal.sst", wal.data);
  Write("fuzz_wal", "wal_zlib.sst", Build(SstType::kWal, CompressionCodec::kZlib, 9, 1000).data);
  Write("fuzz_wal", "upstream_wal.sst", ReadFile(upstream / "wal.sst"));

  Result<SstIndex> index =
      DecodeIndex(Slice(plain, plain.info.index_offset, plain.info.index_len), plain.info);
  Result<SstIndex> zindex =
      DecodeIndex(Slice(zstd, zstd.info.index_offset, zstd.info.index_len), zstd.info);
  if (!index.ok() || !zindex.ok()) return 1;
  const BlockHandle first = index->block(0);
  const BlockHandle zfirst = zindex->block(0);
  Write("fuzz_block", "plain.block",
        Selected(CompressionCodec::kNone, Slice(plain, first.offset, first.length)));
  Write("fuzz_block", "zstd.block",
        Selected(CompressionCodec::kZstd, Slice(zstd, zfirst.offset, zfirst.length)));
  Write("fuzz_block", "v1.block",
        Selected(CompressionCodec::kNone, testing::EncodeBlockV1(Rows(SstType::kCompacted, 12))));

  Result<std::string> filter =
      DecodeStoredSection(Slice(plain, plain.info.filter_offset, plain.info.filter_len),
                          plain.info.compression, "filter");
  if (!filter.ok()) return 1;
  Write("fuzz_filter", "composite.filter", *filter);
  Write("fuzz_filter", "legacy.filter", filter->substr(15));

  Result<std::string> index_payload = DecodeStoredSection(
      Slice(plain, plain.info.index_offset, plain.info.index_len), plain.info.compression, "index");
  if (!index_payload.ok()) return 1;
  std::string index_seed("\x01\x0a", 2);  // data ends at 1 << 10
  Write("fuzz_index", "plain.index", index_seed + *index_payload);

  const uint64_t info_offset = DecodeBigEndian64(plain.data.data() + plain.data.size() - 10);
  Write("fuzz_sst_meta", "info.record",
        Slice(plain, info_offset, plain.data.size() - 10 - info_offset));
  Result<std::string> stats = DecodeStoredSection(
      Slice(plain, plain.info.stats_offset, plain.info.stats_len), plain.info.compression, "stats");
  if (!stats.ok()) return 1;
  Write("fuzz_sst_meta", "stats.section", *stats);
  Write("fuzz_sst_meta", "footer", plain.data.substr(plain.data.size() - 10));

  const std::string text =
      "a block of rows, a block of rows, a block of rows, key100 key101 key102";
  for (CompressionCodec codec :
       {CompressionCodec::kNone, CompressionCodec::kSnappy, CompressionCodec::kZlib,
        CompressionCodec::kLz4, CompressionCodec::kZstd}) {
    BlockCompressor compressor(codec);
    std::string stored;
    if (!compressor.Compress(text, &stored).ok()) return 1;
    Write("fuzz_codec", std::string(CodecName(codec)), Selected(codec, stored));
  }

  Manifest m;
  m.writer_epoch = 3;
  m.compactor_epoch = 2;
  m.replay_after_wal_id = 11;
  m.wal_id_last_seen = 14;
  m.last_l0_seq = 99;
  m.last_l0_clock_tick = 1'700'000'000'123;
  m.l0.push_back(SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4T5", plain.info));
  SstRef projected = SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4T7", zstd.info);
  projected.view_id = "01HZX5Q4J8S1F5Q9M1W2E3R4T8";
  projected.visible_range = VisibleRange{{RangeBound::Kind::kIncluded, "key110"},
                                         {RangeBound::Kind::kExcluded, "key120"}};
  m.l0.push_back(projected);
  SortedRun run;
  run.id = 4;
  run.ssts.push_back(SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4T6", lz4.info));
  m.sorted_runs.push_back(run);
  m.last_compacted_l0_sst_id = "01HZX5Q4J8S1F5Q9M1W2E3R4T4";
  Checkpoint c;
  c.id = "2f0c6d4e-8a8e-4c1b-9d5e-1f2a3b4c5d6e";
  c.manifest_id = 5;
  c.create_time_s = 1'700'000'000;
  c.name = "nightly";
  c.writer_epoch = 3;
  m.checkpoints.push_back(c);
  m.external_dbs.push_back(ExternalDb{
      "parent", "2f0c6d4e-8a8e-4c1b-9d5e-1f2a3b4c5d6f", "", {"01HZX5Q4J8S1F5Q9M1W2E3R4T6"}});
  for (int i = 0; i < 20; ++i)
    m.sequence_tracker.Insert(100 + i * i * 37, 1'700'000'000'000 + i * 61'000);
  Segment segment;
  segment.prefix = "p/";
  segment.l0.push_back(SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4T9", plain.info));
  m.segments.push_back(segment);
  m.segment_extractor_name = "prefix";
  Write("fuzz_manifest", "full.manifest", EncodeManifest(m));
  Write("fuzz_manifest", "empty.manifest", EncodeManifest(Manifest{}));
  Write("fuzz_manifest", "v1.manifest", ManifestV1(plain));
  Write("fuzz_manifest", "upstream_l0.manifest", ReadFile(upstream / "manifest_l0.manifest"));
  Write("fuzz_manifest", "upstream_compacted.manifest",
        ReadFile(upstream / "manifest_compacted.manifest"));
  Write("fuzz_seq_tracker", "tracker", EncodeSequenceTracker(m.sequence_tracker));

  CompactionsState state;
  state.compactor_epoch = 3;
  CompactionRecord job;
  job.id = "01HZX5Q4J8S1F5Q9M1W2E3R4TA";
  job.spec.sources = {CompactionSource::SortedRun(4),
                      CompactionSource::Sst("01HZX5Q4J8S1F5Q9M1W2E3R4T5")};
  job.spec.destination = 4;
  job.status = CompactionStatus::kCompleted;
  job.outputs.push_back(SstRef::Whole("01HZX5Q4J8S1F5Q9M1W2E3R4TB", lz4.info));
  job.worker = CompactionWorker{"worker", 1'700'000'000'000};
  state.recent_compactions.push_back(job);
  CompactionRecord submitted;
  submitted.id = "01HZX5Q4J8S1F5Q9M1W2E3R4TC";
  submitted.spec.sources = {CompactionSource::SortedRun(2)};
  state.recent_compactions.push_back(submitted);
  Write("fuzz_compactions", "state.compactions", EncodeCompactionsState(state));
  Write("fuzz_compactions", "upstream.compactions", ReadFile(upstream / "compactions.compactions"));

  Write("fuzz_s3_xml", "list.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>db/</Prefix>"
        "<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>"
        "<IsTruncated>true</IsTruncated><NextContinuationToken>tok%2B1</NextContinuationToken>"
        "<Contents><Key>db/wal/00000000000000000001.sst</Key>"
        "<LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag>"
        "<Size>123</Size></Contents><Contents><Key>db/a%20b&amp;c</Key>"
        "<LastModified>2024-01-02T03:04:06Z</LastModified><ETag>\"def\"</ETag>"
        "<Size>0</Size></Contents></ListBucketResult>");
  Write("fuzz_s3_xml", "error.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>"
        "<Message>At least one of the pre-conditions you specified did not hold</Message>"
        "<RequestId>1</RequestId></Error>");
  Write("fuzz_s3_config", "url_env.txt",
        "s3://bucket/tenant/db?x=1\nAWS_ACCESS_KEY_ID=AKIDEXAMPLE\n"
        "export AWS_SECRET_ACCESS_KEY='s3cr3t'\nAWS_REGION=eu-west-1\n"
        "AWS_ENDPOINT_URL=\"http://127.0.0.1:9000\"\nAWS_ALLOW_HTTP=true\n"
        "AWS_VIRTUAL_HOSTED_STYLE_REQUEST=false\n# comment\nAWS_BUCKET=b2/p%20q\n");
  Write("fuzz_s3_config", "endpoint.txt", "https://s3.us-east-1.amazonaws.com:443\n");
  return 0;
}
