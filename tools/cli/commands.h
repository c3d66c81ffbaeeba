// SPDX-License-Identifier: Apache-2.0
//
// The command table: each cmd_*.cc file contributes the commands of one group.
#pragma once

#include <vector>

#include "args.h"
#include "output.h"
#include "session.h"

namespace slatedb::cli {

struct CommandContext {
  const ParsedArgs& args;
  Session& session;
  Output& out;
};

void AddManifestCommands(std::vector<CommandSpec>* commands);    // manifest show|list, state
void AddCheckpointCommands(std::vector<CommandSpec>* commands);  // checkpoint ...
void AddDataCommands(std::vector<CommandSpec>* commands);        // get, scan, put, delete
void AddGcCommands(std::vector<CommandSpec>* commands);          // gc run|schedule
void AddCompactionCommands(std::vector<CommandSpec>* commands);  // compaction ..., compactor run
void AddTimeCommands(std::vector<CommandSpec>* commands);        // seq-to-ts, ts-to-seq
void AddDbCommands(std::vector<CommandSpec>* commands);          // db delete
void AddBenchCommands(std::vector<CommandSpec>* commands);       // bench

// Every command, in the order --help lists them.
std::vector<CommandSpec> AllCommands();

// The option every command that prints keys or values takes.
OptionSpec EncodingOption();
// Its value (default escaped).
ByteEncoding EncodingOf(const ParsedArgs& args);

}  // namespace slatedb::cli
