// SPDX-License-Identifier: Apache-2.0
//
// FlatBuffer pieces the manifest and the compactions file share (manifest_codec.cc):
// ULIDs, visible key ranges and version-1 SST references. Readers take verified tables.
#pragma once

#include <string>

#include <flatbuffers/flatbuffers.h>

#include "fb/sst_generated.h"
#include "manifest/manifest.h"

namespace slatedb {

// A ULID text as the format's 128-bit table (an invalid text writes 0).
flatbuffers::Offset<fb::Ulid128> WriteUlid(flatbuffers::FlatBufferBuilder& fbb,
                                           const std::string& text);
// The canonical text of a stored ULID; Data naming `what` if the table is absent.
Result<std::string> ReadUlid(const fb::Ulid128* v, const char* what);

flatbuffers::Offset<fb::KeyRange> WriteVisibleRange(flatbuffers::FlatBufferBuilder& fbb,
                                                    const VisibleRange& range);
// Data unless each end is (inclusive, key), (exclusive, key) or (unbounded, no key).
Result<VisibleRange> ReadVisibleRange(const fb::KeyRange& range);

// An SST as version-1 manifests and compactions files list it (its block format recorded).
flatbuffers::Offset<fb::TableRefV1> WriteTableRefV1(flatbuffers::FlatBufferBuilder& fbb,
                                                    const SstRef& ref);
// The view id is the SST id; an absent block format means 1.
Result<SstRef> ReadTableRefV1(const fb::TableRefV1& t);

}  // namespace slatedb
