// SPDX-License-Identifier: Apache-2.0
//
// The ObjectStore conformance checks listed in object_store_conformance.h. Calls go
// through SyncObjectStore, which also audits that every callback runs exactly once.
// Worker threads only collect results; all Catch2 assertions run on the test's thread
// (Catch2 v2 assertions are not thread-safe).
#include "store/object_store_conformance.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

// Deterministic pseudo-random bytes (xorshift64*), so a failure is reproducible.
std::string RandomBytes(size_t n, uint64_t seed) {
  std::string out(n, '\0');
  uint64_t x = seed | 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    out[i] = static_cast<char>((x * 0x2545F4914F6CDD1DULL) >> 56);
  }
  return out;
}

std::string AllByteValues() {
  std::string out;
  for (int i = 0; i < 256; ++i) out.push_back(static_cast<char>(i));
  return out;
}

std::vector<std::string> KeysOf(const std::vector<ObjectMeta>& metas) {
  std::vector<std::string> keys;
  for (const ObjectMeta& meta : metas) keys.push_back(meta.key);
  return keys;
}

std::vector<std::string> ListKeys(SyncObjectStore& store, const std::string& prefix,
                                  const std::string& start_after = "") {
  Result<std::vector<ObjectMeta>> listed = store.List(prefix, start_after);
  INFO("List('" << prefix << "', '" << start_after << "'): " << listed.status().ToString());
  REQUIRE(listed.ok());
  return KeysOf(*listed);
}

void RequirePut(SyncObjectStore& store, const std::string& key, const std::string& data) {
  Result<ObjectMeta> put = store.Put(key, data);
  INFO("Put('" << key << "'): " << put.status().ToString());
  REQUIRE(put.ok());
}

void CheckRoundTrip(SyncObjectStore& store) {
  const std::string binary = std::string("\0head\0", 6) + AllByteValues() + std::string(3, '\0');
  Result<ObjectMeta> put = store.Put("data/binary", binary);
  REQUIRE(put.ok());
  CHECK(put->key == "data/binary");
  CHECK(put->size_bytes == binary.size());
  CHECK_FALSE(put->version.empty());
  Result<std::string> got = store.Get("data/binary");
  REQUIRE(got.ok());
  CHECK(*got == binary);

  Result<ObjectMeta> empty = store.Put("data/empty", "");
  REQUIRE(empty.ok());
  CHECK(empty->size_bytes == 0);
  got = store.Get("data/empty");
  REQUIRE(got.ok());
  CHECK(got->empty());

  RequirePut(store, "data/binary", "replaced");
  got = store.Get("data/binary");
  REQUIRE(got.ok());
  CHECK(*got == "replaced");

  const std::string big = RandomBytes(5 * 1024 * 1024 + 123, 42);
  Result<ObjectMeta> big_put = store.Put("data/big", big);
  REQUIRE(big_put.ok());
  CHECK(big_put->size_bytes == big.size());
  got = store.Get("data/big");
  REQUIRE(got.ok());
  CHECK(got->size() == big.size());
  CHECK(*got == big);
  got = store.GetRange("data/big", 3 * 1024 * 1024 + 7, 1024 * 1024);
  REQUIRE(got.ok());
  CHECK(*got == big.substr(3 * 1024 * 1024 + 7, 1024 * 1024));
}

void CheckMissing(SyncObjectStore& store) {
  CHECK(store.Get("missing/key").status().code() == StatusCode::kNotFound);
  CHECK(store.GetRange("missing/key", 0, 10).status().code() == StatusCode::kNotFound);
  CHECK(store.GetRange("missing/key", 5, 10).status().code() == StatusCode::kNotFound);
  CHECK(store.Head("missing/key").status().code() == StatusCode::kNotFound);
  // "d" is only a prefix of "d/x": no object.
  RequirePut(store, "d/x", "x");
  CHECK(store.Get("d").status().code() == StatusCode::kNotFound);
  CHECK(store.GetRange("d", 0, 1).status().code() == StatusCode::kNotFound);
  CHECK(store.Head("d").status().code() == StatusCode::kNotFound);
  CHECK(store.Get("d/x/y").status().code() == StatusCode::kNotFound);
  CHECK(ListKeys(store, "") == std::vector<std::string>{"d/x"});
}

