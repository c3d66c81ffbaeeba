// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: filter sections, composite (named filters) and legacy (one bloom filter),
// parsed and probed. Corrupt input must give a Data status, never a crash (a hostile probe
// count only costs time).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/bloom_filter.h"
#include "format/filter_set.h"

using namespace slatedb;

namespace {

// Two bytes of prefix when there are two.
class TwoBytes final : public PrefixExtractor {
 public:
  std::string Name() const override { return "two"; }
  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
    if (data.size() < 2) return std::optional<size_t>();
    return std::optional<size_t>(2);
  }
};

// The policies a reader may hold: whole keys, and prefix-only under TwoBytes.
const std::vector<FilterPolicy>& Policies() {
  static const std::vector<FilterPolicy>* policies = [] {
    FilterPolicy prefix;
    prefix.whole_key_filtering = false;
    prefix.prefix_extractor = std::make_shared<TwoBytes>();
    return new std::vector<FilterPolicy>{FilterPolicy{}, prefix};
  }();
  return *policies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (bool composite : {true, false}) {
    if (auto filter = DecodeFilterSection(bytes, composite); filter.ok() && filter->has_value()) {
      (void)(*filter)->MayContain("");
      (void)(*filter)->MayContain(bytes.substr(0, 8));
    }
    // The same section as a reader with filter policies sees it (format/filter_set.h).
    if (auto filters = DecodeSstFilters(bytes, composite, Policies()); filters.ok()) {
      (void)filters->MayMatchPoint(bytes.substr(0, 8));
      (void)filters->MayMatchPrefix(bytes.substr(0, 3));
    }
  }
  return 0;
}
