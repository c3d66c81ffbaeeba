// SPDX-License-Identifier: Apache-2.0
//
// checkpoint create|refresh|delete|list through Admin: each change is a compare-and-swap of
// the latest manifest that touches only checkpoints, safe while a writer runs.
#include <sstream>

#include "cli_error.h"
#include "commands.h"
#include "render.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

// The checkpoint id from the ID argument or --id (upstream's spelling).
std::string CheckpointId(const ParsedArgs& args) {
  std::optional<std::string> positional = args.Positional(0);
  std::optional<std::string> option = args.Get("id");
  if (positional && option && *positional != *option) {
    throw CliError::Usage("give the checkpoint id once (as ID or --id)");
  }
  if (!positional && !option) throw CliError::Usage("the checkpoint id is missing (ID or --id)");
  return positional ? *positional : *option;
}

std::optional<CheckpointInfo> Find(Admin& admin, const std::string& id) {
  for (const CheckpointInfo& c : Unwrap(BlockOn(admin.ListCheckpoints(std::nullopt)))) {
    if (c.id == id) return c;
  }
  return std::nullopt;
}

int Create(CommandContext& ctx) {
  CheckpointOptions options;
  options.lifetime_ms = ctx.args.GetDurationMs("lifetime");
  options.source = ctx.args.Get("source");
  options.name = ctx.args.Get("name").value_or("");
  auto admin = ctx.session.OpenAdmin();
  CheckpointCreateResult created = Unwrap(BlockOn(admin->CreateCheckpoint(options)));
  std::optional<CheckpointInfo> info = Find(*admin, created.id);
  if (ctx.out.json()) {
    nlohmann::json doc{{"id", created.id}, {"manifest_id", created.manifest_id}};
    if (info) doc["checkpoint"] = CheckpointJson(*info);
    ctx.out.Json(doc);
  } else {
    ctx.out.Text("created checkpoint " + created.id + " pinning manifest " +
                 std::to_string(created.manifest_id) + "\n");
    if (info) ctx.out.Text("  " + CheckpointText(*info) + "\n");
  }
  return kExitOk;
}

int Refresh(CommandContext& ctx) {
  std::string id = CheckpointId(ctx.args);
  std::optional<uint64_t> lifetime = ctx.args.GetDurationMs("lifetime");
  auto admin = ctx.session.OpenAdmin();
  Check(BlockOn(admin->RefreshCheckpoint(id, lifetime)));
  std::optional<CheckpointInfo> info = Find(*admin, id);
  if (ctx.out.json()) {
    nlohmann::json doc{{"id", id}, {"refreshed", true}};
    if (info) doc["checkpoint"] = CheckpointJson(*info);
    ctx.out.Json(doc);
  } else {
    ctx.out.Text("refreshed checkpoint " + id + (lifetime ? "" : " (now never expires)") + "\n");
    if (info) ctx.out.Text("  " + CheckpointText(*info) + "\n");
  }
  return kExitOk;
}

int Delete(CommandContext& ctx) {
  std::string id = CheckpointId(ctx.args);
  auto admin = ctx.session.OpenAdmin();
  bool existed = Find(*admin, id).has_value();
  Check(BlockOn(admin->DeleteCheckpoint(id)));
  if (ctx.out.json()) {
    ctx.out.Json({{"id", id}, {"deleted", true}, {"existed", existed}});
  } else {
    ctx.out.Text(existed ? "deleted checkpoint " + id + "\n"
                         : "checkpoint " + id + " did not exist (nothing to delete)\n");
  }
  return kExitOk;
}

int List(CommandContext& ctx) {
  std::optional<std::string> name = ctx.args.Get("name");
  auto admin = ctx.session.OpenAdmin();
  std::vector<CheckpointInfo> list = Unwrap(BlockOn(admin->ListCheckpoints(name)));
  if (ctx.out.json()) {
    nlohmann::json items = nlohmann::json::array();
    for (const CheckpointInfo& c : list) items.push_back(CheckpointJson(c));
    ctx.out.Json({{"checkpoints", items}});
    return kExitOk;
  }
  std::ostringstream t;
  for (const CheckpointInfo& c : list) t << CheckpointText(c) << "\n";
  t << list.size() << " checkpoint(s)\n";
  ctx.out.Text(t.str());
  return kExitOk;
}

const OptionSpec kIdOption{"id", "UUID", "the checkpoint id (instead of the ID argument)"};
const PositionalSpec kIdArg{"ID", "the checkpoint id (a UUID)", false};

}  // namespace

void AddCheckpointCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {{"checkpoint", "create"},
       "create a checkpoint of the latest manifest (or of another checkpoint's version)",
       "Pins the latest manifest version (or, with --source, the version checkpoint --source "
       "pins): garbage collection keeps everything it references until it expires or is "
       "deleted. Readers and clones can then read the database exactly as of that version. "
       "Without a writer nothing is flushed: the checkpoint holds what is durable now.",
       {},
       {{"lifetime", "DURATION", "expire after this long (e.g. 1h, 7d); default: never"},
        {"source", "UUID", "pin the same version as this existing checkpoint"},
        {"name", "NAME", "a label (names need not be unique)"}},
       Create});
  commands->push_back(
      {{"checkpoint", "refresh"},
       "set a checkpoint's expiry to now + --lifetime (never without one)",
       "",
       {kIdArg},
       {kIdOption, {"lifetime", "DURATION", "the new lifetime from now; default: never expire"}},
       Refresh});
  commands->push_back({{"checkpoint", "delete"},
                       "delete a checkpoint (deleting a missing one succeeds)",
                       "Deleting the pin a clone holds makes the clone's reads of shared SSTs "
                       "fail once garbage collection removes them; check 'state' of the clone "
                       "first.",
                       {kIdArg},
                       {kIdOption},
                       Delete});
  commands->push_back({{"checkpoint", "list"},
                       "list the checkpoints of the latest manifest",
                       "",
                       {},
                       {{"name", "NAME", "only checkpoints with this name (\"\" for unnamed)"}},
                       List});
}

}  // namespace slatedb::cli
