// SPDX-License-Identifier: Apache-2.0
//
// The shape the engine's iterators share (scans over the LSM tree, transaction scans): a
// synchronous production step that yields a row, reaches the end, fails, or stops because a
// source needs I/O first. TryNext is one step; Next repeats TryNext and does the I/O between.
#pragma once

#include <optional>
#include <utility>

#include "slatedb/iterator.h"
#include "slatedb/result.h"

namespace slatedb {

enum class IteratorStep { kItem, kEnd, kNeedIo, kError };

// TryNext's answer from one step: the row (kItem), no row (kEnd) or `error` (kError), and
// true; false for kNeedIo, leaving *out untouched.
inline bool AnswerFromStep(IteratorStep step, std::optional<KeyValue>* item, const Status& error,
                           Result<std::optional<KeyValue>>* out) {
  switch (step) {
    case IteratorStep::kItem:
    case IteratorStep::kEnd:
      *out = std::move(*item);
      return true;
    case IteratorStep::kError:
      *out = error;
      return true;
    case IteratorStep::kNeedIo:
      return false;
  }
  return false;
}

}  // namespace slatedb
