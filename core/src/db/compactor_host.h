// SPDX-License-Identifier: Apache-2.0
//
// CompactorHost: what the compactor (CompactorDriver) needs from the process it runs in.
// The same compactor runs inside a writer (DbImpl is the host: compaction commits go
// through the writer's ManifestWriter and wake its L0 flushes) and as a process of its own
// (compactor/compactor_process.h: commits go through its own compare-and-swap loop and
// the manifest is polled for the writer's L0 SSTs). All calls are made with the process's
// mutex (DbCore::mu) held, except UpdateManifest.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "db/db_core.h"
#include "db/manifest_edit.h"
#include "manifest/manifest.h"

namespace slatedb {

class CompactorHost {
 public:
  virtual ~CompactorHost() = default;

  // The newest manifest this process knows: compactions are picked from it.
  virtual std::shared_ptr<const Manifest> ManifestLocked() const REQUIRES(kDbMutex) = 0;
  // Applies `edit` to the latest stored manifest and stores it as the next version,
  // re-applying it after a lost race. The fields the edit does not touch come from the
  // store (or, in a writer, from the writer where it owns them: spec/engine.md §3.3).
  virtual Task<Status> UpdateManifest(const ManifestEdit& edit) = 0;
  // The oldest sequence number a snapshot or transaction of this process may still read;
  // nullopt when it has none (a standalone compactor). Compaction keeps every version above
  // it, and above the manifest's recent_snapshot_min_seq.
  virtual std::optional<uint64_t> OldestReadSeqLocked() const REQUIRES(kDbMutex) = 0;
  // Whether this process re-reads the manifest on its own (a standalone compactor polls
  // it). Then a commit whose sources are gone (a stale pick, after an earlier commit of
  // this compactor landed though answered Unavailable) is retried: the next pick comes from
  // the newer view. A writer's view moves only with its own updates, so there such a
  // commit still fails the compaction (and closes the database) as before.
  virtual bool PollsManifest() const { return false; }
  // A compaction committed: L0 may have room again.
  virtual void OnCompactedLocked() REQUIRES(kDbMutex) = 0;
  // Another compactor claimed the database (a higher compactor_epoch): this one has
  // stopped for good.
  virtual void OnFencedLocked() REQUIRES(kDbMutex) = 0;
};

}  // namespace slatedb
