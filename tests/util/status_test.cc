// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "slatedb/object_store.h"
#include "slatedb/result.h"

namespace slatedb {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::Invalid("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  SLATEDB_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST_CASE("status kinds and messages", "[util]") {
  CHECK(Status::Ok().ok());
  CHECK(Status::Ok().kind() == ErrorKind::kNone);
  Status fenced = Status::Closed(CloseReason::kFenced, "newer writer");
  CHECK(fenced.kind() == ErrorKind::kClosed);
  CHECK(fenced.close_reason() == CloseReason::kFenced);
  CHECK(fenced.ToString() == "Closed(fenced): newer writer");
  CHECK(Status::Invalid("empty key").ToString() == "Invalid: empty key");
  CHECK(Status::NotFound("x").kind() == ErrorKind::kData);
  CHECK(Status::AlreadyExists("x").kind() == ErrorKind::kInternal);
  CHECK(Status::Data("bad").WithContext("wal/1.sst").message() == "wal/1.sst: bad");
}

TEST_CASE("result propagates errors through macros", "[util]") {
  CHECK(Quarter(8).value() == 2);
  CHECK(Quarter(6).status().code() == StatusCode::kInvalid);
  CHECK(Quarter(3).status().message() == "odd");
}

TEST_CASE("object keys cannot escape their root", "[util]") {
  CHECK(ValidateObjectKey("manifest/00000000000000000001.manifest").ok());
  for (const char* bad : {"", "/abs", "a/../b", "..", "a//b", "a/./b", "a/", "a\\b"}) {
    INFO(bad);
    CHECK(ValidateObjectKey(bad).code() == StatusCode::kInvalid);
  }
}

}  // namespace
}  // namespace slatedb
