# Transactions: conflict bookkeeping, buffered writes and the read-your-writes iterator.
# (The Transaction API over the database is db/transaction.cc.)
set(_core_src ${CMAKE_CURRENT_LIST_DIR}/..)
set(SLATEDB_TXN_SOURCES
  ${_core_src}/txn/txn_buffer.cc
  ${_core_src}/txn/txn_iterator.cc
  ${_core_src}/txn/txn_manager.cc
)
