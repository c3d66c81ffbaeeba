// SPDX-License-Identifier: Apache-2.0
//
// TxnState: everything behind a Transaction, shared with the Tasks it returns so they may
// outlive the Transaction object.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "slatedb/transaction.h"
#include "txn/txn_buffer.h"
#include "txn/txn_manager.h"

namespace slatedb {

class DbImpl;

struct TxnState {
  std::shared_ptr<DbImpl> db;
  IsolationLevel isolation = IsolationLevel::kSnapshot;
  uint64_t seq = 0;  // reads see commits up to this sequence number
  uint64_t id = 0;   // registration with the database's TxnManager

  std::mutex mu;  // guards the fields below
  bool open = true;
  TxnBuffer buffer;
  std::set<std::string, std::less<>> read_keys;  // SSI only
  std::vector<KeyRange> read_ranges;             // SSI only
  std::set<std::string, std::less<>> unmarked;   // excluded from the write set

  bool ssi() const { return isolation == IsolationLevel::kSerializableSnapshot; }
};

}  // namespace slatedb
