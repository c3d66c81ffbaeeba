// SPDX-License-Identifier: Apache-2.0
//
// The read path shared by the writer (DbImpl) and read-only readers (DbReader): a ReadView
// is what one read sees (memtables, one manifest version, a sequence cap), captured by the
// owner under its mutex; ReadTarget is what a read needs from its owner while it runs (the
// SST table store, the merge operator, whether the owner closed). Point reads over a view
// are in point_lookup.h, scans in view_iterator.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/manifest.h"
#include "memtable/memtable.h"
#include "slatedb/clock.h"
#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/task.h"
#include "sst/table_store.h"

namespace slatedb {

// Memtables newest first (for the writer: the active one, then the immutable ones).
using MemtableList = std::vector<std::shared_ptr<Memtable>>;

struct ReadView {
  std::shared_ptr<const MemtableList> memtables;
  std::shared_ptr<const Manifest> manifest;
  uint64_t max_seq = 0;
  // "Now" for hiding expired rows, never below `tick_floor` (the last write's timestamp).
  // nullptr: expired rows stay visible (upstream 0.17's reads; hide_expired_on_read).
  Clock* clock = nullptr;
  int64_t tick_floor = kNoTimestamp;
};

class ReadTarget {
 public:
  virtual ~ReadTarget() = default;
  virtual TableStore& table_store() = 0;
  virtual const MergeOperator& merge_operator() const = 0;
  // Lock-free "has the owner closed?", checked per row by iterators; status() says why.
  virtual bool closed() const = 0;
  virtual Status status() const = 0;
  // The manifest version reads start from now (also after close): what per-SST cache
  // control (sst_cache_control.h) looks SSTs up in.
  virtual std::shared_ptr<const Manifest> CurrentManifest() const = 0;
};

}  // namespace slatedb
