// SPDX-License-Identifier: Apache-2.0
#include "memtable/memtable.h"

#include <cstring>
#include <new>

namespace slatedb {

namespace {
// Bytes a row adds to an encoded SST, roughly: key, value, seq, flags, lengths, timestamps.
constexpr uint64_t kRowOverheadBytes = 24;
}  // namespace

Memtable::Memtable() {
  char* mem = arena_.Allocate(sizeof(Node) + sizeof(std::atomic<Node*>) * (kMaxHeight - 1));
  head_ = new (mem) Node{};
  for (int i = 0; i < kMaxHeight; ++i) head_->next[i].store(nullptr, std::memory_order_relaxed);
}

int Memtable::RandomHeight() {
  int height = 1;
  while (height < kMaxHeight && random_.Uniform(4) == 0) ++height;
  return height;
}

Memtable::Node* Memtable::FindGreaterOrEqual(std::string_view key, uint64_t seq,
                                             Node** prev) const {
  Node* x = head_;
  int level = max_height() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && CompareInternal(next->key_view(), next->seq, key, seq) < 0) {
      x = next;
    } else {
      if (prev != nullptr) prev[level] = x;
      if (level == 0) return next;
      --level;
    }
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
  size_t node_bytes = sizeof(Node) + sizeof(std::atomic<Node*>) * (height - 1);
  char* mem = arena_.Allocate(node_bytes + row.key.size() + row.value.size());
  char* key_mem = mem + node_bytes;
  char* value_mem = key_mem + row.key.size();
  if (!row.key.empty()) std::memcpy(key_mem, row.key.data(), row.key.size());
  if (!row.value.empty()) std::memcpy(value_mem, row.value.data(), row.value.size());
  Node* node = new (mem) Node{key_mem,
                              value_mem,
                              static_cast<uint32_t>(row.key.size()),
                              static_cast<uint32_t>(row.value.size()),
                              row.seq,
                              row.expire_ts,
                              row.create_ts,
                              row.kind,
                              {}};
  for (int i = 0; i < height; ++i) {
    node->next[i].store(prev[i]->Next(i), std::memory_order_relaxed);
    prev[i]->SetNext(i, node);
  }
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

}  // namespace slatedb
