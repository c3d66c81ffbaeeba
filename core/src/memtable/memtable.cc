// SPDX-License-Identifier: Apache-2.0
#include "memtable/memtable.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>
#include <new>

namespace slatedb {

namespace {
// Bytes a row adds to an encoded SST, roughly: key, value, seq, flags, lengths, timestamps.
constexpr uint64_t kRowOverheadBytes = 24;
}  // namespace

namespace {
constexpr size_t kInitialIndexSlots = 1024;

// Inlined: hashing is a visible share of a memtable point read.
inline uint64_t HashKey(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }
}  // namespace

Memtable::HashIndex* Memtable::NewIndex(size_t capacity) {
  char* mem = arena_.Allocate(sizeof(HashIndex) + sizeof(IndexSlot) * capacity);
  auto* index = new (mem) HashIndex{capacity - 1, nullptr};
  index->slots = reinterpret_cast<IndexSlot*>(mem + sizeof(HashIndex));
  for (size_t i = 0; i < capacity; ++i) new (&index->slots[i]) IndexSlot{{nullptr}, 0};
  return index;
}

void Memtable::IndexInsert(Node* node) {
  HashIndex* index = index_.load(std::memory_order_relaxed);
  if ((index_keys_ + 1) * 2 > index->mask + 1) {
    HashIndex* bigger = NewIndex((index->mask + 1) * 2);
    for (size_t i = 0; i <= index->mask; ++i) {
      Node* n = index->slots[i].node.load(std::memory_order_relaxed);
      if (n == nullptr) continue;
      const uint64_t hash = index->slots[i].hash;
      size_t slot = hash & bigger->mask;
      while (bigger->slots[slot].node.load(std::memory_order_relaxed) != nullptr) {
        slot = (slot + 1) & bigger->mask;
      }
      bigger->slots[slot].hash = hash;
      bigger->slots[slot].node.store(n, std::memory_order_relaxed);
    }
    index_.store(bigger, std::memory_order_release);
    index = bigger;
  }
  const uint64_t hash = HashKey(node->key_view());
  size_t slot = hash & index->mask;
  for (;;) {
    IndexSlot& entry = index->slots[slot];
    Node* existing = entry.node.load(std::memory_order_relaxed);
    if (existing == nullptr) {
      entry.hash = hash;
      entry.node.store(node, std::memory_order_release);
      ++index_keys_;
      return;
    }
    if (entry.hash == hash && existing->key_view() == node->key_view()) {
      if (node->seq > existing->seq) entry.node.store(node, std::memory_order_release);
      return;
    }
    slot = (slot + 1) & index->mask;
  }
}

const Memtable::Node* Memtable::FindNewest(std::string_view key) const {
  const HashIndex* index = index_.load(std::memory_order_acquire);
  const uint64_t hash = HashKey(key);
  size_t slot = hash & index->mask;
  for (;;) {
    const IndexSlot& entry = index->slots[slot];
    const Node* n = entry.node.load(std::memory_order_acquire);
    if (n == nullptr) return nullptr;
    if (entry.hash == hash && n->key_view() == key) return n;
    slot = (slot + 1) & index->mask;
  }
}

Memtable::Memtable() {
  char* mem = arena_.Allocate(sizeof(Node) + sizeof(std::atomic<Node*>) * kMaxHeight);
  head_ = new (mem) Node{};
  head_->height = kMaxHeight;
  for (int i = 0; i < kMaxHeight; ++i) new (&head_->links()[i]) std::atomic<Node*>(nullptr);
  index_.store(NewIndex(kInitialIndexSlots), std::memory_order_release);
}

int Memtable::RandomHeight() {
  int height = 1;
  while (height < kMaxHeight && random_.Uniform(4) == 0) ++height;
  return height;
}

uint64_t Memtable::KeyPrefix(std::string_view key) {
  uint64_t prefix = 0;
  size_t n = key.size() < 8 ? key.size() : 8;
  for (size_t i = 0; i < n; ++i) {
    prefix |= static_cast<uint64_t>(static_cast<unsigned char>(key[i])) << (56 - 8 * i);
  }
  return prefix;
}

Memtable::Node* Memtable::FindGreaterOrEqual(std::string_view key, uint64_t seq, Node** prev,
                                             int* top_level) const {
  const uint64_t prefix = KeyPrefix(key);
  // Whether `node` sorts before (key, seq).
  auto before = [&](const Node* node) {
    if (node->key_prefix != prefix) return node->key_prefix < prefix;
    return CompareInternal(node->key_view(), node->seq, key, seq) < 0;
  };
  Node* x = head_;
  int level = max_height() - 1;
  if (top_level != nullptr) *top_level = level;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && before(next)) {
      x = next;
    } else {
      if (prev != nullptr) prev[level] = x;
      if (level == 0) return next;
      --level;
    }
  }
}

