// SPDX-License-Identifier: Apache-2.0
//
// Writes the seed corpora under fuzz/corpus/<target>/ from the engine's own encoders, so the
// seeds are real stored bytes: SSTs (plain, zstd, with a filter), a WAL object, single data
// and filter blocks, a manifest, S3 XML bodies and configuration text. Run by
// scripts/fuzz.sh --seeds; the output is checked in (a few KiB).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "format/sst_builder.h"
#include "format/sst_reader.h"
#include "manifest/manifest.h"

namespace fs = std::filesystem;
using namespace slatedb;

namespace {

fs::path g_root;

void Write(const std::string& target, const std::string& name, std::string_view bytes) {
  fs::create_directories(g_root / target);
  std::ofstream out(g_root / target / name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

EncodedSst Build(SstType type, CompressionCodec codec, int rows, uint32_t filter_min) {
  SstBuilderOptions options;
  options.block_size_bytes = 256;
  options.min_filter_keys = filter_min;
  options.compression = codec;
  options.type = type;
  SstBuilder builder(options);
  for (int i = 0; i < rows; ++i) {
    int k = type == SstType::kWal ? (i * 7) % rows : i;
    std::string key = "key" + std::to_string(100 + k);
    std::string value = "value-" + std::to_string(i);
    RowView row;
    row.key = key;
    uint64_t n = static_cast<uint64_t>(i);
    row.seq = type == SstType::kWal ? 10 + n : 100 - n;
    row.kind = i % 5 == 4 ? RowKind::kTombstone : (i % 7 == 6 ? RowKind::kMerge : RowKind::kValue);
    if (row.kind != RowKind::kTombstone) row.value = value;
    if (i % 3 == 0) row.create_ts = 1'700'000'000'000 + i;
    if (i % 4 == 0) row.expire_ts = 1'800'000'000'000;
    builder.Add(row);
  }
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

}  // namespace

int main(int argc, char** argv) {
  g_root = argc > 1 ? argv[1] : "fuzz/corpus";
  EncodedSst plain = Build(SstType::kCompacted, CompressionCodec::kNone, 40, 10);
  EncodedSst zstd = Build(SstType::kCompacted, CompressionCodec::kZstd, 30, 1000);
  EncodedSst wal = Build(SstType::kWal, CompressionCodec::kNone, 12, 1000);
  Write("fuzz_sst", "plain_filter.sst", plain.data);
  Write("fuzz_sst", "zstd.sst", zstd.data);
  Write("fuzz_sst", "wal.sst", wal.data);
  Write("fuzz_wal", "wal.sst", wal.data);
  Write("fuzz_wal", "wal_zstd.sst", Build(SstType::kWal, CompressionCodec::kZstd, 9, 1000).data);

  Result<SstIndex> index =
      DecodeIndex(Slice(plain, plain.info.index_offset, plain.info.index_length));
  if (!index.ok()) return 1;
  BlockHandle first = index->block(0);
  Write("fuzz_block", "plain.block", Slice(plain, first.offset, first.length));
  Result<SstIndex> zindex =
      DecodeIndex(Slice(zstd, zstd.info.index_offset, zstd.info.index_length));
  if (!zindex.ok()) return 1;
  BlockHandle zfirst = zindex->block(0);
  Write("fuzz_block", "zstd.block", Slice(zstd, zfirst.offset, zfirst.length));
  Write("fuzz_bloom", "filter.block",
        Slice(plain, plain.info.filter_offset, plain.info.filter_length));

  Manifest m;
  m.id = 7;
  m.writer_epoch = 3;
  m.compactor_epoch = 2;
  m.replay_after_wal_id = 11;
  m.wal_id_last_seen = 14;
  m.last_l0_seq = 99;
  m.last_l0_clock_tick = 1'700'000'000'123;
  m.l0.push_back(SstRef{"01HZX5Q4J8S1F5Q9M1W2E3R4T5", plain.info});
  SortedRun run;
  run.id = 4;
  run.ssts.push_back(SstRef{"01HZX5Q4J8S1F5Q9M1W2E3R4T6", zstd.info});
  m.sorted_runs.push_back(run);
  m.last_compacted_l0_sst_id = "01HZX5Q4J8S1F5Q9M1W2E3R4T4";
  m.checkpoints.push_back(
      Checkpoint{"2f0c6d4e-8a8e-4c1b-9d5e-1f2a3b4c5d6e", 5, 1'700'000'000'000, 0, "nightly"});
  Write("fuzz_manifest", "full.json", EncodeManifest(m));
  Write("fuzz_manifest", "empty.json", EncodeManifest(Manifest{}));

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
