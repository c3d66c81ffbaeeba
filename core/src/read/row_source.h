// SPDX-License-Identifier: Apache-2.0
//
// RowSource: one sorted input of a scan (a memtable, or an SST), positioned synchronously.
// When positioning needs bytes that are not in memory (an SST's index, a data block), the
// source reports NeedsIo() and DoIo() fetches them and finishes positioning. A source that
// needs I/O is neither Valid() nor exhausted: the merge must wait for it, because it may
// hold the next row in order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "memtable/memtable.h"
#include "slatedb/task.h"
#include "sst/table_store.h"

namespace slatedb {

// A source walks in one direction, fixed when it is made. Forward sources yield rows in
// internal order (key ascending, newest version first); reverse sources in exactly the
// opposite order (key descending, oldest version first).
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Forward: positions at the first row with key >= `key`. Reverse: at the last row (in
  // internal order) with key < `key`, or at the very last row if `key` is empty.
  virtual void Seek(std::string_view key) = 0;
  virtual bool NeedsIo() const = 0;
  virtual Task<Status> DoIo() = 0;
  // REQUIRES: !NeedsIo(). False at the end of the source's range.
  virtual bool Valid() const = 0;
  // REQUIRES: Valid(). Valid until the next Next/Seek.
  virtual RowView row() const = 0;
  // Moves one row on in the source's direction. REQUIRES: Valid().
  virtual void Next() = 0;
  virtual const Status& status() const = 0;
};

// Rows of a memtable with key < end (end empty: unbounded).
std::unique_ptr<RowSource> NewMemtableSource(std::shared_ptr<Memtable> table, std::string end);

// How a source reads blocks it does not find in the block cache.
struct ReadAhead {
  // The first miss reads one block; each further miss in sequence doubles the amount read
  // in one go, up to max_bytes (a scan that stops early pays for little it did not use).
  uint64_t max_bytes = 256 * 1024;
  // A read-ahead window is split into up to this many range reads issued together.
  uint32_t parallel_reads = 4;
  // Start at the maximum window at once (compaction reads everything).
  bool start_at_max = false;
};

// Rows of one SST, or of a sorted run's SSTs (non-overlapping, in key order) read as one
// sequence, with key < end. Blocks come from the block cache or are read ahead into the
// source's own buffer (never the cache: a scan must not evict the blocks point reads use).
// With a `prefix` (a prefix scan), an SST whose filters prove it holds no key starting with
// it is skipped once open (its filter is in its handle), before any of its blocks is read.
std::unique_ptr<RowSource> NewRunSource(TableStore* tables, std::vector<SstRef> ssts,
                                        std::string end, ReadAhead read_ahead = {},
                                        std::optional<std::string> prefix = std::nullopt);

// The reverse sources: the same rows walked backward, down to the first row with key >=
// start (start empty: unbounded). Read-ahead reads the blocks before the one needed.
std::unique_ptr<RowSource> NewReverseMemtableSource(std::shared_ptr<Memtable> table,
                                                    std::string start);
std::unique_ptr<RowSource> NewReverseRunSource(TableStore* tables, std::vector<SstRef> ssts,
                                               std::string start, ReadAhead read_ahead = {},
                                               std::optional<std::string> prefix = std::nullopt);

}  // namespace slatedb
