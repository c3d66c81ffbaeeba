// SPDX-License-Identifier: Apache-2.0
//
// Seeded model test: random operations (put, delete, merge, batch, get, scan with seek,
// snapshots, transactions, flushes, clean reopen, crash-and-reopen, TTL with a moving clock,
// garbage collection) applied to the engine and to a std::map model, with every read checked
// against the model. Sizes are small so that memtable flushes and compactions (L0 into
// sorted runs, runs into runs) happen between most operations; after each GC pass the
// store is checked against every manifest and checkpoint (nothing referenced missing), and
// at the end, once everything settled, nothing unreferenced may be left. Runs
// deterministically on a manual executor and clock, so a failing seed replays exactly:
//   slatedb_tests "[model]" with SLATEDB_MODEL_SEED=<seed> to run one seed.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "tests/db/db_model.h"
#include "tests/compaction/store_audit.h"
#include "tests/db/db_test_util.h"
#include "format/row.h"
#include "util/random.h"

namespace slatedb::testing {
namespace {

// One key's state in the model: the newest put (or nothing) and the merges after it.
struct ModelEntry {
  bool has_base = false;
  std::string base;
  int64_t base_expire = kNoTimestamp;
  std::vector<std::string> operands;  // oldest first
};

using Model = std::map<std::string, ModelEntry>;

std::optional<std::string> Visible(const ModelEntry& e, int64_t now) {
  bool base_visible = e.has_base && (e.base_expire == kNoTimestamp || e.base_expire > now);
  if (!base_visible && e.operands.empty()) return std::nullopt;
  std::string value = base_visible ? e.base : "";
  for (const std::string& op : e.operands) value += op;
  return value;
}

std::vector<KeyValue> VisibleRange(const Model& model, const std::string& start,
                                   const std::string& end, int64_t now) {
  std::vector<KeyValue> out;
  for (auto it = model.lower_bound(start); it != model.end(); ++it) {
    if (!end.empty() && it->first >= end) break;
    if (auto v = Visible(it->second, now)) out.push_back(KeyValue{it->first, *v});
  }
  return out;
}

class ModelRun {
 public:
  // `store` defaults to a memory store on the run's manual clock. Another store must
  // complete each call before returning (see db_model.h).
  explicit ModelRun(uint64_t seed, std::shared_ptr<ObjectStore> store = nullptr)
      : seed_(seed), rng_(seed) {
    if (store != nullptr) store_ = std::move(store);
    settings_.flush_interval_ms = 10;
    settings_.l0_sst_size_bytes = 4096 << rng_.Uniform(3);
    settings_.max_unflushed_bytes = 4 << 20;
    settings_.block_size_bytes = 1024;
    settings_.min_filter_keys = 5;
    settings_.compression = rng_.Uniform(2) ? CompressionCodec::kZstd : CompressionCodec::kNone;
    settings_.compaction_min_sources = 2 + static_cast<uint32_t>(rng_.Uniform(3));
    settings_.compaction_max_sources =
        settings_.compaction_min_sources + static_cast<uint32_t>(rng_.Uniform(4));
    settings_.l0_max_ssts =
        settings_.compaction_min_sources + static_cast<uint32_t>(rng_.Uniform(4));
    settings_.compaction_max_sst_bytes = 64 * 1024;
    settings_.compaction_include_size_threshold = 2.0 + static_cast<double>(rng_.Uniform(3));
    settings_.gc_enabled = false;  // GC passes are operations of the test
    Open();
  }

