// SPDX-License-Identifier: Apache-2.0
//
// The object-key rules of object_store.h, shared by every store so that none can be
// tricked into touching anything outside its root.
#include "slatedb/object_store.h"

namespace slatedb {

Status ValidateObjectKey(const std::string& key) {
  if (key.empty()) return Status::Invalid("object key is empty");
  if (key.front() == '/') return Status::Invalid("object key starts with '/': " + key);
  if (key.size() > 1024) return Status::Invalid("object key longer than 1024 bytes");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    std::string_view segment(key.data() + start, end - start);
    if (segment.empty()) return Status::Invalid("object key has an empty segment: " + key);
    if (segment == "." || segment == "..") {
      return Status::Invalid("object key has a '.' or '..' segment: " + key);
    }
    start = end + 1;
  }
  for (char c : key) {
    if (c == '\0' || c == '\\') {
      return Status::Invalid("object key contains a NUL or backslash");
    }
  }
  return Status::Ok();
}

}  // namespace slatedb
