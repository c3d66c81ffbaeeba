// SPDX-License-Identifier: Apache-2.0
//
// What JS holds for a store: an opaque pointer to this. SlateDB.open() shares the store
// with the database; freeing the handle only drops JS's reference.
#pragma once

#include <memory>

#include "slatedb/object_store.h"

namespace slatedb::wasm {

struct StoreHandle {
  std::shared_ptr<ObjectStore> store;
};

}  // namespace slatedb::wasm
