// SPDX-License-Identifier: Apache-2.0
//
// CachedObjectStore: the conformance suite through it (caching nothing, and caching every
// key with small parts), then what a persistent cache must get right: hits make no
// request, the cache survives a restart and is seen by a second process, a second process
// may not share a held folder, the size bound and LRU order (also across a restart),
// corrupt and truncated part files are detected and refetched, concurrent misses share one
// fetch, Put/Delete drop stale parts, warm/evict, and a database reading through it.
#include "slatedb/platform/cached_object_store.h"

#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "db/db_test_util.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/memory_object_store.h"
#include "store/object_store_conformance.h"
#include "testutil/sync_object_store.h"
#include "testutil/temp_dir.h"

namespace slatedb::testing {
namespace {

const std::string kSst = "db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZZ.sst";

// Every file under `dir` (recursively) whose name ends with `suffix`.
void FindFiles(const std::string& dir, const std::string& suffix, std::vector<std::string>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      FindFiles(path, suffix, out);
    } else if (name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out->push_back(path);
    }
  }
  ::closedir(d);
}

std::vector<std::string> PartFiles(const std::string& root) {
  std::vector<std::string> files;
  FindFiles(root + "/parts", ".part", &files);
  FindFiles(root + "/parts", ".last", &files);
  return files;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Deterministic bytes of every value.
std::string Pattern(size_t n, uint32_t seed = 7) {
  std::string s(n, '\0');
  uint32_t x = seed;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

std::shared_ptr<CachedObjectStore> OpenCache(std::shared_ptr<ObjectStore> inner,
                                             const std::string& root, uint64_t part_size,
                                             uint64_t max_bytes = 1ull << 30,
                                             bool cache_everything = false) {
  ObjectStoreCacheOptions options;
  options.root_folder = root;
  options.part_size_bytes = part_size;
  options.max_cache_size_bytes = max_bytes;
  if (cache_everything) options.cacheable = [](const std::string&) { return true; };
  Result<std::shared_ptr<CachedObjectStore>> opened = CachedObjectStore::Open(inner, options);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  return *opened;
}

// The conformance suite needs a fresh store per section: a memory store and a cache in a
// temp dir that both go away with the returned pointer.
std::function<std::shared_ptr<ObjectStore>()> CacheFactory(uint64_t part_size,
                                                           bool cache_everything) {
  return [=]() -> std::shared_ptr<ObjectStore> {
    struct Holder {
      TempDir dir;
      std::shared_ptr<CachedObjectStore> store;
    };
    auto holder = std::make_shared<Holder>();
    holder->store = OpenCache(std::make_shared<MemoryObjectStore>(), holder->dir.path(), part_size,
                              1ull << 30, cache_everything);
    return std::shared_ptr<ObjectStore>(holder, holder->store.get());
  };
}

TEST_CASE("cached store passes the conformance suite (SST keys only: passes through)",
          "[store][cache]") {
  CheckObjectStoreConformance(CacheFactory(4096, /*cache_everything=*/false));
}

TEST_CASE("cached store passes the conformance suite caching every key, 4 KiB parts",
          "[store][cache]") {
  CheckObjectStoreConformance(CacheFactory(4096, /*cache_everything=*/true));
}

TEST_CASE("cached store passes the conformance suite caching every key, 1 MiB parts",
          "[store][cache]") {
  CheckObjectStoreConformance(CacheFactory(1 << 20, /*cache_everything=*/true));
}

TEST_CASE("cached store: which keys are cached", "[store][cache]") {
  CHECK(IsImmutableSstKey("db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZZ.sst"));
  CHECK(IsImmutableSstKey("compacted/x.sst"));
  CHECK(IsImmutableSstKey("a/b/compacted/x.sst"));
  CHECK_FALSE(IsImmutableSstKey("db/wal/00000000000000000001.sst"));
  CHECK_FALSE(IsImmutableSstKey("db/manifest/00000000000000000001.manifest"));
  CHECK_FALSE(IsImmutableSstKey("db/compactions/00000000000000000001.compactions"));
  CHECK_FALSE(IsImmutableSstKey("db/gc/boundary"));
  CHECK_FALSE(IsImmutableSstKey("db/compacted/.sst"));
  CHECK_FALSE(IsImmutableSstKey("db/compacted/x.sst.tmp"));
  CHECK_FALSE(IsImmutableSstKey("db/notcompacted/x.sst"));
  CHECK_FALSE(IsImmutableSstKey("x.sst"));
}

TEST_CASE("cached store: a hit makes no request; manifests and WAL always go to the store",
          "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  auto cached = OpenCache(inner, dir.path(), 4096);
  SyncObjectStore sync(cached);
  const std::string data = Pattern(10000);
  REQUIRE(sync.Put(kSst, data).ok());
  REQUIRE(sync.Put("db/manifest/00000000000000000001.manifest", "m").ok());
  REQUIRE(sync.Put("db/wal/00000000000000000001.sst", "w").ok());

  RequestCounts before = inner->counts();
  Result<std::string> first = sync.GetRange(kSst, 5000, 4000);  // parts 1 and 2
  REQUIRE(first.ok());
  CHECK(*first == data.substr(5000, 4000));
  CHECK((inner->counts() - before).get_range == 1);  // adjacent parts: one request

  before = inner->counts();
  for (int i = 0; i < 5; ++i) {
    Result<std::string> again = sync.GetRange(kSst, 4100 + i, 3000);
    REQUIRE(again.ok());
    CHECK(*again == data.substr(4100 + i, 3000));
  }
  CHECK((inner->counts() - before).total() == 0);
  ObjectStoreCacheStats stats = cached->stats();
  CHECK(stats.reads_hit == 5);
  CHECK(stats.reads_missed == 1);
  CHECK(stats.parts_fetched == 2);
  CHECK(stats.bytes_served == 5 * 3000);

  // The end of the object: the last part is short and marks the size.
  Result<std::string> tail = sync.GetRange(kSst, 9000, UINT64_MAX);
  REQUIRE(tail.ok());
  CHECK(*tail == data.substr(9000));
  before = inner->counts();
  CHECK(sync.GetRange(kSst, 10001, 1).status().code() == StatusCode::kInvalid);
  Result<std::string> at_end = sync.GetRange(kSst, 10000, 5);
  REQUIRE(at_end.ok());
  CHECK(at_end->empty());
  CHECK((inner->counts() - before).total() == 0);

  before = inner->counts();
  for (int i = 0; i < 3; ++i) {
    REQUIRE(sync.Get("db/manifest/00000000000000000001.manifest").ok());
    REQUIRE(sync.GetRange("db/wal/00000000000000000001.sst", 0, 1).ok());
  }
  CHECK((inner->counts() - before).get == 3);
  CHECK((inner->counts() - before).get_range == 3);
}

TEST_CASE("cached store: a whole-object Get is one request and fills every part",
          "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  auto cached = OpenCache(inner, dir.path(), 4096);
  SyncObjectStore sync(cached);
  const std::string data = Pattern(3 * 4096);  // ends exactly on a part boundary
  REQUIRE(SyncObjectStore(inner).Put(kSst, data).ok());
  RequestCounts before = inner->counts();
  Result<std::string> got = sync.Get(kSst);
  REQUIRE(got.ok());
  CHECK(*got == data);
  CHECK((inner->counts() - before).total() == 1);
  before = inner->counts();
  got = sync.Get(kSst);
  REQUIRE(got.ok());
  CHECK(*got == data);
  Result<std::string> range = sync.GetRange(kSst, 100, UINT64_MAX);
  REQUIRE(range.ok());
  CHECK(*range == data.substr(100));
  CHECK((inner->counts() - before).total() == 0);
  CHECK(sync.Get("db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZY.sst").status().IsNotFound());
}

TEST_CASE("cached store: the cache survives a restart and serves a second process",
          "[store][cache]") {
  TempDir dir;
  const std::string data = Pattern(50000);
  {
    auto store = LocalObjectStore::Open(dir.Join("store"));
    REQUIRE(store.ok());
    auto cached = OpenCache(*store, dir.Join("cache"), 8192);
    SyncObjectStore sync(cached);
    REQUIRE(sync.Put(kSst, data).ok());
    REQUIRE(sync.GetRange(kSst, 0, 50000).ok());  // fills every part
    CHECK(cached->stats().entries == 7);
  }
  // A new process: a fresh store object and a fresh cache on the same folders.
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int code = 0;
    auto store = LocalObjectStore::Open(dir.Join("store"));
    ObjectStoreCacheOptions options;
    options.root_folder = dir.Join("cache");
    options.part_size_bytes = 8192;
    auto cached = store.ok() ? CachedObjectStore::Open(*store, options)
                             : Result<std::shared_ptr<CachedObjectStore>>(store.status());
    if (!cached.ok()) {
      code = 2;
    } else {
      SyncObjectStore sync(*cached);
      Result<std::string> got = sync.GetRange(kSst, 1234, 40000);
      if (!got.ok() || *got != data.substr(1234, 40000)) code = 3;
      if ((*store)->counts().total() != 0) code = 4;  // every byte came from the cache
      if ((*cached)->stats().reads_hit != 1) code = 5;
    }
    ::_exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("cached store: a second process may not use a folder in use", "[store][cache]") {
  TempDir dir;
  auto cached = OpenCache(std::make_shared<MemoryObjectStore>(), dir.path(), 4096);
  // The same process shares the folder.
  auto again = OpenCache(std::make_shared<MemoryObjectStore>(), dir.path(), 4096);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ObjectStoreCacheOptions options;
    options.root_folder = dir.path();
    auto refused = CachedObjectStore::Open(std::make_shared<MemoryObjectStore>(), options);
    bool ok = !refused.ok() && refused.status().code() == StatusCode::kInvalid &&
              refused.status().message().find("in use by another process") != std::string::npos;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("cached store: bad options are Invalid", "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  ObjectStoreCacheOptions options;
  CHECK(CachedObjectStore::Open(inner, options).status().code() == StatusCode::kInvalid);
  options.root_folder = dir.path();
  CHECK(CachedObjectStore::Open(nullptr, options).status().code() == StatusCode::kInvalid);
  options.part_size_bytes = 0;
  CHECK(CachedObjectStore::Open(inner, options).status().code() == StatusCode::kInvalid);
  options.part_size_bytes = 1 << 20;
  options.max_cache_size_bytes = 1 << 10;
  CHECK(CachedObjectStore::Open(inner, options).status().code() == StatusCode::kInvalid);
  WriteFile(dir.Join("file"), "x");
  options.root_folder = dir.Join("file");
  options.max_cache_size_bytes = 1 << 30;
  CHECK(CachedObjectStore::Open(inner, options).status().code() == StatusCode::kInvalid);
}

TEST_CASE("cached store: size stays bounded, least recently used go first, across restarts",
          "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  const uint64_t part = 4096;
  // Room for three parts and their headers, not four.
  const uint64_t max_bytes = 3 * (part + 400);
  const std::string data = Pattern(10 * part);
  REQUIRE(SyncObjectStore(inner).Put(kSst, data).ok());
  {
    auto cached = OpenCache(inner, dir.path(), part, max_bytes);
    SyncObjectStore sync(cached);
    for (uint64_t p = 0; p < 10; ++p) {
      REQUIRE(sync.GetRange(kSst, p * part, 10).ok());
      // Part 0 is read again after every other part: it stays the most recent.
      REQUIRE(sync.GetRange(kSst, 0, 10).ok());
      ObjectStoreCacheStats stats = cached->stats();
      CHECK(stats.used_bytes <= max_bytes);
      CHECK(stats.entries <= 3);
    }
    ObjectStoreCacheStats stats = cached->stats();
    CHECK(stats.evictions == 7);
    CHECK(PartFiles(dir.path()).size() == 3);
    RequestCounts before = inner->counts();
    REQUIRE(sync.GetRange(kSst, 0, 10).ok());         // kept
    REQUIRE(sync.GetRange(kSst, 9 * part, 10).ok());  // the newest, kept
    CHECK((inner->counts() - before).total() == 0);
    // Make part 8 the least recent, then restart: recency comes from the files.
    REQUIRE(sync.GetRange(kSst, 8 * part, 10).ok());  // cached: 0, 9, 8
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(sync.GetRange(kSst, 0, 10).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(sync.GetRange(kSst, 9 * part, 10).ok());
  }
  // Was the order kept? After the restart, the least recent (8) is evicted first.
  auto cached = OpenCache(inner, dir.path(), part, max_bytes);
  SyncObjectStore sync(cached);
  CHECK(cached->stats().used_bytes <= max_bytes);
  CHECK(cached->stats().entries == 3);
  REQUIRE(sync.GetRange(kSst, 5 * part, 10).ok());  // a new part: one must go
  RequestCounts before = inner->counts();
  REQUIRE(sync.GetRange(kSst, 0, 10).ok());
  REQUIRE(sync.GetRange(kSst, 9 * part, 10).ok());
  CHECK((inner->counts() - before).total() == 0);
  before = inner->counts();
  REQUIRE(sync.GetRange(kSst, 8 * part, 10).ok());
  CHECK((inner->counts() - before).total() == 1);
}

TEST_CASE("cached store: corrupt, truncated and foreign part files are refetched, never served",
          "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  const std::string data = Pattern(4096 * 2 + 100);
  REQUIRE(SyncObjectStore(inner).Put(kSst, data).ok());
  auto cached = OpenCache(inner, dir.path(), 4096);
  SyncObjectStore sync(cached);
  REQUIRE(sync.Get(kSst).ok());
  std::vector<std::string> files = PartFiles(dir.path());
  REQUIRE(files.size() == 3);

  auto check_refetched = [&](const std::string& what) {
    INFO(what);
    uint64_t corrupt_before = cached->stats().corrupt_parts;
    RequestCounts before = inner->counts();
    Result<std::string> got = sync.GetRange(kSst, 0, data.size());
    REQUIRE(got.ok());
    CHECK(*got == data);
    CHECK((inner->counts() - before).total() == 1);
    CHECK(cached->stats().corrupt_parts == corrupt_before + 1);
    // Refetched and rewritten: the next read is a hit again.
    before = inner->counts();
    got = sync.GetRange(kSst, 0, data.size());
    REQUIRE(got.ok());
    CHECK(*got == data);
    CHECK((inner->counts() - before).total() == 0);
  };

  // Every file: flip one data byte, one header byte.
  for (const std::string& file : PartFiles(dir.path())) {
    std::string bytes = ReadFile(file);
    bytes[bytes.size() - 1] ^= 0x01;
    WriteFile(file, bytes);
    check_refetched("data byte flipped in " + file);
  }
  for (const std::string& file : PartFiles(dir.path())) {
    std::string bytes = ReadFile(file);
    bytes[20] ^= 0x40;
    WriteFile(file, bytes);
    check_refetched("header byte flipped in " + file);
  }
  for (const std::string& file : PartFiles(dir.path())) {
    std::string bytes = ReadFile(file);
    WriteFile(file, bytes.substr(0, bytes.size() / 2));
    check_refetched("truncated " + file);
  }
  for (const std::string& file : PartFiles(dir.path())) {
    WriteFile(file, "");
    check_refetched("emptied " + file);
  }
  // A part file of another object copied over this one's name: a miss, not its bytes.
  const std::string other_key = "db/compacted/01HZZZZZZZZZZZZZZZZZZZZZZX.sst";
  REQUIRE(SyncObjectStore(inner).Put(other_key, Pattern(4096 * 3, 99)).ok());
  REQUIRE(sync.Get(other_key).ok());
  std::vector<std::string> all = PartFiles(dir.path());
  REQUIRE(all.size() == 7);  // 3 + 4 (the other one ends on a boundary: an empty last part)
  auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  std::string mine, theirs;
  for (const std::string& f : files) {
    if (ends_with(f, "-4096-0.part")) mine = f;
  }
  for (const std::string& f : all) {
    if (ends_with(f, "-4096-0.part") && f != mine) theirs = f;
  }
  REQUIRE(!mine.empty());
  REQUIRE(!theirs.empty());
  WriteFile(mine, ReadFile(theirs));
  RequestCounts before = inner->counts();
  Result<std::string> got = sync.GetRange(kSst, 0, data.size());
  REQUIRE(got.ok());
  CHECK(*got == data);
  CHECK((inner->counts() - before).total() == 1);
}

// Holds every GetRange answer until Release(), so reads pile up on one miss.
class GatedStore : public ObjectStore {
 public:
  explicit GatedStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}
  void Get(const std::string& key, Callback<std::string> done) override {
    inner_->Get(key, std::move(done));
  }
  void GetRange(const std::string& key, uint64_t offset, uint64_t length,
                Callback<std::string> done) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++ranges_;
    held_.push_back([=, this, done = std::move(done)]() mutable {
      inner_->GetRange(key, offset, length, std::move(done));
    });
    cv_.notify_all();
  }
  void Head(const std::string& key, Callback<ObjectMeta> done) override {
    inner_->Head(key, std::move(done));
  }
  void Put(const std::string& key, std::string data, const ObjectPutOptions& options,
           Callback<ObjectMeta> done) override {
    inner_->Put(key, std::move(data), options, std::move(done));
  }
  void List(const std::string& prefix, const std::string& start_after,
            Callback<std::vector<ObjectMeta>> done) override {
    inner_->List(prefix, start_after, std::move(done));
  }
  void Delete(const std::string& key, StatusCallback done) override {
    inner_->Delete(key, std::move(done));
  }
  std::string Describe() const override { return "gated"; }

  void WaitForRequests(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return ranges_ >= n; });
  }
  void Release() {
    std::vector<std::function<void()>> held;
    {
      std::lock_guard<std::mutex> lock(mu_);
      held.swap(held_);
    }
    for (auto& f : held) f();
  }
  size_t ranges() {
    std::lock_guard<std::mutex> lock(mu_);
    return ranges_;
  }

 private:
  std::shared_ptr<ObjectStore> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t ranges_ = 0;
  std::vector<std::function<void()>> held_;
};

TEST_CASE("cached store: concurrent misses on one part share one request", "[store][cache]") {
  TempDir dir;
  auto memory = std::make_shared<MemoryObjectStore>();
  const std::string data = Pattern(4096 * 4);
  REQUIRE(SyncObjectStore(memory).Put(kSst, data).ok());
  auto gated = std::make_shared<GatedStore>(memory);
  auto cached = OpenCache(gated, dir.path(), 4096 * 2);

  constexpr int kReaders = 16;
  std::mutex mu;
  int answered = 0;
  int wrong = 0;
  for (int i = 0; i < kReaders; ++i) {
    uint64_t offset = 100 + i * 300;  // all inside part 0 ([0, 8192)) or into part 1
    cached->GetRange(kSst, offset, 5000, [&, offset](Result<std::string> got) {
      std::lock_guard<std::mutex> lock(mu);
      if (!got.ok() || *got != data.substr(offset, 5000)) ++wrong;
      ++answered;
    });
  }
  gated->WaitForRequests(1);
  // Reads from threads, while the first fetch is still held.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      cached->GetRange(kSst, 7000 + t, 100, [&, t](Result<std::string> got) {
        std::lock_guard<std::mutex> lock(mu);
        if (!got.ok() || *got != data.substr(7000 + t, 100)) ++wrong;
        ++answered;
      });
    });
  }
  for (auto& t : threads) t.join();
  // The reads that reach into part 1 started one more fetch for it; nothing else.
  size_t requests = gated->ranges();
  CHECK(requests <= 2);
  gated->Release();
  gated->Release();
  {
    std::lock_guard<std::mutex> lock(mu);
    CHECK(answered == kReaders + 4);
    CHECK(wrong == 0);
  }
  CHECK(gated->ranges() == requests);
  CHECK(cached->stats().parts_joined >= kReaders);
}

