// SPDX-License-Identifier: Apache-2.0
//
// Reading the format's FlatBuffers safely. Every FlatBuffer read from storage (manifest,
// compactions file, SST index, stats and info) goes through VerifiedRoot first: the
// FlatBuffers Verifier checks every offset, vector length and nested table against the
// buffer before a single accessor runs, with the limits SlateDB's readers use (depth 64,
// up to 1e9 tables). Accessors read scalars in place, so a buffer that is not 8-aligned is
// copied into aligned storage first.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>

namespace slatedb {

inline constexpr flatbuffers::uoffset_t kFlatBufferMaxDepth = 64;
inline constexpr flatbuffers::uoffset_t kFlatBufferMaxTables = 1'000'000'000;

// The verified root table of type T (no file identifier) in `bytes`, or nullptr if the
// buffer does not verify. The result points into `bytes` or into `*storage`, which must
// outlive it.
template <typename T>
const T* VerifiedRoot(std::string_view bytes, std::vector<uint64_t>* storage) {
  const uint8_t* data = reinterpret_cast<const uint8_t*>(bytes.data());
  if (reinterpret_cast<uintptr_t>(data) % 8 != 0) {
    storage->assign((bytes.size() + 7) / 8, 0);
    if (!bytes.empty()) std::memcpy(storage->data(), bytes.data(), bytes.size());
    data = reinterpret_cast<const uint8_t*>(storage->data());
  }
  flatbuffers::Verifier verifier(data, bytes.size(), kFlatBufferMaxDepth, kFlatBufferMaxTables);
  if (!verifier.VerifyBuffer<T>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<T>(data);
}

// The bytes of a [ubyte] vector; empty for an absent one.
inline std::string_view BytesOf(const flatbuffers::Vector<uint8_t>* v) {
  if (v == nullptr) return std::string_view();
  return std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
}

// The finished buffer of a builder as a string.
inline std::string FinishedBytes(const flatbuffers::FlatBufferBuilder& fbb) {
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

}  // namespace slatedb
