// SPDX-License-Identifier: Apache-2.0
#include "read/view_iterator.h"

#include <algorithm>

#include "manifest/segment_set.h"
#include "read/merging_iterator.h"
#include "read/row_source.h"
#include "read/step_iterator.h"
#include "read/version_resolver.h"

namespace slatedb {

namespace {

// The sources of `view` that may hold keys in [start, end), newest first, walking in
// `direction`. With a `prefix`, SST sources skip the SSTs whose filters rule it out.
std::vector<std::unique_ptr<RowSource>> ViewSources(const ReadView& view, TableStore* tables,
                                                    const std::string& start,
                                                    const std::string& end, ScanDirection direction,
                                                    const std::optional<std::string>& prefix) {
  const bool forward = direction == ScanDirection::kAscending;
  auto run_source = [&](std::vector<SstRef> ssts) {
    return forward ? NewRunSource(tables, std::move(ssts), end, {}, prefix)
                   : NewReverseRunSource(tables, std::move(ssts), start, {}, prefix);
  };
  std::vector<std::unique_ptr<RowSource>> sources;
  for (const auto& table : *view.memtables) {
    sources.push_back(forward ? NewMemtableSource(table, end)
                              : NewReverseMemtableSource(table, start));
  }
  auto overlaps = [&](const SstRef& ref) {
    return !ref.EndsBefore(start) && (end.empty() || !ref.StartsAtOrAfter(end));
  };
  // Each tree (the root, then each segment meeting the range) adds its L0 SSTs and one
  // concatenating source per sorted run, over the SSTs that overlap the range. Segments
  // hold disjoint keys, so merging their sources with the root's is exact.
  auto tree = [&](const std::vector<SstRef>& l0, const std::vector<SortedRun>& runs) {
    for (const SstRef& ref : l0) {
      if (overlaps(ref)) sources.push_back(run_source(std::vector<SstRef>{ref}));
    }
    for (const SortedRun& run : runs) {
      auto first = std::lower_bound(
          run.ssts.begin(), run.ssts.end(), start,
          [](const SstRef& ref, const std::string& k) { return ref.EndsBefore(k); });
      std::vector<SstRef> ssts;
      for (auto it = first; it != run.ssts.end() && overlaps(*it); ++it) ssts.push_back(*it);
      if (!ssts.empty()) sources.push_back(run_source(std::move(ssts)));
    }
  };
  ForEachTreeInRange(*view.manifest, start, end, tree);
  return sources;
}

// The row a resolved key yields, with its newest contributing version.
KeyValue MakeRow(const std::string& key, std::string value, const VersionMeta& meta) {
  KeyValue kv{key, std::move(value), meta.seq, 0, std::nullopt};
  if (meta.create_ts != kNoTimestamp) kv.create_ts = meta.create_ts;
  if (meta.expire_ts != kNoTimestamp) kv.expire_ts = meta.expire_ts;
  return kv;
}

class ViewIterator final : public StepIterator<ViewIterator> {
 public:
  ViewIterator(std::shared_ptr<ReadTarget> target, ReadView view, std::string start,
               std::string end, const std::optional<std::string>& prefix)
      : StepIterator(std::move(start), std::move(end)),
        target_(std::move(target)),
        view_(std::move(view)),
        merge_(ViewSources(view_, &target_->table_store(), this->start(), this->end(),
                           ScanDirection::kAscending, prefix)),
        resolver_(view_.max_seq, view_.clock, view_.tick_floor) {
    merge_.Seek(this->start());
  }

  // An iterator keeps reading its view after its database closes, as upstream's do: the
  // view holds the memtables and the SSTs it needs.
  Step Produce(std::optional<KeyValue>* out) {
    if (!error_.ok()) return Step::kError;
    for (;;) {
      MergingIterator::State state = merge_.Peek();
      if (state == MergingIterator::State::kNeedIo) return Step::kNeedIo;
      if (state == MergingIterator::State::kError) {
        error_ = merge_.status();
        return Step::kError;
      }
      const bool at_row = state == MergingIterator::State::kRow;
      // A key whose versions were all seen but which is only merge operands emits now.
      if (have_key_ && (!at_row || merge_.row().key != key_)) {
        have_key_ = false;
        if (!resolver_.resolved() && resolver_.has_visible()) {
          Step step = Emit(out);
          if (step != Step::kEnd) return step;
        }
      }
      if (!at_row) return Step::kEnd;
      RowView row = merge_.row();
      if (!have_key_) {
        key_.assign(row.key);
        have_key_ = true;
        resolver_.Reset();
      }
      bool was_resolved = resolver_.resolved();
      bool now_resolved = resolver_.Add(row);
      merge_.Next();
      if (!was_resolved && now_resolved) {
        Step step = Emit(out);
        if (step != Step::kEnd) return step;
      }
    }
  }

