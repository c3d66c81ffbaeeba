// SPDX-License-Identifier: Apache-2.0
#include "read/read_metrics.h"

#include <nlohmann/json.hpp>

#include "sst/block_cache.h"
#include "store/store_client.h"

namespace slatedb {

void AddReadMetrics(const ReadRequestCounters& requests, const StoreClient& client,
                    const BlockCache& cache, std::map<std::string, uint64_t>* out) {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::map<std::string, uint64_t>& m = *out;
  m["db/get_requests"] = load(requests.gets);
  m["db/scan_requests"] = load(requests.scans);
  const StoreMetrics& s = client.metrics();
  m["object_store/get"] = load(s.get);
  m["object_store/get_range"] = load(s.get_range);
  m["object_store/head"] = load(s.head);
  m["object_store/put"] = load(s.put);
  m["object_store/list"] = load(s.list);
  m["object_store/delete"] = load(s.del);
  m["object_store/bytes_read"] = load(s.bytes_read);
  m["object_store/bytes_written"] = load(s.bytes_written);
  m["object_store/retries"] = load(client.retry_stats().retries);
  m["object_store/failures"] = load(client.retry_stats().exhausted);
  m["block_cache/hits"] = cache.hits();
  m["block_cache/misses"] = cache.misses();
  m["block_cache/used_bytes"] = cache.used_bytes();
}

std::string MetricsToJson(const std::map<std::string, uint64_t>& metrics) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : metrics) j[name] = value;
  return j.dump();
}

}  // namespace slatedb
