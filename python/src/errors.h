// SPDX-License-Identifier: Apache-2.0
//
// The six exception classes of the upstream Python API (each a direct subclass of
// Exception, in module "slatedb"), and the one place a core Status becomes a Python error.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "slatedb/status.h"

namespace slatedb::python {

void RegisterExceptions(pybind11::module_& m);

// Raises the class for status.kind() (ClosedError, InvalidError, ...) with upstream's
// message for an engine error (error_texts.h: "Invalid error: ...\nBacktrace:\n...").
[[noreturn]] void ThrowStatus(const Status& status);
// Raises the class for `kind` with `message` as it is (a binding's own error).
[[noreturn]] void ThrowPlain(ErrorKind kind, const std::string& message);
[[noreturn]] void ThrowInvalid(const std::string& message);
[[noreturn]] void ThrowClosed(const std::string& message);
// An exception instance for `status` (ThrowStatus's message), to complete a future with.
// REQUIRES: the GIL.
pybind11::object ExceptionFor(const Status& status);

}  // namespace slatedb::python
