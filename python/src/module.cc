// SPDX-License-Identifier: Apache-2.0
//
// The native module `slatedb.slatedb`. The public classes are finished in Python
// (slatedb/__init__.py): this module provides their native parts.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "errors.h"
#include "py_compactions.h"
#include "runtime.h"

PYBIND11_MODULE(slatedb, m) {
  m.doc() = "SlateDB in C++: native part of the slatedb package";
  slatedb::python::RegisterExitHook();
  m.attr("__version__") = SLATEDB_VERSION;  // VERSION, defined in python/CMakeLists.txt
  slatedb::python::RegisterExceptions(m);
  slatedb::python::RegisterStores(m);
  slatedb::python::RegisterSettings(m);
  slatedb::python::RegisterWriteBatch(m);
  slatedb::python::RegisterIterator(m);
  slatedb::python::RegisterSnapshot(m);
  slatedb::python::RegisterTransaction(m);
  slatedb::python::RegisterDb(m);
  slatedb::python::RegisterReader(m);
  slatedb::python::RegisterCompactions(m);
  slatedb::python::RegisterAdmin(m);
  slatedb::python::RegisterUniffi(m);
}
