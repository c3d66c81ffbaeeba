// SPDX-License-Identifier: Apache-2.0
//
// `slatedb`: the command-line tool for operating a database from outside the process that
// writes it (docs/operations.md). Parses the command line, runs the command, and turns a
// failure into its exit code and a message naming the problem (on stderr; with --json
// also as {"error": {...}} on stdout).
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "commands.h"
#include "output.h"
#include "session.h"

#ifndef SLATEDB_VERSION
#define SLATEDB_VERSION "unknown"
#endif

namespace slatedb::cli {

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> commands;
  AddManifestCommands(&commands);
  AddCheckpointCommands(&commands);
  AddDataCommands(&commands);
  AddGcCommands(&commands);
  AddCompactionCommands(&commands);
  AddTimeCommands(&commands);
  AddDbCommands(&commands);
  AddBenchCommands(&commands);
  return commands;
}

OptionSpec EncodingOption() {
  return {"encoding", "ENC",
          "how keys and values are printed and parsed: 'escaped' (printable ASCII as is, "
          "\\\\ and \\xNN otherwise; the default) or 'hex'"};
}

ByteEncoding EncodingOf(const ParsedArgs& args) {
  return ParseByteEncoding(args.Get("encoding").value_or("escaped"));
}

namespace {

int Report(const CliError& e, const std::string& command, bool json) {
  std::cerr << "slatedb" << (command.empty() ? "" : " " + command) << ": "
            << (e.exit_code() == kExitFailed ? "error (" + e.kind() + "): " : "") << e.what()
            << "\n";
  if (json && e.exit_code() != kExitNotFound) {
    Output(true).Json(
        {{"error", {{"kind", e.kind()}, {"message", e.what()}, {"exit_code", e.exit_code()}}}});
  }
  return e.exit_code();
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::vector<CommandSpec> commands = AllCommands();
  bool json = false;
  for (const std::string& a : args) json = json || a == "--json";
  Invocation inv;
  try {
    inv = ParseCommandLine(args, commands);
  } catch (const CliError& e) {
    return Report(e, "", json);
  }
  switch (inv.kind) {
    case Invocation::Kind::kVersion:
      if (inv.global.json) {
        Output(true).Json({{"version", SLATEDB_VERSION}});
      } else {
        std::cout << "slatedb " << SLATEDB_VERSION << "\n";
      }
      return kExitOk;
    case Invocation::Kind::kHelp: {
      std::string text = inv.command         ? CommandHelp(*inv.command)
                         : inv.group.empty() ? TopLevelHelp(commands)
                                             : GroupHelp(inv.group, commands);
      (inv.help_requested ? std::cout : std::cerr) << text;
      return inv.help_requested ? kExitOk : kExitUsage;
    }
    case Invocation::Kind::kRun:
      break;
  }
  std::string name;
  for (const std::string& w : inv.command->words) name += (name.empty() ? "" : " ") + w;
  try {
    Session session(inv.global);
    session.set_read_only(inv.command->read_only);
    Output out(inv.global.json);
    CommandContext ctx{inv.args, session, out};
    return inv.command->run(ctx);
  } catch (const CliError& e) {
    return Report(e, name, inv.global.json);
  } catch (const std::exception& e) {
    return Report(CliError(kExitFailed, "internal", e.what()), name, inv.global.json);
  }
}

}  // namespace
}  // namespace slatedb::cli

int main(int argc, char** argv) { return slatedb::cli::Main(argc, argv); }
