// SPDX-License-Identifier: Apache-2.0
//
// CompactionSpec and SlateDBCompactionRequest (python-api.md §4.8), shared with
// SlateDBAdmin.submit_compaction (py_admin.cc).
#pragma once

#include <pybind11/pybind11.h>

#include <optional>

#include "bindings.h"

namespace slatedb::python {

struct PyCompactionSpec {
  CompactionRequestSpec spec;
};

// Upstream's request type: either "full" or a spec. No admin method accepts it (dead API,
// kept for compatibility).
struct PyCompactionRequest {
  std::optional<CompactionRequestSpec> spec;  // nullopt: a full compaction
};

void RegisterCompactions(pybind11::module_& m);

}  // namespace slatedb::python
