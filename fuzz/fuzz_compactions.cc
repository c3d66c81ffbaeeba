// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: compactions files (u16 version + CompactionLog FlatBuffer, verified first).
// Anything that decodes must encode to a file that decodes and encodes to the same bytes.
// Bad input gives Data, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "manifest/compactions_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  slatedb::Result<slatedb::CompactionsState> s = slatedb::DecodeCompactionsState(bytes);
  if (!s.ok()) return 0;
  for (const slatedb::CompactionRecord& r : s->recent_compactions) {
    (void)slatedb::EncodeCompactionRecord(r);  // the Admin JSON
  }
  std::string again = slatedb::EncodeCompactionsState(*s);
  slatedb::Result<slatedb::CompactionsState> s2 = slatedb::DecodeCompactionsState(again);
  if (!s2.ok() || slatedb::EncodeCompactionsState(*s2) != again) std::abort();
  return 0;
}
