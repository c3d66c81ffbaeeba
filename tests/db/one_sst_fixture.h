// SPDX-License-Identifier: Apache-2.0
//
// A database whose rows all sit in one L0 SST of about 100 one-KiB blocks, and the reads
// that count what a handle fetched: the fixture of the cache tests (sst_cache_test.cc,
// db_cache_test.cc), which prove caching by the object-store reads a read makes.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "db/db_test_util.h"

namespace slatedb::testing {

inline constexpr int kOneSstKeys = 100;

inline std::string OneSstKey(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "k%03d", i);
  return buf;
}

inline Settings OneSstSettings() {
  Settings s = SmallSettings();
  s.l0_sst_size_bytes = 512 * 1024;  // everything in one L0 SST
  s.compactor_enabled = false;       // and it stays there
  return s;
}

// Writes kOneSstKeys rows of 1,000 bytes and flushes them into one L0 SST; its id.
inline std::string WriteOneSst(Db& db) {
  for (int i = 0; i < kOneSstKeys; ++i) {
    REQUIRE(BlockOn(db.Put(OneSstKey(i), std::string(1000, static_cast<char>('a' + i % 26)))).ok());
  }
  REQUIRE(BlockOn(db.Flush(FlushType::kMemTable)).ok());
  nlohmann::json state = nlohmann::json::parse(db.StateJson());
  REQUIRE(state["manifest"]["l0"].size() == 1);
  return state["manifest"]["l0"][0]["id"].get<std::string>();
}

// Range and whole-object reads the handle (a Db or a DbReader) has made so far.
template <typename Handle>
uint64_t StoreReads(const Handle& handle) {
  std::map<std::string, uint64_t> m = handle.Metrics();
  return m["object_store/get"] + m["object_store/get_range"];
}

// Gets keys [from, to), each of which must be present.
template <typename Handle>
void ReadOneSstKeys(Handle& handle, int from = 0, int to = kOneSstKeys) {
  for (int i = from; i < to; ++i) {
    Result<std::optional<std::string>> got = BlockOn(handle.Get(OneSstKey(i)));
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
  }
}

}  // namespace slatedb::testing
