// SPDX-License-Identifier: Apache-2.0
#include "read/merging_iterator.h"

#include "util/async.h"

namespace slatedb {

Task<Status> MergingIterator::DoIo() {
  for (auto& source : sources_) {
    if (!source->NeedsIo()) continue;
    SLATEDB_CO_RETURN_IF_ERROR(co_await source->DoIo());
  }
  co_return Status::Ok();
}

const Status& MergingIterator::status() const {
  static const Status* ok = new Status();
  return failed_ != nullptr ? failed_->status() : *ok;
}

}  // namespace slatedb
