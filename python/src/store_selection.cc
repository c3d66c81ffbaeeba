// SPDX-License-Identifier: Apache-2.0
//
// Object stores for the Python layer. Which one a handle uses is decided by the rule of
// slatedb/platform/store_selection.h (shared with the `slatedb` command line);
// slatedb/_open.py decides only whether a URL, the environment or a private memory store
// applies, and loads dotenv files into os.environ as upstream does.
#include <pybind11/stl.h>

#include "bindings.h"
#include "runtime.h"
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
