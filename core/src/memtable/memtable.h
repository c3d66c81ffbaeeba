// SPDX-License-Identifier: Apache-2.0
//
// Memtable: the in-memory sorted store of recent writes, a skiplist ordered by (key asc,
// seq desc) that keeps every version. One writer at a time (the engine serializes writes
// under its mutex); any number of readers concurrently, without locks: nodes are published
// with release stores and never removed, and their bytes live in an arena until the
// memtable is destroyed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "format/row.h"
#include "memtable/arena.h"
#include "util/random.h"

namespace slatedb {

class Memtable {
 public:
  Memtable();
  Memtable(const Memtable&) = delete;
  Memtable& operator=(const Memtable&) = delete;

  // Copies `row` into the memtable and returns a view of the stored copy (valid for the
  // memtable's life). REQUIRES: writers serialized; (key, seq) not already present.
  RowView Add(const RowView& row);

  // Calls `visit(const RowView&)` for the versions of `key` with seq <= max_seq, newest
  // first, until it returns false.
  template <typename Visit>
  void ForEachVersion(std::string_view key, uint64_t max_seq, Visit&& visit) const;

  // The newest version of `key` added so far, or null. O(1): a hash index next to the
  // skiplist, so point reads skip the skiplist's cache-missing descent.
  struct Node;
  const Node* FindNewest(std::string_view key) const;

  // Rough size of this memtable as an SST, used for freeze decisions and backpressure.
  uint64_t estimated_bytes() const { return estimated_bytes_.load(std::memory_order_relaxed); }
  uint64_t num_rows() const { return num_rows_.load(std::memory_order_relaxed); }
  bool empty() const { return num_rows() == 0; }

  // Walks rows in internal order. Sees rows added after it was created (callers cap by
  // seq). Valid as long as the memtable is.
  class Iterator {
   public:
    explicit Iterator(const Memtable* table) : table_(table) {}
    bool Valid() const { return node_ != nullptr; }
    void SeekToFirst();
    // First row with key >= `key` (its newest version).
    void Seek(std::string_view key);
    void Next();
    RowView row() const;

   private:
    const Memtable* table_;
    const Node* node_ = nullptr;
  };

  // Walks rows in reverse internal order (key descending, then seq ascending). The skiplist
  // links only point forward, so it finds, with one descent, a node some levels up before
  // its position and collects the level-0 nodes from there in a small buffer that it then
  // serves from the end: one descent per ~4^kChunkLevel rows instead of one per row.
  class ReverseIterator {
   public:
    explicit ReverseIterator(const Memtable* table) : table_(table) {}
    bool Valid() const { return pos_ > 0; }
    // Positions at the last row with key < `key`; `key` empty: the last row.
    void SeekBefore(std::string_view key);
    void Prev();
    RowView row() const;

   private:
    static constexpr int kChunkLevel = 2;
    // Buffers the nodes before the first one at or after (key, seq) (all: to_end).
    void FillBefore(std::string_view key, uint64_t seq, bool to_end);

    const Memtable* table_;
    std::vector<const Node*> chunk_;  // in internal order; served from the back
    size_t pos_ = 0;                  // chunk_[pos_ - 1] is the current row
  };

 private:
  static constexpr int kMaxHeight = 12;

  int RandomHeight();
  // The first node at or after (key, seq) in internal order; fills prev[] if given (the
  // levels up to *top_level, which is set if given).
  Node* FindGreaterOrEqual(std::string_view key, uint64_t seq, Node** prev,
                           int* top_level = nullptr) const;
  // Fills prev[] (levels up to *top_level) with the last node of each level.
  void FindLast(Node** prev, int* top_level) const;
  static uint64_t KeyPrefix(std::string_view key);
  int max_height() const { return max_height_.load(std::memory_order_relaxed); }

  // Open-addressing table of each key's newest node. Grown by building a larger copy and
  // publishing it; readers holding the old one still find every key that existed before
  // the growth, and versions added after it are newer than anything they may read.
  // Each slot keeps its key's hash next to the node pointer: growing the table rehashes
  // from the slots alone, and probes skip other keys without touching their nodes. A slot's
  // hash is written before its node is published and never changes afterwards (a newer
  // version of the same key has the same hash).
  struct IndexSlot {
    std::atomic<Node*> node;
    uint64_t hash;
  };
  struct HashIndex {
    size_t mask;
    IndexSlot* slots;
  };
  void IndexInsert(Node* node);
  HashIndex* NewIndex(size_t capacity);

  Arena arena_;
  Node* head_;
  std::atomic<HashIndex*> index_{nullptr};
  size_t index_keys_ = 0;  // distinct keys in index_ (writer only)
  std::atomic<int> max_height_{1};
  Random random_{0x5EED5EEDull};
  std::atomic<uint64_t> estimated_bytes_{0};
  std::atomic<uint64_t> num_rows_{0};
};

struct Memtable::Node {
  // The key's first 8 bytes, big-endian and zero-padded: ordering two prefixes orders the
  // keys unless the prefixes are equal, so a skiplist descent over keys that differ early
  // decides almost every step from the node header, without touching the key bytes.
  uint64_t key_prefix;
  uint64_t seq;
  int64_t expire_ts;
  int64_t create_ts;
  uint32_t key_len;
  uint32_t value_len;
  RowKind kind;
  uint8_t height;
  // The node's `height` links follow it in the same allocation, then the key bytes, then
  // the value bytes. Not array members: indexing past a declared `next[1]` is undefined,
  // and clang (the wasm build) exploits it.
  std::atomic<Node*>* links() {
    return reinterpret_cast<std::atomic<Node*>*>(reinterpret_cast<char*>(this) + sizeof(Node));
  }
  const std::atomic<Node*>* links() const {
    return reinterpret_cast<const std::atomic<Node*>*>(reinterpret_cast<const char*>(this) +
                                                       sizeof(Node));
  }
  const char* key_data() const {
    return reinterpret_cast<const char*>(this) + sizeof(Node) + sizeof(std::atomic<Node*>) * height;
  }

  std::string_view key_view() const { return {key_data(), key_len}; }
  RowView view() const {
    const char* key = key_data();
    return RowView{std::string_view(key, key_len),
                   seq,
                   kind,
                   std::string_view(key + key_len, value_len),
                   expire_ts,
                   create_ts};
  }
  Node* Next(int level) const { return links()[level].load(std::memory_order_acquire); }
  void SetNext(int level, Node* n) { links()[level].store(n, std::memory_order_release); }
};

template <typename Visit>
void Memtable::ForEachVersion(std::string_view key, uint64_t max_seq, Visit&& visit) const {
  // Versions of a key are adjacent, newest first, so walk forward from the newest.
  for (const Node* n = FindNewest(key); n != nullptr && n->key_view() == key; n = n->Next(0)) {
    if (n->seq > max_seq) continue;
    if (!visit(n->view())) return;
  }
}

}  // namespace slatedb
