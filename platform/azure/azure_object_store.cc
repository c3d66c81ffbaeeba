// SPDX-License-Identifier: Apache-2.0
//
// AzureBlobObjectStore: each ObjectStore call becomes one Call (an authorized request) sent
// through the transport, once; follow-up requests (the HEAD after a conditional-put
// conflict, a range settled from the size, List Blobs pages) are chained from completions.
#include "slatedb/platform/azure_object_store.h"

#include <algorithm>
#include <random>
#include <utility>

#include "azure/list_blobs.h"
#include "azure/shared_key.h"
#include "s3/byte_range.h"
#include "s3/conditional_put.h"
#include "s3/sha256.h"
#include "s3/time_format.h"

namespace slatedb {
namespace {

// Azure metadata names are C# identifiers: no '-' inside.
constexpr char kPutIdHeader[] = "x-ms-meta-slatedbputid";

using s3::IsSuccess;
using s3::MetaFromHeaders;

}  // namespace

struct AzureBlobObjectStore::Call {
  StoreOp op;
  std::string method;
  std::string blob;  // full name (prefix included); empty for container-level calls
  s3::NameValues query;
  HttpHeaders headers;
  std::shared_ptr<const std::string> body;
  std::function<void(Result<HttpResponse>)> done;
};

struct AzureBlobObjectStore::ListState {
  std::string prefix;       // full prefix
  std::string start_after;  // full name, or empty
  std::string marker;
  std::vector<ObjectMeta> objects;
  Callback<std::vector<ObjectMeta>> done;
};

Result<std::shared_ptr<AzureBlobObjectStore>> AzureBlobObjectStore::Create(
    AzureConfig config, std::shared_ptr<HttpTransport> transport,
    std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock) {
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  if (!transport || !executor || !clock) {
    return Status::Invalid("azure: a transport, an executor and a clock are required");
  }
  return std::shared_ptr<AzureBlobObjectStore>(new AzureBlobObjectStore(
      std::move(config), std::move(transport), std::move(executor), std::move(clock)));
}

AzureBlobObjectStore::AzureBlobObjectStore(AzureConfig config,
                                           std::shared_ptr<HttpTransport> transport,
                                           std::shared_ptr<Executor> executor,
                                           std::shared_ptr<Clock> clock)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      executor_(std::move(executor)),
      clock_(std::move(clock)) {
  builder_ = std::make_unique<azure::RequestBuilder>(config_);
  std::random_device device;
  random_state_.store((uint64_t{device()} << 32) ^ device() ^
                      static_cast<uint64_t>(clock_->NowMillis()));
}

AzureBlobObjectStore::~AzureBlobObjectStore() = default;

std::string AzureBlobObjectStore::Describe() const {
  return "az://" + config_.container + "/" + config_.prefix;
}

std::string AzureBlobObjectStore::NewPutId() {
  // A Weyl sequence through a 64-bit mixer: distinct per call, unpredictable across processes.
  uint64_t words[2];
  for (uint64_t& w : words) {
    uint64_t x = random_state_.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    w = x ^ (x >> 31);
  }
  return s3::HexLower(reinterpret_cast<const uint8_t*>(words), sizeof(words));
}

std::shared_ptr<AzureBlobObjectStore::Call> AzureBlobObjectStore::NewCall(StoreOp op,
                                                                          std::string method,
                                                                          std::string blob) {
  auto call = std::make_shared<Call>();
  call->op = op;
  call->method = std::move(method);
  call->blob = std::move(blob);
  return call;
}

void AzureBlobObjectStore::Start(std::shared_ptr<Call> call) {
  counter_.Add(call->op);
  HttpRequest request = builder_->Build(call->method, call->blob, call->query, call->headers,
                                        call->body, clock_->NowMillis());
  std::shared_ptr<AzureBlobObjectStore> self = shared_from_this();
  transport_->Send(std::move(request), [self = std::move(self), call = std::move(call)](
                                           Result<HttpResponse> response) mutable {
    // Continue on the executor, which holds its own reference while Post returns (see
    // S3ObjectStore::Start for why).
    // Transport errors name the URL, which carries a SAS token's signature: never repeat it.
    if (!response.ok()) {
      response = Status::Unavailable(azure::RedactSasSignature(response.status().message()));
    }
    std::shared_ptr<Executor> executor = self->executor_;
    executor->Post([self = std::move(self), call = std::move(call),
                    response = std::move(response)]() mutable { call->done(std::move(response)); });
  });
}

void AzureBlobObjectStore::Get(const std::string& key, Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kGet, "GET", config_.prefix + key);
  std::string what = "GET " + builder_->Describe(call->blob);
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(std::move(r->body));
    done(azure::StatusFromAzureResponse(what, *r));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                                    Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  // A range the server did not serve is settled from the blob's size: empty at the end,
  // Invalid past it, and an error (never empty data) for a refused range inside the blob.
  auto from_head = [self = shared_from_this(), key, offset](std::string refused,
                                                            Callback<std::string> done) {
    self->HeadInternal(key, [key, offset, refused, done = std::move(done)](Result<ObjectMeta> m) {
      if (!m.ok()) return done(m.status());
      done(s3::RangeFromSize("azure", key, offset, m->size_bytes, refused));
    });
  };
  s3::ByteRange range = s3::RangeFor(offset, length);
  if (range.header.empty()) return from_head("", std::move(done));

