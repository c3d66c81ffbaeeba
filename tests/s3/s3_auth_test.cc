// SPDX-License-Identifier: Apache-2.0
//
// The S3 client against a server that checks every signature (scripts/s3-test-server.sh:
// botocore verifies SigV4 in front of moto). First that the server really refuses what a
// strict S3 server refuses (so the suites that pass through it prove something), then that
// each refusal reaches the caller as the right kind with words that name the cause, and
// that an endpoint written with its default port signs what is sent.
#include <catch2/catch.hpp>

#include <future>
#include <string>

#include "s3/s3_request.h"
#include "s3/sha256.h"
#include "s3/sigv4.h"
#include "s3/time_format.h"
#include "s3_test_env.h"
#include "slatedb/platform/system_clock.h"
#include "testutil/sync_object_store.h"

namespace slatedb::testing {
namespace {

// The system clock moved by a fixed offset: a machine whose clock is wrong.
class OffsetClock : public Clock {
 public:
  explicit OffsetClock(int64_t offset_ms) : offset_ms_(offset_ms) {}
  int64_t NowMillis() override { return system_.NowMillis() + offset_ms_; }

 private:
  SystemClock system_;
  int64_t offset_ms_;
};

Status Probe(const std::shared_ptr<S3ObjectStore>& store) {
  std::promise<Status> result;
  store->CheckConditionalWrites([&](Status s) { result.set_value(s); });
  return result.get_future().get();
}

bool Contains(const Status& s, std::string_view text) {
  return s.message().find(text) != std::string::npos;
}

TEST_CASE("s3 test server: unsigned, wrongly signed and tampered requests are refused", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  auto good = OpenTestS3Store(endpoint, UniqueS3Prefix("auth"));
  SyncObjectStore sync(good);
  REQUIRE(sync.Put("k", "v").ok());

  HttpRequest unsigned_get;
  unsigned_get.method = "GET";
  unsigned_get.url = endpoint + "/slatedb-test/" + good->config().prefix + "k";
  Result<HttpResponse> r = SendRaw(unsigned_get);
  REQUIRE(r.ok());
  CHECK(r->status == 403);
  CHECK(r->body.find("AccessDenied") != std::string::npos);

  // The body changed after signing: the payload hash no longer matches.
  const S3Config config = TestS3Config(endpoint, "slatedb-test", "");
  s3::RequestSigner signer(config);  // keeps a reference to `config`
  HttpRequest put = signer.Build(
      "PUT", good->config().prefix + "k2", {}, {}, std::make_shared<const std::string>("tampered"),
      s3::HexLower(s3::Sha256Of(std::string_view("original"))), SystemClock().NowMillis());
  r = SendRaw(put);
  REQUIRE(r.ok());
  CHECK(r->status == 400);
  CHECK(r->body.find("XAmzContentSHA256Mismatch") != std::string::npos);

  // UNSIGNED-PAYLOAD (sign_payload = false) is a valid signature without the body's hash.
  S3Config unsigned_payload = TestS3Config(endpoint, "slatedb-test", good->config().prefix);
  unsigned_payload.sign_payload = false;
  SyncObjectStore lax(OpenTestS3StoreWith(unsigned_payload));
  REQUIRE(lax.Put("k3", "body").ok());
  CHECK(*lax.Get("k3") == "body");
}

TEST_CASE("s3 refusals name their cause: secret, key id, clock, bucket", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  const std::string prefix = UniqueS3Prefix("refusals");
  OpenTestS3Store(endpoint, prefix);  // creates the bucket

  S3Config wrong_secret = TestS3Config(endpoint, "slatedb-test", prefix);
  wrong_secret.credentials.secret_access_key = "not-the-secret";
  auto store = OpenTestS3StoreWith(wrong_secret);
  Result<std::string> got = SyncObjectStore(store).Get("k");
  INFO(got.status().ToString());
  CHECK(got.status().kind() == ErrorKind::kInvalid);
  CHECK(Contains(got.status(), "SignatureDoesNotMatch"));
  CHECK(Contains(got.status(), "AWS_SECRET_ACCESS_KEY"));
  CHECK_FALSE(Contains(got.status(), "not-the-secret"));
  Status probe = Probe(store);
  INFO(probe.ToString());
  CHECK(probe.kind() == ErrorKind::kInvalid);
  CHECK(Contains(probe, "AWS_SECRET_ACCESS_KEY"));
  CHECK_FALSE(Contains(probe, "rejected a create-if-absent"));

  S3Config wrong_key = TestS3Config(endpoint, "slatedb-test", prefix);
  wrong_key.credentials.access_key_id = "AKIDUNKNOWN";
  probe = Probe(OpenTestS3StoreWith(wrong_key));
  INFO(probe.ToString());
  CHECK(probe.kind() == ErrorKind::kInvalid);
  CHECK(Contains(probe, "AWS_ACCESS_KEY_ID"));

  S3Config config = TestS3Config(endpoint, "slatedb-test", prefix);
  probe = Probe(OpenTestS3StoreWith(config, std::make_shared<OffsetClock>(-3'600'000)));
  INFO(probe.ToString());
  CHECK(probe.kind() == ErrorKind::kInvalid);
  CHECK(Contains(probe, "RequestTimeTooSkewed"));
  CHECK(Contains(probe, "clock"));
  CHECK_FALSE(Contains(probe, "rejected a create-if-absent"));

  S3Config no_bucket = TestS3Config(endpoint, "no-such-bucket-here", "");
  probe = Probe(OpenTestS3StoreWith(no_bucket));
  INFO(probe.ToString());
  CHECK(probe.kind() == ErrorKind::kInvalid);
  CHECK(Contains(probe, "NoSuchBucket"));
  CHECK(Contains(probe, "the bucket does not exist"));
  CHECK_FALSE(Contains(probe, "rejected a create-if-absent"));
}

TEST_CASE("s3 probe: a refused connection is Unavailable, not a verdict on the store", "[s3]") {
  S3Config config;
  config.bucket = "b";
  config.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  config.allow_http = true;
  config.virtual_hosted_style = false;
  config.credentials = {"AKID", "SECRET", ""};
  Status probe = Probe(OpenTestS3StoreWith(config));
  INFO(probe.ToString());
  CHECK(probe.kind() == ErrorKind::kUnavailable);
  CHECK(Contains(probe, "checking conditional writes"));
  CHECK_FALSE(Contains(probe, "rejected a create-if-absent"));
}

TEST_CASE("s3 endpoint written with its default port (http://host:80) signs what is sent", "[s3]") {
  SLATEDB_S3_ENDPOINT_OR_SKIP(endpoint);
  std::optional<std::string> port80 = S3TestPort80Endpoint();
  if (!port80) {
    SLATEDB_S3_SKIP(
        "no verifying front end on port 80 (scripts/s3-test-server.sh starts one "
        "when run as root)");
  }
  REQUIRE(port80->substr(port80->size() - 3) == ":80");
  OpenTestS3Store(endpoint, UniqueS3Prefix("port80"));  // creates the bucket
  const std::string prefix = UniqueS3Prefix("port80");
  auto store = OpenTestS3StoreWith(TestS3Config(*port80, "slatedb-test", prefix));
  CHECK(Probe(store).ok());
  SyncObjectStore sync(store);
  REQUIRE(sync.Put("a b/=+%~\xc3\xa9", "v").ok());
  CHECK(*sync.Get("a b/=+%~\xc3\xa9") == "v");
  Result<std::vector<ObjectMeta>> listed = sync.List("");
  REQUIRE(listed.ok());
  CHECK(listed->size() == 1);

  // The control: the same request signed for "host:80", as the client did before, is
  // refused by the front end (it canonicalises the Host it receives as AWS does).
  std::string host = port80->substr(7);  // "127.x.y.z:80"
  s3::SigV4Input in;
  in.method = "GET";
  in.canonical_uri = "/slatedb-test";
  in.query = {{"list-type", "2"}};
  in.amz_date = s3::FormatAmzDate(SystemClock().NowMillis());
  in.headers = {{"host", host},
                {"x-amz-date", in.amz_date},
                {"x-amz-content-sha256", s3::kEmptyPayloadSha256}};
  in.payload_hash = s3::kEmptyPayloadSha256;
  in.region = "us-east-1";
  in.service = "s3";
  S3Credentials creds = S3TestCredentials();
  HttpRequest request;
  request.method = "GET";
  request.url = *port80 + "/slatedb-test?list-type=2";
  request.headers = in.headers;
  request.headers.emplace_back(
      "authorization", s3::SignV4(in, creds.access_key_id, creds.secret_access_key).authorization);
  Result<HttpResponse> r = SendRaw(request);
  REQUIRE(r.ok());
  CHECK(r->status == 403);
  CHECK(r->body.find("SignatureDoesNotMatch") != std::string::npos);
}

}  // namespace
}  // namespace slatedb::testing
