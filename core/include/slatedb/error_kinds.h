// SPDX-License-Identifier: Apache-2.0
//
// The one definition of the public error kinds and of the status-code names: what each kind
// is called in every language, and the text a kind puts before a message. The bindings
// iterate these tables (Python registers its exception classes from them, the wasm glue
// sends names, never numbers, to JavaScript), so a kind is added or renamed here only.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "slatedb/status.h"

namespace slatedb {

struct ErrorKindInfo {
  ErrorKind kind;
  // Lower-case name: JavaScript's `error.kind`, ErrorKindName().
  const char* name;
  // What Status::ToString() writes before the message ("Invalid: empty key").
  const char* message_prefix;
  // The exception class of the seed Python API (`from slatedb import InvalidError`).
  const char* python_class;
  // The variant of `slatedb.uniffi.Error` (`Error.Invalid`).
  const char* uniffi_variant;
  // The SlateDBError subclass of the JavaScript API.
  const char* js_class;
};

// The six public kinds in ErrorKind order (kNone is not a kind of error).
std::span<const ErrorKindInfo> ErrorKinds();
// The row for `kind`; kNone (and any unknown value) gets the Internal row.
const ErrorKindInfo& ErrorKindInfoOf(ErrorKind kind);

// "NotFound", "AlreadyExists", ..., as spelled in StatusCode (without the k).
const char* StatusCodeName(StatusCode code);
std::optional<StatusCode> StatusCodeFromName(std::string_view name);
// CloseReasonName() spelled as one identifier: "none", "clean", "fenced", "backgroundError".
const char* CloseReasonId(CloseReason reason);

// Both tables and the close reasons as one JSON document, for hosts that cannot link C++
// (the JavaScript glue reads it once at load):
// {"kinds":[{"kind":1,"name":"transaction",...}],"codes":["Ok","NotFound",...],
//  "codeKinds":{"Ok":"none","NotFound":"data",...} (Status::kind() of each code),
//  "closeReasons":["none","clean","fenced","backgroundError"]}
std::string ErrorTablesJson();

}  // namespace slatedb
