# How the engine reaches the host's ObjectStore: key layout, the retrying decorator (the
# one place transient failures are retried), and the awaitable, counting StoreClient.
set(SLATEDB_STORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/paths.cc
  ${CMAKE_CURRENT_LIST_DIR}/retrying_object_store.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_client.cc
)
