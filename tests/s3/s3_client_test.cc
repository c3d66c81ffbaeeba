// SPDX-License-Identifier: Apache-2.0
//
// The S3 client against a scripted transport (no server): which requests it builds for
// ranges and endpoints, and which Status it makes of the answers a strict server gives:
// 416 for range ends above 2^63-1, 403s of bad credentials or a skewed clock, a missing
// bucket, 5xx and refused connections during the conditional-write probe.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "s3/byte_range.h"
#include "s3/endpoint.h"
#include "s3/s3_request.h"
#include "slatedb/platform/s3_object_store.h"
#include "testutil/manual_clock.h"
#include "testutil/manual_executor.h"

namespace slatedb::s3 {
namespace {

using slatedb::testing::ManualClock;
using slatedb::testing::ManualExecutor;

// Answers each request at once with what `answer` returns, and keeps every request.
class ScriptedTransport : public HttpTransport {
 public:
  using Answer = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit ScriptedTransport(Answer answer) : answer_(std::move(answer)) {}
  void Send(HttpRequest request, Callback done) override {
    sent.push_back(request);
    done(answer_(request));
  }
  std::vector<HttpRequest> sent;

 private:
  Answer answer_;
};

HttpResponse Reply(int status, std::string body = "", HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string HeaderOf(const HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

std::string ErrorXml(std::string_view code, std::string_view message = "m") {
  return "<?xml version=\"1.0\"?><Error><Code>" + std::string(code) + "</Code><Message>" +
         std::string(message) + "</Message></Error>";
}

struct Harness {
  explicit Harness(ScriptedTransport::Answer answer, std::string endpoint = "http://s3.test:9000")
      : clock(std::make_shared<ManualClock>(1'700'000'000'000)),
        executor(std::make_shared<ManualExecutor>(clock)),
        transport(std::make_shared<ScriptedTransport>(std::move(answer))) {
    S3Config config;
    config.bucket = "bucket";
    config.endpoint = std::move(endpoint);
    config.allow_http = true;
    config.virtual_hosted_style = false;
    config.credentials = {"AKID", "SECRET", ""};
    store = *S3ObjectStore::Create(config, transport, executor, clock);
  }

  // Nothing may be left queued: a leftover task would hold the store (a leak under ASan)
  // and mean a request the test did not account for.
  ~Harness() {
    executor->RunUntilIdle();
    CHECK(executor->pending() == 0);
  }

  // Runs the executor, moving time on, until `done` is set.
  template <typename T>
  T Drive(std::optional<T>& done) {
    for (int i = 0; i < 1000 && !done; ++i) {
      executor->RunUntilIdle();
      if (!done) executor->AdvanceTime(50);
    }
    REQUIRE(done.has_value());
    return std::move(*done);
  }

  Result<std::string> GetRange(uint64_t offset, uint64_t length) {
    std::optional<Result<std::string>> out;
    store->GetRange("k", offset, length, [&](Result<std::string> r) { out = std::move(r); });
    return Drive(out);
  }

  Status Probe() {
    std::optional<Status> out;
    store->CheckConditionalWrites([&](Status s) { out = std::move(s); });
    return Drive(out);
  }

  std::shared_ptr<ManualClock> clock;
  std::shared_ptr<ManualExecutor> executor;
  std::shared_ptr<ScriptedTransport> transport;
  std::shared_ptr<S3ObjectStore> store;
};

TEST_CASE("range headers never carry a number above 2^63-1", "[s3]") {
  CHECK(RangeFor(0, 10).header == "bytes=0-9");
  CHECK(RangeFor(5, 1).header == "bytes=5-5");
  CHECK(RangeFor(0, UINT64_MAX).header == "bytes=0-");
  CHECK(RangeFor(99, UINT64_MAX).header == "bytes=99-");
  CHECK(RangeFor(0, kMaxRangeValue + 1).header == "bytes=0-9223372036854775807");
  CHECK(RangeFor(1, kMaxRangeValue + 1).header == "bytes=1-");
  CHECK(RangeFor(kMaxRangeValue, 1).header == "bytes=9223372036854775807-9223372036854775807");
  CHECK(RangeFor(kMaxRangeValue + 1, 1).header.empty());
  CHECK(RangeFor(UINT64_MAX, 1).header.empty());
  CHECK(RangeFor(10, 0).header.empty());
}

TEST_CASE("a 206 must start where the range asked", "[s3]") {
  CHECK(CheckContentRange("bytes 10-19/100", 10).ok());
  CHECK(CheckContentRange("", 10).ok());
  CHECK(CheckContentRange("bytes */100", 10).ok());
  CHECK(CheckContentRange("bytes 0-19/100", 10).kind() == ErrorKind::kInvalid);
}

TEST_CASE("GetRange against a server that refuses huge range ends", "[s3]") {
  const std::string data = "0123456789";
  // Like SeaweedFS: any number above 2^63-1 in Range is a 416; ranges starting at or past
  // the end are 416 too.
  Harness h([&](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.method == "HEAD") {
      return Reply(200, "", {{"content-length", std::to_string(data.size())}, {"etag", "\"e\""}});
    }
    std::string range = HeaderOf(r, "range");
    REQUIRE(range.rfind("bytes=", 0) == 0);
    std::string spec = range.substr(6);
    size_t dash = spec.find('-');
    unsigned long long first = std::stoull(spec.substr(0, dash));
    std::string last_text = spec.substr(dash + 1);
    if (first > kMaxRangeValue || (!last_text.empty() && std::stoull(last_text) > kMaxRangeValue) ||
        first >= data.size()) {
      return Reply(416, ErrorXml("InvalidRange"));
    }
    unsigned long long last =
        last_text.empty() ? data.size() - 1
                          : std::min<unsigned long long>(std::stoull(last_text), data.size() - 1);
    return Reply(206, data.substr(first, last - first + 1),
                 {{"content-range", "bytes " + std::to_string(first) + "-" + std::to_string(last) +
                                        "/" + std::to_string(data.size())}});
  });
  CHECK(*h.GetRange(0, UINT64_MAX) == data);
  CHECK(HeaderOf(h.transport->sent.back(), "range") == "bytes=0-");
  CHECK(*h.GetRange(7, UINT64_MAX) == "789");
  CHECK(*h.GetRange(2, 3) == "234");
  CHECK(*h.GetRange(10, 5) == "");  // at the end: 416, then the HEAD says empty
  CHECK(h.GetRange(11, 1).status().kind() == ErrorKind::kInvalid);
  size_t before = h.transport->sent.size();
  CHECK(h.GetRange(UINT64_MAX, 1).status().kind() == ErrorKind::kInvalid);
  REQUIRE(h.transport->sent.size() == before + 1);  // no GET with an unsendable range
  CHECK(h.transport->sent.back().method == "HEAD");
}

TEST_CASE("a 416 for a range inside the object is an error, never empty data", "[s3]") {
  Harness h([](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.method == "HEAD") return Reply(200, "", {{"content-length", "100"}});
    return Reply(416, ErrorXml("InvalidRange", "The requested range is not satisfiable"));
  });
  Result<std::string> got = h.GetRange(0, 10);
  INFO(got.status().ToString());
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().kind() == ErrorKind::kInvalid);
  CHECK(got.status().message().find("refused the range although the object has 100 bytes") !=
        std::string::npos);
}

TEST_CASE("a 206 from the wrong offset is not handed out as the range", "[s3]") {
  Harness h([](const HttpRequest&) -> Result<HttpResponse> {
    return Reply(206, "0123", {{"content-range", "bytes 0-3/100"}});
  });
  CHECK(h.GetRange(10, 4).status().kind() == ErrorKind::kInvalid);
}

TEST_CASE("endpoints: one canonical host for signing and sending", "[s3]") {
  struct Case {
    const char* url;
    const char* host_port;
  };
  for (const Case& c : {Case{"http://host:80", "host"}, Case{"https://host:443", "host"},
                        Case{"http://host:443", "host:443"}, Case{"https://host:80", "host:80"},
                        Case{"HTTP://Example.COM:0080/", "example.com"},
                        Case{"http://127.0.0.1:9000", "127.0.0.1:9000"},
                        Case{"http://[::1]:80", "[::1]"}, Case{"http://[::1]:9000", "[::1]:9000"},
                        Case{"https://s3.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"}}) {
    INFO(c.url);
    Result<Endpoint> ep = ParseEndpoint(c.url);
    REQUIRE(ep.ok());
    CHECK(ep->host_port == c.host_port);
  }
  for (const char* bad : {"http://host:", "http://host:0", "http://host:65536", "http://host:8x",
                          "http://:80", "http://[::1", "http://[::1]x", "http://host/path"}) {
    INFO(bad);
    CHECK(ParseEndpoint(bad).status().kind() == ErrorKind::kInvalid);
  }

  // The Host header, the URL and the signature all use the canonical form.
  S3Config config;
  config.bucket = "bucket";
  config.endpoint = "http://Store.Local:80";
  config.allow_http = true;
  config.virtual_hosted_style = false;
  config.credentials = {"AKID", "SECRET", ""};
  REQUIRE(config.Validate().ok());
  RequestSigner signer(config);
  HttpRequest r = signer.Build("GET", "k", {}, {}, nullptr, kEmptyPayloadSha256, 0);
  CHECK(r.url == "http://store.local/bucket/k");
  CHECK(HeaderOf(r, "host") == "store.local");

  config.endpoint = "https://store.local:443";
  config.virtual_hosted_style = true;
  RequestSigner vhost(config);
  r = vhost.Build("GET", "k", {}, {}, nullptr, kEmptyPayloadSha256, 0);
  CHECK(r.url == "https://bucket.store.local/k");
  CHECK(HeaderOf(r, "host") == "bucket.store.local");
}

TEST_CASE("s3 store sends each call once: a transient failure comes back as Unavailable", "[s3]") {
  Harness h([](const HttpRequest&) { return Reply(503, ErrorXml("SlowDown")); });
  std::optional<Result<std::string>> got;
  h.store->Get("k", [&](Result<std::string> r) { got = std::move(r); });
  Result<std::string> r = h.Drive(got);
  INFO(r.status().ToString());
  CHECK(r.status().kind() == ErrorKind::kUnavailable);
  CHECK(r.status().message().find("SlowDown") != std::string::npos);
  CHECK(h.transport->sent.size() == 1);
}

// The probe's verdicts: a first PUT answered `first`, everything else as a healthy store.
Status ProbeWith(std::function<Result<HttpResponse>(const HttpRequest&)> first_put) {
  // Every PUT goes through `first_put` until it answers 2xx; then the store behaves.
  bool first = true;
  Harness h([&](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.method == "PUT" && first) {
      Result<HttpResponse> answer = first_put(r);
      if (answer.ok() && answer->status / 100 == 2) first = false;
      return answer;
    }
    if (r.method == "PUT") return Reply(412, ErrorXml("PreconditionFailed"));
    if (r.method == "HEAD") return Reply(200, "", {{"content-length", "5"}});
    return Reply(204);
  });
  return h.Probe();
}

