// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: manifest objects (u16 version + ManifestV1/V2 FlatBuffer, verified first).
// Anything that decodes must encode to a manifest that decodes and encodes to the same bytes
// (the engine rewrites manifests it read). Bad input gives Data, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "manifest/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  slatedb::Result<slatedb::Manifest> m = slatedb::DecodeManifest(bytes);
  if (!m.ok()) return 0;
  std::string again = slatedb::EncodeManifest(*m);
  slatedb::Result<slatedb::Manifest> m2 = slatedb::DecodeManifest(again);
  if (!m2.ok() || slatedb::EncodeManifest(*m2) != again) std::abort();
  return 0;
}
