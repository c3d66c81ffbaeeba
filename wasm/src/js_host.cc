// SPDX-License-Identifier: Apache-2.0
//
// EM_JS imports (implemented by runtime_pre.js) and the exports JS calls back into for
// store completions and executor tasks.
#include "js_host.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "slatedb/error_kinds.h"

// --- imports -------------------------------------------------------------------------------------

EM_JS(void, slatedb_js_settle, (int call, const char* data, size_t data_len, double num),
      { SlateRt.settle(call, data, data_len, num); });

EM_JS(void, slatedb_js_reject,
      (int call, const char* code, size_t code_len, const char* error_class, size_t class_len,
       const char* reason, size_t reason_len, const char* msg, size_t msg_len),
      {
        SlateRt.reject(call, code, code_len, error_class, class_len, reason, reason_len, msg,
                       msg_len);
      });

EM_JS(void, slatedb_js_store_op,
      (int handle, int op, const char* key, size_t key_len, const char* data, size_t data_len,
       double n1, double n2, int mode, const char* text, size_t text_len, void* ctx),
      {
        SlateRt.storeOp(handle, op, key, key_len, data, data_len, n1, n2, mode, text, text_len,
                        ctx);
      });

EM_JS(void, slatedb_js_release, (int handle), { SlateRt.release(handle); });

EM_JS(void, slatedb_js_post, (void* task), { SlateRt.post(task); });

EM_JS(void, slatedb_js_post_after, (double delay_ms, void* task),
      { SlateRt.postAfter(delay_ms, task); });

EM_JS(double, slatedb_js_now, (), { return Date.now(); });

EM_JS(int, slatedb_js_merge,
      (int handle, const char* key, size_t key_len, int has_existing, const char* ex, size_t ex_len,
       const char* op, size_t op_len, char** out, size_t* out_len),
      {
        return SlateRt.merge(handle, key, key_len, has_existing, ex, ex_len, op, op_len, out,
                             out_len);
      });

// Returns the prefix length (>= 0), -1 for none, or -2 with a malloc'd message at *err.
EM_JS(double, slatedb_js_prefix_len,
      (int handle, const char* data, size_t data_len, int is_point, char** err, size_t* err_len),
      { return SlateRt.prefixLen(handle, data, data_len, is_point, err, err_len); });

namespace slatedb::wasm {

void SettleOk(int call_id, std::string_view data, double num) {
  slatedb_js_settle(call_id, data.data(), data.size(), num);
}

void SettleError(int call_id, const Status& status) {
  // Never reject with OK.
  const Status& st = status.ok() ? Status::Internal("rejected with an OK status") : status;
  const std::string& msg = st.message();
  std::string_view code = StatusCodeName(st.code());
  std::string_view error_class = ErrorKindInfoOf(st.kind()).js_class;
  std::string_view reason = CloseReasonId(st.close_reason());
  slatedb_js_reject(call_id, code.data(), code.size(), error_class.data(), error_class.size(),
                    reason.data(), reason.size(), msg.data(), msg.size());
}

Status StatusFromStoreCode(std::string_view code_name, std::string message) {
  std::optional<StatusCode> code = StatusCodeFromName(code_name);
  switch (code.value_or(StatusCode::kUnavailable)) {
    case StatusCode::kNotFound:
      return Status::NotFound(message);
    case StatusCode::kAlreadyExists:
      return Status::AlreadyExists(message);
    case StatusCode::kVersionMismatch:
      return Status::VersionMismatch(message);
    case StatusCode::kInvalid:
      return Status::Invalid(message);
    case StatusCode::kData:
      return Status::Data(message);
    default:
      return Status::Unavailable(message);
  }
}

namespace {

void PutU32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // wasm is little-endian
  out.append(b, 4);
}
void PutF64(std::string& out, double v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U32(uint32_t* v) { return Raw(v, 4); }
  bool F64(double* v) { return Raw(v, 8); }
  bool Bytes(uint32_t n, std::string* out) {
    if (in_.size() - at_ < n) return false;
    out->assign(in_.data() + at_, n);
    at_ += n;
    return true;
  }
  bool done() const { return at_ == in_.size(); }

 private:
  bool Raw(void* v, size_t n) {
    if (in_.size() - at_ < n) return false;
    std::memcpy(v, in_.data() + at_, n);
    at_ += n;
    return true;
  }
  std::string_view in_;
  size_t at_ = 0;
};

}  // namespace