  void Run(int ops) {
    for (step_ = 0; step_ < ops; ++step_) {
      uint64_t dice = rng_.Uniform(100);
      if (dice < 28) {
        DoPut();
      } else if (dice < 36) {
        DoDelete();
      } else if (dice < 45) {
        DoMerge();
      } else if (dice < 52) {
        DoBatch();
      } else if (dice < 69) {
        CheckGet(RandomKey());
      } else if (dice < 72) {
        DoTxn();
      } else if (dice < 80) {
        CheckScan();
      } else if (dice < 83) {
        TakeSnapshot();
      } else if (dice < 87) {
        CheckSnapshot();
      } else if (dice < 91) {
        DoFlush();
      } else if (dice < 92) {
        Reopen(/*crash=*/false);
      } else if (dice < 93) {
        Reopen(/*crash=*/true);
      } else if (dice < 95) {
        clock_->Advance(static_cast<int64_t>(rng_.Uniform(300)));
      } else if (dice < 96) {
        DoGc();
      } else {
        executor_->RunUntilIdle();
      }
    }
    REQUIRE(Drive(*executor_, db_->Close()).ok());
    // Settle: reopen, let compactions finish, collect with no minimum age.
    Open();
    executor_->RunUntilIdle();
    clock_->Advance(1);  // GC keeps SSTs minted in the millisecond it starts
    INFO(Context() << " settle");
    REQUIRE(Drive(*executor_, db_->RunGcOnce(0)).ok());
    StoreAudit audit = StoreAudit::Take(Sync(), "model");
    // Object ages come from the store's clock: only the memory store runs on the test's.
    if (dynamic_cast<MemoryObjectStore*>(store_.get()) != nullptr) {
      audit.RequireNothingUnreferenced();
    }
    CHECK(audit.latest.compactor_epoch > 0);
    CHECK(!audit.latest.sorted_runs.empty());  // compactions happened
    REQUIRE(Drive(*executor_, db_->Close()).ok());
  }

 private:
  void DoGc() {
    static constexpr uint64_t kMinAges[] = {0, 50, 1000};
    INFO(Context() << " gc");
    REQUIRE(Drive(*executor_, db_->RunGcOnce(kMinAges[rng_.Uniform(3)])).ok());
    StoreAudit::Take(Sync(), "model");  // nothing referenced is missing
  }

  SyncObjectStore& Sync() {
    if (!sync_) sync_ = std::make_unique<SyncObjectStore>(store_);
    return *sync_;
  }

  std::string Context() const {
    return "seed " + std::to_string(seed_) + " step " + std::to_string(step_);
  }

  std::string RandomKey() {
    uint64_t n = rng_.Uniform(300);
    return "key" + std::string(3 - std::to_string(n).size(), '0') + std::to_string(n);
  }
  std::string RandomValue() {
    size_t len = rng_.Uniform(120);
    std::string v(len, 'a');
    for (char& c : v) c = static_cast<char>('a' + rng_.Uniform(26));
    return v;
  }

  void Open() {
    DbOptions options;
    options.object_store = store_;
    options.executor = executor_;
    options.clock = clock_;
    options.path = "model";
    options.settings = settings_;
    options.merge_operator = ConcatMerge;
    Result<std::shared_ptr<Db>> db = Drive(*executor_, Db::Open(options));
    INFO(Context());
    REQUIRE(db.status().ToString() == "OK");
    db_ = *db;
  }

  WriteOptions RandomWriteOptions() {
    WriteOptions w;
    w.await_durable = rng_.Uniform(2) == 0;
    return w;
  }

  void DoPut() {
    std::string key = RandomKey();
    std::string value = RandomValue();
    PutOptions put;
    if (rng_.Uniform(5) == 0) put.ttl_ms = 1 + rng_.Uniform(500);
    Result<WriteHandle> h = Drive(*executor_, db_->Put(key, value, put, RandomWriteOptions()));
    INFO(Context());
    REQUIRE(h.ok());
    Written(key);
    ModelEntry& e = model_[key];
    e.has_base = true;
    e.base = value;
    e.base_expire = put.ttl_ms ? h->create_ts + static_cast<int64_t>(*put.ttl_ms) : kNoTimestamp;
    e.operands.clear();
  }

  void DoDelete() {
    std::string key = RandomKey();
    INFO(Context());
    REQUIRE(Drive(*executor_, db_->Delete(key, RandomWriteOptions())).ok());
    Written(key);
    model_[key] = ModelEntry{};
  }

