// SPDX-License-Identifier: Apache-2.0
//
// Filter policies and prefix extractors configured from JavaScript (the filterPolicies and
// segmentExtractor options of SlateDB.open and SlateDBReader.open; args.mjs
// encodeFilterOptions writes what FilterOptionsFromJs reads). A JS extractor is an object
// registered with SlateRt.register(); C++ calls its prefixLen synchronously, as it calls a
// JS merge operator (js_host.h JsPrefixLen), and releases it with the last policy using it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "slatedb/filter_policy.h"
#include "slatedb/prefix_extractor.h"
#include "slatedb/result.h"

namespace slatedb::wasm {

struct JsFilterOptions {
  // nullopt: not configured (the core's default, from the settings' bloom_bits_per_key).
  std::optional<std::vector<FilterPolicy>> filter_policies;
  std::shared_ptr<const PrefixExtractor> segment_extractor;  // nullptr: none
};

// Decodes (little-endian): u8 has_policies; if 1, u32 count and per policy u32 bits_per_key,
// u8 whole_key_filtering and an extractor; then the segment extractor. An extractor is an
// i32 JS handle (0: none), followed when non-zero by u32 name length and the name (asked of
// the JS object once, at open). Empty input: nothing configured. Invalid if malformed.
// Each handle read is owned (released) from then on.
Result<JsFilterOptions> FilterOptionsFromJs(const char* data, size_t len);

}  // namespace slatedb::wasm
