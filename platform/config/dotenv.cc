// SPDX-License-Identifier: Apache-2.0
//
// The dotenv parser every host uses: the S3 opener (CLOUD_PROVIDER=aws) and the Python
// package's env_file (and ./.env) loading.
#include "slatedb/platform/dotenv.h"

#include <cctype>

namespace slatedb {

DotEnvParse ParseDotEnvPartial(std::string_view text) {
  DotEnvParse result;
  std::map<std::string, std::string>& out = result.variables;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto trim = [](std::string_view s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
      return s;
    };
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = trim(line.substr(7));
    size_t eq = line.find('=');
    std::string_view name = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
    bool name_ok = eq != std::string_view::npos && !name.empty();
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') name_ok = false;
    }
    if (!name_ok) {
      result.error =
          Status::Invalid("dotenv: line " + std::to_string(line_no) + " is not NAME=VALUE");
      return result;
    }
    std::string_view raw = trim(line.substr(eq + 1));
    std::string value;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      char quote = raw.front();
      size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
          char e = raw[++i];
          value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else {
          value.push_back(c);
        }
      }
      if (!closed) {
        result.error = Status::Invalid("dotenv: line " + std::to_string(line_no) +
                                       " has an unterminated quote");
        return result;
      }
    } else {
      size_t hash = raw.find(" #");
      value = std::string(trim(raw.substr(0, hash)));
    }
    out[std::string(name)] = std::move(value);
  }
  return result;
}

Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text) {
  DotEnvParse parsed = ParseDotEnvPartial(text);
  if (!parsed.error.ok()) return parsed.error;
  return std::move(parsed.variables);
}

}  // namespace slatedb