void CheckRanges(SyncObjectStore& store) {
  std::string data;
  for (int i = 0; i < 100; ++i) data.push_back(static_cast<char>(i));
  RequirePut(store, "range/obj", data);
  struct Case {
    uint64_t offset, length;
    std::string expected;
  };
  const Case cases[] = {
      {0, 10, data.substr(0, 10)},
      {40, 20, data.substr(40, 20)},
      {90, 50, data.substr(90)},
      {0, 100, data},
      {0, UINT64_MAX, data},
      {99, UINT64_MAX, data.substr(99)},
      {10, 0, ""},
      {100, 10, ""},
      {100, 0, ""},
  };
  for (const Case& c : cases) {
    INFO("GetRange(" << c.offset << ", " << c.length << ")");
    Result<std::string> got = store.GetRange("range/obj", c.offset, c.length);
    REQUIRE(got.ok());
    CHECK(*got == c.expected);
  }
  CHECK(store.GetRange("range/obj", 101, 1).status().code() == StatusCode::kInvalid);
  CHECK(store.GetRange("range/obj", UINT64_MAX, 1).status().code() == StatusCode::kInvalid);

  RequirePut(store, "range/empty", "");
  Result<std::string> got = store.GetRange("range/empty", 0, 5);
  REQUIRE(got.ok());
  CHECK(got->empty());
  CHECK(store.GetRange("range/empty", 1, 1).status().code() == StatusCode::kInvalid);
}

void CheckHead(SyncObjectStore& store) {
  Result<ObjectMeta> put = store.Put("head/obj", "12345");
  REQUIRE(put.ok());
  Result<ObjectMeta> head = store.Head("head/obj");
  REQUIRE(head.ok());
  CHECK(head->key == "head/obj");
  CHECK(head->size_bytes == 5);
  CHECK_FALSE(head->version.empty());
  CHECK(head->version == put->version);
  CHECK(head->last_modified_ms >= 0);

  Result<ObjectMeta> put2 = store.Put("head/obj", "something else");
  REQUIRE(put2.ok());
  CHECK(put2->version != put->version);
  head = store.Head("head/obj");
  REQUIRE(head.ok());
  CHECK(head->size_bytes == 14);
  CHECK(head->version == put2->version);

  Result<ObjectMeta> empty = store.Put("head/empty", "");
  REQUIRE(empty.ok());
  head = store.Head("head/empty");
  REQUIRE(head.ok());
  CHECK(head->size_bytes == 0);
}

void CheckCreateIfAbsent(SyncObjectStore& store) {
  Result<ObjectMeta> created = store.PutIfAbsent("manifest/1", "first");
  REQUIRE(created.ok());
  CHECK(created->size_bytes == 5);
  CHECK_FALSE(created->version.empty());

  Result<ObjectMeta> again = store.PutIfAbsent("manifest/1", "second, longer");
  CHECK(again.status().code() == StatusCode::kAlreadyExists);
  Result<std::string> got = store.Get("manifest/1");
  REQUIRE(got.ok());
  CHECK(*got == "first");
  Result<ObjectMeta> head = store.Head("manifest/1");
  REQUIRE(head.ok());
  CHECK(head->version == created->version);

  // Also against an object written by a plain overwrite.
  RequirePut(store, "manifest/2", "plain");
  CHECK(store.PutIfAbsent("manifest/2", "x").status().code() == StatusCode::kAlreadyExists);

  REQUIRE(store.Delete("manifest/1").ok());
  Result<ObjectMeta> recreated = store.PutIfAbsent("manifest/1", "third");
  REQUIRE(recreated.ok());
  got = store.Get("manifest/1");
  REQUIRE(got.ok());
  CHECK(*got == "third");
}

