// SPDX-License-Identifier: Apache-2.0
//
// The words upstream's Python bindings put in their errors, in one place, for both APIs
// (the seed `slatedb` module, 0.8-0.11, and `slatedb.uniffi`, 0.17):
//
//   an engine error   "<Title> error: <text>", e.g. "Closed error: db is closed"; the seed API
//                     adds upstream's "\nBacktrace:\n..." tail (python-api.md 3.2);
//   a binding error   the plain message ("key cannot be empty"), no title, no tail; the
//                     admin methods' errors are of this kind too (python-api.md 3.4).
//
// <text> is the engine's own message, except for a closed handle, whose texts are upstream's
// ("db is closed", "detected newer DB client"), since callers tell the reasons apart by them.
#pragma once

#include <string>

#include "slatedb/status.h"

namespace slatedb::python {

// "Transaction", "Closed", "Unavailable", "Invalid", "Data", "Internal".
const char* UpstreamKindTitle(ErrorKind kind);
// The text after "<Title> error: " for `status`.
std::string UpstreamErrorText(const Status& status);
// "<Title> error: <text>", as slatedb.uniffi's Error messages read.
std::string UpstreamEngineMessage(const Status& status);
// The seed API's message for an engine error: UpstreamEngineMessage and the backtrace tail
// upstream prints when it captures none ("\nBacktrace:\ndisabled backtrace").
std::string SeedEngineMessage(const Status& status);

}  // namespace slatedb::python
