// SPDX-License-Identifier: Apache-2.0
//
// One seed of the deterministic simulation: a world (manual clock and executor, simulated
// store) with a writer process that also compacts and collects garbage, crashing and
// being fenced by a second writer, all driven by one seed. See docs/testing.md.
#pragma once

#include <cstdint>
#include <string>

namespace slatedb::testing {

struct SimSummary {
  uint64_t ops = 0;
  uint64_t crashes = 0;
  uint64_t fences = 0;
  uint64_t failed_calls = 0;   // engine calls that returned an error (faults ran out retries)
  uint64_t store_events = 0;   // mutations that took effect in the store
  uint64_t resurrections = 0;  // late retried puts re-creating a collected object
  uint64_t readers = 0;        // DbReader opens that succeeded
  uint64_t reader_checks = 0;  // reader gets and scans checked against the model
  // Standalone compactors (one seed in four): opened, crashed, fenced by a newer one, and
  // the compactions they completed.
  uint64_t compactors = 0;
  uint64_t compactor_crashes = 0;
  uint64_t compactor_fences = 0;
  uint64_t standalone_compactions = 0;
};

// Runs seed `seed` for `ops` operations, checking the invariants as it goes; fails the
// current Catch2 test (REQUIRE) on the first violation.
SimSummary RunSimSeed(uint64_t seed, int ops);

}  // namespace slatedb::testing
