// SPDX-License-Identifier: Apache-2.0
//
// Output of the command line: text for people, or with --json one JSON document per
// command on stdout (JSON Lines, one object per pass, for the long-running `gc schedule`).
// Keys and values are arbitrary bytes, so they are printed in a chosen encoding that is
// always safe on a terminal and in JSON: "escaped" (printable ASCII as is, a backslash as
// \\, every other byte as \xNN) or "hex" (two lower-case digits per byte). Both parse back
// (DecodeBytes), so printed keys can be pasted into the next command.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace slatedb::cli {

enum class ByteEncoding { kEscaped, kHex };

// "escaped" or "hex"; throws CliError::Usage otherwise.
ByteEncoding ParseByteEncoding(const std::string& text);
const char* ByteEncodingName(ByteEncoding encoding);

std::string EncodeBytes(std::string_view bytes, ByteEncoding encoding);
// The bytes `text` denotes. Escaped text also accepts \n, \r, \t and \0; hex text an
// optional 0x prefix. Throws CliError::Usage naming `what` if `text` is malformed.
std::string DecodeBytes(const std::string& text, ByteEncoding encoding, const std::string& what);

// "2025-01-08T10:30:00.123Z" for milliseconds since the Unix epoch.
std::string FormatTimeMs(int64_t ms);
// "1.5 MiB", "312 B".
std::string FormatBytes(uint64_t bytes);

class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  bool json() const { return json_; }

  // The command's JSON document (indented), followed by a newline.
  void Json(const nlohmann::json& doc);
  // One compact JSON object on one line (streams of results).
  void JsonLine(const nlohmann::json& doc);
  // Text for people; ignored in JSON mode.
  void Text(std::string_view text);

  std::ostream& stream();

 private:
  bool json_;
};

}  // namespace slatedb::cli