  void DoMerge() {
    std::string key = RandomKey();
    std::string operand = RandomValue().substr(0, 8);
    INFO(Context());
    REQUIRE(Drive(*executor_, db_->Merge(key, operand, {}, RandomWriteOptions())).ok());
    Written(key);
    model_[key].operands.push_back(operand);
  }

  void DoBatch() {
    WriteBatch batch;
    Model next = model_;
    size_t n = 1 + rng_.Uniform(8);
    for (size_t i = 0; i < n; ++i) {
      std::string key = RandomKey();
      uint64_t kind = rng_.Uniform(3);
      if (kind == 0) {
        std::string value = RandomValue();
        batch.Put(key, value);
        next[key] = ModelEntry{true, value, kNoTimestamp, {}};
      } else if (kind == 1) {
        batch.Delete(key);
        next[key] = ModelEntry{};
      } else {
        std::string operand = RandomValue().substr(0, 8);
        batch.Merge(key, operand);
        next[key].operands.push_back(operand);
      }
    }
    INFO(Context());
    std::vector<std::string> keys;
    for (const WriteBatch::Op& op : batch.ops()) keys.push_back(op.key);
    REQUIRE(Drive(*executor_, db_->Write(std::move(batch), RandomWriteOptions())).ok());
    for (const std::string& key : keys) Written(key);
    model_ = std::move(next);
  }

  // Keys written outside an open transaction (see DoTxn).
  void Written(const std::string& key) {
    if (written_ != nullptr) written_->insert(key);
  }

  // A transaction (SI or SSI) interleaved with plain writes and flushes: its reads are
  // checked against the model as of its start overlaid with its own writes, and its commit
  // must conflict exactly when the rules say (docs/transactions.md).
  void DoTxn() {
    struct Op {
      int kind;  // 0 put, 1 delete, 2 merge
      std::string key;
      std::string value;
    };
    const bool ssi = rng_.Uniform(2) == 0;
    Result<std::unique_ptr<Transaction>> begun =
        db_->Begin(ssi ? IsolationLevel::kSerializableSnapshot : IsolationLevel::kSnapshot);
    INFO(Context() << (ssi ? " ssi" : " si"));
    REQUIRE(begun.ok());
    Transaction& txn = **begun;
    Model view = model_;
    std::vector<Op> ops;
    std::set<std::string> writes, reads, outside;
    std::vector<std::pair<std::string, std::string>> ranges;
    written_ = &outside;
    auto apply = [](Model& m, const Op& op) {
      if (op.kind == 0) {
        m[op.key] = ModelEntry{true, op.value, kNoTimestamp, {}};
      } else if (op.kind == 1) {
        m[op.key] = ModelEntry{};
      } else {
        m[op.key].operands.push_back(op.value);
      }
    };
    const size_t n = 1 + rng_.Uniform(10);
    for (size_t i = 0; i < n; ++i) {
      uint64_t dice = rng_.Uniform(100);
      if (dice < 45) {
        Op op{static_cast<int>(dice % 3), RandomKey(), RandomValue().substr(0, 16)};
        Status s = op.kind == 0   ? txn.Put(op.key, op.value)
                   : op.kind == 1 ? txn.Delete(op.key)
                                  : txn.Merge(op.key, op.value);
        REQUIRE(s.ok());
        apply(view, op);
        writes.insert(op.key);
        ops.push_back(std::move(op));
      } else if (dice < 65) {
        std::string key = RandomKey();
        Result<std::optional<std::string>> got = Drive(*executor_, txn.Get(key));
        INFO("txn get " << key);
        REQUIRE(got.status().ToString() == "OK");
        auto it = view.find(key);
        std::optional<std::string> expected;
        if (it != view.end()) expected = Visible(it->second, clock_->NowMillis());
        REQUIRE(*got == expected);
        reads.insert(key);
      } else if (dice < 75) {
        std::string start, end;
        RandomRange(&start, &end);
        if (start.empty()) start = "key";
        if (!end.empty() && end <= start) end.clear();
        ScanOptions options = RandomOrder();
        CheckIteration(txn.Scan(start, end, options), view, start, end, options);
        ranges.emplace_back(start, end);
      } else if (dice < 90) {
        uint64_t kind = rng_.Uniform(4);
        if (kind == 0) {
          DoPut();
        } else if (kind == 1) {
          DoDelete();
        } else if (kind == 2) {
          DoMerge();
        } else {
          DoBatch();
        }
      } else if (dice < 95) {
        DoFlush();
      } else {
        executor_->RunUntilIdle();
      }
    }
    written_ = nullptr;
    if (rng_.Uniform(10) == 0) {
      txn.Rollback();
      return;
    }
    bool conflict = false;
    for (const std::string& key : outside) {
      bool in_range = false;
      for (const auto& [start, end] : ranges) {
        in_range = in_range || (key >= start && (end.empty() || key < end));
      }
      conflict = conflict || writes.count(key) > 0 || (ssi && (reads.count(key) > 0 || in_range));
    }
    Result<std::optional<WriteHandle>> committed =
        Drive(*executor_, txn.Commit(RandomWriteOptions()));
    INFO("commit, expecting " << (conflict ? "a conflict" : "success"));
    if (conflict) {
      REQUIRE(committed.status().kind() == ErrorKind::kTransaction);
      return;
    }
    REQUIRE(committed.status().ToString() == "OK");
    REQUIRE(committed->has_value() == !ops.empty());
    for (const Op& op : ops) apply(model_, op);
  }