void CheckReplaceIfVersionMatches(SyncObjectStore& store) {
  Result<ObjectMeta> v1 = store.Put("cas/obj", "v1");
  REQUIRE(v1.ok());
  Result<ObjectMeta> v2 = store.PutIfVersion("cas/obj", "v2 bytes", v1->version);
  REQUIRE(v2.ok());
  CHECK(v2->size_bytes == 8);
  CHECK(v2->version != v1->version);
  Result<std::string> got = store.Get("cas/obj");
  REQUIRE(got.ok());
  CHECK(*got == "v2 bytes");
  Result<ObjectMeta> head = store.Head("cas/obj");
  REQUIRE(head.ok());
  CHECK(head->version == v2->version);

  Result<ObjectMeta> stale = store.PutIfVersion("cas/obj", "v3 from stale", v1->version);
  CHECK(stale.status().code() == StatusCode::kVersionMismatch);
  got = store.Get("cas/obj");
  REQUIRE(got.ok());
  CHECK(*got == "v2 bytes");

  Result<ObjectMeta> v3 = store.PutIfVersion("cas/obj", "v3", v2->version);
  REQUIRE(v3.ok());

  CHECK(store.PutIfVersion("cas/absent", "x", v3->version).status().code() ==
        StatusCode::kNotFound);
  CHECK(store.PutIfVersion("nodir/absent", "x", v3->version).status().code() ==
        StatusCode::kNotFound);
  CHECK(store.Get("cas/absent").status().code() == StatusCode::kNotFound);
  REQUIRE(store.Delete("cas/obj").ok());
  CHECK(store.PutIfVersion("cas/obj", "x", v3->version).status().code() == StatusCode::kNotFound);
  CHECK(store.Get("cas/obj").status().code() == StatusCode::kNotFound);
}

void CheckList(SyncObjectStore& store) {
  // Zero-padded ids, written out of order: byte order is numeric order.
  const std::vector<std::string> ids = {"00000000000000000010", "00000000000000000002",
                                        "00000000000000000100", "00000000000000000009",
                                        "00000000000000000000", "00000000000000000011"};
  for (const std::string& id : ids) RequirePut(store, "wal/" + id + ".sst", id);
  std::vector<std::string> expected;
  for (const std::string& id : ids) expected.push_back("wal/" + id + ".sst");
  std::sort(expected.begin(), expected.end());
  CHECK(ListKeys(store, "wal/") == expected);

  // Unsigned byte order: "é" (0xC3 0xA9) sorts after every ASCII byte.
  for (const char* k : {"bytes/\xc3\xa9", "bytes/z", "bytes/~", "bytes/A", "bytes/0", "bytes/_"}) {
    RequirePut(store, k, "b");
  }
  CHECK(ListKeys(store, "bytes/") == std::vector<std::string>{"bytes/0", "bytes/A", "bytes/_",
                                                              "bytes/z", "bytes/~",
                                                              "bytes/\xc3\xa9"});

  for (const char* k : {"a/1", "a/2", "a/b/c", "ab", "abc/1", "b"}) RequirePut(store, k, k);
  CHECK(ListKeys(store, "a/") == std::vector<std::string>{"a/1", "a/2", "a/b/c"});
  CHECK(ListKeys(store, "a") == std::vector<std::string>{"a/1", "a/2", "a/b/c", "ab", "abc/1"});
  CHECK(ListKeys(store, "ab") == std::vector<std::string>{"ab", "abc/1"});
  CHECK(ListKeys(store, "a/b") == std::vector<std::string>{"a/b/c"});
  CHECK(ListKeys(store, "a/b/c") == std::vector<std::string>{"a/b/c"});
  CHECK(ListKeys(store, "a/b/c/").empty());
  CHECK(ListKeys(store, "nothing/").empty());
  CHECK(ListKeys(store, "c").empty());

  std::vector<std::string> all = ListKeys(store, "");
  CHECK(all.size() == ids.size() + 6 + 6);
  CHECK(std::is_sorted(all.begin(), all.end()));

  CHECK(ListKeys(store, "a/", "a/1") == std::vector<std::string>{"a/2", "a/b/c"});
  CHECK(ListKeys(store, "a/", "a/10") == std::vector<std::string>{"a/2", "a/b/c"});
  CHECK(ListKeys(store, "a/", "a/b/c").empty());
  CHECK(ListKeys(store, "wal/", "a") == expected);  // start_after before the prefix
  std::vector<std::string> after_abc = {"b",       "bytes/0", "bytes/A",       "bytes/_",
                                        "bytes/z", "bytes/~", "bytes/\xc3\xa9"};
  after_abc.insert(after_abc.end(), expected.begin(), expected.end());
  CHECK(ListKeys(store, "", "abc/1") == after_abc);
  CHECK(ListKeys(store, "", "zzz").empty());

  // Metadata in listings matches Head.
  Result<std::vector<ObjectMeta>> listed = store.List("a/", "");
  REQUIRE(listed.ok());
  for (const ObjectMeta& meta : *listed) {
    Result<ObjectMeta> head = store.Head(meta.key);
    REQUIRE(head.ok());
    CHECK(meta.size_bytes == head->size_bytes);
    CHECK(meta.version == head->version);
  }
}

