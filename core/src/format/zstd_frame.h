// SPDX-License-Identifier: Apache-2.0
//
// A structural walk over one zstd frame (RFC 8878, section 3.1.1) that bounds how many bytes it
// can decode to, without decoding it. A frame header states its content size, but that field is
// just bytes: read from a corrupt block it could claim a gigabyte, and the reader would allocate
// it before zstd ever looked at the blocks. The block headers say what each block can produce
// (raw and RLE blocks exactly, compressed blocks at most 128 KiB), so their sum is an upper
// bound that a frame cannot beat no matter what its header says.
#pragma once

#include <cstdint>
#include <string_view>

#include "slatedb/result.h"

namespace slatedb {

// The most bytes `frame` (exactly one zstd frame, nothing after it) can decode to. Data if the
// frame's headers are malformed or its blocks run past its end. Does not validate compressed
// block contents; zstd does that while decoding.
Result<uint64_t> ZstdFrameDecodedBound(std::string_view frame);

}  // namespace slatedb
