// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: a whole SST object as a compacted SST is read: footer, info record, index
// and filter decoded from the tail the way the engine fetches them, then every row
// iterated and a seek. Corrupt input must give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/sst_footer.h"
#include "format/sst_iterator.h"
#include "format/sst_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string object(reinterpret_cast<const char*>(data), size);
  std::string_view bytes(object);
  // The engine's path: tail -> info -> metadata range -> index and filter.
  if (auto info = slatedb::DecodeSstInfoFromObject(bytes); info.ok()) {
    slatedb::ByteRange range = slatedb::MetadataRange(*info);
    (void)slatedb::SliceRange(bytes, 0, range);
    if (auto index_bytes = slatedb::SliceRange(
            bytes, 0, slatedb::ByteRange{info->index_offset, info->index_length});
        index_bytes.ok()) {
      (void)slatedb::DecodeIndex(*index_bytes, *info);
    }
    if (info->has_filter()) {
      if (auto filter_bytes = slatedb::SliceRange(
              bytes, 0, slatedb::ByteRange{info->filter_offset, info->filter_length});
          filter_bytes.ok()) {
        if (auto filter = slatedb::DecodeFilter(*filter_bytes); filter.ok()) {
          (void)filter->MayContain("key");
        }
      }
    }
  }
  if (size >= slatedb::kSstFooterBytes) {
    (void)slatedb::DecodeFooter(bytes.substr(size - slatedb::kSstFooterBytes), size);
  }
  // Whole-object iteration (compacted SST reads in tests, and every WAL replay).
  auto it = slatedb::SstMemoryIterator::Open(object);
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