TEST_CASE("cached store: Put and Delete through it drop the cached parts", "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  auto cached = OpenCache(inner, dir.path(), 4096);
  SyncObjectStore sync(cached);
  REQUIRE(sync.Put(kSst, Pattern(9000, 1)).ok());
  REQUIRE(sync.GetRange(kSst, 0, 9000).ok());
  REQUIRE(sync.Put(kSst, Pattern(5000, 2)).ok());
  Result<std::string> got = sync.GetRange(kSst, 0, 9000);
  REQUIRE(got.ok());
  CHECK(*got == Pattern(5000, 2));
  REQUIRE(sync.Delete(kSst).ok());
  CHECK(sync.GetRange(kSst, 0, 10).status().IsNotFound());
  CHECK(sync.Get(kSst).status().IsNotFound());
  CHECK(cached->stats().entries == 0);
}

TEST_CASE("cached store: cache_on_flush caches what this process writes", "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  ObjectStoreCacheOptions options;
  options.root_folder = dir.path();
  options.part_size_bytes = 4096;
  options.cache_on_flush = true;
  auto cached = *CachedObjectStore::Open(inner, options);
  SyncObjectStore sync(cached);
  const std::string data = Pattern(10000);
  REQUIRE(sync.PutIfAbsent(kSst, data).ok());
  RequestCounts before = inner->counts();
  Result<std::string> got = sync.Get(kSst);
  REQUIRE(got.ok());
  CHECK(*got == data);
  CHECK((inner->counts() - before).total() == 0);
}

