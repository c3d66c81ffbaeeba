// SPDX-License-Identifier: Apache-2.0
//
// Filter policies (slatedb/filter_policy.h, format/filter_set.h): policy names, the hashes a
// prefix policy adds (checked against a bloom filter built by hand from the format's rules:
// one hash per distinct consecutive prefix, one per row for whole keys), several policies
// in one composite section, and a reader whose policies match only some entries, or none.
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/filter_set.h"
#include "format/sst_builder.h"
#include "format/sst_reader.h"
#include "format_test_util.h"

namespace slatedb {
namespace {

// Keys of at least `len` bytes have a prefix of `len` bytes, for points and prefixes alike.
class FixedPrefix final : public PrefixExtractor {
 public:
  FixedPrefix(std::string name, size_t len) : name_(std::move(name)), len_(len) {}
  std::string Name() const override { return name_; }
  Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
    if (data.size() < len_) return std::optional<size_t>();
    return std::optional<size_t>(len_);
  }

 private:
  std::string name_;
  size_t len_;
};

FilterPolicy PrefixPolicy(std::string name, size_t len, bool whole_keys = true,
                          uint32_t bits = 10) {
  FilterPolicy p;
  p.bits_per_key = bits;
  p.whole_key_filtering = whole_keys;
  p.prefix_extractor = std::make_shared<FixedPrefix>(std::move(name), len);
  return p;
}

// Rows "<group><n>" for groups aaa, bbb, ... (3-byte groups), two versions of each key,
// plus a short key "z" that has no prefix.
std::vector<Row> GroupedRows(int groups, int per_group) {
  std::vector<Row> rows;
  uint64_t seq = 1'000'000;
  for (int g = 0; g < groups; ++g) {
    const std::string group(3, static_cast<char>('a' + g));
    for (int i = 0; i < per_group; ++i) {
      const std::string key = group + std::to_string(1000 + i);
      rows.push_back(Row{key, seq--, RowKind::kValue, "new"});
      rows.push_back(Row{key, seq--, RowKind::kValue, "old"});
    }
  }
  rows.push_back(Row{"z", seq--, RowKind::kValue, "short"});
  return rows;
}

Result<SstFilters> FiltersOf(const EncodedSst& sst, const std::vector<FilterPolicy>& policies) {
  std::string_view object = sst.data;
  SLATEDB_ASSIGN_OR_RETURN(std::string_view stored,
                           SliceRange(object, 0, {sst.info.filter_offset, sst.info.filter_len}));
  return DecodeFilters(stored, sst.info, policies);
}

TEST_CASE("filter policy names follow upstream's", "[filter]") {
  CHECK(FilterPolicy{}.Name() == "_bf");
  CHECK(PrefixPolicy("pe3", 3).Name() == "_bf:p=pe3");
  CHECK(PrefixPolicy("pe3", 3, /*whole_keys=*/false).Name() == "_bf:p=pe3:wh=0");
  FilterPolicy no_whole;
  no_whole.whole_key_filtering = false;
  CHECK(no_whole.Name() == "_bf:wh=0");
  CHECK(FilterPoliciesFromBits(0).empty());
  REQUIRE(FilterPoliciesFromBits(7).size() == 1);
  CHECK(FilterPoliciesFromBits(7)[0].bits_per_key == 7);
}

TEST_CASE("a prefix policy hashes each distinct prefix once, then every row's key", "[filter]") {
  const std::vector<Row> rows = GroupedRows(4, 30);
  for (bool whole_keys : {true, false}) {
    INFO("whole_key_filtering " << whole_keys);
    SstBuilderOptions opts;
    opts.min_filter_keys = 1;
    opts.filter_policies = {PrefixPolicy("pe3", 3, whole_keys)};
    Result<EncodedSst> sst = testing::BuildSst(rows, opts);
    REQUIRE(sst.ok());
    // The expected entry, built by hand: per row, its prefix when it differs from the last
    // one added, then its whole key.
    BloomFilterBuilder expected(10);
    std::optional<std::string> last;
    for (const Row& row : rows) {
      if (row.key.size() >= 3 && (!last || *last != row.key.substr(0, 3))) {
        last = row.key.substr(0, 3);
        expected.AddKey(*last);
      }
      if (whole_keys) expected.AddKey(row.key);
    }
    CHECK(expected.num_keys() == (whole_keys ? 4 + rows.size() : 4));
    const std::string name = whole_keys ? "_bf:p=pe3" : "_bf:p=pe3:wh=0";
    const std::string section = EncodeCompositeFilter(name, expected.Finish());
    std::string_view object = sst->data;
    Result<std::string_view> stored =
        SliceRange(object, 0, {sst->info.filter_offset, sst->info.filter_len});
    REQUIRE(stored.ok());
    // Uncompressed sections are stored as payload | CRC32.
    CHECK(testing::Hex(stored->substr(0, stored->size() - 4)) == testing::Hex(section));

    Result<SstFilters> filters = FiltersOf(*sst, opts.filter_policies);
    REQUIRE(filters.ok());
    REQUIRE(filters->filters.size() == 1);
    for (const Row& row : rows) {
      CHECK(filters->MayMatchPoint(row.key));
      CHECK(filters->MayMatchPrefix(row.key.substr(0, 3)));
      CHECK(filters->MayMatchPrefix(row.key));  // truncated to its 3-byte prefix
    }
    // Too short to have a prefix: the filter cannot answer.
    CHECK(filters->MayMatchPrefix("a"));
    CHECK(filters->MayMatchPrefix(""));
    // Groups never written are ruled out (all of them, at 10 bits per 4 prefixes).
    int ruled_out = 0;
    for (char c = 'm'; c <= 'y'; ++c) ruled_out += !filters->MayMatchPrefix(std::string(3, c));
    CHECK(ruled_out >= 11);
    // Without whole keys, a point read probes the key's prefix: an unseen key of a seen group
    // may match, one of an unseen group may not.
    if (!whole_keys) CHECK(filters->MayMatchPoint("aaa9999"));
    int points_out = 0;
    for (char c = 'm'; c <= 'y'; ++c)
      points_out += !filters->MayMatchPoint(std::string(3, c) + "1");
    CHECK(points_out >= 11);
  }
}

TEST_CASE("several policies: one named entry each, all of them consulted", "[filter]") {
  const std::vector<Row> rows = GroupedRows(3, 40);
  SstBuilderOptions opts;
  opts.min_filter_keys = 1;
  FilterPolicy whole;
  whole.bits_per_key = 12;
  opts.filter_policies = {whole, PrefixPolicy("pe3", 3, /*whole_keys=*/false, 8)};
  Result<EncodedSst> sst = testing::BuildSst(rows, opts);
  REQUIRE(sst.ok());
  std::string_view object = sst->data;
  Result<std::string_view> stored =
      SliceRange(object, 0, {sst->info.filter_offset, sst->info.filter_len});
  REQUIRE(stored.ok());
  Result<std::vector<NamedFilterView>> entries =
      ParseCompositeFilter(stored->substr(0, stored->size() - 4));
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0].name == "_bf");
  CHECK((*entries)[1].name == "_bf:p=pe3:wh=0");
  // Sizes: rows * 12 bits, and 3 prefixes * 8 bits (u16 probe count first).
  CHECK((*entries)[0].data.size() == 2 + (rows.size() * 12 + 7) / 8);
  CHECK((*entries)[1].data.size() == 2 + (3 * 8 + 7) / 8);

  // Both policies read: a point read must pass both; the prefix filter alone rules out an
  // unseen group's key even where the whole-key filter errs.
  Result<SstFilters> both = FiltersOf(*sst, opts.filter_policies);
  REQUIRE(both.ok());
  REQUIRE(both->filters.size() == 2);
  for (const Row& row : rows) CHECK(both->MayMatchPoint(row.key));
  for (char c = 'm'; c <= 'y'; ++c) {
    const std::string key = std::string(3, c) + "1000";
    CHECK(both->MayMatchPoint(key) ==
          (both->filters[0].MayMatchPoint(key) && both->filters[1].MayMatchPoint(key)));
  }

  // A reader that knows only the whole-key policy keeps only that entry (a prefix scan
  // then cannot skip), one that knows only another extractor keeps none.
  Result<SstFilters> whole_only = FiltersOf(*sst, {FilterPolicy{}});
  REQUIRE(whole_only.ok());
  REQUIRE(whole_only->filters.size() == 1);
  CHECK(whole_only->filters[0].policy().Name() == "_bf");
  CHECK(whole_only->MayMatchPrefix("zzz"));
  Result<SstFilters> none = FiltersOf(*sst, {PrefixPolicy("other", 3)});
  REQUIRE(none.ok());
  CHECK(none->empty());
  for (char c = 'm'; c <= 'y'; ++c) {
    CHECK(none->MayMatchPoint(std::string(3, c)));
    CHECK(none->MayMatchPrefix(std::string(3, c)));
  }
  // No policies: the section is not read at all.
  Result<SstFilters> unread = FiltersOf(*sst, {});
  REQUIRE(unread.ok());
  CHECK(unread->empty());
}