  void CheckGet(const std::string& key) {
    Result<std::optional<std::string>> got = Drive(*executor_, db_->Get(key));
    INFO(Context() << " get " << key);
    REQUIRE(got.status().ToString() == "OK");
    auto it = model_.find(key);
    std::optional<std::string> expected;
    if (it != model_.end()) expected = Visible(it->second, clock_->NowMillis());
    REQUIRE(*got == expected);
  }

  // Ascending or (one scan in three) descending.
  ScanOptions RandomOrder() {
    ScanOptions options;
    if (rng_.Uniform(3) == 0) options.order = IterationOrder::kDescending;
    return options;
  }

  // Reads [start, end) in `options.order`, comparing with the model: ascending scans seek
  // forward part-way; descending ones must refuse a seek (and go on as if none was asked).
  template <typename ScanTask>
  void CheckIteration(ScanTask scan, const Model& model, const std::string& start,
                      const std::string& end, const ScanOptions& options = {}) {
    const bool descending = options.order == IterationOrder::kDescending;
    Result<std::unique_ptr<DbIterator>> it = Drive(*executor_, std::move(scan));
    INFO(Context() << " scan [" << start << ", " << end << ")" << (descending ? " desc" : ""));
    REQUIRE(it.ok());
    std::vector<KeyValue> expected = VisibleRange(model, start, end, clock_->NowMillis());
    if (descending) std::reverse(expected.begin(), expected.end());
    size_t pos = 0;
    size_t seek_after = rng_.Uniform(expected.size() + 2);
    for (size_t read = 0;; ++read) {
      if (read == seek_after && pos > 0) {
        std::string target = expected[pos - 1].key + static_cast<char>('0' + rng_.Uniform(10));
        if (descending) {
          Status refused = Drive(*executor_, (*it)->Seek(target));
          REQUIRE(refused.kind() == ErrorKind::kInvalid);
        } else if (end.empty() || target < end) {
          REQUIRE(Drive(*executor_, (*it)->Seek(target)).ok());
          while (pos < expected.size() && expected[pos].key < target) ++pos;
        }
      }
      Result<std::optional<KeyValue>> next = Drive(*executor_, (*it)->Next());
      REQUIRE(next.status().ToString() == "OK");
      if (!next->has_value()) {
        REQUIRE(pos == expected.size());
        return;
      }
      REQUIRE(pos < expected.size());
      REQUIRE((*next)->key == expected[pos].key);
      REQUIRE((*next)->value == expected[pos].value);
      ++pos;
    }
  }

