// SPDX-License-Identifier: Apache-2.0
//
// Row sources that walk backward (descending scans): rows in reverse internal order, key
// descending and, within a key, oldest version first. They mirror the forward sources of
// row_source.cc: a memtable, and a run of SSTs with read-ahead, which here reads the blocks
// before the one it needs.
#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

#include "read/row_source.h"
#include "util/async.h"

namespace slatedb {

namespace {

const Status& OkStatus() {
  static const Status* ok = new Status();
  return *ok;
}

class ReverseMemtableSource final : public RowSource {
 public:
  ReverseMemtableSource(std::shared_ptr<Memtable> table, std::string start)
      : table_(std::move(table)), it_(table_.get()), start_(std::move(start)) {}

  void Seek(std::string_view key) override { it_.SeekBefore(key); }
  bool NeedsIo() const override { return false; }
  Task<Status> DoIo() override { co_return Status::Ok(); }
  bool Valid() const override { return it_.Valid() && it_.row().key >= std::string_view(start_); }
  RowView row() const override { return it_.row(); }
  void Next() override { it_.Prev(); }
  const Status& status() const override { return OkStatus(); }

 private:
  std::shared_ptr<Memtable> table_;
  Memtable::ReverseIterator it_;
  std::string start_;
};

class ReverseRunSource final : public RowSource {
 public:
  ReverseRunSource(TableStore* tables, std::vector<SstRef> ssts, std::string start,
                   ReadAhead read_ahead, std::optional<std::string> prefix)
      : tables_(tables),
        ssts_(std::move(ssts)),
        start_(std::move(start)),
        read_ahead_(read_ahead),
        prefix_(std::move(prefix)) {}

  void Seek(std::string_view key) override {
    target_.assign(key);
    exhausted_ = false;
    pending_ = Pending::kNone;
    block_.reset();
    buffer_.clear();
    window_blocks_ = 0;
    // Past the last SST whose first key is < key (every SST if key is empty).
    sst_end_ = ssts_.size();
    if (!key.empty()) {
      auto it = std::partition_point(ssts_.begin(), ssts_.end(),
                                     [&](const SstRef& ref) { return !ref.StartsAtOrAfter(key); });
      sst_end_ = static_cast<size_t>(it - ssts_.begin());
    }
    Position();
    SettleVisible();
  }

  bool NeedsIo() const override { return pending_ != Pending::kNone; }

  Task<Status> DoIo() override {
    if (pending_ == Pending::kOpen) {
      Result<std::shared_ptr<const SstHandle>> h = co_await tables_->Open(ssts_[sst_end_ - 1]);
      if (!h.ok()) co_return Fail(h.status());
      handle_ = std::move(*h);
      buffer_.clear();
      pending_ = Pending::kNone;
      Position();
    } else if (pending_ == Pending::kBlock) {
      SLATEDB_CO_RETURN_IF_ERROR(co_await Fetch(pending_block_));
      pending_ = Pending::kNone;
      if (!PositionAt(pending_block_)) PrevSst();
    }
    SettleVisible();
    co_return status_;
  }

