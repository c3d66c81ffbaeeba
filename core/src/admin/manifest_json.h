// SPDX-License-Identifier: Apache-2.0
//
// The JSON form of a manifest that Admin::ReadManifest returns: a display of the decoded
// manifest (keys as hex), not a stored format.
#pragma once

#include <nlohmann/json.hpp>

#include "manifest/manifest.h"

namespace slatedb {

nlohmann::json ManifestToJson(const Manifest& manifest);

}  // namespace slatedb
