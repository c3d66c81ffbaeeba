// SPDX-License-Identifier: Apache-2.0
//
// What JS holds for databases, snapshots, readers and iterators (opaque pointers to these
// holders), and settle helpers shared by the binding files (bindings.cc,
// checkpoint_reader_bindings.cc). Each holder keeps what its object needs alive through
// shared_ptrs, so freeing a handle while a call is in flight is safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "js_host.h"
#include "slatedb/db.h"
#include "slatedb/iterator.h"
#include "slatedb/options.h"
#include "slatedb/reader.h"

namespace slatedb::wasm {

struct DbHolder {
  std::shared_ptr<Db> db;
};

struct ReaderHolder {
  std::shared_ptr<DbReader> reader;
};

struct IterHolder {
  std::shared_ptr<void> owner;  // the Db or DbReader: the iterator's tables belong to it
  std::unique_ptr<DbIterator> it;
  std::shared_ptr<Snapshot> snapshot;  // set for a snapshot's scan
};

struct SnapshotHolder {
  std::shared_ptr<Db> db;
  std::shared_ptr<Snapshot> snapshot;
};

// Settles `call` with an IterHolder handle (a heap shared_ptr<IterHolder>*, as a number).
inline void SettleIterator(int call, std::shared_ptr<void> owner,
                           std::shared_ptr<Snapshot> snapshot,
                           Result<std::unique_ptr<DbIterator>> r) {
  if (!r.ok()) return SettleError(call, r.status());
  auto* holder = new std::shared_ptr<IterHolder>(std::make_shared<IterHolder>(
      IterHolder{std::move(owner), std::move(*r), std::move(snapshot)}));
  SettleOk(call, {}, static_cast<double>(reinterpret_cast<uintptr_t>(holder)));
}

// Settles a read: the value with num = 1, or num = 0 when absent.
// Keys of getMany: each as a u32 (little-endian) length and its bytes. Invalid if malformed.
inline Result<std::vector<std::string>> KeysFromJs(const char* data, size_t len) {
  std::vector<std::string> keys;
  size_t at = 0;
  while (at < len) {
    uint32_t n = 0;
    if (len - at < 4) return Status::Invalid("getMany: malformed key list");
    std::memcpy(&n, data + at, 4);
    at += 4;
    if (len - at < n) return Status::Invalid("getMany: malformed key list");
    keys.emplace_back(data + at, n);
    at += n;
  }
  return keys;
}

// warmSst's targets (args.mjs encodeCacheTargets): per target a u8 kind (CacheTarget::Kind),
// a u8 of flags (1 has start, 2 start inclusive, 4 has end, 8 end inclusive), then the
// start and the end that are present, each a u32 (little-endian) length and its bytes.
inline Result<std::vector<CacheTarget>> CacheTargetsFromJs(const char* data, size_t len) {
  const Status malformed = Status::Invalid("warmSst: malformed target list");
  std::vector<CacheTarget> targets;
  size_t at = 0;
  auto bound = [&](std::optional<std::string>* out) {
    uint32_t n = 0;
    if (len - at < 4) return false;
    std::memcpy(&n, data + at, 4);
    at += 4;
    if (len - at < n) return false;
    out->emplace(data + at, n);
    at += n;
    return true;
  };
  while (at < len) {
    if (len - at < 2) return malformed;
    const auto kind = static_cast<uint8_t>(data[at]);
    const auto flags = static_cast<uint8_t>(data[at + 1]);
    at += 2;
    if (kind > static_cast<uint8_t>(CacheTarget::Kind::kData)) return malformed;
    CacheTarget t = CacheTarget::AllData();
    t.kind = static_cast<CacheTarget::Kind>(kind);
    t.start_inclusive = (flags & 2) != 0;
    t.end_inclusive = (flags & 8) != 0;
    if ((flags & 1) != 0 && !bound(&t.start)) return malformed;
    if ((flags & 4) != 0 && !bound(&t.end)) return malformed;
    targets.push_back(std::move(t));
  }
  return targets;
}

// Resolves getMany: per key, in order, a u32 length and the value, or 0xFFFFFFFF (absent).
inline void SettleMany(int call, const Result<std::vector<std::optional<std::string>>>& r) {
  if (!r.ok()) return SettleError(call, r.status());
  size_t total = 0;
  for (const auto& v : *r) total += 4 + (v ? v->size() : 0);
  std::string out;
  out.reserve(total);
  for (const auto& v : *r) {
    uint32_t n = v ? static_cast<uint32_t>(v->size()) : 0xFFFFFFFFu;
    out.append(reinterpret_cast<const char*>(&n), 4);
    if (v) out += *v;
  }
  SettleOk(call, out, static_cast<double>(r->size()));
}

inline void SettleGet(int call, const Result<std::optional<std::string>>& r) {
  if (!r.ok()) return SettleError(call, r.status());
  if (!r->has_value()) return SettleOk(call, {}, 0);
  SettleOk(call, **r, 1);
}

inline void SettleStatus(int call, const Status& st) {
  if (!st.ok()) return SettleError(call, st);
  SettleOk(call);
}

// Releases a JS handle (merge operator) when the last C++ user goes away.
struct JsHandleOwner {
  explicit JsHandleOwner(int h) : handle(h) {}
  ~JsHandleOwner() { ReleaseJsHandle(handle); }
  JsHandleOwner(const JsHandleOwner&) = delete;
  JsHandleOwner& operator=(const JsHandleOwner&) = delete;
  int handle;
};

// The merge operator calling the JS function registered as `handle` (0: none).
inline MergeOperator MergeOperatorFromJs(int handle) {
  if (handle == 0) return {};
  auto owner = std::make_shared<JsHandleOwner>(handle);
  return [owner](std::string_view key, std::optional<std::string_view> existing,
                 std::string_view operand) -> Result<std::string> {
    return JsMerge(owner->handle, key, existing ? &*existing : nullptr, operand);
  };
}

inline ReadOptions ReadOptionsFromJs(int durability, int dirty) {
  ReadOptions o;
  o.durability_filter = durability == 1 ? DurabilityLevel::kRemote : DurabilityLevel::kMemory;
  o.dirty = dirty != 0;
  return o;
}

// Scan options: read options, order (1 descending, else ascending) and, when
// `has_filter_prefix`, ScanOptions::filter_prefix (scanPrefix's prefix or the filterPrefix
// option; may be empty).
inline ScanOptions ScanOptionsFromJs(int durability, int dirty, int order,
                                     const char* filter_prefix, size_t filter_prefix_len,
                                     int has_filter_prefix) {
  ScanOptions o;
  static_cast<ReadOptions&>(o) = ReadOptionsFromJs(durability, dirty);
  o.order = order == 1 ? IterationOrder::kDescending : IterationOrder::kAscending;
  if (has_filter_prefix != 0) {
    o.filter_prefix.emplace(filter_prefix_len > 0 ? std::string(filter_prefix, filter_prefix_len)
                                                  : std::string());
  }
  return o;
}

}  // namespace slatedb::wasm
