// SPDX-License-Identifier: Apache-2.0
#include "read/read_metrics.h"

#include <nlohmann/json.hpp>

#include "sst/table_store.h"
#include "store/store_client.h"

namespace slatedb {

void AddReadMetrics(const ReadRequestCounters& requests, const StoreClient& client,
                    const TableStore& tables, std::map<std::string, uint64_t>* out) {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t>& m = *out;
  m["db/get_requests"] = load(requests.gets);
  m["db/scan_requests"] = load(requests.scans);
  client.AddMetrics(out);
  // This handle's own lookups (a shared DbCache serves others too); the bytes are the
  // cache's, shared or not.
  m["block_cache/hits"] = tables.block_hits();
  m["block_cache/misses"] = tables.block_misses();
  m["block_cache/used_bytes"] = tables.cache().used_bytes();
}

std::string MetricsToJson(const std::map<std::string, uint64_t>& metrics) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : metrics) j[name] = value;
  return j.dump();
}

}  // namespace slatedb
