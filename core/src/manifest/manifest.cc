// SPDX-License-Identifier: Apache-2.0
#include "manifest/manifest.h"

namespace slatedb {

namespace {

bool AfterStart(const RangeBound& start, std::string_view key) {
  switch (start.kind) {
    case RangeBound::Kind::kUnbounded:
      return true;
    case RangeBound::Kind::kIncluded:
      return key >= std::string_view(start.key);
    case RangeBound::Kind::kExcluded:
      return key > std::string_view(start.key);
  }
  return true;
}

bool BeforeEnd(const RangeBound& end, std::string_view key) {
  switch (end.kind) {
    case RangeBound::Kind::kUnbounded:
      return true;
    case RangeBound::Kind::kIncluded:
      return key <= std::string_view(end.key);
    case RangeBound::Kind::kExcluded:
      return key < std::string_view(end.key);
  }
  return true;
}

}  // namespace

bool VisibleRange::Contains(std::string_view key) const {
  return AfterStart(start, key) && BeforeEnd(end, key);
}

bool SstRef::MayHoldKey(std::string_view key) const {
  if (key < std::string_view(info.first_entry) || key > std::string_view(info.last_entry)) {
    return false;
  }
  return !visible_range || visible_range->Contains(key);
}

bool SstRef::EndsBefore(std::string_view key) const {
  if (std::string_view(info.last_entry) < key) return true;
  if (!visible_range) return false;
  const RangeBound& end = visible_range->end;
  switch (end.kind) {
    case RangeBound::Kind::kUnbounded:
      return false;
    case RangeBound::Kind::kIncluded:
      return std::string_view(end.key) < key;
    case RangeBound::Kind::kExcluded:
      return std::string_view(end.key) <= key;
  }
  return false;
}

bool SstRef::StartsAtOrAfter(std::string_view key) const {
  if (std::string_view(info.first_entry) >= key) return true;
  if (!visible_range) return false;
  const RangeBound& start = visible_range->start;
  return start.kind != RangeBound::Kind::kUnbounded && std::string_view(start.key) >= key;
}

std::string SstRef::ClampStart(std::string_view start) const {
  std::string out(start);
  if (!visible_range) return out;
  const RangeBound& bound = visible_range->start;
  if (bound.kind == RangeBound::Kind::kUnbounded) return out;
  std::string lowest = bound.key;
  if (bound.kind == RangeBound::Kind::kExcluded) lowest.push_back('\0');  // the next key
  return lowest > out ? lowest : out;
}

bool SstRef::PastVisibleEnd(std::string_view key) const {
  return visible_range && !BeforeEnd(visible_range->end, key);
}

}  // namespace slatedb
