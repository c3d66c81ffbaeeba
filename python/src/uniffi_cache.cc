// SPDX-License-Identifier: Apache-2.0
//
// slatedb.uniffi.DbCache's native part: shared cache objects (slatedb/db_cache.h) that
// DbBuilder / DbReaderBuilder.with_db_cache hand to db_open / reader_open.
#include <pybind11/stl.h>

#include "slatedb/db_cache.h"
#include "uniffi_errors.h"
#include "uniffi_module.h"

namespace py = pybind11;

namespace slatedb::python {

void RegisterUniffiCache(py::module_& m) {
  py::class_<DbCache, std::shared_ptr<DbCache>>(m, "_DbCache")
      .def("capacity_bytes", &DbCache::capacity_bytes)
      .def("used_bytes", &DbCache::used_bytes)
      .def("entry_count", &DbCache::entry_count);
  // Lifetimes in milliseconds (upstream's moka options); shards at least 1.
  m.def("cache_new", [](uint64_t capacity, std::optional<uint64_t> ttl_ms,
                        std::optional<uint64_t> tti_ms, uint32_t shards) {
    BlockCacheOptions options;
    options.capacity_bytes = capacity;
    options.ttl_ms = ttl_ms;
    options.tti_ms = tti_ms;
    options.shards = shards;
    return UnwrapUniffi(NewBlockCache(options));
  });
  m.def("cache_split",
        [](const std::shared_ptr<DbCache>& blocks, const std::shared_ptr<DbCache>& meta) {
          return UnwrapUniffi(NewSplitCache(blocks, meta));
        });
}

}  // namespace slatedb::python
