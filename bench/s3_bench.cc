// SPDX-License-Identifier: Apache-2.0
//
// s3_bench: the S3 client against a real server, usually the local moto_server:
//   scripts/s3-test-server.sh build/bench/s3_bench
// (which exports SLATEDB_S3_TEST_ENDPOINT; or pass an s3:// URL as the only argument to
// use AWS_* variables, e.g. against MinIO or AWS). Prints requests/s and MB/s for PUT and
// GET of 4 KiB and 4 MiB objects with 1 and 32 requests in flight, then the object-store
// requests the engine makes per 1,000 durable puts (1 writer, and 32 concurrent writers).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <algorithm>
#include <vector>

#include "s3/s3_request.h"
#include "slatedb/platform/blocking.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/platform/system_clock.h"
#include "slatedb/platform/thread_pool_executor.h"
#include "slatedb/slatedb.h"

namespace {

using Clock = std::chrono::steady_clock;

// Runs `total` operations with at most `in_flight` outstanding; `op(i, done)` starts one.
// A completion starts the next operation itself; the last one only signals, so nothing
// touches this frame after the waiter may have returned.
double RunConcurrent(int total, int in_flight,
                     const std::function<void(int, std::function<void(bool)>)>& op) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    int started = 0, finished = 0, failed = 0;
  };
  auto state = std::make_shared<State>();
  auto start = Clock::now();
  std::function<void(bool)> on_done = [state, total, &op, &on_done](bool ok) {
    int next = -1;
    {
      std::lock_guard<std::mutex> lock(state->mu);
      ++state->finished;
      if (!ok) ++state->failed;
      if (state->started < total) next = state->started++;
      if (state->finished == total) state->cv.notify_all();
    }
    if (next >= 0) op(next, on_done);
  };
  std::vector<int> first;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    while (state->started < std::min(total, in_flight)) first.push_back(state->started++);
  }
  for (int i : first) op(i, on_done);
  std::unique_lock<std::mutex> lock(state->mu);
  state->cv.wait(lock, [&] { return state->finished == total; });
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (state->failed > 0) std::fprintf(stderr, "  (%d requests failed)\n", state->failed);
  return seconds;
}

void BenchObjects(slatedb::S3ObjectStore& store, size_t size, int in_flight, int count) {
  std::string data(size, 'x');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 131 + 7);
  const std::string prefix =
      "bench/" + std::to_string(size) + "-" + std::to_string(in_flight) + "/";
  double put_s = RunConcurrent(count, in_flight, [&](int i, std::function<void(bool)> done) {
    store.Put(prefix + std::to_string(i), data, {},
              [done](slatedb::Result<slatedb::ObjectMeta> r) { done(r.ok()); });
  });
  double get_s = RunConcurrent(count, in_flight, [&](int i, std::function<void(bool)> done) {
    store.Get(prefix + std::to_string(i),
              [done, size](slatedb::Result<std::string> r) { done(r.ok() && r->size() == size); });
  });
  double mb = static_cast<double>(size) * count / 1e6;
  std::printf("%-8s %9d %7d  PUT %8.0f req/s %8.1f MB/s   GET %8.0f req/s %8.1f MB/s\n",
              size >= (1 << 20) ? "4 MiB" : "4 KiB", in_flight, count, count / put_s, mb / put_s,
              count / get_s, mb / get_s);
}

void BenchDurablePuts(std::shared_ptr<slatedb::S3ObjectStore> store, int writers) {
  auto executor = std::make_shared<slatedb::ThreadPoolExecutor>(2);
  slatedb::DbOptions options;
  options.object_store = store;
  options.executor = executor;
  options.clock = std::make_shared<slatedb::SystemClock>();
  options.path = "bench-db-" + std::to_string(writers);
  auto db = *slatedb::BlockOn(slatedb::Db::Open(options));
  slatedb::RequestCounts before = store->counts();
  constexpr int kPuts = 1000;
  double seconds = RunConcurrent(kPuts, writers, [&](int i, std::function<void(bool)> done) {
    slatedb::Spawn(db->Put("key" + std::to_string(i), std::string(100, 'v')),
                   [done](slatedb::Result<slatedb::WriteHandle> r) { done(r.ok()); });
  });
  slatedb::RequestCounts used = store->counts() - before;
  std::printf(
      "%2d writer(s): %5.0f durable puts/s; per 1,000 durable puts: %llu requests "
      "(%llu PUT, %llu GET, %llu HEAD, %llu LIST)\n",
      writers, kPuts / seconds, static_cast<unsigned long long>(used.total()),
      static_cast<unsigned long long>(used.put),
      static_cast<unsigned long long>(used.get + used.get_range),
      static_cast<unsigned long long>(used.head), static_cast<unsigned long long>(used.list));
  (void)slatedb::BlockOn(db->Close());
}

}  // namespace

int main(int argc, char** argv) {
  slatedb::Result<std::shared_ptr<slatedb::S3ObjectStore>> store =
      slatedb::Status::Invalid("no store");
  slatedb::S3OpenOptions open;
  open.executor_threads = 4;
  if (argc > 1) {
    store = slatedb::OpenS3ObjectStore(argv[1], open);
  } else if (const char* endpoint = std::getenv("SLATEDB_S3_TEST_ENDPOINT")) {
    slatedb::S3Config config;
    config.bucket = "slatedb-bench";
    config.endpoint = endpoint;
    config.allow_http = true;
    config.virtual_hosted_style = false;
    const char* key_id = std::getenv("SLATEDB_S3_TEST_ACCESS_KEY_ID");
    const char* secret = std::getenv("SLATEDB_S3_TEST_SECRET_ACCESS_KEY");
    config.credentials = {key_id ? key_id : "testing", secret ? secret : "testing", ""};
    // Create the bucket, signed: the test server checks every signature.
    auto transport = *slatedb::CurlHttpTransport::Create();
    std::mutex mu;
    std::condition_variable cv;
    bool created = false;
    slatedb::s3::RequestSigner signer(config);
    transport->Send(signer.Build("PUT", "", {}, {}, nullptr, slatedb::s3::kEmptyPayloadSha256,
                                 slatedb::SystemClock().NowMillis()),
                    [&](slatedb::Result<slatedb::HttpResponse>) {
                      std::lock_guard<std::mutex> lock(mu);
                      created = true;
                      cv.notify_one();
                    });
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return created; });
    }
    store = slatedb::OpenS3ObjectStore(config, open);
  } else {
    std::fprintf(stderr,
                 "usage: s3_bench [s3://bucket/prefix]  (or run under "
                 "scripts/s3-test-server.sh)\n");
    return 2;
  }
  if (!store.ok()) {
    std::fprintf(stderr, "s3_bench: %s\n", store.status().ToString().c_str());
    return 1;
  }
  std::printf("store: %s\n", (*store)->config().Describe().c_str());
  std::printf("%-8s %9s %7s\n", "object", "in flight", "count");
  BenchObjects(**store, 4096, 1, 300);
  BenchObjects(**store, 4096, 32, 2000);
  BenchObjects(**store, 4 << 20, 1, 16);
  BenchObjects(**store, 4 << 20, 32, 64);
  BenchDurablePuts(*store, 1);
  BenchDurablePuts(*store, 32);
  return 0;
}