std::string EncodeMetas(const std::vector<ObjectMeta>& metas) {
  std::string out;
  PutU32(out, static_cast<uint32_t>(metas.size()));
  for (const ObjectMeta& m : metas) {
    PutU32(out, static_cast<uint32_t>(m.key.size()));
    out += m.key;
    PutF64(out, static_cast<double>(m.size_bytes));
    PutF64(out, static_cast<double>(m.last_modified_ms));
    PutU32(out, static_cast<uint32_t>(m.version.size()));
    out += m.version;
  }
  return out;
}

Result<std::vector<ObjectMeta>> DecodeMetas(std::string_view bytes) {
  Reader r(bytes);
  uint32_t n = 0;
  if (!r.U32(&n)) return Status::Data("js store: truncated metadata");
  std::vector<ObjectMeta> out;
  out.reserve(n < 4096 ? n : 4096);
  for (uint32_t i = 0; i < n; ++i) {
    ObjectMeta m;
    uint32_t len = 0;
    double size = 0, lm = 0;
    if (!r.U32(&len) || !r.Bytes(len, &m.key) || !r.F64(&size) || !r.F64(&lm) || !r.U32(&len) ||
        !r.Bytes(len, &m.version)) {
      return Status::Data("js store: truncated metadata");
    }
    if (!(size >= 0) || size > 9007199254740992.0) {
      return Status::Data("js store: object size out of range for " + m.key);
    }
    m.size_bytes = static_cast<uint64_t>(size);
    m.last_modified_ms = static_cast<int64_t>(lm);
    out.push_back(std::move(m));
  }
  if (!r.done()) return Status::Data("js store: trailing bytes after metadata");
  return out;
}

void ReleaseJsHandle(int handle) { slatedb_js_release(handle); }

void JsStoreOp(int handle, JsStoreOpKind op, std::string_view key, std::string_view data, double n1,
               double n2, int put_mode, std::string_view text, PendingStoreOp* ctx) {
  slatedb_js_store_op(handle, static_cast<int>(op), key.data(), key.size(), data.data(),
                      data.size(), n1, n2, put_mode, text.data(), text.size(), ctx);
}

void JsPost(void* task) { slatedb_js_post(task); }

void JsPostAfter(double delay_ms, void* task) { slatedb_js_post_after(delay_ms, task); }

double JsNowMillis() { return slatedb_js_now(); }

Result<std::string> JsMerge(int handle, std::string_view key, const std::string_view* existing,
                            std::string_view operand) {
  char* out = nullptr;
  size_t out_len = 0;
  int code = slatedb_js_merge(handle, key.data(), key.size(), existing != nullptr ? 1 : 0,
                              existing != nullptr ? existing->data() : nullptr,
                              existing != nullptr ? existing->size() : 0, operand.data(),
                              operand.size(), &out, &out_len);
  std::string bytes(out, out_len);
  std::free(out);
  if (code != 0) return Status::Invalid(bytes);  // the operator threw or returned no bytes
  return bytes;
}

Result<std::optional<size_t>> JsPrefixLen(int handle, std::string_view data, bool is_point) {
  char* err = nullptr;
  size_t err_len = 0;
  double n =
      slatedb_js_prefix_len(handle, data.data(), data.size(), is_point ? 1 : 0, &err, &err_len);
  if (n == -2) {
    std::string message(err, err_len);
    std::free(err);
    return Status::Invalid(message);
  }
  if (n < 0) return std::optional<size_t>();
  return std::optional<size_t>(static_cast<size_t>(n));  // JS checked it is an integer <= size
}

}  // namespace slatedb::wasm

// --- exports
// --------------------------------------------------------------------------------------

extern "C" {

// A store call finished: `ctx` is the PendingStoreOp given to slatedb_js_store_op; `code` is
// empty on success, else the error's code name. Called exactly once per ctx, from a promise
// continuation.
EMSCRIPTEN_KEEPALIVE void slatedb_store_op_done(void* ctx, const char* code, size_t code_len,
                                                const char* msg, size_t msg_len, const char* buf,
                                                size_t buf_len) {
  std::unique_ptr<slatedb::wasm::PendingStoreOp> op(
      static_cast<slatedb::wasm::PendingStoreOp*>(ctx));
  slatedb::Status status = code_len == 0
                               ? slatedb::Status::Ok()
                               : slatedb::wasm::StatusFromStoreCode(
                                     std::string_view(code, code_len), std::string(msg, msg_len));
  op->Complete(std::move(status), std::string_view(buf, buf_len));
}

// Runs and frees a task queued by JsPost / JsPostAfter.
EMSCRIPTEN_KEEPALIVE void slatedb_run_task(void* task) {
  std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(task));
  (*fn)();
}

}  // extern "C"
