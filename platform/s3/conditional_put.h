// SPDX-License-Identifier: Apache-2.0
//
// What the HTTP stores (S3, Azure Blob) share about answers: object metadata from response
// headers, and the verdict on a conditional Put the service refused, from a HEAD of the key.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "slatedb/object_store.h"
#include "slatedb/platform/http_transport.h"
#include "slatedb/result.h"

namespace slatedb::s3 {

inline bool IsSuccess(int status) { return status >= 200 && status < 300; }

// Size (Content-Length), version (ETag) and Last-Modified of a HEAD or GET answer.
ObjectMeta MetaFromHeaders(const std::string& key, const HttpResponse& response);

// A conditional Put (`mode` is not kOverwrite) was refused as a conflict; `head` answers a
// HEAD of the key sent afterwards. The object is someone else's (AlreadyExists for
// create-if-absent, VersionMismatch for If-Match; NotFound if If-Match found no object,
// AlreadyExists if a created object is already gone), or this very request landed twice
// (libcurl resends a request whose reused connection closed unanswered): the object carries
// `put_id` in `put_id_header`, and the Put succeeded (`*recovered` is set). Other HEAD
// failures go through `map_error`. `what` ("PUT s3://b/k") prefixes messages.
Result<ObjectMeta> SettlePutConflict(const std::string& what, const std::string& key, PutMode mode,
                                     std::string_view put_id_header, const std::string& put_id,
                                     const HttpResponse& head,
                                     const std::function<Status(const HttpResponse&)>& map_error,
                                     bool* recovered);

}  // namespace slatedb::s3
