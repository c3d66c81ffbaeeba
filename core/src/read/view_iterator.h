// SPDX-License-Identifier: Apache-2.0
//
// The iterator of a scan over a ReadView (the writer's Db::Scan and snapshots, readers'
// scans): every source of the view (memtables, L0 SSTs, one per sorted run) merged by a
// MergingIterator, each key's versions resolved by a VersionResolver. Production is
// synchronous until a source needs I/O; TryNext stops there, Next awaits the I/O and goes
// on. The per-key state survives such pauses, so a key whose versions straddle a block
// boundary resolves correctly.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "read/read_view.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"

namespace slatedb {

// An iterator over [start, end) of `view` (end empty: unbounded), in `order`. Descending
// scans walk every source backward (read/row_source.h) and fold each key's versions oldest
// first (VersionFolder). `filter_prefix` (ScanOptions::filter_prefix): SSTs whose filters
// prove no key starts with it are skipped.
std::unique_ptr<DbIterator> NewViewIterator(
    std::shared_ptr<ReadTarget> target, ReadView view, std::string start, std::string end,
    IterationOrder order = IterationOrder::kAscending,
    const std::optional<std::string>& filter_prefix = std::nullopt);

}  // namespace slatedb
