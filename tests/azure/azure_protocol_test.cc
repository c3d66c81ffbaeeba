// SPDX-License-Identifier: Apache-2.0
//
// The Azure client's pieces that need no server: base64, the Shared Key string to sign,
// List Blobs parsing, error mapping and configuration under object_store's option names.
#include <catch2/catch.hpp>

#include "azure/list_blobs.h"
#include "azure/shared_key.h"
#include "s3/time_format.h"
#include "slatedb/platform/azure_config.h"

namespace slatedb::testing {
namespace {

TEST_CASE("azure base64 round-trips and rejects malformed text", "[azure]") {
  CHECK(azure::Base64Encode("") == "");
  CHECK(azure::Base64Encode("f") == "Zg==");
  CHECK(azure::Base64Encode("fo") == "Zm8=");
  CHECK(azure::Base64Encode("foobar") == "Zm9vYmFy");
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  CHECK(azure::Base64Decode(azure::Base64Encode(all)) == all);
  CHECK(azure::Base64Decode(kAzuriteAccountKey)->size() == 64);
  CHECK_FALSE(azure::Base64Decode("Zg=").has_value());
  CHECK_FALSE(azure::Base64Decode("Z=g=").has_value());
  CHECK_FALSE(azure::Base64Decode("Zm9v!mFy").has_value());
}

TEST_CASE("azure x-ms-date is an IMF-fixdate", "[azure]") {
  CHECK(s3::FormatHttpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(s3::FormatHttpDate(1255297753000) == "Sun, 11 Oct 2009 21:49:13 GMT");
  CHECK(s3::ParseHttpDateMs(s3::FormatHttpDate(1700000000000)) == 1700000000000);
}

TEST_CASE("azure Shared Key string to sign: fixed header order, x-ms-* sorted, resource",
          "[azure]") {
  HttpHeaders headers = {{"x-ms-version", "2021-08-06"},
                         {"content-length", "11"},
                         {"if-none-match", "*"},
                         {"x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"},
                         {"content-type", "application/octet-stream"},
                         {"x-ms-blob-type", "BlockBlob"}};
  std::string s = azure::StringToSign("PUT", headers, "acct", "/acct/c/a%20b",
                                      {{"comp", "list"}, {"Restype", "container"}});
  CHECK(s ==
        "PUT\n\n\n11\n\napplication/octet-stream\n\n\n\n*\n\n\n"
        "x-ms-blob-type:BlockBlob\nx-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\n"
        "x-ms-version:2021-08-06\n/acct/acct/c/a%20b\ncomp:list\nrestype:container");
  // Content-Length 0 is signed as empty (API versions since 2015-02-21).
  std::string empty = azure::StringToSign("PUT", {{"content-length", "0"}}, "a", "/c/b", {});
  CHECK(empty == "PUT\n\n\n\n\n\n\n\n\n\n\n\n/a/c/b");
}

TEST_CASE("azure requests: emulator paths, Shared Key, SAS and anonymous", "[azure]") {
  Result<AzureConfig> emulator = AzureConfigFromUrl(
      "az://cont/db/x", {{"azure_storage_use_emulator", "true"}}, "http://127.0.0.1:12345");
  REQUIRE(emulator.ok());
  CHECK(emulator->account == "devstoreaccount1");
  CHECK(emulator->prefix == "db/x/");
  azure::RequestBuilder builder(*emulator);
  HttpRequest r = builder.Build("GET", "db/x/k 1", {}, {}, nullptr, 0);
  CHECK(r.url == "http://127.0.0.1:12345/devstoreaccount1/cont/db/x/k%201");
  std::string auth;
  for (const auto& [n, v] : r.headers) {
    if (n == "authorization") auth = v;
  }
  CHECK(auth.rfind("SharedKey devstoreaccount1:", 0) == 0);

  AzureConfig sas;
  sas.account = "acct";
  sas.container = "c";
  sas.sas_token = "?sv=2021&sig=abc%2B";
  azure::RequestBuilder sas_builder(sas);
  HttpRequest s = sas_builder.Build("GET", "", {{"comp", "list"}}, {}, nullptr, 0);
  CHECK(s.url == "https://acct.blob.core.windows.net/c?comp=list&sv=2021&sig=abc%2B");
  for (const auto& [n, v] : s.headers) CHECK(n != "authorization");
  // Transport errors repeat the URL; the signature never reaches a message.
  CHECK(azure::RedactSasSignature("http: GET " + s.url + ": connection refused") ==
        "http: GET https://acct.blob.core.windows.net/c?comp=list&sv=2021&sig=REDACTED: "
        "connection refused");
}

TEST_CASE("azure config takes object_store's option names and URL forms", "[azure]") {
  AzureConfig c;
  CHECK(*ApplyAzureOption("AZURE_STORAGE_ACCOUNT_NAME", "acct", &c));
  CHECK(*ApplyAzureOption("access_key", kAzuriteAccountKey, &c));
  CHECK(*ApplyAzureOption("container_name", "cont", &c));
  CHECK(*ApplyAzureOption("allow_http", "true", &c));
  CHECK_FALSE(*ApplyAzureOption("no_such_key", "x", &c));
  CHECK_FALSE(ApplyAzureOption("use_emulator", "maybe", &c).ok());
  CHECK(IsUnsupportedAzureOption("azure_client_id"));
  CHECK_FALSE(IsUnsupportedAzureOption("account_name"));
  CHECK(c.Validate().ok());

  Result<AzureConfig> hadoop =
      AzureConfigFromUrl("abfss://fs@myacct.dfs.core.windows.net/p", {{"sas_token", "sv=1"}});
  REQUIRE(hadoop.ok());
  CHECK(hadoop->account == "myacct");
  CHECK(hadoop->container == "fs");
  CHECK(hadoop->ServiceUrl() == "https://myacct.blob.core.windows.net");

  Result<AzureConfig> no_account = AzureConfigFromUrl("az://cont", {});
  CHECK(no_account.status().message().find("Account must be specified") != std::string::npos);
  Result<AzureConfig> no_container = AzureConfigFromUrl("az://", {{"account_name", "a"}});
  CHECK(no_container.status().message().find("Container name must be specified") !=
        std::string::npos);
  Result<AzureConfig> http = AzureConfigFromUrl(
      "az://cont", {{"account_name", "a"}, {"endpoint", "http://127.0.0.1:1/a"}});
  CHECK(http.status().message().find("allow_http") != std::string::npos);
  CHECK_FALSE(AzureConfigFromUrl("az://cont", {{"account_name", "a"}, {"access_key", "n*t"}}).ok());
}

TEST_CASE("azure List Blobs parsing: names, sizes, quoted ETags, markers", "[azure]") {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"x\" "
      "ContainerName=\"c\"><Prefix>p/</Prefix><Blobs><Blob><Name>p/a&amp;b</Name><Properties>"
      "<Last-Modified>Sun, 11 Oct 2009 21:49:13 GMT</Last-Modified><Etag>0x8D1</Etag>"
      "<Content-Length>12</Content-Length></Properties></Blob><Blob><Name Encoded=\"true\">"
      "p/%01x</Name><Properties><Etag>\"0x8D2\"</Etag><Content-Length>0</Content-Length>"
      "</Properties></Blob></Blobs><NextMarker>m2</NextMarker></EnumerationResults>";
  Result<azure::ListPage> page = azure::ParseListBlobs(xml);
  REQUIRE(page.ok());
  REQUIRE(page->objects.size() == 2);
  CHECK(page->objects[0].key == "p/a&b");
  CHECK(page->objects[0].size_bytes == 12);
  CHECK(page->objects[0].version == "\"0x8D1\"");
  CHECK(page->objects[0].last_modified_ms == 1255297753000);
  CHECK(page->objects[1].key == std::string("p/\x01x"));
  CHECK(page->objects[1].version == "\"0x8D2\"");
  CHECK(page->next_marker == "m2");
  CHECK_FALSE(azure::ParseListBlobs("<Error/>").ok());
}

TEST_CASE("azure error mapping", "[azure]") {
  auto status_of = [](int code, std::string error_code) {
    HttpResponse r;
    r.status = code;
    r.headers.emplace_back("x-ms-error-code", std::move(error_code));
    return azure::StatusFromAzureResponse("GET az://c/k", r);
  };
  CHECK(status_of(404, "BlobNotFound").IsNotFound());
  CHECK(status_of(404, "ContainerNotFound").code() == StatusCode::kInvalid);
  CHECK(status_of(403, "AuthenticationFailed").code() == StatusCode::kInvalid);
  CHECK(status_of(409, "LeaseIdMissing").IsUnavailable());
  CHECK(status_of(503, "ServerBusy").IsUnavailable());
  CHECK(status_of(400, "InvalidHeaderValue").code() == StatusCode::kInvalid);
}

}  // namespace
}  // namespace slatedb::testing
