// SPDX-License-Identifier: Apache-2.0
#include "args.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "cli_error.h"
#include "slatedb/settings.h"

namespace slatedb::cli {

namespace {

struct GlobalSpec {
  const char* name;
  char short_name;
  const char* value_name;  // nullptr: a flag
  const char* help;
};

constexpr GlobalSpec kGlobals[] = {
    {"url", 'u', "URL",
     "the object store: file:///dir, s3://bucket/prefix or memory:/// (the database is "
     "<location>/<path>)"},
    {"path", 'p', "PATH", "the database's path inside the store (default: the URL's location)"},
    {"env-file", 'e', "FILE",
     "a dotenv file of variables (CLOUD_PROVIDER, LOCAL_PATH, AWS_*); process variables win"},
    {"json", 0, nullptr, "print machine-readable JSON instead of text"},
    {"help", 'h', nullptr, "print help (for a command: slatedb COMMAND --help)"},
    {"version", 'V', nullptr, "print the version"},
};

const GlobalSpec* FindGlobal(const std::string& name) {
  for (const GlobalSpec& g : kGlobals) {
    if (name == g.name) return &g;
  }
  return nullptr;
}

const GlobalSpec* FindGlobalShort(char c) {
  for (const GlobalSpec& g : kGlobals) {
    if (g.short_name != 0 && g.short_name == c) return &g;
  }
  return nullptr;
}

bool StartsWith(const std::vector<std::string>& words, const std::vector<std::string>& prefix) {
  return words.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), words.begin());
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Word-wraps `text` to `width` columns, indenting every line after the first by `indent`.
std::string Wrap(const std::string& text, size_t indent, size_t width = 96) {
  std::istringstream words(text);
  std::string word, out;
  size_t column = indent;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (!first) {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  return out;
}

// "  --name VALUE      help" with the help column aligned.
std::string OptionLine(const std::string& left, const std::string& help) {
  constexpr size_t kColumn = 30;
  std::string line = "  " + left;
  if (line.size() + 2 > kColumn) {
    line += "\n" + std::string(kColumn, ' ');
  } else {
    line += std::string(kColumn - line.size(), ' ');
  }
  return line + Wrap(help, kColumn) + "\n";
}

std::string GlobalOptionsHelp() {
  std::string out = "Global options:\n";
  for (const GlobalSpec& g : kGlobals) {
    std::string left = g.short_name ? std::string("-") + g.short_name + ", --" + g.name
                                    : std::string("    --") + g.name;
    if (g.value_name) left += std::string(" ") + g.value_name;
    out += OptionLine(left, g.help);
  }
  return out;
}

std::string Usage(const CommandSpec& c) {
  std::string out = "slatedb [GLOBAL OPTIONS] " + Join(c.words);
  if (!c.options.empty()) out += " [OPTIONS]";
  for (const PositionalSpec& p : c.positionals) {
    out += p.required ? " " + p.name : " [" + p.name + "]";
  }
  return out;
}

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& option) const {
  auto it = values_.find(option);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::optional<uint64_t> ParsedArgs::GetUint(const std::string& option) const {
  std::optional<std::string> v = Get(option);
  if (!v) return std::nullopt;
  return ParseUint(*v, "--" + option);
}

std::optional<uint64_t> ParsedArgs::GetDurationMs(const std::string& option) const {
  std::optional<std::string> v = Get(option);
  if (!v) return std::nullopt;
  return ParseDurationMs(*v, "--" + option);
}

std::optional<std::string> ParsedArgs::Positional(size_t index) const {
  if (index >= positionals_.size()) return std::nullopt;
  return positionals_[index];
}

uint64_t ParseUint(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 20 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw CliError::Usage(what + " must be a non-negative integer, got '" + text + "'");
  }
  uint64_t value = 0;
  for (char c : text) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) throw CliError::Usage(what + " is too large: " + text);
    value = value * 10 + digit;
  }
  return value;
}

