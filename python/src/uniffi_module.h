// SPDX-License-Identifier: Apache-2.0
//
// The `_uniffi` submodule of the native extension: the calls behind slatedb.uniffi, one
// registration function per file.
#pragma once

#include <pybind11/pybind11.h>

namespace slatedb::python {

void RegisterUniffiDb(pybind11::module_& m);      // uniffi_db.cc
void RegisterUniffiReader(pybind11::module_& m);  // uniffi_reader.cc
void RegisterUniffiAdmin(pybind11::module_& m);   // uniffi_admin.cc
void RegisterUniffiWal(pybind11::module_& m);     // uniffi_wal.cc
void RegisterUniffiStores(pybind11::module_& m);  // uniffi_module.cc

}  // namespace slatedb::python
