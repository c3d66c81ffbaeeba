// SPDX-License-Identifier: Apache-2.0
//
// crash_writer: the process that scripts/crash-test.sh kills with SIGKILL.
//
//   crash_writer <store> <ack-log> <cycle>
//   crash_writer <store> <ack-log> <cycle> --check-only
//   crash_writer <store> <ack-log> <cycle> --compactor
//
// <store> is a local directory or an s3:// URL (AWS_* variables from the environment).
// On start it opens the database (fencing the killed predecessor, replaying its WAL) and
// checks every write the ack log records as acknowledged: a put must read back its value,
// a delete must read back nothing. Then it writes until killed: puts of new keys
// "c<cycle>-<n>" with await_durable, and now and then a delete of a key an earlier put
// acknowledged. Each acknowledged write is appended to the ack log and fsync'd before the
// next one starts, so the log never claims more than the store acknowledged. A delete's
// intent is logged (fsync'd) before it is sent: its key may be either present or absent
// if the process dies before the acknowledgement, and the check skips it.
// With CRASH_COMPACTION=off in the environment the writer runs with compaction off (a
// standalone compactor compacts) and prints "l0 N" (its L0 count) every 250 ms while it
// writes; `--check-only` then also waits (up to 60 s) until L0 is at most l0_max_ssts and
// prints it, so the script can check L0 drains once a compactor runs again.
// `--compactor` runs the database's standalone compactor (slatedb/compactor.h) until
// killed; it exits 3 if the database does not exist yet.
// Exit codes: 0 never (it runs until killed) except with `--check-only`; 1 usage or open
// failure; 2 an acknowledged write is missing or wrong (the failure this test looks for);
// 3 `--compactor` found no database; 4 L0 did not drain (`--check-only`, compaction off).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "slatedb/compactor.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

using namespace slatedb;

namespace {

[[noreturn]] void Die(int code, const std::string& message) {
  std::fprintf(stderr, "crash_writer: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(code);
}

// What the ack log says: key -> value for acknowledged puts, nullopt for acknowledged
// deletes; keys with a delete in doubt are left out.
struct AckLog {
  std::map<std::string, std::optional<std::string>> expected;
  std::vector<std::string> live;  // keys whose last acknowledged write is a put
  size_t acks = 0;
};

// Lines: "P <key> <value>", "D <key>" (acknowledged), "? <key>" (delete sent).
AckLog ReadLog(const std::string& path) {
  AckLog log;
  std::set<std::string> doubtful;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, key, value;
    fields >> kind >> key >> value;
    if (kind == "P") {
      log.expected[key] = value;
      doubtful.erase(key);
      ++log.acks;
    } else if (kind == "D") {
      log.expected[key] = std::nullopt;
      doubtful.erase(key);
      ++log.acks;
    } else if (kind == "?") {
      doubtful.insert(key);
    }
    // A torn last line (killed mid-append, before its fsync returned) is ignored: its
    // write was acknowledged but the log never claimed it.
  }
  for (const std::string& key : doubtful) log.expected.erase(key);
  for (const auto& [key, value] : log.expected) {
    if (value) log.live.push_back(key);
  }
  return log;
}

class Log {
 public:
  explicit Log(const std::string& path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd_ < 0) Die(1, "cannot open the ack log " + path);
  }
  void Append(const std::string& line) {
    std::string l = line + "\n";
    ssize_t written = ::write(fd_, l.data(), l.size());
    if (written != static_cast<ssize_t>(l.size()) || ::fsync(fd_) != 0) {
      Die(1, "cannot append to the ack log");
    }
  }

 private:
  int fd_ = -1;
};

std::shared_ptr<ObjectStore> OpenStore(const std::string& where) {
  if (where.rfind("s3://", 0) == 0) {
    Result<std::shared_ptr<S3ObjectStore>> s3 = OpenS3ObjectStore(where);
    if (!s3.ok()) Die(1, "open " + where + ": " + s3.status().ToString());
    return *s3;
  }
  Result<std::shared_ptr<LocalObjectStore>> local = LocalObjectStore::Open(where);
  if (!local.ok()) Die(1, "open " + where + ": " + local.status().ToString());
  return *local;
}

// Small sizes so WAL objects, L0 flushes, compactions and GC all happen between kills.
Settings CrashSettings() {
  Settings s;
  s.flush_interval_ms = 5;
  s.l0_sst_size_bytes = 8 * 1024;
  s.compaction_min_sources = 2;
  s.compaction_max_sources = 4;
  s.l0_max_ssts = 6;
  s.compaction_max_sst_bytes = 64 * 1024;
  s.manifest_poll_interval_ms = 100;
  s.SetGc(/*interval_ms=*/300, /*min_age_ms=*/200);
  const char* compaction = std::getenv("CRASH_COMPACTION");
  s.compactor_enabled = compaction == nullptr || std::string(compaction) != "off";
  return s;
}

