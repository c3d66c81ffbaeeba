// SPDX-License-Identifier: Apache-2.0
//
// CompactorProcess: the state behind a standalone Compactor (slatedb/compactor.h). It hosts
// the same CompactorDriver a writer runs (db/compactor_driver.h) on a DbCore of its own
// (its mutex, lifecycle, ids, store clients) and gives it what the writer otherwise would:
//   - the manifest: read at open and then every manifest_poll_interval_ms (one GET of the
//     next version when nothing changed, a listing every 10th poll); each poll that finds a
//     newer version schedules compactions;
//   - commits: applied to the newest version this process knows and stored as the next
//     one; after a lost race (the writer published an L0, a checkpoint was taken) the
//     latest is read and the edit applied again. The compactor's edits derive everything
//     they change (sorted runs, the watermark, L0 minus its sources) from that version, so
//     nothing the writer wrote is lost, and the writer's merge on its side keeps them
//     (spec/engine.md §3.3).
// Fenced or failed, the process closes; Run returns why.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "db/compactor_driver.h"
#include "db/compactor_host.h"
#include "db/db_core.h"
#include "slatedb/compactor.h"

namespace slatedb {

class CompactorProcess final : public std::enable_shared_from_this<CompactorProcess>,
                               private WaitConditions,
                               private CompactorHost {
 public:
  explicit CompactorProcess(CompactorOptions options);

  // Reads the latest manifest and claims the compactor epoch.
  Task<Status> Open();
  Task<Status> Run();
  void Stop();
  uint64_t epoch() const;
  std::map<std::string, uint64_t> Metrics() const;

 private:
  // WaitConditions: Run waits for the close (WaitKind::kClosed), nothing else waits.
  bool SatisfiedLocked(WaitKind, uint64_t) const override REQUIRES(kDbMutex) { return false; }
  void NoteWaiterLocked(WaitKind, uint64_t) override REQUIRES(kDbMutex) {}

  // CompactorHost.
  std::shared_ptr<const Manifest> ManifestLocked() const override REQUIRES(kDbMutex) {
    return manifest_;
  }
  Task<Status> UpdateManifest(const ManifestEdit& edit) override;
  std::optional<uint64_t> OldestReadSeqLocked() const override REQUIRES(kDbMutex) {
    return std::nullopt;  // no snapshots here; the writer's floor is in the manifest
  }
  bool PollsManifest() const override { return true; }
  void OnCompactedLocked() override REQUIRES(kDbMutex) {}
  void OnFencedLocked() override REQUIRES(kDbMutex);

  // One manifest poll (see the file comment).
  Task<Status> Poll();
  // Makes `m` the newest version known, if it is newer.
  void AdoptLocked(Manifest m) REQUIRES(kDbMutex);

  DbCore core_;
  std::shared_ptr<const Manifest> manifest_ GUARDED_BY(kDbMutex);
  CompactorDriver driver_;
  bool run_called_ GUARDED_BY(kDbMutex) = false;
  uint64_t polls_ GUARDED_BY(kDbMutex) = 0;
  std::atomic<uint64_t> metric_polls_{0};
  std::atomic<uint64_t> metric_conflicts_{0};
};

}  // namespace slatedb
