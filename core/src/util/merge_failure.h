// SPDX-License-Identifier: Apache-2.0
//
// How a merge operator's failure reaches the caller of the read or write that ran it. The
// engine's one wording for it, used wherever operands are folded (reads, writes that fold at
// once, transactions).
#pragma once

#include <string>

#include "slatedb/status.h"

namespace slatedb {

// An operator that refused its input (Invalid) reads as upstream words it: "merge operator
// error (<detail>)". Anything else (the host shutting down, ...) keeps its kind and says where
// it happened.
inline Status MergeOperatorFailure(const Status& failure) {
  if (failure.kind() == ErrorKind::kInvalid) {
    return Status::Invalid("merge operator error (" + failure.message() + ")");
  }
  return failure.WithContext("merge operator");
}

}  // namespace slatedb
