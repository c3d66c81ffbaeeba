// SPDX-License-Identifier: Apache-2.0
#include "js_filters.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "db_handles.h"
#include "js_host.h"

namespace slatedb::wasm {
namespace {

// A PrefixExtractor whose PrefixLen is the JS object's prefixLen(data, isPoint).
class JsPrefixExtractor final : public PrefixExtractor {
 public:
  JsPrefixExtractor(std::string name, int handle) : name_(std::move(name)), owner_(handle) {}

  std::string Name() const override { return name_; }

  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool is_point) const override {
    return JsPrefixLen(owner_.handle, data, is_point);
  }

 private:
  const std::string name_;
  JsHandleOwner owner_;
};

class Cursor {
 public:
  Cursor(const char* data, size_t len) : data_(data), len_(len) {}
  template <typename T>
  bool Fixed(T* v) {
    if (len_ - at_ < sizeof(T)) return false;
    std::memcpy(v, data_ + at_, sizeof(T));  // wasm is little-endian
    at_ += sizeof(T);
    return true;
  }
  bool Bytes(uint32_t n, std::string* out) {
    if (len_ - at_ < n) return false;
    out->assign(data_ + at_, n);
    at_ += n;
    return true;
  }
  bool done() const { return at_ == len_; }

 private:
  const char* data_;
  size_t len_;
  size_t at_ = 0;
};

// One extractor record: nullptr for handle 0; false if malformed.
bool ReadExtractor(Cursor& in, std::shared_ptr<const PrefixExtractor>* out) {
  int32_t handle = 0;
  if (!in.Fixed(&handle)) return false;
  if (handle == 0) return true;
  uint32_t name_len = 0;
  std::string name;
  if (!in.Fixed(&name_len) || !in.Bytes(name_len, &name)) {
    ReleaseJsHandle(handle);  // owned from the moment it was read
    return false;
  }
  *out = std::make_shared<JsPrefixExtractor>(std::move(name), handle);
  return true;
}

}  // namespace

Result<JsFilterOptions> FilterOptionsFromJs(const char* data, size_t len) {
  const Status malformed = Status::Invalid("open: malformed filter options");
  JsFilterOptions out;
  if (len == 0) return out;
  Cursor in(data, len);
  uint8_t has_policies = 0;
  if (!in.Fixed(&has_policies)) return malformed;
  if (has_policies != 0) {
    uint32_t count = 0;
    if (!in.Fixed(&count)) return malformed;
    std::vector<FilterPolicy> policies;
    for (uint32_t i = 0; i < count; ++i) {
      FilterPolicy p;
      uint8_t whole = 1;
      if (!in.Fixed(&p.bits_per_key) || !in.Fixed(&whole) ||
          !ReadExtractor(in, &p.prefix_extractor)) {
        return malformed;
      }
      p.whole_key_filtering = whole != 0;
      policies.push_back(std::move(p));
    }
    out.filter_policies = std::move(policies);
  }
  if (!ReadExtractor(in, &out.segment_extractor) || !in.done()) return malformed;
  return out;
}

}  // namespace slatedb::wasm
