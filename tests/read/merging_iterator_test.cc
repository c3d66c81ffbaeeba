// SPDX-License-Identifier: Apache-2.0
//
// The merging iterator on its own: sources given as sorted vectors (one of them stopping
// for "I/O" before each row), merged in both directions, with seeks, ties between sources,
// and a source that fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "read/merging_iterator.h"

namespace slatedb::testing {
namespace {

struct TestRow {
  std::string key;
  uint64_t seq;
};

// Rows of a vector, in the order given (the test sorts them for the merge's direction).
// With `io_before_each_row`, every row is first reported as needing I/O.
class VectorSource final : public RowSource {
 public:
  VectorSource(std::vector<TestRow> rows, ScanDirection direction, bool io_before_each_row = false)
      : rows_(std::move(rows)), direction_(direction), io_(io_before_each_row) {}

  void Seek(std::string_view key) override {
    pos_ = 0;
    while (pos_ < rows_.size() && Before(rows_[pos_].key, key)) ++pos_;
    pending_ = io_;
  }
  bool NeedsIo() const override { return pending_ && pos_ < rows_.size(); }
  Task<Status> DoIo() override {
    ++io_calls;
    pending_ = false;
    co_return fail_io ? Status::Unavailable("injected") : Status::Ok();
  }
  bool Valid() const override { return !NeedsIo() && pos_ < rows_.size(); }
  RowView row() const override {
    RowView r;
    r.key = rows_[pos_].key;
    r.seq = rows_[pos_].seq;
    r.kind = RowKind::kValue;
    return r;
  }
  void Next() override {
    ++pos_;
    pending_ = io_;
  }
  const Status& status() const override { return status_; }

  int io_calls = 0;
  bool fail_io = false;
  Status status_;

 private:
  bool Before(std::string_view a, std::string_view b) const {
    return direction_ == ScanDirection::kAscending ? a < b : a > b;
  }
  std::vector<TestRow> rows_;
  ScanDirection direction_;
  bool io_;
  size_t pos_ = 0;
  bool pending_ = false;
};

// Runs a task that completes without suspending (the test sources' I/O does).
Status RunNow(Task<Status> task) {
  std::optional<Status> out;
  Spawn(std::move(task), [&out](Status s) { out = std::move(s); });
  REQUIRE(out.has_value());
  return *out;
}

// Drains the merge (doing its I/O inline) into "key@seq" strings.
std::vector<std::string> Drain(MergingIterator& merge) {
  std::vector<std::string> out;
  for (;;) {
    MergingIterator::State state = merge.Peek();
    if (state == MergingIterator::State::kNeedIo) {
      REQUIRE(RunNow(merge.DoIo()).ok());
      continue;
    }
    REQUIRE(state != MergingIterator::State::kError);
    if (state == MergingIterator::State::kEnd) return out;
    out.push_back(std::string(merge.row().key) + "@" + std::to_string(merge.row().seq));
    merge.Next();
  }
}

std::vector<TestRow> Sorted(std::vector<TestRow> rows, ScanDirection direction) {
  std::sort(rows.begin(), rows.end(), [&](const TestRow& a, const TestRow& b) {
    RowView x, y;
    x.key = a.key;
    x.seq = a.seq;
    y.key = b.key;
    y.seq = b.seq;
    return RowBefore(x, y, direction);
  });
  return rows;
}

MergingIterator ThreeSources(ScanDirection d) {
  std::vector<std::unique_ptr<RowSource>> sources;
  sources.push_back(std::make_unique<VectorSource>(Sorted({{"b", 9}, {"d", 8}}, d), d));
  sources.push_back(
      std::make_unique<VectorSource>(Sorted({{"a", 5}, {"b", 4}, {"e", 3}}, d), d, true));
  sources.push_back(std::make_unique<VectorSource>(Sorted({{"b", 7}, {"c", 1}}, d), d));
  return MergingIterator(std::move(sources), d);
}

TEST_CASE("merging iterator: ascending keys, newest version first", "[read]") {
  MergingIterator merge = ThreeSources(ScanDirection::kAscending);
  merge.Seek("");
  CHECK(Drain(merge) == std::vector<std::string>{"a@5", "b@9", "b@7", "b@4", "c@1", "d@8", "e@3"});
}

TEST_CASE("merging iterator: descending keys, oldest version first", "[read]") {
  // The exact reverse of internal order (merging_iterator.h), which a VersionFolder expects.
  MergingIterator merge = ThreeSources(ScanDirection::kDescending);
  merge.Seek("\xff");
  CHECK(Drain(merge) == std::vector<std::string>{"e@3", "d@8", "c@1", "b@4", "b@7", "b@9", "a@5"});
}

TEST_CASE("merging iterator: seek repositions every source", "[read]") {
  MergingIterator merge = ThreeSources(ScanDirection::kAscending);
  merge.Seek("");
  REQUIRE(merge.Peek() == MergingIterator::State::kNeedIo);  // the I/O source may hold "a"
  merge.Seek("c");
  CHECK(Drain(merge) == std::vector<std::string>{"c@1", "d@8", "e@3"});
}

TEST_CASE("merging iterator: one version in two sources comes out twice, first source first",
          "[read]") {
  std::vector<std::unique_ptr<RowSource>> sources;
  sources.push_back(
      std::make_unique<VectorSource>(std::vector<TestRow>{{"k", 3}}, ScanDirection::kAscending));
  sources.push_back(std::make_unique<VectorSource>(std::vector<TestRow>{{"k", 3}, {"m", 1}},
                                                   ScanDirection::kAscending));
  MergingIterator merge(std::move(sources));
  merge.Seek("");
  CHECK(Drain(merge) == std::vector<std::string>{"k@3", "k@3", "m@1"});
}

TEST_CASE("merging iterator: a failed source stops the merge with its status", "[read]") {
  std::vector<std::unique_ptr<RowSource>> sources;
  auto failing = std::make_unique<VectorSource>(std::vector<TestRow>{{"a", 1}},
                                                ScanDirection::kAscending, true);
  failing->fail_io = true;
  VectorSource* failing_ptr = failing.get();
  sources.push_back(
      std::make_unique<VectorSource>(std::vector<TestRow>{{"b", 2}}, ScanDirection::kAscending));
  sources.push_back(std::move(failing));
  MergingIterator merge(std::move(sources));
  merge.Seek("");
  REQUIRE(merge.Peek() == MergingIterator::State::kNeedIo);
  Status io = RunNow(merge.DoIo());
  CHECK(io.IsUnavailable());
  CHECK(failing_ptr->io_calls == 1);
  failing_ptr->status_ = Status::Data("corrupt block");
  CHECK(merge.Peek() == MergingIterator::State::kError);
  CHECK(merge.status().kind() == ErrorKind::kData);
}

}  // namespace
}  // namespace slatedb::testing
