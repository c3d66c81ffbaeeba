// SPDX-License-Identifier: Apache-2.0
//
// db delete: removes a database through Admin::DeleteDatabase, after a confirmation flag.
#include "cli_error.h"
#include "commands.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

int Delete(CommandContext& ctx) {
  std::string where = ctx.session.Describe();
  if (!ctx.args.Has("yes")) {
    throw CliError::Refused("db delete removes every object of the database at " + where +
                            " and cannot be undone; stop its writer, then pass --yes to confirm");
  }
  auto admin = ctx.session.OpenAdmin();
  DeleteDatabaseReport report = Unwrap(BlockOn(admin->DeleteDatabase()));
  if (ctx.out.json()) {
    ctx.out.Json({{"deleted", true},
                  {"objects_deleted", report.objects_deleted},
                  {"released_pins", report.released_pins}});
  } else {
    ctx.out.Text("deleted the database at " + where + " (" +
                 std::to_string(report.objects_deleted) + " objects)\n");
    for (const std::string& pin : report.released_pins) {
      ctx.out.Text("  released pin " + pin + "\n");
    }
  }
  return kExitOk;
}

}  // namespace

void AddDbCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {{"db", "delete"},
       "delete the database (needs --yes; refused while checkpoints live)",
       "Deletes every object in the database's manifest/, wal/, compacted/ and compactions/ "
       "directories, the latest manifest last, and releases the pins a clone holds in its "
       "parents. Refused while the database has live checkpoints (its clones' pins, readers', "
       "users'): delete them or let them expire first. Stop the writer first: a running writer "
       "would go on writing. If it fails midway, run it again to finish.",
       {},
       {{"yes", "", "confirm the deletion (required)"}},
       Delete});
}

}  // namespace slatedb::cli
