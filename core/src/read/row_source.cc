// SPDX-License-Identifier: Apache-2.0
//
// Row sources for scans and compaction: a memtable, or a run of SSTs read as one sequence
// with adaptive read-ahead (several range reads in flight).
#include "read/row_source.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

#include "util/async.h"

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

class RunSource final : public RowSource {
 public:
  RunSource(TableStore* tables, std::vector<SstRef> ssts, std::string end, ReadAhead read_ahead,
            std::optional<std::string> prefix)
      : tables_(tables),
        ssts_(std::move(ssts)),
        end_(std::move(end)),
        read_ahead_(read_ahead),
        prefix_(std::move(prefix)) {}

  void Seek(std::string_view key) override {
    target_.assign(key);
    exhausted_ = false;
    pending_ = Pending::kNone;
    block_.reset();
    // The first SST whose last key is >= key.
    auto it =
        std::lower_bound(ssts_.begin(), ssts_.end(), key,
                         [](const SstRef& ref, std::string_view k) { return ref.EndsBefore(k); });
    sst_ = static_cast<size_t>(it - ssts_.begin());
    window_blocks_ = 0;
    Position();
    SettleVisible();
  }

  bool NeedsIo() const override { return pending_ != Pending::kNone; }

  Task<Status> DoIo() override {
    if (pending_ == Pending::kOpen) {
      Result<std::shared_ptr<const SstHandle>> h = co_await tables_->Open(ssts_[sst_]);
      if (!h.ok()) co_return Fail(h.status());
      handle_ = std::move(*h);
      buffer_.clear();
      pending_ = Pending::kNone;
      Position();
    } else if (pending_ == Pending::kBlock) {
      SLATEDB_CO_RETURN_IF_ERROR(co_await Fetch(pending_block_));
      pending_ = Pending::kNone;
      if (!PositionAt(pending_block_)) NextSst();
    }
    SettleVisible();
    co_return status_;
  }