  void RandomRange(std::string* start, std::string* end) {
    *start = rng_.Uniform(4) == 0 ? "" : RandomKey();
    *end = rng_.Uniform(3) == 0 ? "" : RandomKey();
    if (!end->empty() && *end <= *start) std::swap(*start, *end);
    if (!end->empty() && *end <= *start) end->clear();
  }

  void CheckScan() {
    std::string start, end;
    RandomRange(&start, &end);
    ScanOptions options = RandomOrder();
    CheckIteration(db_->Scan(start, end, options), model_, start, end, options);
  }

  void TakeSnapshot() {
    if (snapshots_.size() >= 3) snapshots_.erase(snapshots_.begin());
    Result<std::shared_ptr<Snapshot>> snap = db_->GetSnapshot();
    REQUIRE(snap.ok());
    snapshots_.push_back({*snap, model_});
  }

  void CheckSnapshot() {
    if (snapshots_.empty()) return;
    auto& [snap, model] = snapshots_[rng_.Uniform(snapshots_.size())];
    if (rng_.Uniform(2) == 0) {
      std::string key = RandomKey();
      Result<std::optional<std::string>> got = Drive(*executor_, snap->Get(key));
      INFO(Context() << " snapshot get " << key);
      REQUIRE(got.ok());
      auto it = model.find(key);
      std::optional<std::string> expected;
      if (it != model.end()) expected = Visible(it->second, clock_->NowMillis());
      REQUIRE(*got == expected);
    } else {
      std::string start, end;
      RandomRange(&start, &end);
      ScanOptions options = RandomOrder();
      CheckIteration(snap->Scan(start, end, options), model, start, end, options);
    }
  }

  void DoFlush() {
    FlushType type = rng_.Uniform(2) ? FlushType::kWal : FlushType::kMemTable;
    INFO(Context());
    REQUIRE(Drive(*executor_, db_->Flush(type)).ok());
  }

  void Reopen(bool crash) {
    snapshots_.clear();
    INFO(Context() << (crash ? " crash" : " reopen"));
    if (crash) {
      // Everything acknowledged is made durable first; then the handle is simply dropped,
      // losing the memtable, which must be rebuilt from the WAL.
      REQUIRE(Drive(*executor_, db_->Flush(FlushType::kWal)).ok());
    } else {
      REQUIRE(Drive(*executor_, db_->Close()).ok());
    }
    db_.reset();
    executor_->RunUntilIdle();
    Open();
  }

  uint64_t seed_;
  Random rng_;
  int step_ = 0;
  Settings settings_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(1'700'000'000'000);
  std::shared_ptr<ManualExecutor> executor_ = std::make_shared<ManualExecutor>(clock_);
  std::shared_ptr<ObjectStore> store_ = std::make_shared<MemoryObjectStore>(clock_);
  std::unique_ptr<SyncObjectStore> sync_;
  std::shared_ptr<Db> db_;
  Model model_;
  std::vector<std::pair<std::shared_ptr<Snapshot>, Model>> snapshots_;
  std::set<std::string>* written_ = nullptr;  // keys written while a transaction is open
};

TEST_CASE("model test: 20 seeds x 10,000 random operations", "[model]") {
  const char* one = std::getenv("SLATEDB_MODEL_SEED");
  std::vector<uint64_t> seeds;
  if (one != nullptr) {
    seeds.push_back(std::strtoull(one, nullptr, 10));
  } else {
    for (uint64_t s = 1; s <= 20; ++s) seeds.push_back(s);
  }
  for (uint64_t seed : seeds) {
    INFO("seed " << seed << " (rerun with SLATEDB_MODEL_SEED=" << seed << ")");
    ModelRun run(seed);
    run.Run(10'000);
  }
}

}  // namespace

void RunModelSeed(uint64_t seed, int ops, std::shared_ptr<ObjectStore> store) {
  INFO("seed " << seed);
  ModelRun run(seed, std::move(store));
  run.Run(ops);
}

}  // namespace slatedb::testing
