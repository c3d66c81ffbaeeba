// SPDX-License-Identifier: Apache-2.0
#include "output.h"

#include <ctime>
#include <iostream>

#include "cli_error.h"
#include "slatedb/hex.h"

namespace slatedb::cli {

ByteEncoding ParseByteEncoding(const std::string& text) {
  if (text == "escaped") return ByteEncoding::kEscaped;
  if (text == "hex") return ByteEncoding::kHex;
  throw CliError::Usage("--encoding must be 'escaped' or 'hex', got '" + text + "'");
}

const char* ByteEncodingName(ByteEncoding encoding) {
  return encoding == ByteEncoding::kHex ? "hex" : "escaped";
}

std::string EncodeBytes(std::string_view bytes, ByteEncoding encoding) {
  if (encoding == ByteEncoding::kHex) return HexEncode(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += HexEncode(std::string_view(reinterpret_cast<const char*>(&c), 1));
    }
  }
  return out;
}

std::string DecodeBytes(const std::string& text, ByteEncoding encoding, const std::string& what) {
  std::string out;
  if (encoding == ByteEncoding::kHex) {
    std::string_view digits = text;
    if (digits.substr(0, 2) == "0x" || digits.substr(0, 2) == "0X") digits.remove_prefix(2);
    if (digits.size() % 2 != 0) {
      throw CliError::Usage(what + " is not hex: odd number of digits in '" + text + "'");
    }
    std::optional<std::string> decoded = HexDecode(digits);
    if (!decoded) throw CliError::Usage(what + " is not hex: '" + text + "'");
    return std::move(*decoded);
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) {
      throw CliError::Usage(what + " ends in a lone backslash (write \\\\ for one): '" + text +
                            "'");
    }
    char e = text[++i];
    if (e == '\\') {
      out += '\\';
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 'r') {
      out += '\r';
    } else if (e == 't') {
      out += '\t';
    } else if (e == '0') {
      out += '\0';
    } else if (e == 'x' && i + 2 < text.size() && HexDigitValue(text[i + 1]) >= 0 &&
               HexDigitValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigitValue(text[i + 1]) * 16 + HexDigitValue(text[i + 2]));
      i += 2;
    } else {
      throw CliError::Usage(what + " has an unknown escape '\\" + std::string(1, e) +
                            "' (known: \\\\ \\xNN \\n \\r \\t \\0): '" + text + "'");
    }
  }
  return out;
}

std::string FormatTimeMs(int64_t ms) {
  int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int millis = static_cast<int>(ms - seconds * 1000);
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(ms) + " ms";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string FormatBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  return buf;
}

// Names (of checkpoints, databases) are the only free text; invalid UTF-8 in them is
// replaced rather than failing the whole document.
void Output::Json(const nlohmann::json& doc) {
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void Output::JsonLine(const nlohmann::json& doc) {
  std::cout << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void Output::Text(std::string_view text) {
  if (!json_) std::cout << text;
}

std::ostream& Output::stream() { return std::cout; }

}  // namespace slatedb::cli
