// SPDX-License-Identifier: Apache-2.0
//
// SstInfo <-> the SsTableInfo FlatBuffer table, for the encoders that embed it: the SST's
// info record, manifests and compactions files.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include "fb/sst_generated.h"
#include "format/sst_info.h"

namespace slatedb {

flatbuffers::Offset<fb::SstMeta> WriteSstMeta(flatbuffers::FlatBufferBuilder& fbb,
                                              const SstInfo& info);
// Reads a verified table; Data if an enum is unknown or ValidateSstInfo fails. The
// format_version is left at its default.
Result<SstInfo> ReadSstMeta(const fb::SstMeta& meta);

}  // namespace slatedb
