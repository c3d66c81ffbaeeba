// SPDX-License-Identifier: Apache-2.0
//
// GcBoundary: the garbage collector's boundary for one kind of sequenced object, manifest
// versions or compaction-state versions: SlateDB 0.17's `<path>/gc/manifest.boundary` and
// `<path>/gc/compactions.boundary` (docs/format.md). The body is the decimal text of a u64
// without a newline; a missing object is boundary 0.
//
// Every version at or below the boundary may have been deleted, so it is dead:
//  - the collector raises the boundary to the highest id it is about to delete before it
//    deletes anything (Advance);
//  - a writer that has just created version `id` (create-if-absent) then checks
//    `id > boundary` (Check). If not, the collector may have removed the version that stood
//    there, and the create only filled the hole: it was built on a stale base or landed
//    late, and it counts as a lost race, exactly like finding the version present. The
//    check comes after the create, not before it: checking first would leave a window in
//    which the collector raises the boundary and deletes between the check and the create.
//    (Upstream's transactional-object layer orders it the same way.)
//
// Raising uses create-if-absent while the object is missing and replace-if-version-matches
// (If-Match on its ETag) after that, retried after a lost race. A store that keeps no object
// versions, or refuses the conditional replace, cannot hold a boundary: Advance then answers
// false and the collector leaves that kind of object alone for the pass. (Upstream's
// collector fails that resource's pass on such a store, its local file system among them,
// and deletes nothing of it either.)
//
// Stateless apart from the store: each call reads the object afresh (it is a few bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/task.h"
#include "store/store_client.h"

namespace slatedb {

class GcBoundary {
 public:
  // `key`: DbPaths::GcBoundary(kind).
  GcBoundary(StoreClient* client, std::string key) : client_(client), key_(std::move(key)) {}

  const std::string& key() const { return key_; }

  // The stored boundary; 0 if there is none. Data if the object is not a decimal u64.
  Task<Result<uint64_t>> Read();

  // OK if `id` lies above the stored boundary. AlreadyExists if it is at or below it: the
  // version counts as taken (the caller re-reads the latest version, or is fenced).
  Task<Status> Check(uint64_t id);
  // The outcome of a create-if-absent of version `id` (object `key`, one of the sequenced
  // objects `<dir>/<20-digit id><suffix>`; `what` names it in messages, e.g. "manifest 7")
  // that the store accepted. Create-if-absent alone is no compare-and-swap once GC deletes
  // old versions: a create from a stale base, or one that landed late, succeeds in the hole
  // a collected version left below the latest, where nobody reads it and its sender would
  // believe it committed. Judged by the boundary and by the next version above `id`:
  //  - OK: committed. No newer version exists and `id` is above the boundary; or the next
  //    version was stored strictly after ours, so it was built on ours.
  //  - AlreadyExists: a lost race. `id` is at or below the boundary and the next version was
  //    stored strictly before ours: ours filled a hole, and its object has been deleted (best
  //    effort). The caller re-reads the latest version, or finds it is fenced.
  //  - Unavailable: the outcome is unknown (equal store times, no times, the boundary
  //    unreadable, or the newest version under a boundary that is not this database's).
  //  - Data: a corrupt boundary object; other errors of the listing as they come.
  Task<Status> JudgeCreated(std::string dir, std::string suffix, std::string key, uint64_t id,
                            std::string what);

  // Raises the stored boundary to at least `target` (never lowers it). true once the stored
  // boundary is >= target; false if this store cannot replace an object conditionally (it
  // reports no versions, or refused the If-Match put as Invalid): nothing at or below
  // `target` may be deleted then. Unavailable after too many lost races in a row.
  Task<Result<bool>> Advance(uint64_t target);

  // The body's value: ASCII digits, surrounding whitespace allowed (upstream trims it).
  static std::optional<uint64_t> Parse(std::string_view body);

 private:
  // Check after a create: OK, AlreadyExists or Data as Check answers; any other failure
  // becomes Unavailable, since the create's outcome is then unknown.
  Task<Status> CheckCreated(uint64_t id, const std::string& what);

  // The lowest version above `id` in `dir`, with the time the store wrote it.
  struct NextVersion {
    uint64_t id = 0;
    int64_t written_ms = 0;
  };
  Task<Result<std::optional<NextVersion>>> FindNextVersion(std::string dir, std::string suffix,
                                                           std::string key, uint64_t id);

  StoreClient* const client_;
  const std::string key_;
};

}  // namespace slatedb