void CheckDelete(SyncObjectStore& store) {
  RequirePut(store, "del/obj", "x");
  RequirePut(store, "del/other", "y");
  CHECK(store.Delete("del/obj").ok());
  CHECK(store.Get("del/obj").status().code() == StatusCode::kNotFound);
  CHECK(store.Head("del/obj").status().code() == StatusCode::kNotFound);
  CHECK(ListKeys(store, "del/") == std::vector<std::string>{"del/other"});
  CHECK(store.Delete("del/obj").ok());
  CHECK(store.Delete("never/existed").ok());
  CHECK(store.Delete("del").ok());  // only a prefix of other keys
  Result<std::string> other = store.Get("del/other");
  REQUIRE(other.ok());
  CHECK(*other == "y");
}

void CheckInvalidKeys(SyncObjectStore& store) {
  RequirePut(store, "a/b", "keep");
  for (const char* bad : {"", "/abs", "a/../b", "..", "a//b", "a/./b", "a/", "a\\b"}) {
    INFO("key '" << bad << "'");
    CHECK(store.Get(bad).status().code() == StatusCode::kInvalid);
    CHECK(store.GetRange(bad, 0, 1).status().code() == StatusCode::kInvalid);
    CHECK(store.Head(bad).status().code() == StatusCode::kInvalid);
    CHECK(store.Put(bad, "x").status().code() == StatusCode::kInvalid);
    CHECK(store.PutIfAbsent(bad, "x").status().code() == StatusCode::kInvalid);
    CHECK(store.PutIfVersion(bad, "x", "1").status().code() == StatusCode::kInvalid);
    CHECK(store.Delete(bad).code() == StatusCode::kInvalid);
  }
  for (const char* bad_prefix : {"/abs", "../", "a/../", "a//", "/"}) {
    INFO("prefix '" << bad_prefix << "'");
    Result<std::vector<ObjectMeta>> listed = store.List(bad_prefix, "");
    if (listed.ok()) {
      CHECK(listed->empty());
    } else {
      CHECK(listed.status().code() == StatusCode::kInvalid);
    }
  }
  Result<std::string> kept = store.Get("a/b");
  REQUIRE(kept.ok());
  CHECK(*kept == "keep");
  CHECK(ListKeys(store, "") == std::vector<std::string>{"a/b"});
}

