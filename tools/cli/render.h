// SPDX-License-Identifier: Apache-2.0
//
// JSON and text renderings of library results that several commands print.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "output.h"
#include "slatedb/slatedb.h"

namespace slatedb::cli {

nlohmann::json CheckpointJson(const CheckpointInfo& c);
// "<id>  manifest <n>  created <time>  expires <time|never>  name '<name>'".
std::string CheckpointText(const CheckpointInfo& c);

nlohmann::json SstJson(const SstSummary& sst, ByteEncoding encoding);

}  // namespace slatedb::cli