uint64_t ParseDurationMs(const std::string& text, const std::string& what) {
  // The settings' duration syntax (slatedb/settings.h), except that a number needs its unit
  // here: a bare "30" on a command line is more likely a slip than thirty seconds.
  Result<uint64_t> ms = slatedb::ParseDurationMs(text);
  const bool has_unit = std::any_of(
      text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (!ms.ok() || !has_unit) {
    throw CliError::Usage(what + " must be a duration such as 500ms, 30s, 5m, 1h30m or 7d, got '" +
                          text + "'");
  }
  return *ms;
}

Invocation ParseCommandLine(const std::vector<std::string>& argv,
                            const std::vector<CommandSpec>& commands) {
  Invocation inv;
  bool help = false, version = false;
  std::vector<std::string> words;
  bool words_done = false, options_done = false, resolved = false;
  std::optional<CliError> error;  // the first problem; reported unless --help was given
  auto fail = [&error](CliError e) {
    if (!error) error = std::move(e);
  };
  std::string first_unknown_word;

  auto resolve = [&]() {
    if (resolved) return;
    resolved = true;
    words_done = true;
    for (const CommandSpec& c : commands) {
      if (c.words == words) inv.command = &c;
    }
    if (inv.command != nullptr) return;
    if (!words.empty()) {
      inv.group = words;
      if (first_unknown_word.empty()) {
        fail(CliError::Usage("'slatedb " + Join(words) + "' needs a subcommand; run 'slatedb " +
                             Join(words) + " --help'"));
      }
    }
    if (!first_unknown_word.empty()) {
      std::string where = words.empty() ? "command" : "subcommand of '" + Join(words) + "'";
      fail(CliError::Usage("unknown " + where + ": '" + first_unknown_word +
                           "'; run 'slatedb --help' for the list"));
    }
  };

  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& tok = argv[i];
    if (!options_done && tok == "--") {
      options_done = true;
      resolve();
      continue;
    }
    if (!options_done && tok.size() > 1 && tok[0] == '-') {
      std::string name;
      std::optional<std::string> inline_value;
      const GlobalSpec* global = nullptr;
      if (tok[1] == '-') {
        name = tok.substr(2);
        size_t eq = name.find('=');
        if (eq != std::string::npos) {
          inline_value = name.substr(eq + 1);
          name = name.substr(0, eq);
        }
        global = FindGlobal(name);
      } else if (tok.size() == 2 && (global = FindGlobalShort(tok[1])) != nullptr) {
        name = global->name;
      } else {
        fail(CliError::Usage("unknown option '" + tok + "' (options are spelled --name)"));
        continue;
      }
      const OptionSpec* local = nullptr;
      if (global == nullptr) {
        resolve();
        if (inv.command != nullptr) {
          for (const OptionSpec& o : inv.command->options) {
            if (o.name == name) local = &o;
          }
        }
        if (local == nullptr) {
          std::string where = inv.command ? " for 'slatedb " + Join(inv.command->words) + "'" : "";
          fail(CliError::Usage("unknown option '--" + name + "'" + where + "; see --help"));
          continue;
        }
      }
      bool takes_value = global ? global->value_name != nullptr : !local->value_name.empty();
      std::string value;
      if (takes_value) {
        if (inline_value) {
          value = *inline_value;
        } else if (i + 1 < argv.size()) {
          value = argv[++i];
        } else {
          fail(CliError::Usage("option '--" + name + "' needs a value"));
          continue;
        }
      } else if (inline_value) {
        fail(CliError::Usage("option '--" + name + "' takes no value"));
        continue;
      }
      if (global != nullptr) {
        if (name == "url") inv.global.url = value;
        if (name == "path") inv.global.path = value;
        if (name == "env-file") inv.global.env_file = value;
        if (name == "json") inv.global.json = true;
        if (name == "help") help = true;
        if (name == "version") version = true;
      } else {
        inv.args.values_[name].push_back(value);
      }
      continue;
    }
    if (!words_done) {
      std::vector<std::string> candidate = words;
      candidate.push_back(tok);
      bool extends = std::any_of(commands.begin(), commands.end(), [&](const CommandSpec& c) {
        return StartsWith(c.words, candidate);
      });
      if (extends) {
        words = std::move(candidate);
        continue;
      }
      bool is_command = std::any_of(commands.begin(), commands.end(),
                                    [&](const CommandSpec& c) { return c.words == words; });
      if (!is_command) first_unknown_word = tok;
      resolve();
      if (!is_command) continue;
    }
    inv.args.positionals_.push_back(tok);
  }
  resolve();

  if (version && inv.command == nullptr && words.empty()) {
    inv.kind = Invocation::Kind::kVersion;
    return inv;
  }
  if (help || (inv.command == nullptr && words.empty() && first_unknown_word.empty())) {
    inv.kind = Invocation::Kind::kHelp;
    inv.help_requested = help;
    return inv;
  }
  if (error) throw *error;
  const CommandSpec& c = *inv.command;
  size_t required = 0;
  for (const PositionalSpec& p : c.positionals) required += p.required ? 1 : 0;
  if (inv.args.positionals_.size() < required) {
    throw CliError::Usage("'slatedb " + Join(c.words) + "' needs " +
                          c.positionals[inv.args.positionals_.size()].name +
                          "; usage: " + Usage(c));
  }
  if (inv.args.positionals_.size() > c.positionals.size()) {
    throw CliError::Usage("unexpected argument '" + inv.args.positionals_[c.positionals.size()] +
                          "'; usage: " + Usage(c));
  }
  for (const auto& [name, values] : inv.args.values_) {
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : c.options) {
      if (o.name == name) spec = &o;
    }
    if (spec != nullptr && !spec->repeatable && values.size() > 1) {
      throw CliError::Usage("option '--" + name + "' given more than once");
    }
  }
  return inv;
}

