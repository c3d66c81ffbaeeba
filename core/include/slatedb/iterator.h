// SPDX-License-Identifier: Apache-2.0
//
// DbIterator: the result of Db::Scan / Snapshot::Scan / Transaction::Scan /
// DbReader::Scan. Yields the newest visible version of each key in [start, end), in
// ascending key order (or descending, ScanOptions::order), skipping deleted and expired
// keys and folding merge operands. It reads a fixed view: writes made after Scan returned
// are not seen.
//
// One iterator is used by one caller at a time (not thread-safe). It keeps the SSTs it
// reads alive; dropping it releases them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {

// One row of a scan, with the version it came from (as Db::GetKeyValue's KeyValueRow).
struct KeyValue {
  std::string key;
  std::string value;
  // The newest version that contributes to the value (for a merged value, the newest
  // operand). A transaction's own uncommitted write reports seq UINT64_MAX, create_ts 0.
  uint64_t seq = 0;
  int64_t create_ts = 0;             // clock ms when that version was written
  std::optional<int64_t> expire_ts;  // clock ms from which it is invisible; none = never
  bool operator==(const KeyValue&) const = default;
};

class DbIterator {
 public:
  virtual ~DbIterator() = default;

  // The next entry, or nullopt when the range is exhausted. Data if a block is corrupt,
  // Unavailable if the store fails; after an error the iterator stays failed.
  virtual Task<Result<std::optional<KeyValue>>> Next() = 0;

  // The same without suspending: returns true and fills *out if the next entry (or the
  // end, or an error) is available without I/O; false if Next() must be awaited. Lets
  // bindings stay on the caller's thread for data already in memory.
  virtual bool TryNext(Result<std::optional<KeyValue>>* out) = 0;

  // Moves forward so the next entry is the first with key >= `key`. Invalid if `key` is
  // not after the last key returned, or lies outside the scan's range, and on a descending
  // iterator ("seek is not supported for descending scans", as upstream); the iterator
  // stays usable after such an error. A target before an earlier Seek's (nothing read
  // since) is accepted and does nothing: Seek never moves back.
  virtual Task<Status> Seek(std::string key) = 0;
};

}  // namespace slatedb
