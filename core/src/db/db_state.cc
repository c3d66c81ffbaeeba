// SPDX-License-Identifier: Apache-2.0
//
// Db::StateJson: a read-only picture of the LSM tree for tools and demos (the browser demo
// draws it live). Built under the mutex from what the engine already holds: the latest
// manifest it knows and the in-memory write path. Does no I/O.
#include <nlohmann/json.hpp>

#include "db/db_impl.h"
#include "slatedb/db.h"
#include "util/hex.h"

namespace slatedb {
namespace {

// Keys are bytes; JSON carries them as hex (util/hex.h).
std::string Hex(std::string_view bytes) { return HexEncode(bytes); }

nlohmann::json SstJson(const SstRef& sst) {
  return {{"id", sst.id},
          {"bytes", sst.info.approx_object_size()},
          {"first_key", Hex(sst.info.first_entry)},
          {"last_key", Hex(sst.info.last_entry)}};
}

}  // namespace

std::string DbImpl::StateJson() const {
  DbLock lock(&core_.mu);
  nlohmann::json j;
  j["open"] = core_.OpenLocked();
  j["memtable"] = {{"bytes", flusher_.active_bytes()},
                   {"limit_bytes", core_.settings().l0_sst_size_bytes}};
  nlohmann::json imms = nlohmann::json::array();
  for (const auto& [bytes, wal_id] : flusher_.ImmutablesLocked()) {  // newest first, like l0
    imms.push_back({{"bytes", bytes}, {"wal_id", wal_id}});
  }
  j["immutable_memtables"] = std::move(imms);
  nlohmann::json wal = nlohmann::json::object();
  for (const auto& [name, value] : wal_.StateLocked()) wal[name] = value;
  j["wal"] = std::move(wal);
  nlohmann::json m;
  if (const std::shared_ptr<const Manifest>& manifest = manifest_.manifest()) {
    const Manifest& man = *manifest;
    m["id"] = man.id;
    m["writer_epoch"] = man.writer_epoch;
    m["compactor_epoch"] = man.compactor_epoch;
    m["replay_after_wal_id"] = man.replay_after_wal_id;
    m["wal_id_last_seen"] = man.wal_id_last_seen;
    m["last_l0_seq"] = man.last_l0_seq;
    m["checkpoints"] = man.checkpoints.size();
    nlohmann::json l0 = nlohmann::json::array();
    for (const SstRef& sst : man.l0) l0.push_back(SstJson(sst));
    m["l0"] = std::move(l0);
    nlohmann::json runs = nlohmann::json::array();
    for (const SortedRun& run : man.sorted_runs) {
      nlohmann::json ssts = nlohmann::json::array();
      for (const SstRef& sst : run.ssts) ssts.push_back(SstJson(sst));
      runs.push_back({{"id", run.id}, {"ssts", std::move(ssts)}});
    }
    m["sorted_runs"] = std::move(runs);
  }
  j["manifest"] = std::move(m);
  j["last_seq"] = core_.last_seq;
  j["durable_seq"] = wal_.durable_seq();
  return j.dump();
}

std::string Db::StateJson() const { return impl_->StateJson(); }

}  // namespace slatedb
