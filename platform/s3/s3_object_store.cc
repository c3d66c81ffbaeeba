// SPDX-License-Identifier: Apache-2.0
//
// S3ObjectStore: each ObjectStore call becomes one Call (a signed request) sent through the
// transport, once: retries belong to the engine's RetryingObjectStore, which wraps every
// store. The conditional-put check and the range edge cases are follow-up requests chained
// from a Call's completion.
#include "slatedb/platform/s3_object_store.h"

#include <algorithm>
#include <random>
#include <utility>

#include "s3/byte_range.h"
#include "s3/list_objects.h"
#include "s3/s3_errors.h"
#include "s3/s3_request.h"
#include "s3/sha256.h"
#include "s3/time_format.h"

namespace slatedb {
namespace {

constexpr char kPutIdHeader[] = "x-amz-meta-slatedb-put-id";

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

ObjectMeta MetaFromHeaders(const std::string& key, const HttpResponse& r) {
  ObjectMeta meta;
  meta.key = key;
  meta.size_bytes = std::strtoull(std::string(r.Header("content-length")).c_str(), nullptr, 10);
  meta.last_modified_ms = s3::ParseHttpDateMs(r.Header("last-modified")).value_or(0);
  meta.version = std::string(r.Header("etag"));
  return meta;
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

}  // namespace

// One request.
struct S3ObjectStore::Call {
  StoreOp op;
  std::string method;
  std::string key;  // full key (prefix included); empty for List
  s3::NameValues query;
  HttpHeaders headers;
  std::shared_ptr<const std::string> body;
  std::string payload_hash = s3::kEmptyPayloadSha256;
  // Runs once with the response (or the transport's error).
  std::function<void(Result<HttpResponse>)> done;
};

struct S3ObjectStore::ListState {
  std::string prefix;       // full prefix
  std::string start_after;  // full key, or empty
  std::string token;
  std::vector<ObjectMeta> objects;
  Callback<std::vector<ObjectMeta>> done;
};

Result<std::shared_ptr<S3ObjectStore>> S3ObjectStore::Create(
    S3Config config, std::shared_ptr<HttpTransport> transport, std::shared_ptr<Executor> executor,
    std::shared_ptr<Clock> clock) {
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  if (!transport || !executor || !clock) {
    return Status::Invalid("s3: a transport, an executor and a clock are required");
  }
  return std::shared_ptr<S3ObjectStore>(new S3ObjectStore(std::move(config), std::move(transport),
                                                          std::move(executor), std::move(clock)));
}

S3ObjectStore::S3ObjectStore(S3Config config, std::shared_ptr<HttpTransport> transport,
                             std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      executor_(std::move(executor)),
      clock_(std::move(clock)) {
  signer_ = std::make_unique<s3::RequestSigner>(config_);
  std::random_device device;
  uint64_t seed = (uint64_t{device()} << 32) ^ device();
  random_state_.store(seed ^ static_cast<uint64_t>(clock_->NowMillis()));
}

S3ObjectStore::~S3ObjectStore() = default;

std::string S3ObjectStore::Describe() const {
  return "s3://" + config_.bucket + "/" + config_.prefix;
}

uint64_t S3ObjectStore::NextRandom() {
  return SplitMix64(random_state_.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed));
}

std::string S3ObjectStore::NewPutId() {
  uint64_t words[2] = {NextRandom(), NextRandom()};
  return s3::HexLower(reinterpret_cast<const uint8_t*>(words), sizeof(words));
}

std::shared_ptr<S3ObjectStore::Call> S3ObjectStore::NewCall(StoreOp op, std::string method,
                                                            std::string key) {
  auto call = std::make_shared<Call>();
  call->op = op;
  call->method = std::move(method);
  call->key = std::move(key);
  return call;
}

void S3ObjectStore::Start(std::shared_ptr<Call> call) {
  counter_.Add(call->op);
  HttpRequest request = signer_->Build(call->method, call->key, call->query, call->headers,
                                       call->body, call->payload_hash, clock_->NowMillis());
  std::shared_ptr<S3ObjectStore> self = shared_from_this();
  transport_->Send(std::move(request), [self = std::move(self), call = std::move(call)](
                                           Result<HttpResponse> response) mutable {
    // Continue on the executor: the transport's thread only moves bytes. Everything is
    // moved into the posted function so the last reference to the store never dies on
    // that thread. The executor gets its own reference for the length of Post: once
    // `self` is moved in, a worker may finish the call and the store's owner drop the
    // store, and with it the executor, while Post is still returning (ThreadSanitizer
    // caught the pool's condition variable destroyed under a notify).
    std::shared_ptr<Executor> executor = self->executor_;
    executor->Post(
        [self = std::move(self), call = std::move(call), response = std::move(response)]() mutable {
          self->OnResponse(std::move(call), std::move(response));
        });
  });
}

void S3ObjectStore::OnResponse(std::shared_ptr<Call> call, Result<HttpResponse> response) {
  call->done(std::move(response));
}

void S3ObjectStore::Get(const std::string& key, Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kGet, "GET", config_.prefix + key);
  std::string what = "GET " + signer_->Describe(call->key);
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(std::move(r->body));
    done(s3::StatusFromResponse(what, *r));
  };
  Start(std::move(call));
}