  Task<Status> FetchIo() { return merge_.DoIo(); }

  Task<Status> SeekTo(std::string key) {
    merge_.Seek(key);
    have_key_ = false;
    resolver_.Reset();
    return ReadyTask(Status::Ok());
  }

 private:
  // The resolved value of key_: kItem, kError, or kEnd when the key has no visible value.
  Step Emit(std::optional<KeyValue>* out) {
    // Read before Finish, which consumes the resolver's state.
    std::optional<VersionMeta> meta = resolver_.newest_visible();
    Result<std::optional<std::string>> value = resolver_.Finish(key_, target_->merge_operator());
    if (!value.ok()) {
      error_ = value.status();
      return Step::kError;
    }
    if (!value->has_value() || !meta) return Step::kEnd;
    out->emplace(MakeRow(key_, std::move(**value), *meta));
    return Step::kItem;
  }

  std::shared_ptr<ReadTarget> target_;
  ReadView view_;
  MergingIterator merge_;
  VersionResolver resolver_;
  std::string key_;  // the key being resolved
  bool have_key_ = false;
};

// The descending scan: sources walk backward, so each key's versions arrive oldest first
// and are folded as they come; a key is emitted when the next row belongs to another key.
class ReverseViewIterator final : public StepIterator<ReverseViewIterator> {
 public:
  ReverseViewIterator(std::shared_ptr<ReadTarget> target, ReadView view, std::string start,
                      std::string end, const std::optional<std::string>& prefix)
      : StepIterator(std::move(start), std::move(end), /*descending=*/true),
        target_(std::move(target)),
        view_(std::move(view)),
        merge_(ViewSources(view_, &target_->table_store(), this->start(), this->end(),
                           ScanDirection::kDescending, prefix),
               ScanDirection::kDescending),
        folder_(view_.max_seq, view_.clock, view_.tick_floor) {
    merge_.Seek(this->end());
  }

  Step Produce(std::optional<KeyValue>* out) {
    if (!error_.ok()) return Step::kError;
    for (;;) {
      MergingIterator::State state = merge_.Peek();
      if (state == MergingIterator::State::kNeedIo) return Step::kNeedIo;
      if (state == MergingIterator::State::kError) {
        error_ = merge_.status();
        return Step::kError;
      }
      const bool at_row = state == MergingIterator::State::kRow;
      if (have_key_ && (!at_row || merge_.row().key != key_)) {
        have_key_ = false;
        Step step = Emit(out);
        if (step != Step::kEnd) return step;
      }
      if (!at_row) return Step::kEnd;
      RowView row = merge_.row();
      if (!have_key_) {
        key_.assign(row.key);
        have_key_ = true;
        folder_.Reset();
      }
      folder_.Add(row);
      merge_.Next();
    }
  }

  Task<Status> FetchIo() { return merge_.DoIo(); }

  // Never called: StepIterator refuses Seek on descending iterators.
  Task<Status> SeekTo(std::string) { return ReadyTask(Status::Internal("descending seek")); }

 private:
  Step Emit(std::optional<KeyValue>* out) {
    std::optional<VersionMeta> meta = folder_.newest_visible();
    Result<std::optional<std::string>> value = folder_.Finish(key_, target_->merge_operator());
    if (!value.ok()) {
      error_ = value.status();
      return Step::kError;
    }
    if (!value->has_value() || !meta) return Step::kEnd;
    out->emplace(MakeRow(key_, std::move(**value), *meta));
    return Step::kItem;
  }

  std::shared_ptr<ReadTarget> target_;
  ReadView view_;
  MergingIterator merge_;
  VersionFolder folder_;
  std::string key_;  // the key whose versions are being folded
  bool have_key_ = false;
};

}  // namespace

std::unique_ptr<DbIterator> NewViewIterator(std::shared_ptr<ReadTarget> target, ReadView view,
                                            std::string start, std::string end,
                                            IterationOrder order,
                                            const std::optional<std::string>& filter_prefix) {
  if (order == IterationOrder::kDescending) {
    return std::make_unique<ReverseViewIterator>(std::move(target), std::move(view),
                                                 std::move(start), std::move(end), filter_prefix);
  }
  return std::make_unique<ViewIterator>(std::move(target), std::move(view), std::move(start),
                                        std::move(end), filter_prefix);
}

}  // namespace slatedb
