// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: a stored filter block (checksummed) and a raw filter payload, each parsed
// and probed. Corrupt input must give a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/bloom_filter.h"
#include "format/sst_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto filter = slatedb::DecodeFilter(bytes); filter.ok()) {
    (void)filter->MayContain("");
    (void)filter->MayContain(bytes.substr(0, 8));
  }
  if (auto filter = slatedb::BloomFilter::Parse(std::string(bytes)); filter.ok()) {
    (void)filter->MayContain("a");
    (void)filter->MayContain(bytes);
  }
  return 0;
}
