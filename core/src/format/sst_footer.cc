// SPDX-License-Identifier: Apache-2.0
//
// SST footer. The footer has no checksum of its own: a flipped bit in the version or magic is
// rejected outright, and one in the offset or length breaks the requirement that the info
// record ends where the footer starts (and the record's own checksum backs that up).
#include "format/sst_footer.h"

#include "format/sst_info.h"
#include "util/coding.h"

namespace slatedb {

void EncodeFooter(const FooterLocation& location, std::string* dst) {
  PutFixed64(dst, location.info_offset);
  PutFixed32(dst, location.info_length);
  PutFixed16(dst, location.format_version);
  PutFixed32(dst, kSstMagic);
}

Result<FooterLocation> DecodeFooter(std::string_view footer, uint64_t object_size) {
  if (object_size < kSstFooterBytes || footer.size() < kSstFooterBytes) {
    return Status::Data("SST footer: object shorter than the footer");
  }
  std::string_view in = footer.substr(footer.size() - kSstFooterBytes);
  FooterLocation loc;
  uint32_t magic = 0;
  GetFixed64(&in, &loc.info_offset);
  GetFixed32(&in, &loc.info_length);
  GetFixed16(&in, &loc.format_version);
  GetFixed32(&in, &magic);
  if (magic != kSstMagic) return Status::Data("SST footer: bad magic (not an SST)");
  if (loc.format_version != kSstFormatVersion) {
    return Status::Data("SST footer: unsupported format version " +
                        std::to_string(loc.format_version));
  }
  if (loc.info_length == 0 || loc.info_length > kMaxSstInfoBytes) {
    return Status::Data("SST footer: info length out of range");
  }
  const uint64_t info_end = object_size - kSstFooterBytes;
  if (loc.info_offset > info_end || info_end - loc.info_offset != loc.info_length) {
    return Status::Data("SST footer: info record does not end at the footer");
  }
  return loc;
}

}  // namespace slatedb
