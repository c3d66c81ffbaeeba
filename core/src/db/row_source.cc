// SPDX-License-Identifier: Apache-2.0
#include "db/row_source.h"

#include <optional>

namespace slatedb {

namespace {

const Status& OkStatus() {
  static const Status* ok = new Status();
  return *ok;
}

class MemtableSource final : public RowSource {
 public:
  MemtableSource(std::shared_ptr<Memtable> table, std::string end)
      : table_(std::move(table)), it_(table_.get()), end_(std::move(end)) {}

  void Seek(std::string_view key) override { it_.Seek(key); }
  bool NeedsIo() const override { return false; }
  Task<Status> DoIo() override { co_return Status::Ok(); }
  bool Valid() const override {
    return it_.Valid() && (end_.empty() || it_.row().key < std::string_view(end_));
  }
  RowView row() const override { return it_.row(); }
  void Next() override { it_.Next(); }
  const Status& status() const override { return OkStatus(); }

 private:
  std::shared_ptr<Memtable> table_;
  Memtable::Iterator it_;
  std::string end_;
};

class SstSource final : public RowSource {
 public:
  SstSource(TableStore* tables, SstRef ref, std::string end)
      : tables_(tables), ref_(std::move(ref)), end_(std::move(end)) {}

  void Seek(std::string_view key) override {
    target_.assign(key);
    exhausted_ = false;
    block_.reset();
    if (!handle_) {
      handle_ = tables_->TryGetOpen(ref_.id);
      if (!handle_) {
        pending_ = Pending::kOpen;
        return;
      }
    }
    PositionAt(handle_->index.FindBlock(target_));
  }

  bool NeedsIo() const override { return pending_ != Pending::kNone; }

  Task<Status> DoIo() override {
    if (pending_ == Pending::kOpen) {
      Result<std::shared_ptr<const SstHandle>> h = co_await tables_->Open(ref_);
      if (!h.ok()) co_return Fail(h.status());
      handle_ = std::move(*h);
      pending_ = Pending::kNone;
      PositionAt(handle_->index.FindBlock(target_));
    } else if (pending_ == Pending::kBlock) {
      Result<std::shared_ptr<const Block>> b =
          co_await tables_->ReadBlock(handle_, pending_block_, /*fill_cache=*/false);
      if (!b.ok()) co_return Fail(b.status());
      pending_ = Pending::kNone;
      size_t index = pending_block_;
      if (!EnterBlock(index, std::move(*b)) && status_.ok()) PositionAt(index + 1);
    }
    co_return status_;
  }

  bool Valid() const override {
    return pending_ == Pending::kNone && !exhausted_ && status_.ok() && block_ && it_ && it_->Valid() &&
           (end_.empty() || it_->row().key < std::string_view(end_));
  }
  RowView row() const override { return it_->row(); }
  void Next() override {
    it_->Next();
    if (!it_->Valid()) FinishBlock();
  }
  const Status& status() const override { return status_; }

 private:
  enum class Pending { kNone, kOpen, kBlock };

  Status Fail(const Status& s) {
    status_ = s;
    pending_ = Pending::kNone;
    exhausted_ = true;
    return s;
  }

  // Moves to block `index` and onwards until a row >= target_ is found, the range ends,
  // or a block must be fetched.
  void PositionAt(size_t index) {
    for (;;) {
      if (index >= handle_->index.num_blocks() ||
          (!end_.empty() && handle_->index.first_key(index) >= std::string_view(end_))) {
        exhausted_ = true;
        block_.reset();
        return;
      }
      std::shared_ptr<const Block> cached = tables_->TryGetBlock(*handle_, index);
      if (!cached) {
        pending_ = Pending::kBlock;
        pending_block_ = index;
        return;
      }
      if (EnterBlock(index, std::move(cached))) return;
      if (!status_.ok()) return;
      ++index;
    }
  }

  // Positions inside `block`; false if it holds no row >= target_.
  bool EnterBlock(size_t index, std::shared_ptr<const Block> block) {
    block_ = std::move(block);
    block_index_ = index;
    it_.emplace(block_.get());
    if (target_.empty()) {
      it_->SeekToFirst();
    } else {
      it_->Seek(target_);
    }
    if (it_->Valid()) {
      target_.clear();  // later blocks start from their first row
      return true;
    }
    if (!it_->status().ok()) Fail(it_->status().WithContext("SST " + ref_.id));
    block_.reset();
    return false;
  }

  void FinishBlock() {
    if (!it_->status().ok()) {
      Fail(it_->status().WithContext("SST " + ref_.id));
      return;
    }
    target_.clear();
    size_t next = block_index_ + 1;
    block_.reset();
    PositionAt(next);
  }

  TableStore* tables_;
  SstRef ref_;
  std::string end_;
  std::shared_ptr<const SstHandle> handle_;
  std::shared_ptr<const Block> block_;
  std::optional<Block::Iterator> it_;
  size_t block_index_ = 0;
  std::string target_;
  Pending pending_ = Pending::kNone;
  size_t pending_block_ = 0;
  bool exhausted_ = false;
  Status status_;
};

}  // namespace

std::unique_ptr<RowSource> NewMemtableSource(std::shared_ptr<Memtable> table, std::string end) {
  return std::make_unique<MemtableSource>(std::move(table), std::move(end));
}

std::unique_ptr<RowSource> NewSstSource(TableStore* tables, SstRef ref, std::string end) {
  return std::make_unique<SstSource>(tables, std::move(ref), std::move(end));
}

}  // namespace slatedb