TEST_CASE("a legacy filter section is read by the _bf policy only", "[filter]") {
  BloomFilterBuilder builder(10);
  builder.AddKey("k1");
  const std::string legacy = builder.Finish();
  Result<SstFilters> read = DecodeSstFilters(legacy, /*composite=*/false, {FilterPolicy{}});
  REQUIRE(read.ok());
  REQUIRE(read->filters.size() == 1);
  CHECK(read->MayMatchPoint("k1"));
  Result<SstFilters> skipped = DecodeSstFilters(legacy, false, {PrefixPolicy("pe3", 3)});
  REQUIRE(skipped.ok());
  CHECK(skipped->empty());
}

TEST_CASE("an extractor that fails or overreaches fails the SST, never a silent filter",
          "[filter]") {
  class Failing final : public PrefixExtractor {
   public:
    explicit Failing(bool overreach) : overreach_(overreach) {}
    std::string Name() const override { return "bad"; }
    Result<std::optional<size_t>> PrefixLen(std::string_view data, bool) const override {
      if (overreach_) return std::optional<size_t>(data.size() + 1);
      return Status::Invalid("extractor broke");
    }

   private:
    bool overreach_;
  };
  for (bool overreach : {false, true}) {
    SstBuilderOptions opts;
    FilterPolicy p;
    p.prefix_extractor = std::make_shared<Failing>(overreach);
    opts.filter_policies = {p};
    Result<EncodedSst> sst = testing::BuildSst(GroupedRows(1, 3), opts);
    CHECK(sst.status().kind() == ErrorKind::kInvalid);
    // At read time the same extractor cannot rule anything out.
    p.whole_key_filtering = false;
    PolicyFilter prefix_only(p, *BloomFilter::Parse(BloomFilterBuilder(10).Finish()));
    CHECK(prefix_only.MayMatchPoint("abc"));
    CHECK(prefix_only.MayMatchPrefix("abc"));
  }
}

}  // namespace
}  // namespace slatedb
