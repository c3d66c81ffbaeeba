// SPDX-License-Identifier: Apache-2.0
//
// A small program using SlateDB from C++: opens (or creates) a database in a local
// directory, writes a few keys durably, reads them back, scans a range, and closes.
// Run it twice: the second run finds the first run's keys.
//
//   slatedb_example /tmp/slatedb-demo
#include <cstdio>
#include <string>

#include "slatedb/platform/blocking.h"
#include "slatedb/platform/local_object_store.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

namespace {

int Fail(const char* what, const slatedb::Status& status) {
  std::fprintf(stderr, "%s failed: %s\n", what, status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using slatedb::BlockOn;
  std::string dir = argc > 1 ? argv[1] : "/tmp/slatedb-demo";

  auto store = slatedb::LocalObjectStore::Open(dir);
  if (!store.ok()) return Fail("opening the directory", store.status());

  slatedb::DbOptions options;
  options.object_store = *store;
  options.executor = std::make_shared<slatedb::ThreadPoolExecutor>(2);
  options.clock = std::make_shared<slatedb::SystemClock>();
  options.path = "demo";

  auto db = BlockOn(slatedb::Db::Open(options));
  if (!db.ok()) return Fail("open", db.status());

  auto previous = BlockOn((*db)->Get("run-count"));
  if (!previous.ok()) return Fail("get", previous.status());
  int runs = previous->has_value() ? std::stoi(**previous) + 1 : 1;
  std::printf("run %d on %s\n", runs, dir.c_str());

  slatedb::WriteBatch batch;
  batch.Put("run-count", std::to_string(runs));
  batch.Put("fruit/apple", "red");
  batch.Put("fruit/banana", "yellow");
  batch.Put("fruit/cherry", "dark red");
  batch.Put("vegetable/kale", "green");
  auto written = BlockOn((*db)->Write(std::move(batch)));  // durable once this returns
  if (!written.ok()) return Fail("write", written.status());

  auto apple = BlockOn((*db)->Get("fruit/apple"));
  if (!apple.ok()) return Fail("get", apple.status());
  std::printf("fruit/apple = %s\n", apple->value_or("<missing>").c_str());

  auto it = BlockOn((*db)->Scan("fruit/", "fruit0"));
  if (!it.ok()) return Fail("scan", it.status());
  for (;;) {
    auto next = BlockOn((*it)->Next());
    if (!next.ok()) return Fail("scan", next.status());
    if (!next->has_value()) break;
    std::printf("  %s -> %s\n", (*next)->key.c_str(), (*next)->value.c_str());
  }

  slatedb::Status closed = BlockOn((*db)->Close());
  if (!closed.ok()) return Fail("close", closed);
  std::printf("closed cleanly\n");
  return 0;
}
