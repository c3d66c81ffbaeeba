// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: a whole SST object read the way the engine reads one: footer and info record
// from the tail, the metadata range, index, filter and stats sections, every data block with
// the footer's block decoder, then the in-memory iterator's walk and seek. Corrupt input must
// give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/sst_iterator.h"
#include "format/sst_reader.h"

using namespace slatedb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string object(reinterpret_cast<const char*>(data), size);
  std::string_view bytes(object);
  if (auto info = DecodeSstInfoFromObject(bytes); info.ok()) {
    (void)SliceRange(bytes, 0, MetadataRange(*info));
    if (auto stored = SliceRange(bytes, 0, {info->index_offset, info->index_len}); stored.ok()) {
      if (auto index = DecodeIndex(*stored, *info); index.ok()) {
        (void)index->FindBlock("key");
        for (size_t i = 0; i < index->num_blocks() && i < 64; ++i) {
          const BlockHandle h = index->block(i);
          if (auto block_bytes = SliceRange(bytes, 0, {h.offset, h.length}); block_bytes.ok()) {
            if (auto block = DecodeDataBlock(*block_bytes, *info); block.ok()) {
              Block::Iterator it(&*block);
              size_t n = 0;
              for (it.SeekToFirst(); it.Valid() && n < 10000; it.Next(), ++n) {
              }
            }
          }
        }
      }
    }
    if (info->has_filter()) {
      if (auto stored = SliceRange(bytes, 0, {info->filter_offset, info->filter_len});
          stored.ok()) {
        if (auto filter = DecodeFilter(*stored, *info); filter.ok() && filter->has_value()) {
          (void)(*filter)->MayContain("key");
        }
      }
    }
    if (info->stats_len > 0) {
      if (auto stored = SliceRange(bytes, 0, {info->stats_offset, info->stats_len}); stored.ok()) {
        (void)DecodeStats(*stored, *info);
      }
    }
  }
  // Whole-object iteration (WAL replay and tests).
  auto it = SstMemoryIterator::Open(object);
  if (it.ok()) {
    size_t n = 0;
    for ((*it)->SeekToFirst(); (*it)->Valid() && n < 100000; (*it)->Next(), ++n) {
      (void)(*it)->row().key.size();
    }
    (*it)->Seek("k");
    if ((*it)->Valid()) (*it)->Next();
  }
  return 0;
}