TEST_CASE("cached store: warm and evict an SST", "[store][cache]") {
  TempDir dir;
  auto inner = std::make_shared<MemoryObjectStore>();
  auto cached = OpenCache(inner, dir.path(), 4096);
  const std::string id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  const std::string data = Pattern(20000);
  REQUIRE(SyncObjectStore(inner).Put("db/compacted/" + id + ".sst", data).ok());
  auto call = [](const std::function<void(ObjectStore::StatusCallback)>& f) {
    Status out = Status::Internal("no callback");
    f([&](Status st) { out = std::move(st); });
    return out;
  };
  Status bad = call([&](auto cb) { cached->WarmSst("db", "short", cb); });
  CHECK(bad.code() == StatusCode::kInvalid);
  CHECK(bad.message() == "invalid SST ULID: invalid length");
  CHECK(call([&](auto cb) {
          cached->EvictCachedSst("db", "01HZZZZZZZZZZZZZZZZZZZZZZ!", cb);
        }).code() == StatusCode::kInvalid);
  // Unknown SST: nothing to do.
  CHECK(call([&](auto cb) { cached->WarmSst("db", "01HZZZZZZZZZZZZZZZZZZZZZZY", cb); }).ok());

  CHECK(call([&](auto cb) { cached->WarmSst("db", id, cb); }).ok());
  SyncObjectStore sync(cached);
  RequestCounts before = inner->counts();
  Result<std::string> got = sync.GetRange("db/compacted/" + id + ".sst", 12345, 5000);
  REQUIRE(got.ok());
  CHECK(*got == data.substr(12345, 5000));
  CHECK((inner->counts() - before).total() == 0);

  // Through the ObjectStoreCache interface the engine will use.
  ObjectStore& as_store = *cached;
  REQUIRE(as_store.cache() != nullptr);
  CHECK(call([&](auto cb) { cached->EvictCachedSst("db", id, cb); }).ok());
  CHECK(cached->stats().entries == 0);
  before = inner->counts();
  REQUIRE(sync.GetRange("db/compacted/" + id + ".sst", 0, 10).ok());
  CHECK((inner->counts() - before).total() == 1);
  CHECK(call([&](auto cb) {
          as_store.cache()->Warm("db/compacted/" + id + ".sst", {{4096 * 3, 100}}, cb);
        }).ok());
  before = inner->counts();
  REQUIRE(sync.GetRange("db/compacted/" + id + ".sst", 4096 * 3 + 50, 10).ok());
  CHECK((inner->counts() - before).total() == 0);
}

