// SPDX-License-Identifier: Apache-2.0
//
// The portable S3 pieces that need no server: percent-encoding of every byte value, the
// XML scanner, ListObjectsV2 pages, dates and error mapping.
#include <catch2/catch.hpp>

#include <string>

#include "s3/list_objects.h"
#include "s3/s3_errors.h"
#include "s3/time_format.h"
#include "s3/uri.h"
#include "s3/xml.h"

namespace slatedb::s3 {
namespace {

TEST_CASE("uri encoding keeps only unreserved bytes, for every byte value", "[s3]") {
  for (int b = 0; b < 256; ++b) {
    std::string in(1, static_cast<char>(b));
    std::string out = UriEncode(in, /*keep_slash=*/true);
    bool unreserved = std::isalnum(b) || b == '-' || b == '.' || b == '_' || b == '~';
    if (unreserved || b == '/') {
      CHECK(out == in);
    } else {
      char expected[4];
      std::snprintf(expected, sizeof(expected), "%%%02X", b);
      CHECK(out == expected);
    }
    CHECK(UriDecode(UriEncode(in, false), false) == in);
  }
  CHECK(UriEncode("a/b", false) == "a%2Fb");
  CHECK(UriDecode("a+b%20c", true) == "a b c");
  CHECK(UriDecode("%zz", false) == std::nullopt);
  CHECK(UriDecode("%4", false) == std::nullopt);
}

TEST_CASE("xml scanner finds elements and decodes entities", "[s3]") {
  std::string xml =
      "<?xml version=\"1.0\"?><R xmlns=\"x\"><A>1</A><AB>no</AB><A attr=\"v\">2 &lt;&amp;&gt; "
      "&quot;&apos; &#233;&#x20AC;</A><A/></R>";
  auto found = XmlElements(xml, "A");
  REQUIRE(found.size() == 3);
  CHECK(found[0] == "1");
  CHECK(XmlUnescape(found[1]) == "2 <&> \"' \xc3\xa9\xe2\x82\xac");
  CHECK(found[2].empty());
  CHECK(XmlText(xml, "Missing") == std::nullopt);
  CHECK(XmlUnescape("&bogus; & &#xZZ;") == "&bogus; & &#xZZ;");
}

TEST_CASE("ListObjectsV2 pages parse, url-encoded keys are decoded", "[s3]") {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>p%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <Contents><Key>p/a%20b%C3%A9</Key><LastModified>2013-05-24T00:00:01.500Z</LastModified>
    <ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>p/%2B</Key><LastModified>2013-05-24T00:00:00Z</LastModified>
    <ETag>"d"</ETag><Size>0</Size></Contents>
  <NextContinuationToken>tok/en==</NextContinuationToken>
</ListBucketResult>)";
  Result<ListPage> page = ParseListObjectsV2(xml);
  REQUIRE(page.ok());
  REQUIRE(page->objects.size() == 2);
  CHECK(page->objects[0].key == "p/a b\xc3\xa9");
  CHECK(page->objects[0].size_bytes == 12);
  CHECK(page->objects[0].version == "\"abc\"");
  CHECK(page->objects[0].last_modified_ms == DaysFromCivil(2013, 5, 24) * 86'400'000 + 1500);
  CHECK(page->objects[1].key == "p/+");
  CHECK(page->truncated);
  CHECK(page->next_continuation_token == "tok/en==");

  CHECK(ParseListObjectsV2("<Error><Code>x</Code></Error>").status().kind() == ErrorKind::kData);
  CHECK(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
            .status()
            .kind() == ErrorKind::kData);
}

TEST_CASE("dates: amz format, ISO 8601 and HTTP dates", "[s3]") {
  CHECK(FormatAmzDate(0) == "19700101T000000Z");
  CHECK(FormatAmzDate(1'440'938'160'000) == "20150830T123600Z");
  CHECK(FormatAmzDate(DaysFromCivil(2024, 2, 29) * 86'400'000 + 3'723'000) == "20240229T010203Z");
  CHECK(ParseIso8601Ms("2015-08-30T12:36:00.123Z") == 1'440'938'160'123);
  CHECK(ParseIso8601Ms("2015-08-30T12:36:00Z") == 1'440'938'160'000);
  CHECK(ParseIso8601Ms("2015-08-30 12:36:00Z") == std::nullopt);
  CHECK(ParseHttpDateMs("Sun, 30 Aug 2015 12:36:00 GMT") == 1'440'938'160'000);
  CHECK(ParseHttpDateMs("Sun, 30 Foo 2015 12:36:00 GMT") == std::nullopt);
  for (int64_t days : {-1000, 0, 11016, 19782, 2932896}) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    CHECK(DaysFromCivil(y, m, d) == days);
  }
}

HttpResponse Response(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST_CASE("error mapping follows the ObjectStore contract", "[s3]") {
  const std::string denied =
      "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
  CHECK(StatusFromResponse("GET k", Response(404)).code() == StatusCode::kNotFound);
  CHECK(StatusFromResponse("GET k", Response(404, "<Error><Code>NoSuchBucket</Code></Error>"))
            .kind() == ErrorKind::kInvalid);
  Status forbidden = StatusFromResponse("GET s3://b/k", Response(403, denied));
  CHECK(forbidden.kind() == ErrorKind::kInvalid);
  CHECK(forbidden.message().find("AccessDenied: Access Denied") != std::string::npos);
  CHECK(StatusFromResponse("x", Response(400)).kind() == ErrorKind::kInvalid);
  CHECK(StatusFromResponse("x", Response(301)).kind() == ErrorKind::kInvalid);
  CHECK(StatusFromResponse("x", Response(501)).kind() == ErrorKind::kInvalid);
  // Unavailable is what the engine's retrying layer retries; nothing else is retried.
  for (int status : {409, 429, 500, 502, 503, 504}) {
    CHECK(StatusFromResponse("x", Response(status)).kind() == ErrorKind::kUnavailable);
  }
  CHECK(
      StatusFromResponse("x", Response(400, "<Error><Code>RequestTimeout</Code></Error>")).kind() ==
      ErrorKind::kUnavailable);
  for (int status : {400, 403, 404, 416, 501}) {
    CHECK(StatusFromResponse("x", Response(status)).kind() != ErrorKind::kUnavailable);
  }
}

}  // namespace
}  // namespace slatedb::s3
