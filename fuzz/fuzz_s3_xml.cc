// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: response bodies from an S3 service (untrusted bytes off the network):
// ListObjectsV2 pages, error documents, and the XML helpers under them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "platform/s3/list_objects.h"
#include "platform/s3/s3_errors.h"
#include "platform/s3/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  (void)slatedb::s3::ParseListObjectsV2(xml);
  slatedb::s3::S3Error error = slatedb::s3::ParseS3Error(xml);
  (void)error.code.size();
  for (std::string_view element : slatedb::s3::XmlElements(xml, "Contents")) {
    (void)slatedb::s3::XmlText(element, "Key");
  }
  (void)slatedb::s3::XmlUnescape(xml);
  return 0;
}
