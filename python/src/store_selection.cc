// SPDX-License-Identifier: Apache-2.0
//
// Object stores the Python layer can ask for by kind. Which one a handle uses (url,
// env file, private memory store) is decided in slatedb/_open.py.
#include "bindings.h"
#include "runtime.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "slatedb/platform/s3_native.h"

namespace slatedb::python {

void RegisterStores(py::module_& m) {
  py::class_<StoreHandle>(m, "_Store").def("__repr__", [](const StoreHandle& s) {
    return "<slatedb store " + s.store->Describe() + ">";
  });
  m.def("_memory_store", []() {
    return StoreHandle{std::make_shared<MemoryObjectStore>(SharedClock())};
  });
  // S3 opening probes the bucket (network): done with the GIL released.
  m.def("_s3_store", [](const std::string& url) {
    Result<std::shared_ptr<S3ObjectStore>> store = Status::Internal("unset");
    {
      py::gil_scoped_release release;
      store = OpenS3ObjectStore(url);
    }
    if (!store.ok()) ThrowStatus(store.status());
    return StoreHandle{*store};
  });
  m.def("_s3_store_from_env", []() {
    Result<std::shared_ptr<S3ObjectStore>> store = Status::Internal("unset");
    {
      py::gil_scoped_release release;
      Result<S3Config> config = S3ConfigFromEnv(ProcessEnv());
      store = config.ok() ? OpenS3ObjectStore(std::move(*config)) : Result<std::shared_ptr<S3ObjectStore>>(config.status());
    }
    if (!store.ok()) ThrowStatus(store.status());
    return StoreHandle{*store};
  });
  m.def("_local_store", [](const std::string& root) {
    Result<std::shared_ptr<LocalObjectStore>> store = LocalObjectStore::Open(root);
    if (!store.ok()) ThrowStatus(store.status());
    return StoreHandle{*store};
  });
}

}  // namespace slatedb::python
