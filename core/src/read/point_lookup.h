// SPDX-License-Identifier: Apache-2.0
//
// Point reads over a ReadView, shared by the writer (Db, snapshots, transactions) and
// read-only readers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "read/read_view.h"
#include "slatedb/db.h"
#include "slatedb/task.h"

namespace slatedb {

// The value of `key` in `view` if it can be found without I/O (true, *out set), else false.
bool TryGetInView(const ReadView& view, std::string_view key, TableStore& tables,
                  const MergeOperator& merge, Result<std::optional<std::string>>* out);
// The value of `key` in `view`, reading SSTs as needed.
Task<Result<std::optional<std::string>>> GetInView(std::shared_ptr<ReadTarget> target,
                                                   ReadView view, std::string key);
// The value of `key` in `view` with the version it came from (Db::GetKeyValue).
Task<Result<std::optional<KeyValueRow>>> GetKeyValueInView(std::shared_ptr<ReadTarget> target,
                                                           ReadView view, std::string key);

// The values of `keys` in `view`, in the caller's order (a duplicated key gets its value at
// each place). Same answers as GetInView per key, with the work shared (multi_get.cc): the
// distinct keys are sorted once and each source (memtable, L0 SST, sorted run) is walked
// once for all of them in key order, each SST handle and block looked up once per stretch of
// keys in it; the SST opens and block reads a walk finds missing are issued together (up to
// kMultiGetParallelReads in flight). The first error fails the whole call.
Task<Result<std::vector<std::optional<std::string>>>> MultiGetInView(
    std::shared_ptr<ReadTarget> target, ReadView view, std::vector<std::string> keys);

inline constexpr size_t kMultiGetParallelReads = 64;

}  // namespace slatedb
