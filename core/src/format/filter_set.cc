// SPDX-License-Identifier: Apache-2.0
#include "format/filter_set.h"

#include <algorithm>

namespace slatedb {

std::string FilterPolicy::Name() const {
  std::string name(kBloomFilterName);
  if (prefix_extractor) name += ":p=" + prefix_extractor->Name();
  if (!whole_key_filtering) name += ":wh=0";
  return name;
}

std::vector<FilterPolicy> FilterPoliciesFromBits(uint32_t bits_per_key) {
  if (bits_per_key == 0) return {};
  FilterPolicy policy;
  policy.bits_per_key = bits_per_key;
  return {policy};
}

PolicyFilterBuilder::PolicyFilterBuilder(FilterPolicy policy)
    : policy_(std::move(policy)), name_(policy_.Name()), bloom_(policy_.bits_per_key) {}

Status PolicyFilterBuilder::AddKey(std::string_view key) {
  if (policy_.prefix_extractor) {
    Result<std::optional<size_t>> len = policy_.prefix_extractor->PrefixLen(key, true);
    if (!len.ok()) return len.status();
    if (*len) {
      if (**len > key.size()) {
        return Status::Invalid("filter policy " + name_ +
                               ": prefix extractor returned a prefix length (" +
                               std::to_string(**len) + ") greater than the key length (" +
                               std::to_string(key.size()) + ")");
      }
      const std::string_view prefix = key.substr(0, **len);
      if (!last_prefix_ || *last_prefix_ != prefix) {
        bloom_.AddKey(prefix);
        last_prefix_.emplace(prefix);
      }
    }
  }
  if (policy_.whole_key_filtering) bloom_.AddKey(key);
  return Status::Ok();
}

std::string PolicyFilterBuilder::Finish() {
  last_prefix_.reset();
  return bloom_.Finish();
}

bool PolicyFilter::MayMatchExtracted(std::string_view data, bool is_point) const {
  if (!policy_.prefix_extractor) return true;
  Result<std::optional<size_t>> len = policy_.prefix_extractor->PrefixLen(data, is_point);
  // A failing extractor or one without an answer cannot rule anything out.
  if (!len.ok() || !*len || **len > data.size()) return true;
  return bloom_.MayContain(data.substr(0, **len));
}

bool PolicyFilter::MayMatchPoint(std::string_view key) const {
  if (policy_.whole_key_filtering) return bloom_.MayContain(key);
  return MayMatchExtracted(key, true);
}

bool PolicyFilter::MayMatchPrefix(std::string_view prefix) const {
  return MayMatchExtracted(prefix, false);
}

bool SstFilters::MayMatchPoint(std::string_view key) const {
  return std::all_of(filters.begin(), filters.end(),
                     [&](const PolicyFilter& f) { return f.MayMatchPoint(key); });
}

bool SstFilters::MayMatchPrefix(std::string_view prefix) const {
  return std::all_of(filters.begin(), filters.end(),
                     [&](const PolicyFilter& f) { return f.MayMatchPrefix(prefix); });
}

Result<SstFilters> DecodeSstFilters(std::string_view section, bool composite,
                                    const std::vector<FilterPolicy>& policies) {
  SstFilters out;
  if (policies.empty()) return out;
  std::vector<std::string> names;
  names.reserve(policies.size());
  for (const FilterPolicy& p : policies) names.push_back(p.Name());
  auto policy_named = [&](std::string_view name) -> const FilterPolicy* {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return &policies[i];
    }
    return nullptr;
  };
  if (!composite) {
    const FilterPolicy* policy = policy_named(kBloomFilterName);
    if (!policy) return out;
    SLATEDB_ASSIGN_OR_RETURN(BloomFilter bloom, BloomFilter::Parse(section));
    out.filters.emplace_back(*policy, std::move(bloom));
    return out;
  }
  SLATEDB_ASSIGN_OR_RETURN(std::vector<NamedFilterView> entries, ParseCompositeFilter(section));
  for (const NamedFilterView& entry : entries) {
    const FilterPolicy* policy = policy_named(entry.name);
    if (!policy) continue;
    SLATEDB_ASSIGN_OR_RETURN(BloomFilter bloom, BloomFilter::Parse(entry.data));
    out.filters.emplace_back(*policy, std::move(bloom));
  }
  return out;
}

}  // namespace slatedb
