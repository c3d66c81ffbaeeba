# How the engine reaches the host's ObjectStore: key layout, the retrying decorator (the
# one place transient failures are retried), the awaitable, counting StoreClient, and the
# router that keeps a database's WAL in a store of its own.
set(SLATEDB_STORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/paths.cc
  ${CMAKE_CURRENT_LIST_DIR}/retrying_object_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_client.cc
  ${CMAKE_CURRENT_LIST_DIR}/wal_routing_object_store.cc
)