// Runs `op(i)` on `n` threads released at once; returns their results in thread order.
template <typename T, typename Op>
std::vector<T> RaceOnThreads(int n, Op op) {
  std::vector<std::optional<T>> results(n);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      results[i].emplace(op(i));
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<T> out;
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

void CheckConcurrentCreate(SyncObjectStore& store) {
  constexpr int kThreads = 8;
  std::vector<Result<ObjectMeta>> results = RaceOnThreads<Result<ObjectMeta>>(kThreads, [&](int i) {
    return store.PutIfAbsent("race/key", "writer " + std::to_string(i));
  });
  int winners = 0, winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    INFO("thread " << i << ": " << results[i].status().ToString());
    if (results[i].ok()) {
      ++winners;
      winner = i;
    } else {
      CHECK(results[i].status().code() == StatusCode::kAlreadyExists);
    }
  }
  REQUIRE(winners == 1);
  Result<std::string> got = store.Get("race/key");
  REQUIRE(got.ok());
  CHECK(*got == "writer " + std::to_string(winner));
}

void CheckConcurrentReplace(SyncObjectStore& store) {
  constexpr int kThreads = 8;
  Result<ObjectMeta> base = store.Put("race/cas", "base");
  REQUIRE(base.ok());
  std::vector<Result<ObjectMeta>> results = RaceOnThreads<Result<ObjectMeta>>(kThreads, [&](int i) {
    return store.PutIfVersion("race/cas", "writer " + std::to_string(i), base->version);
  });
  int winners = 0, winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    INFO("thread " << i << ": " << results[i].status().ToString());
    if (results[i].ok()) {
      ++winners;
      winner = i;
    } else {
      CHECK(results[i].status().code() == StatusCode::kVersionMismatch);
    }
  }
  REQUIRE(winners == 1);
  Result<std::string> got = store.Get("race/cas");
  REQUIRE(got.ok());
  CHECK(*got == "writer " + std::to_string(winner));
}

void CheckAtomicVisibility(SyncObjectStore& store) {
  const std::string a(256 * 1024, 'a');
  const std::string b(64 * 1024 + 3, 'b');
  RequirePut(store, "atomic/obj", a);
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, failed{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        Result<std::string> got = store.Get("atomic/obj");
        reads.fetch_add(1);
        if (!got.ok()) {
          failed.fetch_add(1);
        } else if (*got != a && *got != b) {
          torn.fetch_add(1);
        }
      }
    });
  }
  // Let both readers get going, so reads and writes really overlap.
  while (reads.load() < 2) std::this_thread::yield();
  int put_failures = 0;
  for (int i = 0; i < 20; ++i) {
    if (!store.Put("atomic/obj", i % 2 == 0 ? b : a).ok()) ++put_failures;
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  CHECK(put_failures == 0);
  CHECK(failed.load() == 0);
  CHECK(torn.load() == 0);
}

}  // namespace

void CheckObjectStoreConformance(
    const std::function<std::shared_ptr<ObjectStore>()>& make_empty_store) {
  std::shared_ptr<ObjectStore> raw = make_empty_store();
  REQUIRE(raw != nullptr);
  INFO("store: " << raw->Describe());
  CHECK_FALSE(raw->Describe().empty());
  SyncObjectStore store(raw);
  REQUIRE(ListKeys(store, "").empty());

  SECTION("1 round trip of binary, empty and large objects") { CheckRoundTrip(store); }
  SECTION("2 missing keys are NotFound") { CheckMissing(store); }
  SECTION("3 get range edges") { CheckRanges(store); }
  SECTION("4 head metadata and versions") { CheckHead(store); }
  SECTION("5 create if absent") { CheckCreateIfAbsent(store); }
  SECTION("6 replace if version matches") { CheckReplaceIfVersionMatches(store); }
  SECTION("7 list order, prefix and start_after") { CheckList(store); }
  SECTION("8 delete is idempotent") { CheckDelete(store); }
  SECTION("9 invalid keys are Invalid everywhere") { CheckInvalidKeys(store); }
  SECTION("11a concurrent create if absent: one winner") { CheckConcurrentCreate(store); }
  SECTION("11b concurrent replace if version matches: one winner") {
    CheckConcurrentReplace(store);
  }
  SECTION("12 readers never see a partial object") { CheckAtomicVisibility(store); }

  // 10: audited across every call made above.
  CHECK(store.extra_callbacks() == 0);
  CHECK(store.missing_callbacks() == 0);
}

}  // namespace slatedb::testing
