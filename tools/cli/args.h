// SPDX-License-Identifier: Apache-2.0
//
// The command line's grammar: a table of commands (one or two words, e.g. "get" or
// "checkpoint create"), each with its positional arguments and options, a parser that
// matches argv against the table, and the --help text generated from the same table.
//
// Accepted forms: `--name value`, `--name=value`, flags without a value, and `--` to end
// options (so a key may start with '-'). The global options (--url, --path, --env-file,
// --json, --help, --version) may appear anywhere before `--`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace slatedb::cli {

struct CommandContext;

struct OptionSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // empty: a flag that takes no value
  std::string help;
  bool repeatable = false;
};

struct PositionalSpec {
  std::string name;
  std::string help;
  bool required = true;
};

struct CommandSpec {
  std::vector<std::string> words;  // {"checkpoint", "create"}
  std::string summary;             // one line, for listings
  std::string description;         // paragraphs for --help
  std::vector<PositionalSpec> positionals;
  std::vector<OptionSpec> options;
  std::function<int(CommandContext&)> run;  // returns the exit code
  // Writes nothing to the store (so read-only credentials suffice).
  bool read_only = false;
};

// What was given for one command. Values are checked by the typed getters, which throw
// CliError::Usage naming the option and what is wrong with its value.
class ParsedArgs {
 public:
  bool Has(const std::string& option) const { return values_.count(option) != 0; }
  // The last value given (options given twice keep the last unless repeatable).
  std::optional<std::string> Get(const std::string& option) const;
  std::vector<std::string> GetAll(const std::string& option) const;
  std::optional<uint64_t> GetUint(const std::string& option) const;
  // Milliseconds of a duration such as "500ms", "30s", "5m", "1h30m", "7d".
  std::optional<uint64_t> GetDurationMs(const std::string& option) const;

  // Positional `index`, or nullopt if fewer were given.
  std::optional<std::string> Positional(size_t index) const;

  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

struct GlobalOptions {
  std::optional<std::string> url;
  std::optional<std::string> env_file;
  std::string path;  // the database's path inside the store
  bool json = false;
};

// The outcome of matching argv against the command table.
struct Invocation {
  enum class Kind { kRun, kHelp, kVersion };
  Kind kind = Kind::kRun;
  bool help_requested = false;           // kHelp: --help was given (else: no command was)
  const CommandSpec* command = nullptr;  // kRun; kHelp: the command asked about, if any
  std::vector<std::string> group;        // kHelp for a group ("checkpoint --help")
  GlobalOptions global;
  ParsedArgs args;
};

// Matches `argv` (without the program name) against `commands`. Throws CliError::Usage
// for an unknown command or option, a missing value, missing or extra positionals, or a
// group given without its subcommand.
Invocation ParseCommandLine(const std::vector<std::string>& argv,
                            const std::vector<CommandSpec>& commands);

// Help texts: every command, one group's commands, or one command in full.
std::string TopLevelHelp(const std::vector<CommandSpec>& commands);
std::string GroupHelp(const std::vector<std::string>& group,
                      const std::vector<CommandSpec>& commands);
std::string CommandHelp(const CommandSpec& command);

// Parsers shared by options and positionals; each throws CliError::Usage naming `what`.
uint64_t ParseUint(const std::string& text, const std::string& what);
uint64_t ParseDurationMs(const std::string& text, const std::string& what);

}  // namespace slatedb::cli
