# SPDX-License-Identifier: Apache-2.0
# The deterministic simulation: its own binary, slatedb_sim (see sim_main.cc).
set(SLATEDB_SIM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sim_main.cc
  ${CMAKE_CURRENT_LIST_DIR}/sim_run.cc
  ${CMAKE_CURRENT_LIST_DIR}/sim_store.cc
)
