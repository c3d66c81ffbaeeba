// SPDX-License-Identifier: Apache-2.0
//
// Uses the installed S3 component: opens a database at an s3:// URL (credentials and
// endpoint from the AWS_* variables), writes a key durably, reads it back, closes, and
// prints the library's version.
//
//   s3_consumer s3://bucket/prefix
#include <cstdio>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"
#include "slatedb/version.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: s3_consumer s3://bucket/prefix\n");
    return 2;
  }
  auto store = slatedb::OpenS3ObjectStore(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "open store: %s\n", store.status().ToString().c_str());
    return 1;
  }
  slatedb::DbOptions options;
  options.object_store = *store;
  options.executor = std::make_shared<slatedb::ThreadPoolExecutor>(2);
  options.clock = std::make_shared<slatedb::SystemClock>();
  options.path = "consumer";
  auto db = slatedb::BlockOn(slatedb::Db::Open(options));
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.status().ToString().c_str());
    return 1;
  }
  auto put = slatedb::BlockOn((*db)->Put("hello", "s3"));
  auto value = slatedb::BlockOn((*db)->Get("hello"));
  auto closed = slatedb::BlockOn((*db)->Close());
  if (!put.ok() || !value.ok() || !value->has_value() || **value != "s3" || !closed.ok()) {
    std::fprintf(stderr, "round trip failed\n");
    return 1;
  }
  std::printf("s3 round trip ok, slatedb %s\n", SLATEDB_VERSION_STRING);
  return 0;
}
