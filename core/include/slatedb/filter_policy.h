// SPDX-License-Identifier: Apache-2.0
//
// FilterPolicy: one filter kept in every compacted SST with at least min_filter_keys rows
// (upstream 0.17's BloomFilterPolicy). Each policy adds one named entry to the SST's
// composite filter section (docs/format.md): a bloom filter over whole keys, over key
// prefixes, or both. Readers use the entries whose name matches one of their policies and
// skip the others, so policies can change between opens without wrong answers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slatedb/prefix_extractor.h"

namespace slatedb {

struct FilterPolicy {
  // Bits of the bloom filter per hash added (about 1% false positives at 10). Only the
  // filter's size depends on it, not its name: any reader can use a filter of any size.
  // 0: the policy writes no filter (it still reads those of its name).
  uint32_t bits_per_key = 10;
  // Hash every row's whole key: point reads probe the whole key.
  bool whole_key_filtering = true;
  // Also hash each key's prefix (key[0, n) for n = PrefixLen(key, point)), once per run of
  // consecutive rows sharing it. Prefix scans then skip SSTs whose filter rules the scan's
  // prefix out, and point reads probe the key's prefix when whole_key_filtering is off.
  // Its Name() becomes part of the policy's name: a filter is only used by a reader whose
  // extractor has the same name.
  std::shared_ptr<const PrefixExtractor> prefix_extractor;

  // The name stored with the filter: "_bf", then ":p=<extractor name>" with an extractor,
  // then ":wh=0" without whole-key filtering (upstream's names, e.g. "_bf:p=pe3:wh=0").
  std::string Name() const;
};

// The policies of a database that configures none: one whole-key bloom filter of
// `bits_per_key` bits per key (Settings::bloom_bits_per_key), or none if that is 0.
std::vector<FilterPolicy> FilterPoliciesFromBits(uint32_t bits_per_key);

}  // namespace slatedb
