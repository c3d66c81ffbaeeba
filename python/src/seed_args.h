// SPDX-License-Identifier: Apache-2.0
//
// Argument conversion for the seed API (module `slatedb`, upstream 0.8-0.11), with the
// rules and messages of upstream's binding, so that code which catches TypeError or
// OverflowError sees the same exceptions:
//
//   bytes   a bytes-like object or any sequence of ints 0..255 (str is refused);
//   int     an int or anything with __index__ (bool counts as 0/1); float and str refused;
//           out of range: OverflowError ("can't convert negative int to unsigned",
//           "int too big to convert"; for 32-bit values "out of range integral type
//           conversion attempted"; for signed 64-bit "Python int too large to convert to
//           C long");
//   bool    exactly True or False;
//   str     a str (bytes refused).
//
// A wrong type is TypeError("argument '<name>': <reason>"); range errors are OverflowError
// without the argument's name. Every method converts all of its arguments, in signature
// order, before it checks anything else (empty keys, option strings, a closed handle).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "slatedb/options.h"
#include "slatedb/write_batch.h"

namespace slatedb::python::seed {

namespace py = pybind11;

std::string Bytes(const py::handle& value, const char* name);
std::optional<std::string> OptionalBytes(const py::handle& value, const char* name);

uint64_t U64(const py::handle& value, const char* name);
std::optional<uint64_t> OptionalU64(const py::handle& value, const char* name);
uint32_t U32(const py::handle& value, const char* name);
int64_t I64(const py::handle& value, const char* name);

bool Bool(const py::handle& value, const char* name);
std::optional<bool> OptionalBool(const py::handle& value, const char* name);

std::string Str(const py::handle& value, const char* name);
std::optional<std::string> OptionalStr(const py::handle& value, const char* name);

// `value` as an instance of the bound class T, whose Python name is `type_name`.
template <typename T>
T& Instance(const py::handle& value, const char* name, const char* type_name);

// TypeError("argument '<name>': '<type of value>' object cannot be converted to '<target>'").
[[noreturn]] void ThrowCannotConvert(const py::handle& value, const char* name, const char* target);

// --- What the method bodies check after conversion, in upstream's order: empty keys
// first, then option strings (InvalidError), then whether the handle is open. ---

// InvalidError("<what> cannot be empty").
void CheckNotEmpty(const std::string& key, const char* what = "key");

// The lower-cased text of an enum-like option ("SSI" means "ssi").
std::string Lower(std::string text);

// The read keywords (durability_filter, dirty, cache_blocks), converted.
struct ReadArgs {
  std::optional<std::string> durability_filter;
  std::optional<bool> dirty;
};
ReadArgs ConvertReadArgs(const py::handle& durability_filter, const py::handle& dirty,
                         const py::handle& cache_blocks);
// The five scan keywords (read_ahead_bytes, cache_blocks, max_fetch_tasks are hints this
// engine does not need; they are converted and range-checked all the same).
ReadArgs ConvertScanArgs(const py::handle& durability_filter, const py::handle& dirty,
                         const py::handle& read_ahead_bytes, const py::handle& cache_blocks,
                         const py::handle& max_fetch_tasks);
// InvalidError for a durability_filter other than "remote" / "memory".
ReadOptions ReadOptionsOf(const ReadArgs& args);
WriteOptions WriteOptionsOf(const std::optional<bool>& await_durable);

// The `ttl` keyword: None (the database's default) or milliseconds; 0 expires at once.
using Ttl = std::optional<uint64_t>;
// Adds a put, delete or merge with `ttl` to `batch`.
void AddWrite(WriteBatch& batch, WriteBatch::OpType type, std::string_view key,
              std::string_view value, const Ttl& ttl);
// The core's options for a transaction's put or merge with `ttl` (see write_ops.h for a
// put that is expired when written).
PutOptions PutOptionsOf(WriteBatch::OpType type, const Ttl& ttl, bool* as_delete);

// A checkpoint id in any form upstream's UUID parser takes (hyphenated, simple, braced,
// urn:uuid:), as the canonical lower-case hyphenated text; else InvalidError
// "<what>: <reason>" with that parser's reason ("invalid length: ...").
std::string Uuid(const std::string& text, const std::string& what);
std::optional<std::string> OptionalUuid(const std::optional<std::string>& text,
                                        const std::string& what);
// A ULID (26 Crockford base-32 characters, upper-cased); else InvalidError
// "<what>: invalid length" or "<what>: invalid character".
std::string Ulid(const std::string& text, const std::string& what);

template <typename T>
T& Instance(const py::handle& value, const char* name, const char* type_name) {
  if (!py::isinstance<T>(value)) ThrowCannotConvert(value, name, type_name);
  return value.cast<T&>();
}

}  // namespace slatedb::python::seed
