// SPDX-License-Identifier: Apache-2.0
//
// Native wiring of the GCS store: libcurl, a thread pool and the system clock.
#include <algorithm>

#include "slatedb/platform/gcs_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"

namespace slatedb {

Result<std::shared_ptr<GcsObjectStore>> OpenGcsObjectStore(GcsConfig config,
                                                           const GcsOpenOptions& options) {
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<CurlHttpTransport> transport,
                           CurlHttpTransport::Create(options.http));
  auto executor =
      std::make_shared<ThreadPoolExecutor>(std::max<size_t>(1, options.executor_threads));
  return GcsObjectStore::Create(std::move(config), std::move(transport), std::move(executor),
                                std::make_shared<SystemClock>());
}

}  // namespace slatedb
