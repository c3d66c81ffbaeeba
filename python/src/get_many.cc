// SPDX-License-Identifier: Apache-2.0
#include "get_many_methods.h"

namespace slatedb::python {

std::vector<std::string> ManyKeys(const py::object& keys) {
  std::vector<std::string> out;
  if (py::hasattr(keys, "__len__")) out.reserve(py::len(keys));
  for (const py::handle item : py::iter(keys)) {
    std::string k = seed::Bytes(item, "key");
    seed::CheckNotEmpty(k);
    out.push_back(std::move(k));
  }
  return out;
}

py::object ValuesToPy(MultiGetResult r) {
  if (!r.ok()) ThrowStatus(r.status());
  py::list out(r->size());
  for (size_t i = 0; i < r->size(); ++i) {
    const std::optional<std::string>& value = (*r)[i];
    out[i] = value ? py::object(ToPy(*value)) : py::object(py::none());
  }
  return std::move(out);
}

}  // namespace slatedb::python
