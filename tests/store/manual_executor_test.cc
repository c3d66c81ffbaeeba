// SPDX-License-Identifier: Apache-2.0
//
// ManualExecutor and ManualClock: nothing runs until stepped; posts run first-in
// first-out; timers fire in time order (ties in posting order) as time is advanced, with
// the clock set to each timer's due time; work posted from running work is picked up.
#include "testutil/manual_executor.h"

#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "testutil/manual_clock.h"

namespace slatedb::testing {
namespace {

TEST_CASE("manual clock moves only when told", "[platform]") {
  ManualClock clock(100);
  CHECK(clock.NowMillis() == 100);
  clock.Advance(50);
  CHECK(clock.NowMillis() == 150);
  clock.Set(10);
  CHECK(clock.NowMillis() == 10);
}

TEST_CASE("manual executor runs posts in order only when stepped", "[platform]") {
  ManualExecutor executor;
  std::vector<int> order;
  executor.Post([&] { order.push_back(1); });
  executor.Post([&] {
    order.push_back(2);
    executor.Post([&] { order.push_back(4); });  // posted from running work
  });
  executor.Post([&] { order.push_back(3); });
  CHECK(order.empty());
  CHECK(executor.pending() == 3);
  CHECK(executor.ready_count() == 3);
  CHECK(executor.RunOne());
  CHECK(order == std::vector<int>{1});
  CHECK(executor.RunUntilIdle() == 3);
  CHECK(order == std::vector<int>{1, 2, 3, 4});
  CHECK_FALSE(executor.RunOne());
  CHECK(executor.pending() == 0);
}

TEST_CASE("manual executor fires timers in time order as time advances", "[platform]") {
  auto clock = std::make_shared<ManualClock>(1000);
  ManualExecutor executor(clock);
  std::vector<std::pair<int, int64_t>> fired;  // (id, clock when it ran)
  auto record = [&](int id) { return [&, id] { fired.emplace_back(id, clock->NowMillis()); }; };
  executor.PostAfter(30, record(1));
  executor.PostAfter(10, record(2));
  executor.PostAfter(30, record(3));  // tie with 1: posting order
  executor.PostAfter(0, record(4));   // due now
  executor.PostAfter(10, [&] {
    fired.emplace_back(5, clock->NowMillis());
    executor.PostAfter(5, record(6));  // at 1015, inside the window
    executor.Post(record(7));          // runs before the next timer
  });
  CHECK(executor.timer_count() == 5);
  CHECK(executor.next_timer_ms() == 1000);

  CHECK(executor.RunUntilIdle() == 1);  // only the timer due now
  CHECK(fired == std::vector<std::pair<int, int64_t>>{{4, 1000}});

  CHECK(executor.AdvanceTime(20) == 4);
  CHECK(clock->NowMillis() == 1020);
  CHECK(executor.now_ms() == 1020);
  CHECK(fired == std::vector<std::pair<int, int64_t>>{
                     {4, 1000}, {2, 1010}, {5, 1010}, {7, 1010}, {6, 1015}});
  CHECK(executor.AdvanceTime(9) == 0);
  CHECK(executor.AdvanceTime(1) == 2);
  CHECK(fired.back() == std::make_pair(3, int64_t{1030}));
  CHECK(fired[fired.size() - 2] == std::make_pair(1, int64_t{1030}));
  CHECK(executor.pending() == 0);
  CHECK_FALSE(executor.next_timer_ms().has_value());
}

TEST_CASE("manual executor keeps its own time without a clock", "[platform]") {
  ManualExecutor executor;
  int ran = 0;
  executor.PostAfter(UINT64_MAX, [&] { ++ran; });  // saturates, never due
  executor.PostAfter(100, [&] { ++ran; });
  CHECK(executor.now_ms() == 0);
  executor.AdvanceTime(99);
  CHECK(ran == 0);
  executor.AdvanceTime(1);
  CHECK(ran == 1);
  CHECK(executor.now_ms() == 100);
  CHECK(executor.timer_count() == 1);
}

TEST_CASE("manual executor accepts posts from other threads", "[platform]") {
  ManualExecutor executor;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) executor.Post([] {});
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(executor.RunUntilIdle() == 400);
}

TEST_CASE("manual executor RunUntilIdle stops at its step cap", "[platform]") {
  ManualExecutor executor;
  std::function<void()> forever = [&] { executor.Post(forever); };
  executor.Post(forever);
  CHECK(executor.RunUntilIdle(1000) == 1000);
  CHECK(executor.pending() == 1);
}

}  // namespace
}  // namespace slatedb::testing
