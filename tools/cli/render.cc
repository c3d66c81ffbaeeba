// SPDX-License-Identifier: Apache-2.0
#include "render.h"

namespace slatedb::cli {

nlohmann::json CheckpointJson(const CheckpointInfo& c) {
  nlohmann::json j{{"id", c.id},
                   {"manifest_id", c.manifest_id},
                   {"name", c.name},
                   {"create_time_ms", c.create_time_ms},
                   {"create_time", FormatTimeMs(c.create_time_ms)},
                   {"expire_time_ms", nullptr},
                   {"expire_time", nullptr}};
  if (c.expire_time_ms) {
    j["expire_time_ms"] = *c.expire_time_ms;
    j["expire_time"] = FormatTimeMs(*c.expire_time_ms);
  }
  return j;
}

std::string CheckpointText(const CheckpointInfo& c) {
  std::string out = c.id + "  manifest " + std::to_string(c.manifest_id) + "  created " +
                    FormatTimeMs(c.create_time_ms) + "  expires " +
                    (c.expire_time_ms ? FormatTimeMs(*c.expire_time_ms) : std::string("never"));
  if (!c.name.empty()) out += "  name '" + c.name + "'";
  return out;
}

nlohmann::json SstJson(const SstSummary& sst, ByteEncoding encoding) {
  nlohmann::json j{{"id", sst.id},
                   {"size_bytes", sst.size_bytes},
                   {"rows", nullptr},
                   {"first_key", EncodeBytes(sst.first_key, encoding)},
                   {"last_key", EncodeBytes(sst.last_key, encoding)}};
  if (sst.rows) j["rows"] = *sst.rows;
  if (!sst.root.empty()) j["root"] = sst.root;
  return j;
}

}  // namespace slatedb::cli
