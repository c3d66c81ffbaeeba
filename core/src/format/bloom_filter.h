// SPDX-License-Identifier: Apache-2.0
//
// Bloom filter over the keys of a compacted SST, consulted by point reads to skip SSTs that
// cannot hold a key. Keys are hashed once with XXH3-64; probe i sets bit
// (low32 + i * high32) mod num_bits (double hashing). Layout: bit array | u8 num_probes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

inline constexpr uint32_t kBloomMaxProbes = 30;

// The probe count for `bits_per_key`: max(1, round(bits_per_key * 0.69)), at most 30.
uint32_t BloomProbesFor(uint32_t bits_per_key);

class BloomFilterBuilder {
 public:
  // REQUIRES: bits_per_key >= 1.
  explicit BloomFilterBuilder(uint32_t bits_per_key);

  // Adds a key. Duplicates are harmless (they cost filter space, not correctness).
  void AddKey(std::string_view key);
  size_t num_keys() const { return hashes_.size(); }
  // Size of Finish()'s result with the keys added so far.
  size_t EstimatedSize() const;

  // The encoded filter over every key added; leaves the builder empty.
  std::string Finish();

 private:
  uint32_t bits_per_key_;
  std::vector<uint64_t> hashes_;
};

class BloomFilter {
 public:
  // Data if `bytes` has no bit array or an out-of-range probe count.
  static Result<BloomFilter> Parse(std::string bytes);

  // False only if `key` was certainly never added.
  bool MayContain(std::string_view key) const;

  size_t size() const { return bits_.size(); }

 private:
  BloomFilter(std::string bits, uint32_t num_probes)
      : bits_(std::move(bits)), num_probes_(num_probes) {}

  std::string bits_;  // the bit array; the probe-count byte is stripped
  uint32_t num_probes_;
};

}  // namespace slatedb
