// SPDX-License-Identifier: Apache-2.0
#include "js_object_store.h"

#include <limits>
#include <utility>

namespace slatedb::wasm {

namespace {

template <typename F>
class PendingFn final : public PendingStoreOp {
 public:
  explicit PendingFn(F f) : f_(std::move(f)) {}
  void Complete(Status status, std::string_view payload) override {
    f_(std::move(status), payload);
  }

 private:
  F f_;
};

template <typename F>
PendingStoreOp* Pending(F f) {
  return new PendingFn<F>(std::move(f));
}

// The single ObjectMeta of a Head or Put answer.
Result<ObjectMeta> OneMeta(std::string_view payload) {
  Result<std::vector<ObjectMeta>> metas = DecodeMetas(payload);
  if (!metas.ok()) return metas.status();
  if (metas->size() != 1) return Status::Data("js store: expected one ObjectMeta");
  return std::move((*metas)[0]);
}

}  // namespace

JsObjectStore::JsObjectStore(int js_handle, std::string description)
    : handle_(js_handle), description_(std::move(description)) {}

JsObjectStore::~JsObjectStore() { ReleaseJsHandle(handle_); }

void JsObjectStore::Get(const std::string& key, Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  JsStoreOp(handle_, JsStoreOpKind::kGet, key, {}, 0, 0, 0, {},
            Pending([done = std::move(done)](Status st, std::string_view payload) {
              if (!st.ok()) return done(std::move(st));
              done(std::string(payload));
            }));
}

void JsObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                             Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  // JS integers are exact up to 2^53-1 (Number.MAX_SAFE_INTEGER, the most a store's
  // checkRange accepts); a longer length means "to the end", which the protocol spells
  // Infinity. (2^53 itself is not a safe integer: clamping to it made GetRange(0,
  // UINT64_MAX) an Invalid on every JS store.)
  constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;
  if (offset > kMaxSafe) return done(Status::Invalid("range offset too large: " + key));
  double len =
      length > kMaxSafe ? std::numeric_limits<double>::infinity() : static_cast<double>(length);
  JsStoreOp(handle_, JsStoreOpKind::kGetRange, key, {}, static_cast<double>(offset), len, 0, {},
            Pending([done = std::move(done), length](Status st, std::string_view payload) {
              if (!st.ok()) return done(std::move(st));
              if (payload.size() > length) {
                return done(Status::Data("js store: getRange returned more bytes than asked"));
              }
              done(std::string(payload));
            }));
}

void JsObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  JsStoreOp(handle_, JsStoreOpKind::kHead, key, {}, 0, 0, 0, {},
            Pending([done = std::move(done)](Status st, std::string_view payload) {
              if (!st.ok()) return done(std::move(st));
              done(OneMeta(payload));
            }));
}

void JsObjectStore::Put(const std::string& key, std::string data, const StorePutOptions& options,
                        Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  // The bytes are copied into a JS Uint8Array inside this call.
  JsStoreOp(handle_, JsStoreOpKind::kPut, key, data, 0, 0, static_cast<int>(options.mode),
            options.expected_version,
            Pending([done = std::move(done)](Status st, std::string_view payload) {
              if (!st.ok()) return done(std::move(st));
              done(OneMeta(payload));
            }));
}

void JsObjectStore::List(const std::string& prefix, const std::string& start_after,
                         Callback<std::vector<ObjectMeta>> done) {
  JsStoreOp(handle_, JsStoreOpKind::kList, prefix, {}, 0, 0, 0, start_after,
            Pending([done = std::move(done)](Status st, std::string_view payload) {
              if (!st.ok()) return done(std::move(st));
              done(DecodeMetas(payload));
            }));
}

void JsObjectStore::Delete(const std::string& key, StatusCallback done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  JsStoreOp(
      handle_, JsStoreOpKind::kDelete, key, {}, 0, 0, 0, {},
      Pending([done = std::move(done)](Status st, std::string_view) { done(std::move(st)); }));
}

std::string JsObjectStore::Describe() const { return description_; }

}  // namespace slatedb::wasm