void S3ObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                             Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  // A range the server did not serve is settled from the object's size.
  auto from_head = [self = shared_from_this(), key, offset](std::string refused,
                                                            Callback<std::string> done) {
    self->HeadInternal(
        key, [key, offset, refused, done = std::move(done)](Result<ObjectMeta> meta) {
          if (!meta.ok()) return done(meta.status());
          done(s3::SettleRangeFromSize("s3", key, offset, meta->size_bytes, refused));
        });
  };
  s3::ByteRange range = s3::RangeFor(offset, length);
  if (range.header.empty()) return from_head("", std::move(done));

  auto call = NewCall(StoreOp::kGetRange, "GET", config_.prefix + key);
  call->headers.emplace_back("range", range.header);
  std::string what = "GET " + signer_->Describe(call->key) + " " + range.header;
  call->done = [what, offset, length, from_head,
                done = std::move(done)](Result<HttpResponse> r) mutable {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (auto served = s3::RangeFromResponse(&*r, offset, length, "s3", what)) {
      return done(std::move(*served));
    }
    if (r->status == 416) return from_head(what + ": HTTP 416", std::move(done));
    done(s3::StatusFromResponse(what, *r));
  };
  Start(std::move(call));
}

void S3ObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  HeadInternal(key, std::move(done));
}

void S3ObjectStore::HeadInternal(const std::string& key, Callback<ObjectMeta> done) {
  auto call = NewCall(StoreOp::kHead, "HEAD", config_.prefix + key);
  std::string what = "HEAD " + signer_->Describe(call->key);
  call->done = [what, key, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(MetaFromHeaders(key, *r));
    done(s3::StatusFromResponse(what, *r));
  };
  Start(std::move(call));
}

void S3ObjectStore::Put(const std::string& key, std::string data, const ObjectPutOptions& options,
                        Callback<ObjectMeta> done) {
  PutInternal(key, std::move(data), options, nullptr, std::move(done));
}

void S3ObjectStore::PutInternal(const std::string& key, std::string data,
                                const ObjectPutOptions& options, ErrorClassifier classify,
                                Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kPut, "PUT", config_.prefix + key);
  const std::string put_id = NewPutId();
  const uint64_t size = data.size();
  call->body = std::make_shared<const std::string>(std::move(data));
  call->payload_hash =
      config_.sign_payload ? s3::HexLower(s3::Sha256Of(*call->body)) : "UNSIGNED-PAYLOAD";
  call->headers.emplace_back(kPutIdHeader, put_id);
  const PutMode mode = options.mode;
  if (mode == PutMode::kCreateIfAbsent) {
    call->headers.emplace_back("if-none-match", "*");
  } else if (mode == PutMode::kReplaceIfVersionMatches) {
    call->headers.emplace_back("if-match", options.expected_version);
  }
  std::string what = "PUT " + signer_->Describe(call->key);
  call->done = [self = shared_from_this(), what, key, size, put_id, mode,
                classify = std::move(classify),
                done = std::move(done)](Result<HttpResponse> r) mutable {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) {
      ObjectMeta meta;
      meta.key = key;
      meta.size_bytes = size;
      meta.version = std::string(r->Header("etag"));
      meta.last_modified_ms =
          s3::ParseHttpDateMs(r->Header("date")).value_or(self->clock_->NowMillis());
      return done(std::move(meta));
    }
    if (r->status != 412 || mode == PutMode::kOverwrite) {
      Status failed = s3::StatusFromResponse(what, *r);
      return done(classify ? classify(*r, std::move(failed)) : failed);
    }
    // 412: someone else's object, or this very request landing twice (or, for If-Match, no
    // object at all). The put id in the object's metadata tells: libcurl silently resends a
    // request whose reused connection closed without an answer, so one request may reach
    // the server twice. An earlier call's object (a retry by the engine's retrying layer
    // carries a new put id) is that layer's to recognise, by reading the object back.
    auto head = self->NewCall(StoreOp::kHead, "HEAD", self->config_.prefix + key);
    head->done = [self, what, key, put_id, mode,
                  done = std::move(done)](Result<HttpResponse> h) mutable {
      if (!h.ok()) return done(h.status().WithContext(what + " (checking a 412)"));
      if (h->status == 404) {
        if (mode == PutMode::kReplaceIfVersionMatches) {
          return done(Status::NotFound(what + ": no object to replace"));
        }
        // Created and deleted again since: still someone else's doing.
        return done(Status::AlreadyExists(what + ": the object existed"));
      }
      if (!IsSuccess(h->status)) return done(s3::StatusFromResponse(what, *h));
      if (h->Header(kPutIdHeader) == put_id) {
        self->recovered_puts_.fetch_add(1, std::memory_order_relaxed);
        return done(MetaFromHeaders(key, *h));
      }
      if (mode == PutMode::kCreateIfAbsent) {
        return done(Status::AlreadyExists(what + ": the object exists"));
      }
      done(Status::VersionMismatch(what + ": the object is at version " +
                                   std::string(h->Header("etag"))));
    };
    self->Start(std::move(head));
  };
  Start(std::move(call));
}

