// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: a WAL object replayed the way Db::Open does: opened as an SST in memory,
// every row added to a memtable, then the memtable read back. Corrupt input must end the
// replay with a Data status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/sst_iterator.h"
#include "memtable/memtable.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string object(reinterpret_cast<const char*>(data), size);
  auto it = slatedb::SstMemoryIterator::Open(std::move(object));
  if (!it.ok()) return 0;
  slatedb::Memtable memtable;
  size_t n = 0;
  for ((*it)->SeekToFirst(); (*it)->Valid() && n < 100000; (*it)->Next(), ++n) {
    memtable.Add((*it)->row());
  }
  slatedb::Memtable::Iterator read(&memtable);
  n = 0;
  for (read.SeekToFirst(); read.Valid() && n < 100000; read.Next(), ++n) {
    (void)read.row().value.size();
  }
  return 0;
}
