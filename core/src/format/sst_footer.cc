// SPDX-License-Identifier: Apache-2.0
#include "format/sst_footer.h"

#include "util/coding.h"

namespace slatedb {

void EncodeSstFooter(const SstFooter& footer, std::string* dst) {
  PutBigEndian64(dst, footer.info_offset);
  PutBigEndian16(dst, footer.format_version);
}

Result<SstFooter> DecodeSstFooter(std::string_view tail, uint64_t object_size) {
  if (object_size <= kSstFooterBytes || tail.size() < kSstFooterBytes) {
    return Status::Data("SST is empty or shorter than its footer");
  }
  const char* p = tail.data() + tail.size() - kSstFooterBytes;
  SstFooter footer;
  footer.info_offset = DecodeBigEndian64(p);
  footer.format_version = DecodeBigEndian16(p + 8);
  if (footer.format_version != 1 && footer.format_version != 2) {
    return Status::Data("unsupported SST format version " + std::to_string(footer.format_version));
  }
  const uint64_t info_end = object_size - kSstFooterBytes;
  if (footer.info_offset >= info_end) return Status::Data("SST footer: info offset past the end");
  if (info_end - footer.info_offset > kMaxSstInfoBytes) {
    return Status::Data("SST footer: info record implausibly large");
  }
  return footer;
}

}  // namespace slatedb
