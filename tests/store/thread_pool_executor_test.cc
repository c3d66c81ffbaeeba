// SPDX-License-Identifier: Apache-2.0
//
// ThreadPoolExecutor and SystemClock: posted work runs (also work posted from workers and
// from many threads), timers fire in deadline order and not early, and destruction with
// timers still pending returns promptly and releases what they captured.
#include "slatedb/platform/thread_pool_executor.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "slatedb/platform/system_clock.h"

namespace slatedb {
namespace {

using Clock = std::chrono::steady_clock;

// Counts down to zero; Wait returns false on timeout.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void CountDown() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0) cv_.notify_all();
  }
  bool Wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return count_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
};

TEST_CASE("thread pool runs posted work from any thread", "[platform]") {
  ThreadPoolExecutor executor(3);
  CHECK(executor.thread_count() == 3);
  constexpr int kPosters = 4, kEach = 500;
  Latch latch(kPosters * kEach);
  std::atomic<int> ran{0};
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p) {
    posters.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        executor.Post([&] {
          ran.fetch_add(1);
          latch.CountDown();
        });
      }
    });
  }
  for (std::thread& t : posters) t.join();
  REQUIRE(latch.Wait());
  CHECK(ran.load() == kPosters * kEach);
}

TEST_CASE("thread pool never runs work inside Post", "[platform]") {
  ThreadPoolExecutor executor(1);
  Latch latch(1);
  std::thread::id runner;
  executor.Post([&] {
    runner = std::this_thread::get_id();
    latch.CountDown();
  });
  REQUIRE(latch.Wait());
  CHECK(runner != std::this_thread::get_id());
}

TEST_CASE("thread pool accepts posts from inside a task", "[platform]") {
  ThreadPoolExecutor executor(2);
  constexpr int kDepth = 1000;
  Latch latch(1);
  std::atomic<int> hops{0};
  std::function<void()> hop = [&] {
    if (hops.fetch_add(1) + 1 == kDepth) {
      latch.CountDown();
    } else {
      executor.Post(hop);
    }
  };
  executor.Post(hop);
  REQUIRE(latch.Wait());
  CHECK(hops.load() == kDepth);
}

TEST_CASE("thread pool fires timers in deadline order, not early", "[platform]") {
  ThreadPoolExecutor executor(1);
  std::mutex mu;
  std::vector<int> order;
  std::vector<Clock::duration> elapsed(4);
  Latch latch(4);
  Clock::time_point start = Clock::now();
  auto record = [&](int id) {
    return [&, id] {
      {
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(id);
        elapsed[id] = Clock::now() - start;
      }
      latch.CountDown();
    };
  };
  executor.PostAfter(120, record(0));
  executor.PostAfter(20, record(1));
  executor.PostAfter(70, record(2));
  executor.PostAfter(70, record(3));  // same deadline as 2: posting order
  REQUIRE(latch.Wait());
  CHECK(order == std::vector<int>{1, 2, 3, 0});
  using std::chrono::milliseconds;
  CHECK(elapsed[1] >= milliseconds(20));
  CHECK(elapsed[2] >= milliseconds(70));
  CHECK(elapsed[0] >= milliseconds(120));
  CHECK(elapsed[0] < milliseconds(5000));  // roughly honoured, with room for a slow machine
}

TEST_CASE("thread pool: a zero delay timer runs like a post", "[platform]") {
  ThreadPoolExecutor executor(2);
  Latch latch(2);
  executor.PostAfter(0, [&] { latch.CountDown(); });
  executor.PostAfter(0, [&] { executor.PostAfter(1, [&] { latch.CountDown(); }); });
  CHECK(latch.Wait());
}

TEST_CASE("thread pool destruction drops pending timers promptly", "[platform]") {
  auto sentinel = std::make_shared<int>(7);
  std::atomic<bool> fired{false};
  Clock::time_point start = Clock::now();
  {
    ThreadPoolExecutor executor(2);
    executor.PostAfter(60'000, [sentinel, &fired] { fired = true; });
    executor.PostAfter(UINT64_MAX, [sentinel, &fired] { fired = true; });
    CHECK(sentinel.use_count() == 3);
  }
  CHECK(Clock::now() - start < std::chrono::seconds(5));
  CHECK_FALSE(fired.load());
  CHECK(sentinel.use_count() == 1);  // the dropped timers released their captures
}

TEST_CASE("thread pool destruction lets running and queued work finish", "[platform]") {
  std::atomic<int> finished{0};
  Latch started(1);
  {
    ThreadPoolExecutor executor(1);
    executor.Post([&] {
      started.CountDown();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished.fetch_add(1);
      // Posting while the executor shuts down is allowed (the work may be dropped).
      executor.Post([] {});
    });
    executor.Post([&] { finished.fetch_add(1); });
    REQUIRE(started.Wait());
  }
  CHECK(finished.load() == 2);
}

TEST_CASE("system clock reads the wall clock in milliseconds", "[platform]") {
  SystemClock clock;
  int64_t before = static_cast<int64_t>(std::time(nullptr)) * 1000;
  int64_t now = clock.NowMillis();
  int64_t after = static_cast<int64_t>(std::time(nullptr)) * 1000 + 1000;
  CHECK(now >= before);
  CHECK(now <= after);
}

}  // namespace
}  // namespace slatedb
