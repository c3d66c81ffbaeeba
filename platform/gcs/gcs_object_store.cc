// SPDX-License-Identifier: Apache-2.0
//
// GcsObjectStore: each call is one JSON-API request, sent once with a bearer token from
// the TokenSource (or none, for an emulator). Range edge cases settle with a metadata GET,
// as the S3 store's do with a HEAD.
#include "slatedb/platform/gcs_object_store.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "gcs/token_source.h"
#include "s3/byte_range.h"
#include "s3/time_format.h"
#include "s3/uri.h"

namespace slatedb {
namespace {

bool IsSuccess(int status) { return status >= 200 && status < 300; }

std::string Enc(const std::string& s) { return s3::UriEncode(s, /*keep_slash=*/false); }

// GCS's RFC 3339 times carry up to nanoseconds; milliseconds are enough.
int64_t ParseTimeMs(const std::string& text) {
  std::string t = text;
  size_t dot = t.find('.');
  if (dot != std::string::npos) {
    size_t end = t.find('Z', dot);
    if (end != std::string::npos && end - dot > 4) t.erase(dot + 4, end - dot - 4);
  }
  return s3::ParseIso8601Ms(t).value_or(0);
}

std::string JsonString(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

// ObjectMeta of a JSON object resource; `key` is the caller's key (prefix removed).
ObjectMeta MetaFromJson(const nlohmann::json& o, std::string key) {
  ObjectMeta meta;
  meta.key = std::move(key);
  meta.size_bytes = std::strtoull(JsonString(o, "size").c_str(), nullptr, 10);
  meta.version = JsonString(o, "generation");
  meta.last_modified_ms = ParseTimeMs(JsonString(o, "updated"));
  return meta;
}

Status StatusFromResponse(const std::string& what, const HttpResponse& r) {
  std::string detail;
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    detail = JsonString(body["error"], "message");
  } else {
    detail = r.body.substr(0, 200);
  }
  std::string message =
      what + ": HTTP " + std::to_string(r.status) + (detail.empty() ? "" : " " + detail);
  if (r.status == 404) return Status::NotFound(message);
  if (r.status == 408 || r.status == 429 || r.status >= 500) return Status::Unavailable(message);
  return Status::Invalid(message);
}

}  // namespace

struct GcsObjectStore::ListState {
  std::string prefix;       // full prefix
  std::string start_after;  // full key, or empty
  std::string page_token;
  std::vector<ObjectMeta> objects;
  Callback<std::vector<ObjectMeta>> done;
};

Result<std::shared_ptr<GcsObjectStore>> GcsObjectStore::Create(
    GcsConfig config, std::shared_ptr<HttpTransport> transport, std::shared_ptr<Executor> executor,
    std::shared_ptr<Clock> clock) {
  SLATEDB_RETURN_IF_ERROR(config.Validate());
  if (!transport || !executor || !clock) {
    return Status::Invalid("gcs: a transport, an executor and a clock are required");
  }
  SLATEDB_ASSIGN_OR_RETURN(std::shared_ptr<gcs::TokenSource> tokens,
                           gcs::TokenSource::Create(config, transport, clock));
  return std::shared_ptr<GcsObjectStore>(new GcsObjectStore(std::move(config), std::move(transport),
                                                            std::move(executor), std::move(clock),
                                                            std::move(tokens)));
}

GcsObjectStore::GcsObjectStore(GcsConfig config, std::shared_ptr<HttpTransport> transport,
                               std::shared_ptr<Executor> executor, std::shared_ptr<Clock> clock,
                               std::shared_ptr<gcs::TokenSource> tokens)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      executor_(std::move(executor)),
      clock_(std::move(clock)),
      tokens_(std::move(tokens)) {}

GcsObjectStore::~GcsObjectStore() = default;

std::string GcsObjectStore::Describe() const {
  return "gs://" + config_.bucket + "/" + config_.prefix;
}

std::string GcsObjectStore::ObjectUrl(const std::string& full_key) const {
  return config_.base_url + "/storage/v1/b/" + Enc(config_.bucket) + "/o/" + Enc(full_key);
}

void GcsObjectStore::Send(StoreOp op, HttpRequest request,
                          std::function<void(Result<HttpResponse>)> done) {
  counter_.Add(op);
  auto self = shared_from_this();
  // Every completion continues on the executor: the transport's thread only moves bytes.
  auto finish = [self, done = std::move(done)](Result<HttpResponse> r) mutable {
    std::shared_ptr<Executor> executor = self->executor_;
    executor->Post([self = std::move(self), done = std::move(done), r = std::move(r)]() mutable {
      done(std::move(r));
    });
  };
  tokens_->Get([self, request = std::move(request),
                finish = std::move(finish)](Result<std::string> token) mutable {
    if (!token.ok()) return finish(token.status());
    if (!token->empty()) request.headers.emplace_back("authorization", *token);
    self->transport_->Send(std::move(request), std::move(finish));
  });
}

void GcsObjectStore::Get(const std::string& key, Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  HttpRequest request{"GET", ObjectUrl(config_.prefix + key) + "?alt=media", {}, nullptr};
  std::string what = "GET " + Describe() + key;
  Send(StoreOp::kGet, std::move(request), [what, done = std::move(done)](Result<HttpResponse> r) {
    if (!r.ok()) return done(r.status().WithContext(what));
    if (IsSuccess(r->status)) return done(std::move(r->body));
    done(StatusFromResponse(what, *r));
  });
}

void GcsObjectStore::GetRange(const std::string& key, uint64_t offset, uint64_t length,
                              Callback<std::string> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  // A range the server did not serve is settled from the object's size.
  auto from_head = [self = shared_from_this(), key, offset](std::string refused,
                                                            Callback<std::string> done) {
    self->HeadInternal(key,
                       [key, offset, refused, done = std::move(done)](Result<ObjectMeta> meta) {
                         if (!meta.ok()) return done(meta.status());
                         done(s3::RangeFromSize("gcs", key, offset, meta->size_bytes, refused));
                       });
  };
  s3::ByteRange range = s3::RangeFor(offset, length);
  if (range.header.empty()) return from_head("", std::move(done));
  HttpRequest request{
      "GET", ObjectUrl(config_.prefix + key) + "?alt=media", {{"range", range.header}}, nullptr};
  std::string what = "GET " + Describe() + key + " " + range.header;
  Send(StoreOp::kGetRange, std::move(request),
       [what, offset, length, from_head, done = std::move(done)](Result<HttpResponse> r) mutable {
         if (!r.ok()) return done(r.status().WithContext(what));
         if (auto served = s3::RangeFromResponse(*r, offset, length, what)) {
           return done(std::move(*served));
         }
         if (r->status == 416) return from_head(what + ": HTTP 416", std::move(done));
         done(StatusFromResponse(what, *r));
       });
}

void GcsObjectStore::Head(const std::string& key, Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  HeadInternal(key, std::move(done));
}

void GcsObjectStore::HeadInternal(const std::string& key, Callback<ObjectMeta> done) {
  HttpRequest request{"GET", ObjectUrl(config_.prefix + key), {}, nullptr};
  std::string what = "HEAD " + Describe() + key;
  Send(StoreOp::kHead, std::move(request),
       [what, key, done = std::move(done)](Result<HttpResponse> r) {
         if (!r.ok()) return done(r.status().WithContext(what));
         if (!IsSuccess(r->status)) return done(StatusFromResponse(what, *r));
         nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
         if (!body.is_object()) return done(Status::Unavailable(what + ": unreadable metadata"));
         done(MetaFromJson(body, key));
       });
}

void GcsObjectStore::Put(const std::string& key, std::string data, const ObjectPutOptions& options,
                         Callback<ObjectMeta> done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  const PutMode mode = options.mode;
  std::string url = config_.base_url + "/upload/storage/v1/b/" + Enc(config_.bucket) +
                    "/o?uploadType=media&name=" + Enc(config_.prefix + key);
  if (mode == PutMode::kCreateIfAbsent) {
    url += "&ifGenerationMatch=0";
  } else if (mode == PutMode::kReplaceIfVersionMatches) {
    // A version that is not a generation can match no object.
    const std::string& v = options.expected_version;
    bool numeric =
        !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    url += "&ifGenerationMatch=" + (numeric ? v : std::string("1"));
  }
  HttpRequest request{"POST",
                      std::move(url),
                      {{"content-type", "application/octet-stream"}},
                      std::make_shared<const std::string>(std::move(data))};
  std::string what = "PUT " + Describe() + key;
  Send(StoreOp::kPut, std::move(request),
       [self = shared_from_this(), what, key, mode,
        done = std::move(done)](Result<HttpResponse> r) mutable {
         if (!r.ok()) return done(r.status().WithContext(what));
         if (IsSuccess(r->status)) {
           nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
           if (!body.is_object()) return done(Status::Unavailable(what + ": unreadable answer"));
           return done(MetaFromJson(body, key));
         }
         if (r->status != 412 || mode == PutMode::kOverwrite) {
           return done(StatusFromResponse(what, *r));
         }
         if (mode == PutMode::kCreateIfAbsent) {
           return done(Status::AlreadyExists(what + ": the object exists"));
         }
         // ifGenerationMatch=<gen> fails with 412 for an absent object too: tell them apart.
         self->HeadInternal(key, [what, done = std::move(done)](Result<ObjectMeta> meta) {
           if (!meta.ok() && meta.status().IsNotFound()) {
             return done(Status::NotFound(what + ": no object to replace"));
           }
           if (!meta.ok()) return done(meta.status());
           done(Status::VersionMismatch(what + ": the object is at generation " + meta->version));
         });
       });
}

void GcsObjectStore::List(const std::string& prefix, const std::string& start_after,
                          Callback<std::vector<ObjectMeta>> done) {
  auto state = std::make_shared<ListState>();
  state->prefix = config_.prefix + prefix;
  if (!start_after.empty()) state->start_after = config_.prefix + start_after;
  state->done = std::move(done);
  ListPage(std::move(state));
}

void GcsObjectStore::ListPage(std::shared_ptr<ListState> state) {
  std::string url = config_.base_url + "/storage/v1/b/" + Enc(config_.bucket) + "/o?";
  url += "fields=" + Enc("items(name,size,generation,updated),nextPageToken");
  if (!state->prefix.empty()) url += "&prefix=" + Enc(state->prefix);
  // startOffset is inclusive; the key equal to start_after is dropped below.
  if (!state->start_after.empty()) url += "&startOffset=" + Enc(state->start_after);
  if (!state->page_token.empty()) url += "&pageToken=" + Enc(state->page_token);
  HttpRequest request{"GET", std::move(url), {}, nullptr};
  std::string what = "LIST " + Describe() + state->prefix.substr(config_.prefix.size());
  Send(StoreOp::kList, std::move(request),
       [self = shared_from_this(), what, state](Result<HttpResponse> r) mutable {
         if (!r.ok()) return state->done(r.status().WithContext(what));
         if (!IsSuccess(r->status)) return state->done(StatusFromResponse(what, *r));
         nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
         if (!body.is_object()) return state->done(Status::Unavailable(what + ": unreadable"));
         const std::string& root = self->config_.prefix;
         auto items = body.find("items");
         if (items != body.end() && items->is_array()) {
           for (const nlohmann::json& o : *items) {
             std::string name = JsonString(o, "name");
             if (name.compare(0, state->prefix.size(), state->prefix) != 0) continue;
             if (!state->start_after.empty() && name <= state->start_after) continue;
             state->objects.push_back(MetaFromJson(o, name.substr(root.size())));
           }
         }
         std::string token = JsonString(body, "nextPageToken");
         if (!token.empty()) {
           state->page_token = std::move(token);
           return self->ListPage(std::move(state));
         }
         std::sort(state->objects.begin(), state->objects.end(),
                   [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
         state->done(std::move(state->objects));
       });
}

void GcsObjectStore::Delete(const std::string& key, StatusCallback done) {
  Status valid = ValidateObjectKey(key);
  if (!valid.ok()) return done(valid);
  HttpRequest request{"DELETE", ObjectUrl(config_.prefix + key), {}, nullptr};
  std::string what = "DELETE " + Describe() + key;
  Send(StoreOp::kDelete, std::move(request),
       [what, done = std::move(done)](Result<HttpResponse> r) {
         if (!r.ok()) return done(r.status().WithContext(what));
         if (IsSuccess(r->status) || r->status == 404) return done(Status());
         done(StatusFromResponse(what, *r));
       });
}

}  // namespace slatedb
