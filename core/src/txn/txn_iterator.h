// SPDX-License-Identifier: Apache-2.0
//
// The iterator of Transaction::Scan: the snapshot's iterator merged with a copy of the
// transaction's buffered writes in the same range. A buffered put or delete replaces the
// snapshot's value of its key; buffered merges are folded over it.
#pragma once

#include <memory>
#include <string>

#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "txn/txn_buffer.h"

namespace slatedb {

// `snapshot` iterates [start, end) at the transaction's snapshot in `order`; `buffered`
// holds the buffered entries of the same range. Rows the buffer decides report seq
// UINT64_MAX and create_ts 0 (they have no version yet), as upstream.
std::unique_ptr<DbIterator> NewTxnIterator(std::unique_ptr<DbIterator> snapshot,
                                           std::shared_ptr<const TxnEntryMap> buffered,
                                           std::string start, std::string end, MergeOperator merge,
                                           IterationOrder order = IterationOrder::kAscending);

}  // namespace slatedb
