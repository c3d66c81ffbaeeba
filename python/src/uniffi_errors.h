// SPDX-License-Identifier: Apache-2.0
//
// How the slatedb.uniffi API reports failures: one exception class, slatedb.uniffi.Error,
// with a variant per core ErrorKind (the same kind table the seed API's six classes use),
// built by the Python factory the package registers at import.
//
// Messages follow upstream 0.17: an engine error reads "<Kind> error: <message>"; a Closed
// error's message and reason come from its CloseReason ("db is closed" for a clean close,
// "detected newer DB client" when fenced). Errors found by the binding itself while checking
// arguments carry no prefix (ThrowUniffiInvalid).
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "slatedb/result.h"
#include "slatedb/status.h"

namespace slatedb::python {

// Registers set_error_factory(fn): fn(variant, reason, message) -> exception instance, where
// variant is the kind's name in the core's table (ErrorKindInfo::uniffi_variant: "Invalid",
// "Closed", ...) and reason a CloseReason enum value (0 clean, 1 fenced, 2 panic,
// 3 unknown) or None.
void RegisterUniffiErrors(pybind11::module_& m);

// The exception instance for `status` (not OK). REQUIRES: the GIL.
pybind11::object UniffiError(const Status& status);
// The same with the message chosen by the caller (for calls whose upstream texts differ).
pybind11::object UniffiErrorWithMessage(const Status& status, const std::string& message);
[[noreturn]] void ThrowUniffi(const Status& status);
// Error.Invalid(message) without the engine prefix.
[[noreturn]] void ThrowUniffiInvalid(const std::string& message);

template <typename T>
T UnwrapUniffi(Result<T> result) {
  if (!result.ok()) ThrowUniffi(result.status());
  return std::move(result).value();
}

inline void CheckUniffi(const Status& status) {
  if (!status.ok()) ThrowUniffi(status);
}

}  // namespace slatedb::python
