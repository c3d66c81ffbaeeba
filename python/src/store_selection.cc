// SPDX-License-Identifier: Apache-2.0
//
// Object stores the Python layer can ask for by kind. Which one a handle uses (url,
// env file, private memory store) is decided in slatedb/_open.py.
#include "bindings.h"
#include "runtime.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/memory_object_store.h"

namespace slatedb::python {

void RegisterStores(py::module_& m) {
  py::class_<StoreHandle>(m, "_Store").def("__repr__", [](const StoreHandle& s) {
    return "<slatedb store " + s.store->Describe() + ">";
  });
  m.def("_memory_store", []() {
    return StoreHandle{std::make_shared<MemoryObjectStore>(SharedClock())};
  });
  m.def("_local_store", [](const std::string& root) {
    Result<std::shared_ptr<LocalObjectStore>> store = LocalObjectStore::Open(root);
    if (!store.ok()) ThrowStatus(store.status());
    return StoreHandle{*store};
  });
}

}  // namespace slatedb::python
