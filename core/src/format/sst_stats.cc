// SPDX-License-Identifier: Apache-2.0
#include "format/sst_stats.h"

#include "fb/sst_generated.h"
#include "format/flatbuffer_util.h"

namespace slatedb {

void SstStats::Count(const RowView& row) {
  BlockStats& block = blocks.back();
  switch (row.kind) {
    case RowKind::kValue:
      ++num_puts;
      ++block.num_puts;
      break;
    case RowKind::kTombstone:
      ++num_deletes;
      ++block.num_deletes;
      break;
    case RowKind::kMerge:
      ++num_merges;
      ++block.num_merges;
      break;
  }
  key_bytes += row.key.size();
  if (row.kind != RowKind::kTombstone) value_bytes += row.value.size();
}

std::string EncodeSstStats(const SstStats& stats) {
  flatbuffers::FlatBufferBuilder fbb(64 + 16 * stats.blocks.size());
  std::vector<flatbuffers::Offset<fb::BlockCounts>> blocks;
  blocks.reserve(stats.blocks.size());
  for (const BlockStats& b : stats.blocks) {
    blocks.push_back(fb::CreateBlockCounts(fbb, b.num_puts, b.num_deletes, b.num_merges));
  }
  auto per_block = fbb.CreateVector(blocks);
  fbb.Finish(fb::CreateSstCounts(fbb, stats.num_puts, stats.num_deletes, stats.num_merges,
                                 stats.key_bytes, stats.value_bytes, per_block));
  return FinishedBytes(fbb);
}

Result<SstStats> DecodeSstStats(std::string_view payload) {
  std::vector<uint64_t> storage;
  const fb::SstCounts* root = VerifiedRoot<fb::SstCounts>(payload, &storage);
  if (root == nullptr) return Status::Data("stats: not a valid SstStats FlatBuffer");
  SstStats stats;
  stats.num_puts = root->num_puts();
  stats.num_deletes = root->num_deletes();
  stats.num_merges = root->num_merges();
  stats.key_bytes = root->key_bytes();
  stats.value_bytes = root->value_bytes();
  if (const auto* blocks = root->per_block()) {
    stats.blocks.reserve(blocks->size());
    for (const fb::BlockCounts* b : *blocks) {
      stats.blocks.push_back(BlockStats{b->num_puts(), b->num_deletes(), b->num_merges()});
    }
  }
  return stats;
}

}  // namespace slatedb
