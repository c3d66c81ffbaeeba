// SPDX-License-Identifier: Apache-2.0
//
// Transaction: optimistic, in-process transactions over one Db (Db::Begin).
//
// A transaction reads a fixed snapshot of the database (the last committed write when it
// began) overlaid with its own buffered writes, and buffers its writes privately until
// Commit. Nothing is locked: Commit checks, serially with every other write, whether a
// write committed after the transaction began conflicts with it, and either applies the
// whole buffer atomically under one sequence number (exactly like Db::Write) or fails with
// Transaction (retry the whole transaction). Conflicts are found against other
// transactions and against plain Db::Put/Delete/Merge/Write calls alike.
//
//   Snapshot isolation (kSnapshot): conflict if a key this transaction writes was written
//   by another commit after it began (write-write).
//   Serializable snapshot isolation (kSerializableSnapshot): additionally, conflict if a
//   key it read (Get, MarkRead) or any key inside a range it scanned was written after it
//   began (read-write, including phantoms).
//
// While it is open a transaction keeps the versions its snapshot needs from being
// dropped by flushes and compaction, like a Snapshot. Conflict bookkeeping lives in the
// writer process only; nothing about transactions survives a restart.
//
// After Commit (whatever its outcome) or Rollback, every call fails Closed("transaction is
// closed"), except Rollback, which may be called any number of times. Destroying an open
// transaction rolls it back. Iterators already returned by Scan keep working.
//
// Thread-safe. Arguments are copied when a method is called; returned Tasks do not refer
// to the Transaction object and may outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/result.h"
#include "slatedb/task.h"

namespace slatedb {

enum class IsolationLevel : uint8_t {
  kSnapshot = 0,              // SI: write-write conflicts only
  kSerializableSnapshot = 1,  // SSI: also read-write and scanned-range conflicts
};

struct TxnState;  // the shared state behind a Transaction (core/src/txn/)

class Transaction {
 public:
  ~Transaction();  // rolls back if still open
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  IsolationLevel isolation() const;
  // The sequence number the transaction reads at (the last commit before it began).
  uint64_t seq() const;

  // The value of `key` as this transaction sees it: its own buffered write if any (a
  // buffered merge is folded over the snapshot's value), else the snapshot's. Under SSI
  // the key is recorded as read. Invalid: bad key, or merge operands and no merge operator.
  Task<Result<std::optional<std::string>>> Get(std::string_view key,
                                               const ReadOptions& options = {});
  // Get with the version the value came from (Db::GetKeyValue). A value this transaction's
  // own buffered writes decide (a put, or merges folded over the snapshot's value) reports
  // seq UINT64_MAX and create_ts 0, as upstream. Under SSI the key is recorded as read.
  Task<Result<std::optional<KeyValueRow>>> GetKeyValue(std::string_view key,
                                                       const ReadOptions& options = {});
  // Get without a Task: returns true and fills *out if the answer needed no I/O, else
  // returns false (call Get). Under SSI the key is recorded as read either way.
  bool TryGet(std::string_view key, const ReadOptions& options,
              Result<std::optional<std::string>>* out);
  // Get of each of `keys`, answered in the order given (Db::MultiGet): the buffered writes
  // over one multi-get of the snapshot. Under SSI every key is recorded as read.
  Task<Result<std::vector<std::optional<std::string>>>> MultiGet(std::vector<std::string> keys,
                                                                 const ReadOptions& options = {});

  // Iterates [start, end) (empty end: to the last key) over the snapshot merged with the
  // buffered writes as they are now (later writes in this transaction are not seen by the
  // returned iterator). Under SSI the requested range is recorded as read, so a later
  // commit of any key in it, including a new key, conflicts. Invalid as Db::Scan.
  Task<Result<std::unique_ptr<DbIterator>>> Scan(std::string_view start, std::string_view end,
                                                 const ScanOptions& options = {});

  // Buffered writes, visible to this transaction's reads at once and to everyone else
  // after a successful Commit. Same per-key rules as WriteBatch (a put or delete replaces
  // earlier operations on the key; merges accumulate). Invalid: bad key or value, or a
  // merge without a merge operator configured.
  Status Put(std::string_view key, std::string_view value, const PutOptions& options = {});
  Status Delete(std::string_view key);
  Status Merge(std::string_view key, std::string_view operand, const PutOptions& options = {});

  // SSI: records `key` as read without reading it, so a later commit of it conflicts.
  // No effect under SI (which ignores reads).
  Status MarkRead(std::string_view key);
  // Excludes `key` from this transaction's write set for conflict checks (its write is
  // still applied): neither this transaction nor one that checks against it conflicts
  // on that key. Useful for blind writes such as counters kept with merges.
  Status UnmarkWrite(std::string_view key);

  // Checks for conflicts and applies the buffered writes atomically. Returns the write's
  // handle, or nullopt if nothing was buffered (the conflict check still runs, so a
  // read-only SSI transaction learns whether its reads were stable). Transaction on a
  // conflict; otherwise fails as Db::Write would. The transaction is closed afterwards
  // whatever the outcome. With options.await_durable (the default) returns once the write
  // is durable.
  Task<Result<std::optional<WriteHandle>>> Commit(const WriteOptions& options = {});

  // Discards the buffered writes and closes the transaction. Idempotent; never fails.
  void Rollback();

  // False once committed or rolled back.
  bool is_open() const;

 private:
  friend class Db;
  explicit Transaction(std::shared_ptr<TxnState> state);
  std::shared_ptr<TxnState> state_;
};

}  // namespace slatedb