TEST_CASE("cached store: a database reads its SSTs through the cache", "[store][cache][db]") {
  TempDir dir;
  ThreadedDbEnv env;
  auto local = LocalObjectStore::Open(dir.Join("store"));
  REQUIRE(local.ok());
  Settings settings = SmallSettings();
  settings.block_cache_bytes = 0;  // every block read reaches the store (or the cache)
  settings.compactor_enabled = false;
  auto open_db = [&](std::shared_ptr<ObjectStore> store) {
    env.store = store;
    return env.Open(settings);
  };
  {
    auto db = open_db(OpenCache(*local, dir.Join("cache"), 64 * 1024));
    for (int i = 0; i < 2000; ++i) {
      WriteOptions fast;
      fast.await_durable = false;
      REQUIRE(BlockOn(db->Put("key" + std::to_string(i), Pattern(100, i), {}, fast)).ok());
    }
    REQUIRE(BlockOn(db->Close()).ok());  // memtables go to L0 SSTs
  }
  auto cached = OpenCache(*local, dir.Join("cache"), 64 * 1024);
  auto db = open_db(cached);
  auto read_all = [&] {
    for (int i = 0; i < 2000; i += 7) {
      CHECK(GetOrFail(*db, "key" + std::to_string(i)) == Pattern(100, i));
    }
  };
  read_all();
  RequestCounts before = (*local)->counts();
  read_all();
  RequestCounts during = (*local)->counts() - before;
  CHECK(during.get_range == 0);  // every SST byte came from the cache
  CHECK(cached->stats().reads_hit > 0);
  REQUIRE(BlockOn(db->Close()).ok());
}

}  // namespace
}  // namespace slatedb::testing
