// SPDX-License-Identifier: Apache-2.0
//
// WalReader: change data capture from a database's WAL objects (`<path>/wal/<id>.sst`),
// read straight from the store without opening the database. It claims no epoch, writes
// nothing and takes no checkpoint, so it never disturbs the writer; in exchange, a WAL
// object that the writer's GC deleted before it was read is skipped (a consumer that must
// see every row keeps up, or reads from a checkpoint's database instead).
//
// A WAL object is what one WAL flush of the writer uploaded: whole write batches, so a
// consumer that commits its progress per object (WalFile::id) never sees half a batch.
// Objects a writer plants when it opens (its fence) hold no rows and are returned as
// files with an empty `rows`, as upstream's reader does.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "slatedb/clock.h"
#include "slatedb/executor.h"
#include "slatedb/object_store.h"
#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {

enum class WalRowKind : uint8_t { kValue = 0, kTombstone = 1, kMerge = 2 };

// One row as the writer logged it. Merge rows carry the raw operand (nothing is folded).
struct WalRow {
  WalRowKind kind = WalRowKind::kValue;
  std::string key;
  std::optional<std::string> value;  // nullopt for tombstones
  uint64_t seq = 0;
  std::optional<int64_t> create_ts;  // ms since the epoch, when the writer recorded one
  std::optional<int64_t> expire_ts;  // ms since the epoch, for rows written with a TTL
  bool operator==(const WalRow&) const = default;
};

struct WalFile {
  uint64_t id = 0;
  std::vector<WalRow> rows;  // in the object's order
};

struct WalReaderOptions {
  // Required: the store holding `<path>/manifest/`, and the host's executor and clock.
  std::shared_ptr<ObjectStore> object_store;
  std::shared_ptr<Executor> executor;
  std::shared_ptr<Clock> clock;
  std::string path;
  // The store holding `<path>/wal/`, for databases that keep their WAL apart; nullptr: the
  // WAL lives in `object_store`.
  std::shared_ptr<ObjectStore> wal_object_store;
  // As Settings::object_store_max_retries.
  std::optional<uint32_t> object_store_max_retries = 6;

  // Invalid with a message naming the missing option.
  Status Validate() const;
};

class WalReaderImpl;
class WalFileIterator;

class WalReader {
 public:
  // No I/O: a database that does not exist is reported by the first read.
  static Result<std::shared_ptr<WalReader>> Create(WalReaderOptions options);

  // The id of the newest WAL object after `after`, or `after` itself when there is none
  // (also when `after` lies beyond the newest). Data if the database has no manifest.
  Task<Result<uint64_t>> LastWalFileId(uint64_t after);

  // Ids of the WAL objects with id >= `from`, ascending. Data if there is no manifest.
  Task<Result<std::vector<uint64_t>>> ListWalFileIds(uint64_t from);

  // The rows of WAL object `id`, or nullopt if it does not exist (not written yet, or
  // collected). Data if its bytes do not decode.
  Task<Result<std::optional<WalFile>>> ReadWalFile(uint64_t id);

  // An iterator over the WAL objects from id `start` on (ids start at 1), including ones
  // written later. No I/O until its first call.
  std::unique_ptr<WalFileIterator> Iterate(uint64_t start);

 private:
  explicit WalReader(std::shared_ptr<WalReaderImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<WalReaderImpl> impl_;
};

// Walks WAL objects in id order. Used by one caller at a time (not thread-safe); it keeps
// its reader alive.
class WalFileIterator {
 public:
  explicit WalFileIterator(std::shared_ptr<WalReaderImpl> impl, uint64_t start)
      : impl_(std::move(impl)), next_id_(start) {}

  // The next WAL object at or after the cursor, or nullopt when none exists yet: the
  // caller waits and asks again (Python and JS wait on their own event loops, so a
  // cancelled wait leaves nothing running here). A gap left by GC is skipped. After an
  // error the cursor stays where it was, so the call can be retried.
  Task<Result<std::optional<WalFile>>> TryNext();

  // The id the next object must have at least.
  uint64_t next_id() const { return next_id_; }

 private:
  std::shared_ptr<WalReaderImpl> impl_;
  uint64_t next_id_;
  std::deque<uint64_t> listed_;  // ids >= next_id_ seen by the last listing, ascending
  bool checked_db_ = false;      // the manifest was found once
};

}  // namespace slatedb
