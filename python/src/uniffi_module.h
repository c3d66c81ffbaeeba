// SPDX-License-Identifier: Apache-2.0
//
// The `_uniffi` submodule of the native extension: the calls behind slatedb.uniffi, one
// registration function per file.
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <vector>

#include "slatedb/db.h"
#include "slatedb/options.h"
#include "slatedb/sst_cache.h"

namespace slatedb::python {

void RegisterUniffiDb(pybind11::module_& m);      // uniffi_db.cc
void RegisterUniffiReader(pybind11::module_& m);  // uniffi_reader.cc
void RegisterUniffiAdmin(pybind11::module_& m);   // uniffi_admin.cc
void RegisterUniffiWal(pybind11::module_& m);     // uniffi_wal.cc
void RegisterUniffiStores(pybind11::module_& m);  // uniffi_module.cc
void RegisterUniffiCache(pybind11::module_& m);   // uniffi_cache.cc

// Shared by the files above (uniffi_db.cc).
// A slatedb.uniffi.KeyValue record for a point read's row (None when absent); raises on error.
pybind11::object KeyValueRowToPy(Result<std::optional<KeyValueRow>> r);
// slatedb.uniffi.IterationOrder value (0 ascending, 1 descending) as ScanOptions.
// `prefix`: None, or the prefix of a scan_prefix (ScanOptions::filter_prefix).
ScanOptions MakeScan(int durability, bool dirty, int order, const pybind11::object& prefix);
// The engine's filter policies from a list of (bits_per_key, whole_key_filtering, extractor)
// tuples, `extractor` as WrapPrefixExtractor takes it; None (no with_filter_policies): nullopt.
std::optional<std::vector<FilterPolicy>> FilterPoliciesFromPy(const pybind11::object& policies);
// CacheTargets from _db.cache_targets' tuples: (kind, start, start_inclusive, end,
// end_inclusive), kind as CacheTarget::Kind, the bounds bytes or None.
std::vector<CacheTarget> CacheTargetsFromPy(const pybind11::list& targets);

}  // namespace slatedb::python
