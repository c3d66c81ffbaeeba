// SPDX-License-Identifier: Apache-2.0
//
// RowSource: one sorted input of a scan (a memtable, or an SST), positioned synchronously.
// When positioning needs bytes that are not in memory (an SST's index, a data block), the
// source reports NeedsIo() and DoIo() fetches them and finishes positioning. A source that
// needs I/O is neither Valid() nor exhausted: the merge must wait for it, because it may
// hold the next row in order.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "format/row.h"
#include "memtable/memtable.h"
#include "slatedb/task.h"
#include "sst/table_store.h"

namespace slatedb {

class RowSource {
 public:
  virtual ~RowSource() = default;
  // Positions at the first row with key >= `key`.
  virtual void Seek(std::string_view key) = 0;
  virtual bool NeedsIo() const = 0;
  virtual Task<Status> DoIo() = 0;
  // REQUIRES: !NeedsIo(). False at the end of the source's range.
  virtual bool Valid() const = 0;
  // REQUIRES: Valid(). Valid until the next Next/Seek.
  virtual RowView row() const = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  virtual const Status& status() const = 0;
};

// Rows of a memtable with key < end (end empty: unbounded).
std::unique_ptr<RowSource> NewMemtableSource(std::shared_ptr<Memtable> table, std::string end);

// Rows of one SST with key < end, reading blocks through `tables`.
std::unique_ptr<RowSource> NewSstSource(TableStore* tables, SstRef ref, std::string end);

}  // namespace slatedb