TEST_CASE("probe failures keep their kind; only a refused header means no conditional writes",
          "[s3]") {
  const std::string no_conditional = "rejected a create-if-absent PUT";

  Status ok = ProbeWith([](const HttpRequest&) { return Reply(200); });
  CHECK(ok.ok());

  Status refused = ProbeWith([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::Unavailable("http: PUT http://s3.test:9000/...: Connection refused");
  });
  INFO(refused.ToString());
  CHECK(refused.kind() == ErrorKind::kUnavailable);
  CHECK(refused.message().find(no_conditional) == std::string::npos);
  CHECK(refused.message().find("checking conditional writes") != std::string::npos);
  // Sent once: retrying is the engine's retrying layer's job, never the S3 store's.
  CHECK(refused.message().find("attempts") == std::string::npos);

  Status server =
      ProbeWith([](const HttpRequest&) { return Reply(500, ErrorXml("InternalError")); });
  INFO(server.ToString());
  CHECK(server.kind() == ErrorKind::kUnavailable);
  CHECK(server.message().find(no_conditional) == std::string::npos);

  Status secret =
      ProbeWith([](const HttpRequest&) { return Reply(403, ErrorXml("SignatureDoesNotMatch")); });
  INFO(secret.ToString());
  CHECK(secret.kind() == ErrorKind::kInvalid);
  CHECK(secret.message().find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
  CHECK(secret.message().find(no_conditional) == std::string::npos);

  Status key =
      ProbeWith([](const HttpRequest&) { return Reply(403, ErrorXml("InvalidAccessKeyId")); });
  CHECK(key.kind() == ErrorKind::kInvalid);
  CHECK(key.message().find("AWS_ACCESS_KEY_ID") != std::string::npos);

  Status skew =
      ProbeWith([](const HttpRequest&) { return Reply(403, ErrorXml("RequestTimeTooSkewed")); });
  CHECK(skew.kind() == ErrorKind::kInvalid);
  CHECK(skew.message().find("clock") != std::string::npos);
  CHECK(skew.message().find(no_conditional) == std::string::npos);

  Status bucket = ProbeWith(
      [](const HttpRequest&) { return Reply(404, ErrorXml("NoSuchBucket", "no bucket")); });
  INFO(bucket.ToString());
  CHECK(bucket.kind() == ErrorKind::kInvalid);
  CHECK(bucket.message().find("the bucket does not exist") != std::string::npos);
  CHECK(bucket.message().find(no_conditional) == std::string::npos);

  for (auto answer :
       {Reply(501, ErrorXml("NotImplemented")), Reply(400, ErrorXml("NotImplemented")),
        Reply(400, ErrorXml("InvalidArgument"))}) {
    Status no_header = ProbeWith([&](const HttpRequest&) { return answer; });
    INFO(no_header.ToString());
    CHECK(no_header.kind() == ErrorKind::kInvalid);
    CHECK(no_header.message().find(no_conditional) != std::string::npos);
  }
}

TEST_CASE("probe: a store that ignores If-None-Match is refused", "[s3]") {
  Harness h([](const HttpRequest& r) -> Result<HttpResponse> {
    return Reply(r.method == "DELETE" ? 204 : 200);
  });
  Status s = h.Probe();
  CHECK(s.kind() == ErrorKind::kInvalid);
  CHECK(s.message().find("ignores If-None-Match") != std::string::npos);
  CHECK(h.transport->sent.back().method == "DELETE");  // cleans up after itself
}

}  // namespace
}  // namespace slatedb::s3
