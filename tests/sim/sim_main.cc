// SPDX-License-Identifier: Apache-2.0
//
// slatedb_sim: the deterministic simulation (tests/sim) as its own binary.
//   slatedb_sim                           seeds 1..2000, 500 operations each (the CI stage)
//   slatedb_sim --seed 1234               one seed (replays a failure exactly)
//   slatedb_sim --first-seed 1 --seeds 100000 --ops 500      a soak (scripts/soak.sh)
// Environment: SLATEDB_SIM_SEED=<n> is the same as --seed <n>. Catch2's own options
// (-s, --durations, ...) still work. A failing seed is printed with the command that
// replays it.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "tests/sim/sim_run.h"

namespace {

uint64_t g_first_seed = 1;
uint64_t g_seeds = 2000;
int g_ops = 500;

}  // namespace

TEST_CASE("deterministic simulation", "[sim]") {
  using slatedb::testing::RunSimSeed;
  using slatedb::testing::SimSummary;
  SimSummary total;
  auto start = std::chrono::steady_clock::now();
  uint64_t done = 0;
  for (uint64_t seed = g_first_seed; seed < g_first_seed + g_seeds; ++seed) {
    INFO("seed " << seed << " failed; replay with: slatedb_sim --seed " << seed << " --ops "
                 << g_ops);
    SimSummary s = RunSimSeed(seed, g_ops);
    total.ops += s.ops;
    total.crashes += s.crashes;
    total.fences += s.fences;
    total.failed_calls += s.failed_calls;
    total.store_events += s.store_events;
    total.resurrections += s.resurrections;
    total.readers += s.readers;
    total.reader_checks += s.reader_checks;
    total.compactors += s.compactors;
    total.compactor_crashes += s.compactor_crashes;
    total.compactor_fences += s.compactor_fences;
    total.standalone_compactions += s.standalone_compactions;
    ++done;
    if (g_seeds >= 1000 && done % 1000 == 0) {
      std::fprintf(stderr, "  ... %llu seeds\n", static_cast<unsigned long long>(done));
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "simulation: %llu seeds from %llu, %llu ops, %llu crashes, %llu fences, %llu calls "
      "failed by faults, %llu store mutations (%llu resurrections), %llu readers opened, "
      "%llu reader checks; standalone compactors: %llu opened, %llu crashed, %llu fenced, "
      "%llu compactions; %.1f s\n",
      static_cast<unsigned long long>(done), static_cast<unsigned long long>(g_first_seed),
      static_cast<unsigned long long>(total.ops), static_cast<unsigned long long>(total.crashes),
      static_cast<unsigned long long>(total.fences),
      static_cast<unsigned long long>(total.failed_calls),
      static_cast<unsigned long long>(total.store_events),
      static_cast<unsigned long long>(total.resurrections),
      static_cast<unsigned long long>(total.readers),
      static_cast<unsigned long long>(total.reader_checks),
      static_cast<unsigned long long>(total.compactors),
      static_cast<unsigned long long>(total.compactor_crashes),
      static_cast<unsigned long long>(total.compactor_fences),
      static_cast<unsigned long long>(total.standalone_compactions), secs);
}

int main(int argc, char** argv) {
  Catch::Session session;
  long long seed = -1;
  long long first = -1;
  long long seeds = -1;
  int ops = -1;
  using namespace Catch::clara;
  auto cli = session.cli() | Opt(seed, "n")["--seed"]("run only this seed (replays it exactly)") |
             Opt(first, "n")["--first-seed"]("first seed of the range (default 1)") |
             Opt(seeds, "n")["--seeds"]("how many seeds (default 2000)") |
             Opt(ops, "n")["--ops"]("operations per seed (default 500)");
  session.cli(cli);
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (const char* env = std::getenv("SLATEDB_SIM_SEED"); env != nullptr && seed < 0) {
    seed = std::atoll(env);
  }
  if (first >= 0) g_first_seed = static_cast<uint64_t>(first);
  if (seeds >= 0) g_seeds = static_cast<uint64_t>(seeds);
  if (ops > 0) g_ops = ops;
  if (seed >= 0) {
    g_first_seed = static_cast<uint64_t>(seed);
    g_seeds = 1;
  }
  return session.run();
}
