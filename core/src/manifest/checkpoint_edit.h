// SPDX-License-Identifier: Apache-2.0
//
// Checkpoint edits of a manifest, shared by the writer (Db), Admin, DbReader and clone
// creation, and the compare-and-swap loop that processes other than the writer use to
// apply them. Every edit is applied to the latest version and stored as the next one; on a
// conflict the edit is re-applied to the newer version, so concurrent writers, compactors
// and admins never lose each other's changes (each only touches its own fields).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/manifest.h"
#include "manifest/manifest_store.h"
#include "slatedb/checkpoint.h"
#include "slatedb/task.h"
#include "util/random.h"

namespace slatedb {

// Whether `text` is a UUID in the canonical 8-4-4-4-12 hex form (either case).
bool IsUuid(std::string_view text);
// OK, or Invalid naming `what` and the text.
Status ValidateCheckpointId(std::string_view text, std::string_view what = "checkpoint id");
// A random (version 4) UUID, lower case.
std::string NewUuid(Random& random);

// Adds a checkpoint to `m`, which is about to be stored as version m.id + 1 (the new
// checkpoint pins that version, or the source's version). Data if the source does not exist.
Result<CheckpointCreateResult> AddCheckpoint(Manifest& m, const std::string& id,
                                             const CheckpointOptions& options, int64_t now_ms);
// Sets the expiry of checkpoint `id` to now + lifetime (never, without one). Data if missing.
Status RefreshCheckpoint(Manifest& m, std::string_view id, std::optional<uint64_t> lifetime_ms,
                         int64_t now_ms);
// Removes checkpoint `id` if present.
void RemoveCheckpoint(Manifest& m, std::string_view id);

CheckpointInfo ToCheckpointInfo(const Checkpoint& c);
// Checkpoint ids compare as UUIDs (the manifest stores numbers, so text case is not kept).
bool SameCheckpointId(std::string_view a, std::string_view b);
const Checkpoint* FindCheckpoint(const Manifest& m, std::string_view id);

// Applies `edit` to the latest manifest and stores the result as the next version,
// re-reading and re-applying on conflict. For processes that do not own the writer's
// fields (Admin, DbReader): the rest of the manifest is kept as the latest version has it.
// Returns the stored version. Data if there is no database at the store's path.
using ManifestEditFn = std::function<Status(Manifest&)>;
Task<Result<Manifest>> EditLatestManifest(ManifestStore* store, ManifestEditFn edit);

}  // namespace slatedb
