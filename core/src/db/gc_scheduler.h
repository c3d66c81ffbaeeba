// SPDX-License-Identifier: Apache-2.0
//
// GcScheduler: the in-process garbage collector. It runs gc/'s pass every
// Settings::GcPassIntervalMs() (and on RunOnce), one pass at a time, and owns the registry
// of L0 uploads in flight (MintGuard): an L0 flush registers before it mints an SST id and
// stays registered until the manifest names the SST, and a pass keeps every SST minted since
// the oldest registration, as it may be about to enter a manifest. Compactions, in this
// process or another, are covered by their records in compactions/ (gc/gc_pass.h); a pass
// also deletes old versions of compactions/.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "db/db_core.h"

namespace slatedb {

class ManifestWriter;

class GcScheduler {
 public:
  GcScheduler(DbCore* core, ManifestWriter* manifest) : core_(core), manifest_(manifest) {}

  // Registers an SST upload in flight for the guard's lifetime.
  class MintGuard {
   public:
    explicit MintGuard(GcScheduler* gc);
    ~MintGuard();
    MintGuard(const MintGuard&) = delete;
    MintGuard& operator=(const MintGuard&) = delete;

   private:
    GcScheduler* gc_;
    int64_t since_;
  };

  // Starts the periodic passes (Settings::GcPassIntervalMs(); 0 never).
  void ScheduleLocked() REQUIRES(kDbMutex);
  // One pass now over every directory, with files older than `min_age_ms` eligible; without
  // it, each directory with its configured minimum age (disabled or dry-run ones are left
  // alone).
  Task<Status> RunOnce(std::optional<uint64_t> min_age_ms);

  void AddMetrics(std::map<std::string, uint64_t>* metrics) const;

 private:
  Task<Status> Run(std::optional<uint64_t> min_age_override_ms);

  DbCore* const core_;
  ManifestWriter* const manifest_;
  std::multiset<int64_t> sst_mints_ GUARDED_BY(kDbMutex);  // start ticks of MintGuards
  bool running_ GUARDED_BY(kDbMutex) = false;
  std::atomic<uint64_t> metric_runs_{0};
  std::atomic<uint64_t> metric_deleted_manifests_{0};
  std::atomic<uint64_t> metric_deleted_wals_{0};
  std::atomic<uint64_t> metric_deleted_ssts_{0};
  std::atomic<uint64_t> metric_deleted_compactions_{0};
};

}  // namespace slatedb
