// SPDX-License-Identifier: Apache-2.0
//
// Arena: bump allocation for memtable nodes and their bytes. Memory is released only when
// the arena dies, so pointers into it stay valid for the memtable's whole life; that is
// what lets WAL buffers and iterators refer to rows without copying them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace slatedb {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns `bytes` bytes aligned for any scalar type. Not thread-safe.
  char* Allocate(size_t bytes) {
    bytes = (bytes + kAlign - 1) & ~(kAlign - 1);
    if (bytes > remaining_) return AllocateFallback(bytes);
    char* out = cursor_;
    cursor_ += bytes;
    remaining_ -= bytes;
    return out;
  }

  // Bytes reserved from the system so far.
  size_t memory_usage() const { return memory_usage_; }

 private:
  static constexpr size_t kAlign = alignof(std::max_align_t);
  static constexpr size_t kBlockBytes = 1 << 20;

  char* AllocateFallback(size_t bytes) {
    if (bytes > kBlockBytes / 4) return NewBlock(bytes);  // large rows get their own block
    cursor_ = NewBlock(kBlockBytes);
    remaining_ = kBlockBytes;
    char* out = cursor_;
    cursor_ += bytes;
    remaining_ -= bytes;
    return out;
  }
  char* NewBlock(size_t bytes) {
    blocks_.push_back(std::unique_ptr<char[]>(new char[bytes]));
    memory_usage_ += bytes;
    return blocks_.back().get();
  }

  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t memory_usage_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
};

}  // namespace slatedb
