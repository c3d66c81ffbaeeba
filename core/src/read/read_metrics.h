// SPDX-License-Identifier: Apache-2.0
//
// The metrics every handle that reads reports (Db and DbReader, docs/metrics.md): its own
// read requests, its object-store traffic and its block cache. Named here once, so a reader
// and a writer report the same names for the same things.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

namespace slatedb {

class TableStore;
class StoreClient;

// Requests made through a handle's own entry points (a snapshot's or a transaction's reads
// are not counted, as upstream's stats).
struct ReadRequestCounters {
  void CountGet() { gets.fetch_add(1, std::memory_order_relaxed); }
  void CountScan() { scans.fetch_add(1, std::memory_order_relaxed); }

  std::atomic<uint64_t> gets{0};   // db/get_requests
  std::atomic<uint64_t> scans{0};  // db/scan_requests
};

// Adds db/get_requests, db/scan_requests, object_store/* and block_cache/* to `out`.
void AddReadMetrics(const ReadRequestCounters& requests, const StoreClient& client,
                    const TableStore& tables, std::map<std::string, uint64_t>* out);

// A metrics snapshot as one JSON object (Db::MetricsJson, DbReader::MetricsJson).
std::string MetricsToJson(const std::map<std::string, uint64_t>& metrics);

}  // namespace slatedb
