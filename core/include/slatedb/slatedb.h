// SPDX-License-Identifier: Apache-2.0
//
// Umbrella header: everything an embedder of the core needs. Native hosts also include
// slatedb/platform/*.h for ready-made stores, an executor and a clock.
#pragma once

#include "slatedb/admin.h"
#include "slatedb/checkpoint.h"
#include "slatedb/clock.h"
#include "slatedb/compactor.h"
#include "slatedb/db.h"
#include "slatedb/db_cache.h"
#include "slatedb/error_kinds.h"
#include "slatedb/executor.h"
#include "slatedb/hex.h"
#include "slatedb/iterator.h"
#include "slatedb/key_range.h"
#include "slatedb/object_store.h"
#include "slatedb/options.h"
#include "slatedb/reader.h"
#include "slatedb/result.h"
#include "slatedb/settings.h"
#include "slatedb/sst_cache.h"
#include "slatedb/status.h"
#include "slatedb/task.h"
#include "slatedb/transaction.h"
#include "slatedb/wal_reader.h"
#include "slatedb/write_batch.h"