void S3ObjectStore::List(const std::string& prefix, const std::string& start_after,
                         Callback<std::vector<ObjectMeta>> done) {
  auto state = std::make_shared<ListState>();
  state->prefix = config_.prefix + prefix;
  if (!start_after.empty()) state->start_after = config_.prefix + start_after;
  state->done = std::move(done);
  ListPage(std::move(state));
}

void S3ObjectStore::ListPage(std::shared_ptr<ListState> state) {
  auto call = NewCall(StoreOp::kList, "GET", "");
  call->query.emplace_back("list-type", "2");
  call->query.emplace_back("encoding-type", "url");
  if (!state->prefix.empty()) call->query.emplace_back("prefix", state->prefix);
  if (!state->token.empty()) {
    call->query.emplace_back("continuation-token", state->token);
  } else if (!state->start_after.empty()) {
    call->query.emplace_back("start-after", state->start_after);
  }
  std::string what = "LIST " + signer_->Describe(state->prefix);
  call->done = [self = shared_from_this(), what, state](Result<HttpResponse> r) mutable {
    if (!r.ok()) return state->done(r.status().WithContext(what));
    if (!IsSuccess(r->status)) return state->done(s3::StatusFromResponse(what, *r));
    Result<s3::ListPage> page = s3::ParseListObjectsV2(r->body);
    if (!page.ok()) return state->done(page.status().WithContext(what));
    const std::string& root = self->config_.prefix;
    for (ObjectMeta& meta : page->objects) {
      // Only keys under our prefix and after start_after count, whatever the server sent.
      if (meta.key.compare(0, state->prefix.size(), state->prefix) != 0) continue;
      if (!state->start_after.empty() && meta.key <= state->start_after) continue;
      meta.key.erase(0, root.size());
      state->objects.push_back(std::move(meta));
    }
    if (page->truncated) {
      state->token = page->next_continuation_token;
      return self->ListPage(std::move(state));
    }
    // S3 lists in UTF-8 binary order already; sorting keeps the contract for stores that
    // order differently.
    std::sort(state->objects.begin(), state->objects.end(),
              [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
    state->done(std::move(state->objects));
  };
  Start(std::move(call));
}

void S3ObjectStore::Delete(const std::string& key, StatusCallback done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kDelete, "DELETE", config_.prefix + key);
  std::string what = "DELETE " + signer_->Describe(call->key);
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status) || r->status == 404) return done(Status::Ok());
    done(s3::StatusFromResponse(what, *r));
  };
  Start(std::move(call));
}

void S3ObjectStore::CheckConditionalWrites(StatusCallback done) {
  const std::string key = ".slatedb-probe/" + NewPutId();
  ObjectPutOptions create;
  create.mode = PutMode::kCreateIfAbsent;
  auto self = shared_from_this();
  const std::string checking = "s3: checking conditional writes on " + Describe();
  // Only a refusal of the header itself means "no conditional writes": 501 (not
  // implemented) or a 400 naming it. Everything else keeps its own kind and words: network
  // failures and 5xx are Unavailable, a 403 names the credentials or the clock, a missing
  // bucket names the bucket (s3_errors.cc).
  ErrorClassifier classify = [self](const HttpResponse& response, Status failed) {
    std::string code = s3::ParseS3Error(response.body).code;
    bool header_refused =
        response.status == 501 ||
        (response.status == 400 &&
         (code == "NotImplemented" || code == "InvalidArgument" || code == "InvalidRequest"));
    if (!header_refused) return failed;
    return Status::Invalid("s3: " + self->Describe() +
                           " rejected a create-if-absent PUT (If-None-Match: *), so it has no "
                           "conditional writes; SlateDB needs them for manifest updates and "
                           "writer fencing: " +
                           failed.message());
  };
  PutInternal(
      key, "probe", create, classify,
      [self, key, create, checking, done = std::move(done)](Result<ObjectMeta> first) {
        if (!first.ok()) return done(first.status().WithContext(checking));
        self->Put(key, "probe", create, [self, key, checking, done](Result<ObjectMeta> second) {
          Status verdict;
          if (second.ok()) {
            verdict = Status::Invalid(
                "s3: " + self->Describe() +
                " ignores If-None-Match: * (a second create-if-absent PUT succeeded). SlateDB "
                "needs conditional writes for manifest updates and writer fencing; refusing to "
                "write to a store that would let two writers overwrite each other");
          } else if (!second.status().IsAlreadyExists()) {
            verdict = second.status().WithContext(checking);
          }
          self->Delete(key, [verdict, done](Status) { done(verdict); });
        });
      });
}

}  // namespace slatedb
