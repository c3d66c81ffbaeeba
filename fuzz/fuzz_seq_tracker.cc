// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the manifest's sequence-tracker blob (Gorilla bit streams, versions 1 and 2).
// What decodes must encode (as version 1) to a blob that decodes again. Bad input gives
// Data, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "manifest/sequence_tracker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  slatedb::Result<slatedb::SequenceTracker> t = slatedb::DecodeSequenceTracker(bytes);
  if (!t.ok()) return 0;
  (void)t->TimeForSequence(5, true);
  (void)t->SequenceForTime(5000, false);
  const std::string again = slatedb::EncodeSequenceTracker(*t);
  slatedb::Result<slatedb::SequenceTracker> t2 = slatedb::DecodeSequenceTracker(again);
  if (!t2.ok() || slatedb::EncodeSequenceTracker(*t2) != again) std::abort();
  return 0;
}