std::string TopLevelHelp(const std::vector<CommandSpec>& commands) {
  std::string out =
      "slatedb: operate a SlateDB database on object storage (inspect manifests and the LSM\n"
      "tree, manage checkpoints, read and write keys, collect garbage, request compactions).\n\n"
      "Usage: slatedb [GLOBAL OPTIONS] COMMAND [ARGS]\n\nCommands:\n";
  for (const CommandSpec& c : commands) out += OptionLine(Join(c.words), c.summary);
  out += "\n" + GlobalOptionsHelp();
  out +=
      "\nWithout --url the store comes from CLOUD_PROVIDER (local with LOCAL_PATH, aws with\n"
      "AWS_BUCKET, memory), read from --env-file or ./.env and the environment.\n"
      "Exit codes: 0 ok, 1 the operation failed, 2 bad command line, 3 not found,\n"
      "4 refused (a safety flag is missing), 5 not yet supported.\n";
  return out;
}

std::string GroupHelp(const std::vector<std::string>& group,
                      const std::vector<CommandSpec>& commands) {
  std::string out =
      "Usage: slatedb [GLOBAL OPTIONS] " + Join(group) + " SUBCOMMAND\n\nSubcommands:\n";
  for (const CommandSpec& c : commands) {
    if (StartsWith(c.words, group)) out += OptionLine(Join(c.words), c.summary);
  }
  return out + "\nRun 'slatedb " + Join(group) + " SUBCOMMAND --help' for details.\n";
}

std::string CommandHelp(const CommandSpec& c) {
  std::string out = c.summary + "\n\nUsage: " + Usage(c) + "\n";
  if (!c.description.empty()) {
    out += "\n";
    std::istringstream paragraphs(c.description);
    std::string line, paragraph;
    while (std::getline(paragraphs, line)) {
      if (line.empty()) {
        if (!paragraph.empty()) out += Wrap(paragraph, 0) + "\n\n";
        paragraph.clear();
      } else {
        paragraph += (paragraph.empty() ? "" : " ") + line;
      }
    }
    if (!paragraph.empty()) out += Wrap(paragraph, 0) + "\n";
  }
  if (!c.positionals.empty()) {
    out += "\nArguments:\n";
    for (const PositionalSpec& p : c.positionals) out += OptionLine(p.name, p.help);
  }
  if (!c.options.empty()) {
    out += "\nOptions:\n";
    for (const OptionSpec& o : c.options) {
      std::string left = "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
      out += OptionLine(left, o.help + (o.repeatable ? " (may be repeated)" : ""));
    }
  }
  return out + "\n" + GlobalOptionsHelp();
}

}  // namespace slatedb::cli
