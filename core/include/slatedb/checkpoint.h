// SPDX-License-Identifier: Apache-2.0
//
// Checkpoints (docs/checkpoints.md): a named pin on one manifest version. While a
// checkpoint lives, garbage collection keeps that version and every SST and WAL object it
// references, so readers and clones can read the database exactly as it was. A checkpoint
// copies no data. It lives until it expires (if given a lifetime) or is deleted.
//
// Checkpoints are created through Db (the writer: Db::CreateCheckpoint), Admin (without a
// writer: detached checkpoints of the latest manifest) and DbReader (its own managed one).
// All of them are compare-and-swap manifest updates that keep every other field as the
// latest version has it, so writer, compactor, readers and admins never lose each other's
// changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace slatedb {

enum class CheckpointScope : uint8_t {
  // Flush the WAL and the memtables to L0 first: the pinned version holds every write
  // issued before the call.
  kAll = 0,
  // No flush: the pinned version holds what is durable now (L0/sorted runs plus the WAL
  // objects the writer has uploaded, which a reader of the checkpoint replays).
  kDurable = 1,
};

struct CheckpointOptions {
  CheckpointScope scope = CheckpointScope::kAll;  // Db only; Admin never flushes
  // Milliseconds until the checkpoint expires; nullopt: never.
  std::optional<uint64_t> lifetime_ms;
  // Pin the same manifest version as this existing checkpoint (a UUID) instead of a new one.
  std::optional<std::string> source;
  // A label; names need not be unique.
  std::string name;
};

struct CheckpointCreateResult {
  std::string id;            // lower-case hyphenated UUID
  uint64_t manifest_id = 0;  // the pinned manifest version
};

struct CheckpointInfo {
  std::string id;
  uint64_t manifest_id = 0;
  int64_t create_time_ms = 0;             // ms since the epoch (the database clock)
  std::optional<int64_t> expire_time_ms;  // nullopt: never expires
  std::string name;
};

}  // namespace slatedb
