// SPDX-License-Identifier: Apache-2.0
//
// Two sorted streams, merged by key: the snapshot iterator (values already resolved at the
// transaction's snapshot) and the buffered entries. The iterator holds at most one entry
// pulled from the snapshot ahead of time (peek_), which is what lets TryNext stay
// synchronous and lets Seek avoid re-seeking the snapshot backwards.
#include "txn/txn_iterator.h"

#include "db/iterator_step.h"
#include "db/seek_check.h"
#include "util/async.h"

namespace slatedb {

namespace {

class TxnIterator final : public DbIterator {
 public:
  TxnIterator(std::unique_ptr<DbIterator> snapshot, std::shared_ptr<const TxnEntryMap> buffered,
              std::string start, std::string end, MergeOperator merge)
      : snapshot_(std::move(snapshot)),
        buffered_(std::move(buffered)),
        pos_(buffered_->begin()),
        start_(std::move(start)),
        end_(std::move(end)),
        merge_(std::move(merge)) {}

  Task<Result<std::optional<KeyValue>>> Next() override {
    for (;;) {
      Result<std::optional<KeyValue>> answer{std::optional<KeyValue>()};
      if (TryNext(&answer)) co_return std::move(answer);
      Result<std::optional<KeyValue>> pulled = co_await snapshot_->Next();
      Accept(std::move(pulled));
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
    // Both streams only move forward: an entry skipped earlier (a buffered delete) lies
    // after the last returned key but needs no second look.
    if (pos_ != buffered_->end() && pos_->first < key) pos_ = buffered_->lower_bound(key);
    if (peek_) {
      if (peek_->key >= key) return ReadyTask(Status::Ok());
      peek_.reset();
    }
    // The snapshot iterator is already past `key` if it produced a key >= it.
    if (snapshot_done_ || (pulled_any_ && key <= last_pulled_)) return ReadyTask(Status::Ok());
    return snapshot_->Seek(std::move(key));
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

  IteratorStep Emit(std::string key, std::string value, std::optional<KeyValue>* out) {
    last_returned_ = key;
    returned_any_ = true;
    out->emplace(KeyValue{std::move(key), std::move(value)});
    return IteratorStep::kItem;
  }

  IteratorStep Produce(std::optional<KeyValue>* out) {
    for (;;) {
      if (!error_.ok()) return IteratorStep::kError;
      if (!peek_ && !snapshot_done_) {
        Result<std::optional<KeyValue>> pulled = Status::Internal("unset");
        if (!snapshot_->TryNext(&pulled)) return IteratorStep::kNeedIo;
        Accept(std::move(pulled));
        continue;
      }
      const bool have_buffered = pos_ != buffered_->end();
      if (!peek_ && !have_buffered) return IteratorStep::kEnd;
      if (peek_ && (!have_buffered || peek_->key < pos_->first)) {
        KeyValue kv = std::move(*peek_);
        peek_.reset();
        return Emit(std::move(kv.key), std::move(kv.value), out);
      }
      // The next key is buffered; the snapshot may hold it too.
      const std::string& key = pos_->first;
      const bool in_snapshot = peek_ && peek_->key == key;
      std::optional<std::string_view> existing;
      if (in_snapshot) existing = std::string_view(peek_->value);
      Result<std::optional<std::string>> value = pos_->second.Resolve(key, existing, merge_);
      if (!value.ok()) {
        error_ = value.status();
        return IteratorStep::kError;
      }
      std::string emitted_key = key;
      ++pos_;
      if (in_snapshot) peek_.reset();
      if (value->has_value()) return Emit(std::move(emitted_key), std::move(**value), out);
      // A buffered delete: the key is hidden; go on.
    }
  }

  std::unique_ptr<DbIterator> snapshot_;
  std::shared_ptr<const TxnEntryMap> buffered_;
  TxnEntryMap::const_iterator pos_;
  std::string start_;
  std::string end_;
  MergeOperator merge_;
  std::optional<KeyValue> peek_;  // pulled from the snapshot, not yet merged
  bool snapshot_done_ = false;
  std::string last_pulled_;
  bool pulled_any_ = false;
  std::string last_returned_;
  bool returned_any_ = false;
  Status error_;
};

}  // namespace

std::unique_ptr<DbIterator> NewTxnIterator(std::unique_ptr<DbIterator> snapshot,
                                           std::shared_ptr<const TxnEntryMap> buffered,
                                           std::string start, std::string end,
                                           MergeOperator merge) {
  return std::make_unique<TxnIterator>(std::move(snapshot), std::move(buffered), std::move(start),
                                       std::move(end), std::move(merge));
}

}  // namespace slatedb
