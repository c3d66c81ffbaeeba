// SPDX-License-Identifier: Apache-2.0
//
// The seeded model test (db_model_test.cc) as a function, so other suites can run it on
// another object store (tests/s3 runs a few seeds on S3).
#pragma once

#include <cstdint>
#include <memory>

#include "slatedb/object_store.h"

namespace slatedb::testing {

// Runs `ops` random operations of seed `seed` against `store` and a std::map model,
// failing the current Catch2 test on any difference. The run is driven by a manual
// executor on the calling thread, so `store` must complete every call before returning
// (wrap an asynchronous store in a blocking adapter).
void RunModelSeed(uint64_t seed, int ops, std::shared_ptr<ObjectStore> store);

}  // namespace slatedb::testing