void Memtable::FindLast(Node** prev, int* top_level) const {
  Node* x = head_;
  int level = max_height() - 1;
  *top_level = level;
  for (;;) {
    Node* next = x->Next(level);
    if (next != nullptr) {
      x = next;
      continue;
    }
    prev[level] = x;
    if (level == 0) return;
    --level;
  }
}

RowView Memtable::Add(const RowView& row) {
  Node* prev[kMaxHeight];
  FindGreaterOrEqual(row.key, row.seq, prev);
  int height = RandomHeight();
  if (height > max_height()) {
    for (int i = max_height(); i < height; ++i) prev[i] = head_;
    // Readers that see the new height before the node find head_'s null links: harmless.
    max_height_.store(height, std::memory_order_relaxed);
  }
  static_assert(sizeof(Node) % alignof(std::atomic<Node*>) == 0, "links must be aligned");
  size_t node_bytes = sizeof(Node) + sizeof(std::atomic<Node*>) * height;
  char* mem = arena_.Allocate(node_bytes + row.key.size() + row.value.size());
  char* key_mem = mem + node_bytes;
  if (!row.key.empty()) std::memcpy(key_mem, row.key.data(), row.key.size());
  if (!row.value.empty()) std::memcpy(key_mem + row.key.size(), row.value.data(), row.value.size());
  Node* node = new (mem) Node{KeyPrefix(row.key),
                              row.seq,
                              row.expire_ts,
                              row.create_ts,
                              static_cast<uint32_t>(row.key.size()),
                              static_cast<uint32_t>(row.value.size()),
                              row.kind,
                              static_cast<uint8_t>(height)};
  for (int i = 0; i < height; ++i) {
    new (&node->links()[i]) std::atomic<Node*>(prev[i]->Next(i));
    prev[i]->SetNext(i, node);
  }
  IndexInsert(node);  // after linking: a reader that finds it can walk on from it
  estimated_bytes_.fetch_add(row.key.size() + row.value.size() + kRowOverheadBytes,
                             std::memory_order_relaxed);
  num_rows_.fetch_add(1, std::memory_order_relaxed);
  return node->view();
}

void Memtable::Iterator::SeekToFirst() { node_ = table_->head_->Next(0); }

void Memtable::Iterator::Seek(std::string_view key) {
  node_ = table_->FindGreaterOrEqual(key, UINT64_MAX, nullptr);
}

void Memtable::Iterator::Next() { node_ = node_->Next(0); }

RowView Memtable::Iterator::row() const { return node_->view(); }

void Memtable::ReverseIterator::FillBefore(std::string_view key, uint64_t seq, bool to_end) {
  Node* prev[kMaxHeight];
  int top = 0;
  const Node* limit = nullptr;
  if (to_end) {
    table_->FindLast(prev, &top);
  } else {
    limit = table_->FindGreaterOrEqual(key, seq, prev, &top);
  }
  const Node* from = prev[top < kChunkLevel ? top : kChunkLevel];
  chunk_.clear();
  if (from == table_->head_) from = from->Next(0);
  // Nodes are never unlinked, and one inserted since the descent that lands in between is
  // met here too (it is newer than any read's sequence cap, so harmless).
  for (const Node* n = from; n != limit; n = n->Next(0)) chunk_.push_back(n);
  pos_ = chunk_.size();
}

void Memtable::ReverseIterator::SeekBefore(std::string_view key) {
  FillBefore(key, UINT64_MAX, key.empty());
}

void Memtable::ReverseIterator::Prev() {
  if (--pos_ > 0) return;
  // The buffer is used up: collect the nodes before its first one.
  const Node* first = chunk_.front();
  FillBefore(first->key_view(), first->seq, false);
}

RowView Memtable::ReverseIterator::row() const { return chunk_[pos_ - 1]->view(); }

}  // namespace slatedb
