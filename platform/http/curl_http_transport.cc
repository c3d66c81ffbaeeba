// SPDX-License-Identifier: Apache-2.0
//
// The libcurl transport. One thread owns the multi handle: it adds queued requests,
// drives transfers with curl_multi_perform/curl_multi_poll and completes finished ones.
// Send() only queues under a mutex and calls curl_multi_wakeup, so callbacks may send
// follow-up requests without deadlock. Easy handles are reused (curl keeps connections in
// the multi handle's pool either way).
#include "slatedb/platform/http_curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace slatedb {
namespace {

struct Transfer {
  HttpRequest request;
  HttpTransport::Callback done;
  HttpResponse response;
  curl_slist* headers = nullptr;
  size_t upload_offset = 0;
  char error[CURL_ERROR_SIZE] = {0};
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->response.body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 5) == "HTTP/") {
    t->response.headers.clear();  // a new response (after 100 Continue): start over
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  t->response.headers.emplace_back(std::move(name), std::string(value));
  return size * n;
}

size_t OnRead(char* buffer, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->request.body) return 0;
  const std::string& body = *t->request.body;
  size_t take = std::min(size * n, body.size() - t->upload_offset);
  std::copy_n(body.data() + t->upload_offset, take, buffer);
  t->upload_offset += take;
  return take;
}

// Rewinds the upload when curl resends a body (a redirect or a reused dead connection).
int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  size_t size = t->request.body ? t->request.body->size() : 0;
  if (static_cast<size_t>(offset) > size) return CURL_SEEKFUNC_FAIL;
  t->upload_offset = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

}  // namespace

struct CurlHttpTransport::Impl {
  CurlHttpOptions options;
  CURLM* multi = nullptr;
  std::thread thread;

  std::mutex mu;
  std::deque<std::unique_ptr<Transfer>> queued;  // guarded by mu
  bool stopping = false;                         // guarded by mu

  // Owned by the transfer thread only.
  std::vector<CURL*> idle_handles;
  std::vector<CURL*> in_flight;

  ~Impl() {
    for (CURL* h : idle_handles) curl_easy_cleanup(h);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }

  CURL* Configure(Transfer* t) {
    CURL* h;
    if (!idle_handles.empty()) {
      h = idle_handles.back();
      idle_handles.pop_back();
      curl_easy_reset(h);
    } else {
      h = curl_easy_init();
      if (h == nullptr) return nullptr;
    }
    curl_easy_setopt(h, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PRIVATE, t);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout_ms));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is a config error for S3
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);

    const std::string& method = t->request.method;
    if (method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (method == "PUT" || method == "POST") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      if (method == "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "POST");
      curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(h, CURLOPT_READDATA, t);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, OnSeek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, t);
      curl_off_t size = t->request.body ? static_cast<curl_off_t>(t->request.body->size()) : 0;
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size);
    } else if (method != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    for (const auto& [name, value] : t->request.headers) {
      std::string line = name + ": " + value;
      t->headers = curl_slist_append(t->headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip before bodies, and no default Accept.
    t->headers = curl_slist_append(t->headers, "Expect:");
    t->headers = curl_slist_append(t->headers, "Accept:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers);
    return h;
  }

  static void Fail(std::unique_ptr<Transfer> t, const std::string& why) {
    t->done(Status::Unavailable("http: " + t->request.method + " " + t->request.url + ": " + why));
  }

  void Finish(CURL* h, CURLcode code) {
    Transfer* raw = nullptr;
    curl_easy_getinfo(h, CURLINFO_PRIVATE, &raw);
    std::unique_ptr<Transfer> t(raw);
    curl_multi_remove_handle(multi, h);
    in_flight.erase(std::find(in_flight.begin(), in_flight.end(), h));
    curl_slist_free_all(t->headers);
    t->headers = nullptr;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    idle_handles.push_back(h);
    if (code != CURLE_OK) {
      std::string why = t->error[0] != '\0' ? t->error : curl_easy_strerror(code);
      return Fail(std::move(t), why);
    }
    t->response.status = static_cast<int>(status);
    t->done(std::move(t->response));
  }

  void Run() {
    for (;;) {
      std::deque<std::unique_ptr<Transfer>> incoming;
      bool stop;
      {
        std::lock_guard<std::mutex> lock(mu);
        incoming.swap(queued);
        stop = stopping;
      }
      if (stop) {
        for (auto& t : incoming) Fail(std::move(t), "transport shut down");
        break;
      }
      for (auto& t : incoming) {
        CURL* h = Configure(t.get());
        if (h == nullptr) {
          Fail(std::move(t), "curl_easy_init failed");
          continue;
        }
        Transfer* raw = t.release();
        if (curl_multi_add_handle(multi, h) != CURLM_OK) {
          curl_slist_free_all(raw->headers);
          raw->headers = nullptr;
          idle_handles.push_back(h);
          Fail(std::unique_ptr<Transfer>(raw), "curl_multi_add_handle failed");
          continue;
        }
        in_flight.push_back(h);
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg == CURLMSG_DONE) Finish(msg->easy_handle, msg->data.result);
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    // Shutting down: whatever is still in flight completes with Unavailable.
    for (CURL* h : in_flight) {
      Transfer* raw = nullptr;
      curl_easy_getinfo(h, CURLINFO_PRIVATE, &raw);
      curl_multi_remove_handle(multi, h);
      curl_slist_free_all(raw->headers);
      raw->headers = nullptr;
      idle_handles.push_back(h);
      Fail(std::unique_ptr<Transfer>(raw), "transport shut down");
    }
    in_flight.clear();
  }
};

Result<std::shared_ptr<CurlHttpTransport>> CurlHttpTransport::Create(CurlHttpOptions options) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Status::Unavailable("http: curl_global_init failed");
  auto impl = std::make_shared<Impl>();
  impl->options = std::move(options);
  impl->multi = curl_multi_init();
  if (impl->multi == nullptr) return Status::Unavailable("http: curl_multi_init failed");
  curl_multi_setopt(impl->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(impl->options.max_connections));
  curl_multi_setopt(impl->multi, CURLMOPT_MAXCONNECTS,
                    static_cast<long>(impl->options.max_connections));
  impl->thread = std::thread([impl] { impl->Run(); });
  return std::shared_ptr<CurlHttpTransport>(new CurlHttpTransport(impl));
}

CurlHttpTransport::CurlHttpTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

CurlHttpTransport::~CurlHttpTransport() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  curl_multi_wakeup(impl_->multi);
  if (impl_->thread.get_id() == std::this_thread::get_id()) {
    impl_->thread.detach();  // we are inside a callback; the loop ends when it returns
  } else {
    impl_->thread.join();
  }
}

void CurlHttpTransport::Send(HttpRequest request, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->queued.push_back(std::move(t));
    }
  }
  if (t) return Impl::Fail(std::move(t), "transport shut down");
  curl_multi_wakeup(impl_->multi);
}

}  // namespace slatedb
