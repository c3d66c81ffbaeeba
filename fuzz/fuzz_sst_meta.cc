// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the SST's small fixed parts: the info record (SsTableInfo FlatBuffer + CRC32,
// verified and validated), the stats section (SstStats FlatBuffer) and the footer. What the
// info decoder accepts must encode and decode to the same info. Corrupt input must give a
// Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "format/sst_footer.h"
#include "format/sst_info.h"
#include "format/sst_stats.h"

using namespace slatedb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (Result<SstInfo> info = DecodeSstInfoRecord(bytes); info.ok()) {
    Result<SstInfo> again = DecodeSstInfoRecord(EncodeSstInfoRecord(*info));
    if (!again.ok() || !(*again == *info)) std::abort();
  }
  if (Result<SstStats> stats = DecodeSstStats(bytes); stats.ok()) {
    Result<SstStats> again = DecodeSstStats(EncodeSstStats(*stats));
    if (!again.ok() || !(*again == *stats)) std::abort();
  }
  (void)DecodeSstFooter(bytes, size);
  return 0;
}