// --compactor: the standalone compactor, until killed.
int RunCompactor(const std::string& where) {
  CompactorOptions options;
  options.object_store = OpenStore(where);
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = "crashdb";
  options.settings = CrashSettings();
  Result<std::shared_ptr<Compactor>> opened = BlockOn(Compactor::Open(options));
  if (opened.status().code() == StatusCode::kData) return 3;
  if (!opened.ok()) Die(1, "Compactor::Open: " + opened.status().ToString());
  std::printf("compactor epoch %llu\n", static_cast<unsigned long long>((*opened)->epoch()));
  std::fflush(stdout);
  Status ran = BlockOn((*opened)->Run());
  Die(1, "compactor stopped: " + ran.ToString());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 5 ? argv[4] : "";
  const bool check_only = mode == "--check-only";
  if (argc != 4 && !check_only && mode != "--compactor") {
    std::fprintf(stderr,
                 "usage: crash_writer <dir|s3://bucket/prefix> <ack-log> <cycle> "
                 "[--check-only|--compactor]\n");
    return 1;
  }
  if (mode == "--compactor") return RunCompactor(argv[1]);
  const std::string where = argv[1];
  const std::string log_path = argv[2];
  const uint64_t cycle = std::strtoull(argv[3], nullptr, 10);

  DbOptions options;
  options.object_store = OpenStore(where);
  options.executor = std::make_shared<ThreadPoolExecutor>(2);
  options.clock = std::make_shared<SystemClock>();
  options.path = "crashdb";
  options.settings = CrashSettings();
  const bool standalone = !options.settings.compactor_enabled;
  Result<std::shared_ptr<Db>> opened = BlockOn(Db::Open(options));
  if (!opened.ok()) Die(1, "Db::Open: " + opened.status().ToString());
  std::shared_ptr<Db> db = *opened;

  // One scan reads back everything (all keys start with 'c'); far cheaper than a get per
  // key once the log is long.
  AckLog log = ReadLog(log_path);
  std::map<std::string, std::string> stored;
  {
    Result<std::unique_ptr<DbIterator>> it = BlockOn(db->Scan("c", ""));
    if (!it.ok()) Die(2, "scan: " + it.status().ToString());
    for (;;) {
      Result<std::optional<KeyValue>> next = BlockOn((*it)->Next());
      if (!next.ok()) Die(2, "scan: " + next.status().ToString());
      if (!next->has_value()) break;
      stored[(*next)->key] = (*next)->value;
    }
  }
  for (const auto& [key, value] : log.expected) {
    auto found = stored.find(key);
    std::optional<std::string> got;
    if (found != stored.end()) got = found->second;
    if (got != value) {
      Die(2, "acknowledged " + std::string(value ? "put" : "delete") + " of " + key +
                 " lost: read " + (got ? "'" + got->substr(0, 20) + "'" : "nothing") +
                 ", expected " + (value ? "'" + value->substr(0, 20) + "'" : "nothing"));
    }
  }
  std::printf("cycle %llu: %zu acknowledged writes verified, %zu keys stored\n",
              static_cast<unsigned long long>(cycle), log.expected.size(), stored.size());
  std::fflush(stdout);
  if (check_only && standalone) {
    // A compactor runs again (the script started one): L0 must drain to its bound.
    uint64_t l0 = 0;
    for (int i = 0; i < 600; ++i) {
      l0 = db->Metrics()["db/l0_sst_count"];
      if (l0 <= options.settings.l0_max_ssts) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("l0 after the load: %llu\n", static_cast<unsigned long long>(l0));
    if (l0 > options.settings.l0_max_ssts) Die(4, "L0 did not drain: " + std::to_string(l0));
  }
  if (check_only) {
    Status closed = BlockOn(db->Close());
    return closed.ok() ? 0 : 1;
  }

  Log out(log_path);
  std::mt19937_64 rng(cycle * 7919 + 1);
  auto next_report = std::chrono::steady_clock::now();
  for (uint64_t n = 0;; ++n) {
    if (standalone && std::chrono::steady_clock::now() >= next_report) {
      std::printf("l0 %llu\n", static_cast<unsigned long long>(db->Metrics()["db/l0_sst_count"]));
      std::fflush(stdout);
      next_report += std::chrono::milliseconds(250);
    }
    if (!log.live.empty() && rng() % 8 == 0) {
      size_t i = rng() % log.live.size();
      std::string key = log.live[i];
      log.live[i] = log.live.back();
      log.live.pop_back();
      out.Append("? " + key);
      Result<WriteHandle> h = BlockOn(db->Delete(key));
      if (!h.ok()) Die(1, "delete: " + h.status().ToString());
      out.Append("D " + key);
      continue;
    }
    std::string key = "c" + std::to_string(cycle) + "-" + std::to_string(n);
    std::string value = "v" + std::to_string(rng() % 1000000) + std::string(rng() % 200, 'x');
    Result<WriteHandle> h = BlockOn(db->Put(key, value));
    if (!h.ok()) Die(1, "put: " + h.status().ToString());
    out.Append("P " + key + " " + value);
    log.live.push_back(key);
  }
}
