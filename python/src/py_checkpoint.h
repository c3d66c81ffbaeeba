// SPDX-License-Identifier: Apache-2.0
//
// Checkpoint conversions shared by SlateDB (py_checkpoint.cc) and SlateDBAdmin.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>

#include "bindings.h"

namespace slatedb::python {

// None or a non-negative int of milliseconds (argument `name`).
std::optional<uint64_t> OptionalMillis(const pybind11::object& value, const char* name);
pybind11::object CheckpointCreatedToPy(const CheckpointCreateResult& created);
pybind11::object CheckpointInfoToPy(const CheckpointInfo& info);
// Adds create_checkpoint / create_checkpoint_async to SlateDB's native base.
void DefineCheckpointMethods(pybind11::class_<PyDb>& cls);

}  // namespace slatedb::python
