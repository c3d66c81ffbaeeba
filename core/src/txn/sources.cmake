# Transactions: conflict bookkeeping, buffered writes, the read-your-writes iterator, and
# the Transaction API with DbImpl's hooks.
set(_core_src ${CMAKE_CURRENT_LIST_DIR}/..)
set(SLATEDB_TXN_SOURCES
  ${_core_src}/txn/db_txn.cc
  ${_core_src}/txn/transaction.cc
  ${_core_src}/txn/txn_buffer.cc
  ${_core_src}/txn/txn_iterator.cc
  ${_core_src}/txn/txn_manager.cc
)
