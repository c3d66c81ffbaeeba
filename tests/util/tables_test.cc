// SPDX-License-Identifier: Apache-2.0
//
// The core's one-definition tables the bindings iterate: error kinds and status-code names
// (slatedb/error_kinds.h), and the prefix-successor rule (slatedb/key_range.h).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "slatedb/error_kinds.h"
#include "slatedb/key_range.h"

namespace slatedb {
namespace {

TEST_CASE("error kinds: one row per public kind, names unique, used by Status", "[util]") {
  std::set<std::string> python, js, names;
  int expected = 1;
  for (const ErrorKindInfo& info : ErrorKinds()) {
    CHECK(static_cast<int>(info.kind) == expected++);
    CHECK(&ErrorKindInfoOf(info.kind) == &info);
    CHECK(std::string(ErrorKindName(info.kind)) == info.name);
    python.insert(info.python_class);
    js.insert(info.js_class);
    names.insert(info.name);
  }
  CHECK(ErrorKinds().size() == 6);
  CHECK(python.size() == 6);
  CHECK(js.size() == 6);
  CHECK(names.size() == 6);
  CHECK(Status::Invalid("empty key").ToString() ==
        std::string(ErrorKindInfoOf(ErrorKind::kInvalid).message_prefix) + ": empty key");
  CHECK(Status::Closed(CloseReason::kFenced, "x").ToString() == "Closed(fenced): x");
  CHECK(Status::NotFound("k").ToString() == "NotFound: k");
}

TEST_CASE("status code names round-trip; the JSON tables carry both tables", "[util]") {
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    auto code = static_cast<StatusCode>(c);
    CHECK(StatusCodeFromName(StatusCodeName(code)) == code);
  }
  CHECK_FALSE(StatusCodeFromName("Bogus").has_value());
  auto tables = nlohmann::json::parse(ErrorTablesJson());
  REQUIRE(tables["kinds"].size() == ErrorKinds().size());
  for (size_t i = 0; i < ErrorKinds().size(); ++i) {
    CHECK(tables["kinds"][i]["jsClass"] == ErrorKinds()[i].js_class);
    CHECK(tables["kinds"][i]["pythonClass"] == ErrorKinds()[i].python_class);
  }
  CHECK(tables["codes"][static_cast<int>(StatusCode::kVersionMismatch)] == "VersionMismatch");
  CHECK(tables["closeReasons"][static_cast<int>(CloseReason::kBackgroundError)] ==
        "backgroundError");
}

TEST_CASE("prefix successor: drop trailing 0xff, increment the last byte", "[util]") {
  CHECK(PrefixSuccessor("abc") == std::optional<std::string>("abd"));
  CHECK(PrefixSuccessor(std::string("a\xff\xff", 3)) == std::optional<std::string>("b"));
  CHECK(PrefixSuccessor(std::string("\x01\xfe", 2)) == std::optional<std::string>("\x01\xff"));
  CHECK_FALSE(PrefixSuccessor("").has_value());
  CHECK_FALSE(PrefixSuccessor(std::string("\xff\xff", 2)).has_value());
}

}  // namespace
}  // namespace slatedb
