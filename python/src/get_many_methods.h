// SPDX-License-Identifier: Apache-2.0
//
// get_many and get_many_async, which SlateDB, SlateDBSnapshot, SlateDBTransaction and
// SlateDBReader share: the values of an iterable of keys, as a list in the same order (None
// where absent), read with one core MultiGet (docs/caches.md, "Many keys at once").
// `open_multi_get(self, keys)` returns the core's MultiGet Task (raising ClosedError first if
// `self` is closed); it is called with the GIL held, and the Task then runs with it released.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "runtime.h"
#include "seed_args.h"

namespace slatedb::python {

using MultiGetResult = Result<std::vector<std::optional<std::string>>>;

// Each key as `get` converts it (bytes-like, non-empty).
std::vector<std::string> ManyKeys(const py::object& keys);
// A list of bytes or None; raises the call's error.
py::object ValuesToPy(MultiGetResult r);

template <typename Self, typename OpenMultiGet>
void DefineGetManyMethods(py::class_<Self>& cls, OpenMultiGet open_multi_get) {
  cls.def(
         "get_many",
         [open_multi_get](Self& self, const py::object& keys) {
           auto task = open_multi_get(self, ManyKeys(keys));
           return ValuesToPy(CallBlocking([&] { return std::move(task); }));
         },
         py::arg("keys"))
      .def(
          "get_many_async",
          [open_multi_get](Self& self, const py::object& keys) {
            auto task = open_multi_get(self, ManyKeys(keys));
            return SpawnAsync([&] { return std::move(task); },
                              [](MultiGetResult r) { return ValuesToPy(std::move(r)); });
          },
          py::arg("keys"));
}

}  // namespace slatedb::python
