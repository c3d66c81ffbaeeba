// SPDX-License-Identifier: Apache-2.0
//
// Scans: a merge of every source (memtables, L0 SSTs, sorted-run SSTs) in internal order,
// resolving each key's versions with VersionResolver. Production is synchronous until a
// source needs I/O; TryNext stops there, Next awaits the I/O and goes on. The per-key
// state survives such pauses, so a key whose versions straddle a block boundary resolves
// correctly.
#include <algorithm>

#include "db/db_impl.h"
#include "db/iterator_step.h"
#include "db/lookup.h"
#include "db/row_source.h"
#include "db/seek_check.h"
#include "util/async.h"

namespace slatedb {

namespace {

class DbIteratorImpl final : public DbIterator {
 public:
  DbIteratorImpl(std::shared_ptr<ReadTarget> db, ReadView view, std::string start, std::string end)
      : db_(std::move(db)),
        view_(std::move(view)),
        start_(std::move(start)),
        end_(std::move(end)),
        resolver_(view_.max_seq, view_.clock, view_.tick_floor) {
    for (const auto& table : *view_.memtables) sources_.push_back(NewMemtableSource(table, end_));
    auto overlaps = [&](const SstRef& ref) {
      return !ref.EndsBefore(start_) && (end_.empty() || !ref.StartsAtOrAfter(end_));
    };
    for (const SstRef& ref : view_.manifest->l0) {
      if (overlaps(ref)) {
        sources_.push_back(NewRunSource(&db_->table_store(), std::vector<SstRef>{ref}, end_));
      }
    }
    // One concatenating source per sorted run, over the SSTs that overlap the range.
    for (const SortedRun& run : view_.manifest->sorted_runs) {
      auto first = std::lower_bound(
          run.ssts.begin(), run.ssts.end(), start_,
          [](const SstRef& ref, const std::string& k) { return ref.EndsBefore(k); });
      std::vector<SstRef> ssts;
      for (auto it = first; it != run.ssts.end() && overlaps(*it); ++it) ssts.push_back(*it);
      if (!ssts.empty()) {
        sources_.push_back(NewRunSource(&db_->table_store(), std::move(ssts), end_));
      }
    }
    for (auto& source : sources_) source->Seek(start_);
  }

  Task<Result<std::optional<KeyValue>>> Next() override {
    for (;;) {
      Result<std::optional<KeyValue>> answer{std::optional<KeyValue>()};
      if (TryNext(&answer)) co_return std::move(answer);
      for (auto& source : sources_) {
        if (!source->NeedsIo()) continue;
        Status s = co_await source->DoIo();
        if (!s.ok()) {
          error_ = s;
          co_return s;
        }
      }
    }
  }

  bool TryNext(Result<std::optional<KeyValue>>* out) override {
    std::optional<KeyValue> item;
    return AnswerFromStep(Produce(&item), &item, error_, out);
  }

  Task<Status> Seek(std::string key) override {
    if (!error_.ok()) return ReadyTask(error_);
    Status target = CheckSeekTarget(key, start_, end_, returned_any_, last_returned_);
    if (!target.ok()) return ReadyTask(target);
    for (auto& source : sources_) source->Seek(key);
    have_key_ = false;
    resolver_.Reset();
    return ReadyTask(Status::Ok());
  }

 private:
  IteratorStep Emit(std::optional<KeyValue>* out) {
    Result<std::optional<std::string>> value = resolver_.Finish(key_, db_->merge_operator());
    if (!value.ok()) {
      error_ = value.status();
      return IteratorStep::kError;
    }
    if (!value->has_value()) return IteratorStep::kEnd;  // caller treats as "nothing to emit"
    out->emplace(KeyValue{key_, std::move(**value)});
    last_returned_ = key_;
    returned_any_ = true;
    return IteratorStep::kItem;
  }

  IteratorStep Produce(std::optional<KeyValue>* out) {
    if (!error_.ok()) return IteratorStep::kError;
    if (db_->closed()) {
      error_ = db_->status();
      if (error_.ok()) error_ = Status::Closed(CloseReason::kClean, "database is closed");
      return IteratorStep::kError;
    }
    for (;;) {
      RowSource* min = nullptr;
      for (auto& source : sources_) {
        if (source->NeedsIo()) return IteratorStep::kNeedIo;
        if (!source->status().ok()) {
          error_ = source->status();
          return IteratorStep::kError;
        }
        if (!source->Valid()) continue;
        if (min == nullptr) {
          min = source.get();
        } else {
          RowView a = source->row();
          RowView b = min->row();
          if (CompareInternal(a.key, a.seq, b.key, b.seq) < 0) min = source.get();
        }
      }
      // A key whose versions were all seen but which is only merge operands emits now.
      bool key_done = have_key_ && (min == nullptr || min->row().key != key_);
      if (key_done) {
        have_key_ = false;
        if (!resolver_.resolved() && resolver_.has_visible()) {
          IteratorStep o = Emit(out);
          if (o != IteratorStep::kEnd) return o;
        }
      }
      if (min == nullptr) return IteratorStep::kEnd;
      RowView row = min->row();
      if (!have_key_) {
        key_.assign(row.key);
        have_key_ = true;
        resolver_.Reset();
      }
      bool was_resolved = resolver_.resolved();
      bool now_resolved = resolver_.Add(row);
      min->Next();
      if (!was_resolved && now_resolved) {
        IteratorStep o = Emit(out);
        if (o != IteratorStep::kEnd) return o;
      }
    }
  }

  std::shared_ptr<ReadTarget> db_;
  ReadView view_;
  std::string start_;
  std::string end_;
  std::vector<std::unique_ptr<RowSource>> sources_;
  VersionResolver resolver_;
  std::string key_;  // the key being resolved
  bool have_key_ = false;
  std::string last_returned_;
  bool returned_any_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<DbIterator> NewViewIterator(std::shared_ptr<ReadTarget> target, ReadView view,
                                            std::string start, std::string end) {
  return std::make_unique<DbIteratorImpl>(std::move(target), std::move(view), std::move(start),
                                          std::move(end));
}

Task<Result<std::unique_ptr<DbIterator>>> DbImpl::Scan(std::string start, std::string end,
                                                       ScanOptions options,
                                                       std::optional<uint64_t> snapshot_seq) {
  ReadView view;
  SLATEDB_CO_RETURN_IF_ERROR(CaptureReadView(options, snapshot_seq, &view));
  metric_scans_.fetch_add(1, std::memory_order_relaxed);
  co_return NewViewIterator(shared_from_this(), std::move(view), std::move(start),
                            std::move(end));
}

}  // namespace slatedb
