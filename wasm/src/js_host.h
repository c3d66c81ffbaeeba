// SPDX-License-Identifier: Apache-2.0
//
// The C++ side of the boundary with JavaScript: the functions JS implements (EM_JS, see
// js_host.cc and runtime_pre.js) and helpers shared by the bindings.
//
// Conventions for every export called from JS (bindings.cc, store_bindings.cc):
// * byte arguments arrive as (pointer, length) into a block JS frees when the export
//   returns, so the C++ side copies what it keeps;
// * asynchronous results go back through Settle*(call_id, ...), which resolves or rejects
//   the Promise JS created for `call_id`. Settling may happen inside the export (work that
//   completed without I/O) or later, from a promise continuation or a timer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "slatedb/object_store.h"
#include "slatedb/result.h"
#include "slatedb/status.h"

namespace slatedb::wasm {

// Resolves JS call `call_id` with `data` (copied by the JS decoder before this returns) and
// an extra number (a handle, a flag) the decoder may use.
void SettleOk(int call_id, std::string_view data = {}, double num = 0);
// Rejects JS call `call_id` with an error built from `status`: JS receives names from the
// core's error tables (slatedb/error_kinds.h: the code's name, the kind's JS class, the
// close reason), never numbers, so there is nothing to mirror on the JS side.
void SettleError(int call_id, const Status& status);

// The Status a JS object store reports by code name ("NotFound", "AlreadyExists",
// "VersionMismatch", "Unavailable", "Invalid", "Data"); any other name is Unavailable (a
// store failure the engine may retry).
Status StatusFromStoreCode(std::string_view code_name, std::string message);

// The ObjectMeta list encoding shared with runtime_pre.js (encodeMetas/decodeMetas):
// u32 count, then per entry u32 key length, key, f64 size, f64 last modified (ms),
// u32 version length, version; little-endian.
std::string EncodeMetas(const std::vector<ObjectMeta>& metas);
Result<std::vector<ObjectMeta>> DecodeMetas(std::string_view bytes);

// Releases a JS object registered with SlateRt.register().
void ReleaseJsHandle(int handle);

// --- calls into runtime_pre.js -----------------------------------------------------------------

enum class JsStoreOpKind : int {
  kGet = 0,
  kGetRange = 1,
  kHead = 2,
  kPut = 3,
  kList = 4,
  kDelete = 5
};

// Completion of a JsStoreOp: the store's status and, on success, the op's payload (object
// bytes, or EncodeMetas() bytes for Head/Put/List). Allocated by JsObjectStore, deleted by
// slatedb_store_op_done() after Complete() ran.
class PendingStoreOp {
 public:
  virtual ~PendingStoreOp() = default;
  virtual void Complete(Status status, std::string_view payload) = 0;
};

// Calls method `op` of the JS store registered as `handle`. `text` is the start_after
// string for List and the expected version for Put. Never completes inside this call.
void JsStoreOp(int handle, JsStoreOpKind op, std::string_view key, std::string_view data, double n1,
               double n2, int put_mode, std::string_view text, PendingStoreOp* ctx);

// Schedules slatedb_run_task(task) as a macrotask / after `delay_ms`.
// `task` is a heap std::function<void()> that slatedb_run_task runs once and deletes.
void JsPost(void* task);
void JsPostAfter(double delay_ms, void* task);

// Date.now().
double JsNowMillis();

// Calls the JS merge operator registered as `handle`.
Result<std::string> JsMerge(int handle, std::string_view key, const std::string_view* existing,
                            std::string_view operand);

// Calls prefixLen(data, isPoint) of the JS prefix extractor registered as `handle`
// (js_filters.h): the prefix length, nullopt for none, or Invalid with the reason when the
// function threw or answered something other than an integer in [0, data.size()] or
// null/undefined.
Result<std::optional<size_t>> JsPrefixLen(int handle, std::string_view data, bool is_point);

// The type of parameter N of a member function, so this code names neither of the two
// `ObjectPutOptions` structs (object_store.h and options.h both declare slatedb::ObjectPutOptions
// in the skeleton; whichever gets renamed, these aliases keep compiling).
template <size_t N, typename F>
struct MemberArg;
template <size_t N, typename C, typename R, typename... A>
struct MemberArg<N, R (C::*)(A...)> {
  using type = std::remove_cv_t<std::remove_reference_t<std::tuple_element_t<N, std::tuple<A...>>>>;
};
template <size_t N, typename F>
using MemberArgT = typename MemberArg<N, F>::type;

// ObjectStore::Put's options (mode, expected_version).
using StorePutOptions = MemberArgT<2, decltype(&ObjectStore::Put)>;

}  // namespace slatedb::wasm