  bool Valid() const override {
    return pending_ == Pending::kNone && !exhausted_ && status_.ok() && block_ && it_ &&
           it_->Valid() && it_->row().key >= std::string_view(start_);
  }
  RowView row() const override { return it_->row(); }
  void Next() override {
    it_->Prev();
    if (it_->Valid()) {
      SettleVisible();  // the row may lie before this view's visible start
      return;
    }
    if (!it_->status().ok()) {
      (void)Fail(it_->status().WithContext("SST " + handle_->id));
      return;
    }
    target_.clear();
    block_.reset();
    if (block_index_ == 0 || !PositionAt(block_index_ - 1)) PrevSst();
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

  void PrevSst() {
    if (exhausted_ || pending_ != Pending::kNone || !status_.ok()) return;
    --sst_end_;
    target_.clear();
    Position();
  }

  // A view shows only its visible range (clone projections): a row before its start
  // finishes the view. No-op for views of whole SSTs.
  void SettleVisible() {
    while (pending_ == Pending::kNone && !exhausted_ && status_.ok() && block_ && it_ &&
           it_->Valid() && sst_end_ > 0 && ssts_[sst_end_ - 1].visible_range &&
           !ssts_[sst_end_ - 1].visible_range->Contains(it_->row().key)) {
      block_.reset();
      PrevSst();
    }
  }

  // The exclusive bound a backward walk of `ref` starts below: `target` (empty: unbounded)
  // narrowed by the view's visible end.
  static std::string ClampEnd(const SstRef& ref, std::string target) {
    if (!ref.visible_range) return target;
    const RangeBound& end = ref.visible_range->end;
    if (end.kind == RangeBound::Kind::kUnbounded) return target;
    std::string bound = end.key;
    if (end.kind == RangeBound::Kind::kIncluded) bound.push_back('\0');  // the next key
    return target.empty() || bound < target ? bound : target;
  }

  // Positions at the last row < target_ (target_ empty: the last row) in SST sst_end_ - 1
  // and the ones before it, or notes the I/O it needs.
  void Position() {
    for (; sst_end_ > 0; --sst_end_) {
      const SstRef& ref = ssts_[sst_end_ - 1];
      if (ref.EndsBefore(start_)) break;  // this view and the ones before lie below start
      if (ref.visible_range) target_ = ClampEnd(ref, std::move(target_));
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
      const size_t blocks = handle_->index.num_blocks();
      size_t last = target_.empty() ? blocks - 1 : handle_->index.FindBlock(target_);
      if (PositionAt(last) || exhausted_ || pending_ != Pending::kNone || !status_.ok()) return;
      target_.clear();
    }
    exhausted_ = true;
    block_.reset();
  }

  // Moves to block `index` of the open SST and backward until a row < target_ is found
  // (true), or a block must be fetched (true, pending), or the SST has no such row (false).
  bool PositionAt(size_t index) {
    for (;;) {
      std::shared_ptr<const Block> block = Buffered(index);
      if (!block) block = tables_->TryGetBlock(*handle_, index);
      if (!block) {
        pending_ = Pending::kBlock;
        pending_block_ = index;
        return true;
      }
      if (EnterBlock(index, std::move(block))) return true;
      if (!status_.ok() || index == 0) return !status_.ok();
      --index;
    }
  }

  // Positions inside `block`; false if it holds no row < target_.
  bool EnterBlock(size_t index, std::shared_ptr<const Block> block) {
    block_ = std::move(block);
    block_index_ = index;
    it_.emplace(block_.get());
    if (target_.empty()) {
      it_->SeekToLast();
    } else {
      it_->SeekBefore(target_);
    }
    if (it_->Valid()) {
      target_.clear();  // earlier blocks are read from their last row
      return true;
    }
    if (!it_->status().ok()) (void)Fail(it_->status().WithContext("SST " + handle_->id));
    block_.reset();
    return false;
  }

  // A read-ahead block, dropping the ones after it.
  std::shared_ptr<const Block> Buffered(size_t index) {
    while (!buffer_.empty() && buffer_.front().first > index) buffer_.pop_front();
    if (!buffer_.empty() && buffer_.front().first == index) {
      std::shared_ptr<const Block> b = std::move(buffer_.front().second);
      buffer_.pop_front();
      return b;
    }
    return nullptr;
  }

  // Reads block `last` and the blocks before it that fit the read-ahead window (and may
  // hold keys >= start), as several range reads in flight at once.
  Task<Status> Fetch(size_t last) {
    const SstIndex& index = handle_->index;
    uint64_t window;
    if (read_ahead_.start_at_max) {
      window = read_ahead_.max_bytes;
    } else {
      window_blocks_ = window_blocks_ == 0 ? 1 : window_blocks_ * 2;
      window = window_blocks_ * index.block(last).length;
      window = std::min<uint64_t>(window, read_ahead_.max_bytes);
    }
    size_t first = last;
    uint64_t bytes = index.block(last).length;
    // Block b - 1 holds keys up to first_key(b): it matters only if that is >= start.
    while (first > 0 && bytes + index.block(first - 1).length <= window &&
           index.first_key(first) >= std::string_view(start_)) {
      --first;
      bytes += index.block(first).length;
    }
    const size_t count = last + 1 - first;
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
    // Kept highest index first, the order the source walks them.
    for (size_t p = results.size(); p-- > 0;) {
      if (!results[p].ok()) co_return Fail(results[p].status());
      size_t i = starts[p] + results[p]->size();
      for (auto it = results[p]->rbegin(); it != results[p]->rend(); ++it) {
        buffer_.emplace_back(--i, std::move(*it));
      }
    }
    co_return Status::Ok();
  }

  TableStore* tables_;
  std::vector<SstRef> ssts_;
  std::string start_;
  ReadAhead read_ahead_;
  std::optional<std::string> prefix_;  // ScanOptions::filter_prefix
  size_t sst_end_ = 0;                 // the current SST is ssts_[sst_end_ - 1]
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

std::unique_ptr<RowSource> NewReverseMemtableSource(std::shared_ptr<Memtable> table,
                                                    std::string start) {
  return std::make_unique<ReverseMemtableSource>(std::move(table), std::move(start));
}

std::unique_ptr<RowSource> NewReverseRunSource(TableStore* tables, std::vector<SstRef> ssts,
                                               std::string start, ReadAhead read_ahead,
                                               std::optional<std::string> prefix) {
  return std::make_unique<ReverseRunSource>(tables, std::move(ssts), std::move(start), read_ahead,
                                            std::move(prefix));
}

}  // namespace slatedb
