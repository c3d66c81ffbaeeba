// SPDX-License-Identifier: Apache-2.0
//
// Object stores for the Python layer. Which one a handle uses is decided by the rule of
// slatedb/platform/store_selection.h (shared with the `slatedb` command line);
// slatedb/_open.py decides only whether a URL, the environment or a private memory store
// applies, and loads dotenv files into os.environ as upstream does.
#include <pybind11/stl.h>

#include "bindings.h"
#include "runtime.h"
#include "slatedb/platform/cached_object_store.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/store_selection.h"

namespace slatedb::python {

namespace {

// Opening S3 probes the bucket (network): done with the GIL released.
py::tuple Open(const std::function<Result<StoreLocation>()>& open) {
  Result<StoreLocation> location = Status::Internal("unset");
  {
    py::gil_scoped_release release;
    location = open();
  }
  if (!location.ok()) ThrowStatus(location.status());
  return py::make_tuple(StoreHandle{location->store}, location->path);
}

}  // namespace

void RegisterStores(py::module_& m) {
  py::class_<StoreHandle>(m, "_Store").def("__repr__", [](const StoreHandle& s) {
    return "<slatedb store " + s.store->Describe() + ">";
  });
  m.def("_memory_store",
        []() { return StoreHandle{std::make_shared<MemoryObjectStore>(SharedClock())}; });
  // (store, database path) for `url` and the database path relative to it.
  m.def("_open_store_url", [](const std::string& url, const std::string& path) {
    return Open([&] { return OpenStoreForUrl(url, path, ProcessEnv(), SharedClock()); });
  });
  // The same from CLOUD_PROVIDER and its variables (os.environ is the process environment).
  m.def("_open_store_env", [](const std::string& path) {
    return Open([&] { return OpenStoreFromEnv(path, ProcessEnv(), SharedClock()); });
  });
  // The persistent cache (settings' object_store_cache_options, validated in _open.py)
  // around a store.
  m.def("_cached_store",
        [](const StoreHandle& inner, const std::string& root_folder, uint64_t max_cache_size_bytes,
           uint64_t part_size_bytes, bool cache_on_flush, bool cache_on_compaction) {
          ObjectStoreCacheOptions options;
          options.root_folder = root_folder;
          options.max_cache_size_bytes = max_cache_size_bytes;
          options.part_size_bytes = part_size_bytes;
          options.cache_on_flush = cache_on_flush;
          options.cache_on_compaction = cache_on_compaction;
          Result<std::shared_ptr<CachedObjectStore>> store =
              CachedObjectStore::Open(inner.store, std::move(options));
          if (!store.ok()) ThrowStatus(store.status());
          return StoreHandle{*store};
        });
  m.def("_cache_stats", [](const StoreHandle& handle) {
    py::dict out;
    auto* cached = dynamic_cast<CachedObjectStore*>(handle.store.get());
    if (cached == nullptr) return out;
    ObjectStoreCacheStats s = cached->stats();
    out["reads_hit"] = s.reads_hit;
    out["reads_missed"] = s.reads_missed;
    out["parts_hit"] = s.parts_hit;
    out["parts_fetched"] = s.parts_fetched;
    out["parts_joined"] = s.parts_joined;
    out["bytes_served"] = s.bytes_served;
    out["bytes_fetched"] = s.bytes_fetched;
    out["inner_requests"] = s.inner_requests;
    out["parts_written"] = s.parts_written;
    out["evictions"] = s.evictions;
    out["corrupt_parts"] = s.corrupt_parts;
    out["used_bytes"] = s.used_bytes;
    out["max_bytes"] = s.max_bytes;
    out["entries"] = s.entries;
    return out;
  });
  // A local directory store rooted at `root` (slatedb.uniffi's ObjectStore keeps one per
  // database parent directory and applies the split rule itself).
  m.def("_local_store", [](const std::string& root) {
    Result<std::shared_ptr<LocalObjectStore>> store = LocalObjectStore::Open(root);
    if (!store.ok()) ThrowStatus(store.status());
    return StoreHandle{*store};
  });
  m.def("_split_local_dir", [](const std::string& dir) { return SplitLocalDatabaseDir(dir); });
}

}  // namespace slatedb::python
