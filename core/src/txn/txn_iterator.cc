// SPDX-License-Identifier: Apache-2.0
//
// Two sorted streams, merged by key: the snapshot iterator (values already resolved at the
// transaction's snapshot) and the buffered entries. The iterator holds at most one entry
// pulled from the snapshot ahead of time (peek_), which is what lets TryNext stay
// synchronous and lets Seek avoid re-seeking the snapshot backwards.
#include "txn/txn_iterator.h"

#include "read/step_iterator.h"

namespace slatedb {

namespace {

// The buffered entries walked in the scan's order.
template <bool kDescending>
struct BufferedOrder {
  using Iter = TxnEntryMap::const_iterator;
  static Iter Begin(const TxnEntryMap& m) { return m.begin(); }
  static Iter End(const TxnEntryMap& m) { return m.end(); }
  static bool Before(std::string_view a, std::string_view b) { return a < b; }
};
template <>
struct BufferedOrder<true> {
  using Iter = TxnEntryMap::const_reverse_iterator;
  static Iter Begin(const TxnEntryMap& m) { return m.rbegin(); }
  static Iter End(const TxnEntryMap& m) { return m.rend(); }
  static bool Before(std::string_view a, std::string_view b) { return a > b; }
};

// What a row written by the transaction itself reports (as upstream): no sequence number
// yet (UINT64_MAX) and no creation time; merges folded over a committed value keep its times.
KeyValue BufferedRow(std::string key, std::string value) {
  return KeyValue{std::move(key), std::move(value), UINT64_MAX, 0, std::nullopt};
}

template <bool kDescending>
class TxnIterator final : public StepIterator<TxnIterator<kDescending>> {
  using Base = StepIterator<TxnIterator<kDescending>>;
  using Order = BufferedOrder<kDescending>;
  using Step = typename Base::Step;
  using Base::error_;

 public:
  TxnIterator(std::unique_ptr<DbIterator> snapshot, std::shared_ptr<const TxnEntryMap> buffered,
              std::string start, std::string end, MergeOperator merge)
      : Base(std::move(start), std::move(end), kDescending),
        snapshot_(std::move(snapshot)),
        buffered_(std::move(buffered)),
        pos_(Order::Begin(*buffered_)),
        merge_(std::move(merge)) {}

  // The snapshot's next entry, which Produce stopped for (a failure is kept in error_).
  Task<Status> FetchIo() {
    Accept(co_await snapshot_->Next());
    co_return Status::Ok();
  }

  // Ascending only (StepIterator refuses Seek on descending iterators).
  Task<Status> SeekTo(std::string key) {
    if constexpr (kDescending) return ReadyTask(Status::Internal("descending seek"));
    // Both streams only move forward: an entry skipped earlier (a buffered delete) lies
    // after the last returned key but needs no second look.
    if (pos_ != Order::End(*buffered_) && pos_->first < key) {
      pos_ = typename Order::Iter(buffered_->lower_bound(key));
    }
    if (peek_) {
      if (peek_->key >= key) return ReadyTask(Status::Ok());
      peek_.reset();
    }
    // The snapshot iterator is already past `key` if it produced a key >= it.
    if (snapshot_done_ || (pulled_any_ && key <= last_pulled_)) return ReadyTask(Status::Ok());
    return snapshot_->Seek(std::move(key));
  }

  Step Produce(std::optional<KeyValue>* out) {
    for (;;) {
      if (!error_.ok()) return Step::kError;
      if (!peek_ && !snapshot_done_) {
        Result<std::optional<KeyValue>> pulled = Status::Internal("unset");
        if (!snapshot_->TryNext(&pulled)) return Step::kNeedIo;
        Accept(std::move(pulled));
        continue;
      }
      const bool have_buffered = pos_ != Order::End(*buffered_);
      if (!peek_ && !have_buffered) return Step::kEnd;
      if (peek_ && (!have_buffered || Order::Before(peek_->key, pos_->first))) {
        out->emplace(std::move(*peek_));
        peek_.reset();
        return Step::kItem;
      }
      // The next key is buffered; the snapshot may hold it too.
      const std::string& key = pos_->first;
      const bool in_snapshot = peek_ && peek_->key == key;
      std::optional<std::string_view> existing;
      if (in_snapshot) existing = std::string_view(peek_->value);
      Result<std::optional<std::string>> value = pos_->second.Resolve(key, existing, merge_);
      if (!value.ok()) {
        error_ = value.status();
        return Step::kError;
      }
      std::string emitted_key = key;
      const bool over_snapshot = in_snapshot && pos_->second.needs_existing();
      ++pos_;
      if (value->has_value()) {
        KeyValue row = BufferedRow(std::move(emitted_key), std::move(**value));
        if (over_snapshot) {
          // Merges folded over the snapshot's value keep that version's times (as upstream).
          row.create_ts = peek_->create_ts;
          row.expire_ts = peek_->expire_ts;
        }
        if (in_snapshot) peek_.reset();
        out->emplace(std::move(row));
        return Step::kItem;
      }
      if (in_snapshot) peek_.reset();
      // A buffered delete: the key is hidden; go on.
    }
  }

 private:
  void Accept(Result<std::optional<KeyValue>> pulled) {
    if (!pulled.ok()) {
      error_ = pulled.status();
    } else if (!pulled->has_value()) {
      snapshot_done_ = true;
    } else {
      peek_ = std::move(**pulled);
      last_pulled_ = peek_->key;
      pulled_any_ = true;
    }
  }

  std::unique_ptr<DbIterator> snapshot_;
  std::shared_ptr<const TxnEntryMap> buffered_;
  typename Order::Iter pos_;
  MergeOperator merge_;
  std::optional<KeyValue> peek_;  // pulled from the snapshot, not yet merged
  bool snapshot_done_ = false;
  std::string last_pulled_;
  bool pulled_any_ = false;
};

}  // namespace

std::unique_ptr<DbIterator> NewTxnIterator(std::unique_ptr<DbIterator> snapshot,
                                           std::shared_ptr<const TxnEntryMap> buffered,
                                           std::string start, std::string end, MergeOperator merge,
                                           IterationOrder order) {
  if (order == IterationOrder::kDescending) {
    return std::make_unique<TxnIterator<true>>(std::move(snapshot), std::move(buffered),
                                               std::move(start), std::move(end), std::move(merge));
  }
  return std::make_unique<TxnIterator<false>>(std::move(snapshot), std::move(buffered),
                                              std::move(start), std::move(end), std::move(merge));
}

}  // namespace slatedb
