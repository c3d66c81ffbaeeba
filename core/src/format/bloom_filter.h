// SPDX-License-Identifier: Apache-2.0
//
// The format's bloom filter (docs/format.md): a key is hashed once with SipHash-1-3 under
// the zero key; h = low 32 bits mod nbits, delta = high 32 bits mod nbits, and probe i
// (0-based) adds i to delta, tests bit h, then advances h by delta (enhanced double
// hashing, everything mod nbits). Bit p is bit p % 8 (LSB first) of byte p / 8.
// Encoded filter: u16 BE num_probes | bit array. The array has ceil(n * bits_per_key / 8)
// bytes for n added keys, and num_probes = trunc(bits_per_key * 0.69) in f32 arithmetic.
// Hash, probes and layout are fixed by the format: a filter another writer built must
// answer "may contain" for every key it was built from, here too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slatedb/result.h"

namespace slatedb {

// The probe count the format derives from bits per key.
uint16_t BloomProbesFor(uint32_t bits_per_key);

// The hash a filter is probed with; computed once per key, reusable across filters.
uint64_t BloomHash(std::string_view key);

class BloomFilterBuilder {
 public:
  explicit BloomFilterBuilder(uint32_t bits_per_key) : bits_per_key_(bits_per_key) {}

  // Adds a key (the format adds one hash per row, so versions of a key count again).
  void AddKey(std::string_view key) { hashes_.push_back(BloomHash(key)); }
  size_t num_keys() const { return hashes_.size(); }

  // The encoded filter over every key added; leaves the builder empty.
  std::string Finish();

 private:
  uint32_t bits_per_key_;
  std::vector<uint64_t> hashes_;
};

class BloomFilter {
 public:
  // Parses an encoded filter. Data if it is shorter than its probe count.
  static Result<BloomFilter> Parse(std::string_view bytes);

  // False only if `key` was certainly never added. A filter with no bits answers false.
  bool MayContain(std::string_view key) const { return MayContainHash(BloomHash(key)); }
  bool MayContainHash(uint64_t hash) const;

  size_t size() const { return bits_.size(); }
  uint16_t num_probes() const { return num_probes_; }

 private:
  BloomFilter(std::string bits, uint16_t num_probes)
      : bits_(std::move(bits)), num_probes_(num_probes) {}

  std::string bits_;  // the bit array (the probe count stripped)
  uint16_t num_probes_;
};

// The filter section of an SST. Composite layout (FilterFormat::kComposite, written):
//   u16 BE count | (u16 BE name_len | name | u64 BE data_len | data) x count
// Legacy layout (read only): the whole section is one bloom filter.
inline constexpr std::string_view kBloomFilterName = "_bf";

// One entry of a composite section: the name of the policy that built it, and its data.
struct NamedFilterBytes {
  std::string name;
  std::string data;
};

// A composite section holding `entries` in order.
std::string EncodeCompositeFilter(const std::vector<NamedFilterBytes>& entries);
// A composite section holding one filter named `name`.
std::string EncodeCompositeFilter(std::string_view name, std::string_view filter);
// The entries of a composite section, views into `section`. Data if it is malformed.
struct NamedFilterView {
  std::string_view name;
  std::string_view data;
};
Result<std::vector<NamedFilterView>> ParseCompositeFilter(std::string_view section);
// The whole-key bloom filter of a decoded filter section: the first entry named "_bf" of a
// composite section (other names are skipped), or the legacy section itself. nullopt if a
// composite section has no such entry. Data if the section is malformed.
Result<std::optional<BloomFilter>> DecodeFilterSection(std::string_view section, bool composite);

}  // namespace slatedb