  auto call = NewCall(StoreOp::kGetRange, "GET", config_.prefix + key);
  call->headers.emplace_back("range", range.header);
  std::string what = "GET " + builder_->Describe(call->blob) + " " + range.header;
  call->done = [what, offset, length, from_head,
                done = std::move(done)](Result<HttpResponse> r) mutable {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (auto served = s3::RangeFromResponse(*r, offset, length, what)) {
      return done(std::move(*served));
    }
    if (r->status == 416) return from_head(what + ": HTTP 416", std::move(done));
    done(azure::StatusFromAzureResponse(what, *r));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  HeadInternal(key, std::move(done));
}

void AzureBlobObjectStore::HeadInternal(const std::string& key, Callback<ObjectMeta> done) {
  auto call = NewCall(StoreOp::kHead, "HEAD", config_.prefix + key);
  std::string what = "HEAD " + builder_->Describe(call->blob);
  call->done = [what, key, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(MetaFromHeaders(key, *r));
    done(azure::StatusFromAzureResponse(what, *r));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::Put(const std::string& key, std::string data,
                               const ObjectPutOptions& options, Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kPut, "PUT", config_.prefix + key);
  const std::string put_id = NewPutId();
  const uint64_t size = data.size();
  call->body = std::make_shared<const std::string>(std::move(data));
  call->headers.emplace_back("content-type", "application/octet-stream");
  call->headers.emplace_back("x-ms-blob-type", "BlockBlob");
  call->headers.emplace_back(kPutIdHeader, put_id);
  const PutMode mode = options.mode;
  if (mode == PutMode::kCreateIfAbsent) {
    call->headers.emplace_back("if-none-match", "*");
  } else if (mode == PutMode::kReplaceIfVersionMatches) {
    call->headers.emplace_back("if-match", options.expected_version);
  }
  std::string what = "PUT " + builder_->Describe(call->blob);
  call->done = [self = shared_from_this(), what, key, size, put_id, mode,
                done = std::move(done)](Result<HttpResponse> r) mutable {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) {
      ObjectMeta meta;
      meta.key = key;
      meta.size_bytes = size;
      meta.version = std::string(r->Header("etag"));
      meta.last_modified_ms =
          s3::ParseHttpDateMs(r->Header("last-modified")).value_or(self->clock_->NowMillis());
      return done(std::move(meta));
    }
    // A create-if-absent that met a blob: 409 BlobAlreadyExists (Azure) or 412.
    bool conflict =
        r->status == 412 || (r->status == 409 && azure::AzureErrorCode(*r) == "BlobAlreadyExists");
    if (!conflict || mode == PutMode::kOverwrite) {
      return done(azure::StatusFromAzureResponse(what, *r));
    }
    // Someone else's blob, or this very request landing twice (libcurl resends a request
    // whose reused connection closed unanswered): the put id in the metadata tells.
    auto head = self->NewCall(StoreOp::kHead, "HEAD", self->config_.prefix + key);
    head->done = [self, what, key, put_id, mode,
                  done = std::move(done)](Result<HttpResponse> h) mutable {
      if (!h.ok()) return done(h.status().WithContext(what + " (checking a conflict)"));
      bool recovered = false;
      Result<ObjectMeta> verdict = s3::SettlePutConflict(
          what, key, mode, kPutIdHeader, put_id, *h,
          [&what](const HttpResponse& r) { return azure::StatusFromAzureResponse(what, r); },
          &recovered);
      if (recovered) self->recovered_puts_.fetch_add(1, std::memory_order_relaxed);
      done(std::move(verdict));
    };
    self->Start(std::move(head));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::List(const std::string& prefix, const std::string& start_after,
                                Callback<std::vector<ObjectMeta>> done) {
  auto state = std::make_shared<ListState>();
  state->prefix = config_.prefix + prefix;
  if (!start_after.empty()) state->start_after = config_.prefix + start_after;
  state->done = std::move(done);
  ListPage(std::move(state));
}

void AzureBlobObjectStore::ListPage(std::shared_ptr<ListState> state) {
  auto call = NewCall(StoreOp::kList, "GET", "");
  call->query.emplace_back("restype", "container");
  call->query.emplace_back("comp", "list");
  if (!state->prefix.empty()) call->query.emplace_back("prefix", state->prefix);
  if (!state->marker.empty()) call->query.emplace_back("marker", state->marker);
  std::string what = "LIST " + builder_->Describe(state->prefix);
  call->done = [self = shared_from_this(), what, state](Result<HttpResponse> r) mutable {
    if (!r.ok()) return state->done(r.status().WithContext(what));
    if (!IsSuccess(r->status)) return state->done(azure::StatusFromAzureResponse(what, *r));
    Result<azure::ListPage> page = azure::ParseListBlobs(r->body);
    if (!page.ok()) return state->done(page.status().WithContext(what));
    const std::string& root = self->config_.prefix;
    for (ObjectMeta& meta : page->objects) {
      if (meta.key.compare(0, state->prefix.size(), state->prefix) != 0) continue;
      if (!state->start_after.empty() && meta.key <= state->start_after) continue;
      meta.key.erase(0, root.size());
      state->objects.push_back(std::move(meta));
    }
    if (!page->next_marker.empty()) {
      state->marker = page->next_marker;
      return self->ListPage(std::move(state));
    }
    // Azure lists in its own collation; the contract is byte order.
    std::sort(state->objects.begin(), state->objects.end(),
              [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
    state->done(std::move(state->objects));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::Delete(const std::string& key, StatusCallback done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  auto call = NewCall(StoreOp::kDelete, "DELETE", config_.prefix + key);
  std::string what = "DELETE " + builder_->Describe(call->blob);
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(Status::Ok());
    Status failed = azure::StatusFromAzureResponse(what, *r);
    done(failed.IsNotFound() ? Status::Ok() : failed);
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::CreateContainer(StatusCallback done) {
  auto call = NewCall(StoreOp::kPut, "PUT", "");
  call->query.emplace_back("restype", "container");
  std::string what = "CREATE CONTAINER " + builder_->Describe("");
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status) || azure::AzureErrorCode(*r) == "ContainerAlreadyExists") {
      return done(Status::Ok());
    }
    done(azure::StatusFromAzureResponse(what, *r));
  };
  Start(std::move(call));
}

void AzureBlobObjectStore::CheckAccess(StatusCallback done) {
  auto call = NewCall(StoreOp::kList, "GET", "");
  call->query.emplace_back("restype", "container");
  call->query.emplace_back("comp", "list");
  call->query.emplace_back("maxresults", "1");
  if (!config_.prefix.empty()) call->query.emplace_back("prefix", config_.prefix);
  std::string what = "azure: checking access to " + config_.Describe();
  call->done = [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(Status::Ok());
    done(azure::StatusFromAzureResponse(what, *r));
  };
  Start(std::move(call));
}

}  // namespace slatedb
