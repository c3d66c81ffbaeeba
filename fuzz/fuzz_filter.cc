// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: filter sections, composite (named filters) and legacy (one bloom filter),
// parsed and probed. Corrupt input must give a Data status, never a crash (a hostile probe
// count only costs time).
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/bloom_filter.h"

using namespace slatedb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (bool composite : {true, false}) {
    if (auto filter = DecodeFilterSection(bytes, composite); filter.ok() && filter->has_value()) {
      (void)(*filter)->MayContain("");
      (void)(*filter)->MayContain(bytes.substr(0, 8));
    }
  }
  return 0;
}
