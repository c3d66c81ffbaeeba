// SPDX-License-Identifier: Apache-2.0
//
// Per-operation request counters shared by the platform stores. Benchmarks report
// object-store requests per database operation next to time, because requests are what
// users of a real object store pay for. Header-only and free of I/O so that the in-memory
// store can use it in the wasm build too.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace slatedb {

// The six ObjectStore operations, for counters and fault injection.
enum class StoreOp : uint8_t { kGet = 0, kGetRange, kHead, kPut, kList, kDelete };

inline constexpr size_t kStoreOpCount = 6;

// A snapshot of how many requests a store has received, per operation.
struct RequestCounts {
  uint64_t get = 0;
  uint64_t get_range = 0;
  uint64_t head = 0;
  uint64_t put = 0;
  uint64_t list = 0;
  uint64_t del = 0;  // Delete ("delete" is a keyword)

  uint64_t total() const { return get + get_range + head + put + list + del; }

  // The requests made between `earlier` and this snapshot.
  RequestCounts operator-(const RequestCounts& earlier) const {
    return RequestCounts{get - earlier.get, get_range - earlier.get_range, head - earlier.head,
                         put - earlier.put, list - earlier.list,           del - earlier.del};
  }
};

// Lock-free counters a store bumps once per request (including requests it rejects), so
// counting never contends with the store's own lock.
class RequestCounter {
 public:
  // Records one request of kind `op`. Any thread.
  void Add(StoreOp op) { counts_[static_cast<size_t>(op)].fetch_add(1, std::memory_order_relaxed); }

  // The counts so far. Not a consistent cut across operations while requests are running.
  RequestCounts Snapshot() const {
    auto at = [this](StoreOp op) {
      return counts_[static_cast<size_t>(op)].load(std::memory_order_relaxed);
    };
    return RequestCounts{at(StoreOp::kGet), at(StoreOp::kGetRange), at(StoreOp::kHead),
                         at(StoreOp::kPut), at(StoreOp::kList),     at(StoreOp::kDelete)};
  }

 private:
  std::array<std::atomic<uint64_t>, kStoreOpCount> counts_{};
};

}  // namespace slatedb
