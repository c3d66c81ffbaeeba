// SPDX-License-Identifier: Apache-2.0
//
// The filters of one SST under a list of filter policies (slatedb/filter_policy.h): built
// one per policy while the SST is written, and on read the stored entries whose names
// match a policy, all of which must agree before an SST may hold a key or a prefix.
//
// What a policy hashes, per row in key order: the key's prefix key[0, n) for
// n = PrefixLen(key, point) when the policy has an extractor and the key has a prefix, but
// only when it differs from the previous such prefix; then the whole key if whole-key
// filtering is on. A point read probes the whole key if whole-key filtering is on, else
// the key's prefix; a prefix scan probes prefix[0, n) for n = PrefixLen(prefix, !point).
// Whatever a filter cannot answer (no extractor, no prefix, a failing extractor) it
// answers "may match".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/bloom_filter.h"
#include "slatedb/filter_policy.h"
#include "slatedb/result.h"

namespace slatedb {

// Builds one policy's filter over the rows of one SST.
class PolicyFilterBuilder {
 public:
  explicit PolicyFilterBuilder(FilterPolicy policy);

  // Adds a row's key; REQUIRES keys in ascending order (versions of a key repeat it).
  // Invalid if the extractor fails or names a prefix longer than the key.
  Status AddKey(std::string_view key);
  // Hashes added so far (the filter's size follows from it).
  size_t num_hashes() const { return bloom_.num_keys(); }
  const FilterPolicy& policy() const { return policy_; }
  const std::string& name() const { return name_; }
  // The encoded bloom filter; leaves the builder empty.
  std::string Finish();

 private:
  FilterPolicy policy_;
  std::string name_;
  BloomFilterBuilder bloom_;
  std::optional<std::string> last_prefix_;
};

// One decoded filter with the policy that reads it.
class PolicyFilter {
 public:
  PolicyFilter(FilterPolicy policy, BloomFilter bloom)
      : policy_(std::move(policy)), bloom_(std::move(bloom)) {}

  bool MayMatchPoint(std::string_view key) const;
  bool MayMatchPrefix(std::string_view prefix) const;
  const BloomFilter& bloom() const { return bloom_; }
  const FilterPolicy& policy() const { return policy_; }

 private:
  // Probes data[0, n) for the extractor's n, or true if there is none.
  bool MayMatchExtracted(std::string_view data, bool is_point) const;

  FilterPolicy policy_;
  BloomFilter bloom_;
};

// The filters an SST carries that its reader's policies understand (possibly none).
struct SstFilters {
  std::vector<PolicyFilter> filters;

  bool empty() const { return filters.empty(); }
  // False only if some filter proves no row has `key` (or a key starting with `prefix`).
  bool MayMatchPoint(std::string_view key) const;
  bool MayMatchPrefix(std::string_view prefix) const;
};

// The filters of a decoded (checksummed, decompressed) filter section. A composite
// section's entries are matched to `policies` by name, each to the first policy of that
// name; unknown names are skipped. A legacy section is read by the policy named "_bf", if
// any. Data if the section or a used entry is malformed.
Result<SstFilters> DecodeSstFilters(std::string_view section, bool composite,
                                    const std::vector<FilterPolicy>& policies);

}  // namespace slatedb