  bool Valid() const override {
    return pending_ == Pending::kNone && !exhausted_ && status_.ok() && block_ && it_ &&
           it_->Valid() && (end_.empty() || it_->row().key < std::string_view(end_));
  }
  RowView row() const override { return it_->row(); }
  void Next() override {
    it_->Next();
    if (it_->Valid()) {
      SettleVisible();  // the next row may lie past this view's visible end
      return;
    }
    if (!it_->status().ok()) {
      (void)Fail(it_->status().WithContext("SST " + handle_->id));
      return;
    }
    target_.clear();
    size_t next = block_index_ + 1;
    block_.reset();
    if (!PositionAt(next)) NextSst();
    SettleVisible();
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

  void NextSst() {
    if (exhausted_ || pending_ != Pending::kNone || !status_.ok()) return;
    ++sst_;
    target_.clear();
    Position();
  }

  // A view shows only its visible range (clone projections): a row past its end finishes
  // the view. No-op for views of whole SSTs.
  void SettleVisible() {
    while (pending_ == Pending::kNone && !exhausted_ && status_.ok() && block_ && it_ &&
           it_->Valid() && sst_ < ssts_.size() && ssts_[sst_].PastVisibleEnd(it_->row().key)) {
      block_.reset();
      NextSst();
    }
  }

  // Positions at the first row >= target_ from SST sst_ on, or notes the I/O it needs.
  void Position() {
    for (; sst_ < ssts_.size(); ++sst_) {
      const SstRef& ref = ssts_[sst_];
      if (!end_.empty() && ref.StartsAtOrAfter(end_)) break;
      if (ref.visible_range) target_ = ref.ClampStart(target_);
      if (!handle_ || handle_->id != ref.id) {
        buffer_.clear();
        handle_ = tables_->TryGetOpen(ref.id);
        if (!handle_) {
          pending_ = Pending::kOpen;
          return;
        }
      }
      if (prefix_ && !handle_->MayContainPrefix(*prefix_)) {
        target_.clear();  // no key of the scan's prefix here: not one block is read
        continue;
      }
      size_t first = target_.empty() ? 0 : handle_->index.FindBlock(target_);
      if (PositionAt(first) || exhausted_ || pending_ != Pending::kNone || !status_.ok()) return;
      target_.clear();
    }
    exhausted_ = true;
    block_.reset();
  }

  // Moves to block `index` of the open SST and onwards until a row >= target_ is found
  // (true), or a block must be fetched (true, pending), or the SST has no such row (false).
  bool PositionAt(size_t index) {
    for (;;) {
      if (index >= handle_->index.num_blocks()) return false;
      if (!end_.empty() && handle_->index.first_key(index) >= std::string_view(end_)) {
        exhausted_ = true;
        block_.reset();
        return true;
      }
      std::shared_ptr<const Block> block = Buffered(index);
      if (!block) block = tables_->TryGetBlock(*handle_, index);
      if (!block) {
        pending_ = Pending::kBlock;
        pending_block_ = index;
        return true;
      }
      if (EnterBlock(index, std::move(block))) return true;
      if (!status_.ok()) return true;
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
    if (!it_->status().ok()) (void)Fail(it_->status().WithContext("SST " + handle_->id));
    block_.reset();
    return false;
  }

  // A read-ahead block, dropping the ones before it.
  std::shared_ptr<const Block> Buffered(size_t index) {
    while (!buffer_.empty() && buffer_.front().first < index) buffer_.pop_front();
    if (!buffer_.empty() && buffer_.front().first == index) {
      std::shared_ptr<const Block> b = std::move(buffer_.front().second);
      buffer_.pop_front();
      return b;
    }
    return nullptr;
  }

  // Reads block `first` and the blocks after it that fit the read-ahead window, as several
  // range reads in flight at once.
  Task<Status> Fetch(size_t first) {
    const SstIndex& index = handle_->index;
    uint64_t window;
    if (read_ahead_.start_at_max) {
      window = read_ahead_.max_bytes;
    } else {
      window_blocks_ = window_blocks_ == 0 ? 1 : window_blocks_ * 2;
      window = window_blocks_ * index.block(first).length;
      window = std::min<uint64_t>(window, read_ahead_.max_bytes);
    }
    size_t last = first + 1;
    uint64_t bytes = index.block(first).length;
    while (last < index.num_blocks() && bytes + index.block(last).length <= window) {
      if (!end_.empty() && index.first_key(last) >= std::string_view(end_)) break;
      bytes += index.block(last).length;
      ++last;
    }
    // Split [first, last) into up to parallel_reads contiguous ranges of similar size.
    const size_t count = last - first;
    const size_t parts = std::max<size_t>(1, std::min<size_t>(read_ahead_.parallel_reads, count));
    std::vector<Task<Result<std::vector<std::shared_ptr<const Block>>>>> reads;
    std::vector<size_t> starts;
    for (size_t p = 0; p < parts; ++p) {
      size_t a = first + count * p / parts;
      size_t b = first + count * (p + 1) / parts;
      if (a == b) continue;
      starts.push_back(a);
      reads.push_back(tables_->ReadBlocks(handle_, a, b));
    }
    std::vector<Result<std::vector<std::shared_ptr<const Block>>>> results =
        co_await WhenAll(std::move(reads));
    buffer_.clear();
    for (size_t p = 0; p < results.size(); ++p) {
      if (!results[p].ok()) co_return Fail(results[p].status());
      size_t i = starts[p];
      for (auto& block : *results[p]) buffer_.emplace_back(i++, std::move(block));
    }
    co_return Status::Ok();
  }

  TableStore* tables_;
  std::vector<SstRef> ssts_;
  std::string end_;
  ReadAhead read_ahead_;
  std::optional<std::string> prefix_;  // ScanOptions::filter_prefix
  size_t sst_ = 0;
  std::shared_ptr<const SstHandle> handle_;
  std::deque<std::pair<size_t, std::shared_ptr<const Block>>> buffer_;  // read ahead
  uint64_t window_blocks_ = 0;
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

std::unique_ptr<RowSource> NewRunSource(TableStore* tables, std::vector<SstRef> ssts,
                                        std::string end, ReadAhead read_ahead,
                                        std::optional<std::string> prefix) {
  return std::make_unique<RunSource>(tables, std::move(ssts), std::move(end), read_ahead,
                                     std::move(prefix));
}

}  // namespace slatedb
