// SPDX-License-Identifier: Apache-2.0
//
// ManifestWriter: this writer's view of the manifest and the only path by which it stores
// a new version. It owns the latest version known, the writer epoch claimed at open, and
// the one-at-a-time update slot: updates of this process are serialized, so a version
// conflict always means another process wrote. On conflict it reloads and merges: the
// writer-owned fields (L0 list cut at the compactor's watermark, WAL and seq watermarks)
// are ours, the compactor-owned ones (sorted runs, watermark, compactor epoch) and
// checkpoints come from the store. A newer writer epoch in the store closes us (fenced).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "db/db_core.h"
#include "db/manifest_edit.h"
#include "manifest/manifest.h"

namespace slatedb {

class Snapshots;
class WalWriter;

class ManifestWriter {
 public:
  ManifestWriter(DbCore* core, const WalWriter* wal, const Snapshots* snapshots)
      : core_(core), wal_(wal), snapshots_(snapshots) {}

  // Open: loads the latest manifest or creates version 1; then claims writer_epoch + 1.
  Task<Status> LoadOrCreate();
  Task<Status> ClaimWriterEpoch();

  // Applies `edit` to the latest manifest and stores it as the next version, re-reading and
  // re-applying on conflict. Closed(fenced) if a newer writer epoch appears.
  Task<Status> Update(const ManifestEdit& edit);

  // A poll: if the store holds a newer version than ours (another process's compaction or
  // checkpoint), adopts it as after a conflict. Returns the SST ids our view no longer
  // references (empty if nothing changed). `relist`: see ManifestStore::LoadNewer.
  // Closed(fenced) if a newer writer epoch appears.
  Task<Result<std::vector<std::string>>> Refresh(bool relist);

  // The latest version this writer knows (what reads see).
  const std::shared_ptr<const Manifest>& manifest() const REQUIRES(kDbMutex) { return manifest_; }
  uint64_t writer_epoch() const { return writer_epoch_; }
  bool SlotFreeLocked() const REQUIRES(kDbMutex) { return !busy_; }

 private:
  Task<Status> AcquireSlot();
  void ReleaseSlot();
  Task<Status> UpdateSlotHeld(const ManifestEdit& edit);
  // Adopts `theirs`, a newer stored version not written by this update, keeping the
  // fields this writer owns. Closed(fenced) if it carries a newer writer epoch.
  Status AdoptLocked(Manifest theirs) REQUIRES(kDbMutex);

  DbCore* const core_;
  const WalWriter* const wal_;
  const Snapshots* const snapshots_;
  std::shared_ptr<const Manifest> manifest_ GUARDED_BY(kDbMutex);
  bool busy_ GUARDED_BY(kDbMutex) = false;  // an Update of this process is in progress
  // Set once by ClaimWriterEpoch, before any background work starts.
  uint64_t writer_epoch_ = 0;
};

}  // namespace slatedb
