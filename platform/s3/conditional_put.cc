// SPDX-License-Identifier: Apache-2.0
#include "s3/conditional_put.h"

#include <cstdlib>

#include "s3/time_format.h"

namespace slatedb::s3 {

ObjectMeta MetaFromHeaders(const std::string& key, const HttpResponse& r) {
  ObjectMeta meta;
  meta.key = key;
  meta.size_bytes = std::strtoull(std::string(r.Header("content-length")).c_str(), nullptr, 10);
  meta.last_modified_ms = ParseHttpDateMs(r.Header("last-modified")).value_or(0);
  meta.version = std::string(r.Header("etag"));
  return meta;
}

Result<ObjectMeta> SettlePutConflict(const std::string& what, const std::string& key, PutMode mode,
                                     std::string_view put_id_header, const std::string& put_id,
                                     const HttpResponse& head,
                                     const std::function<Status(const HttpResponse&)>& map_error,
                                     bool* recovered) {
  *recovered = false;
  if (head.status == 404) {
    if (mode == PutMode::kReplaceIfVersionMatches) {
      return Status::NotFound(what + ": no object to replace");
    }
    // Created and deleted again since: still someone else's doing.
    return Status::AlreadyExists(what + ": the object existed");
  }
  if (!IsSuccess(head.status)) return map_error(head);
  if (head.Header(put_id_header) == put_id) {
    *recovered = true;
    return MetaFromHeaders(key, head);
  }
  if (mode == PutMode::kCreateIfAbsent) return Status::AlreadyExists(what + ": the object exists");
  return Status::VersionMismatch(what + ": the object is at version " +
                                 std::string(head.Header("etag")));
}

}  // namespace slatedb::s3
