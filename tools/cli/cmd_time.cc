// SPDX-License-Identifier: Apache-2.0
//
// seq-to-ts and ts-to-seq: the writer's sampled sequence <-> time mapping in the latest
// manifest (about one sample a minute), through Admin.
#include <algorithm>
#include <cctype>
#include <ctime>

#include "cli_error.h"
#include "commands.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

bool RoundUp(const ParsedArgs& args) {
  std::string round = args.Get("round").value_or("down");
  if (round == "up" || round == "roundup") return true;
  if (round == "down" || round == "rounddown") return false;
  throw CliError::Usage("--round must be 'up' or 'down', got '" + round + "'");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// Unix seconds ("1736332200", upstream's form), milliseconds ("1736332200123ms"), or
// RFC 3339 ("2025-01-08T10:30:00Z", "2025-01-08T10:30:00.5+02:00").
int64_t ParseTimeMs(const std::string& text) {
  auto bad = [&]() {
    return CliError::Usage(
        "TIME must be Unix seconds, milliseconds with 'ms', or RFC 3339 such as "
        "2025-01-08T10:30:00Z, got '" +
        text + "'");
  };
  std::string_view s = text;
  if (AllDigits(s) && s.size() <= 12) return static_cast<int64_t>(std::stoll(text)) * 1000;
  if (s.size() > 2 && s.substr(s.size() - 2) == "ms" && AllDigits(s.substr(0, s.size() - 2)) &&
      s.size() <= 17) {
    return std::stoll(std::string(s.substr(0, s.size() - 2)));
  }
  int year, month, day, hour, minute, second, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &used) != 6 ||
      used != 19) {
    throw bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw bad();
  }
  std::string_view rest = s.substr(19);
  int64_t millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) {
      if (digits < 3) millis = millis * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) throw bad();
    for (int d = digits; d < 3; ++d) millis *= 10;
  }
  int64_t offset_s = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             AllDigits(rest.substr(1, 2)) && AllDigits(rest.substr(4, 2))) {
    offset_s = (std::stoi(std::string(rest.substr(1, 2))) * 60 +
                std::stoi(std::string(rest.substr(4, 2)))) *
               60;
    if (rest[0] == '-') offset_s = -offset_s;
  } else {
    throw bad();
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t seconds = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return seconds * 1000 + millis;
}

int SeqToTs(CommandContext& ctx) {
  uint64_t seq = ParseUint(*ctx.args.Positional(0), "SEQ");
  bool up = RoundUp(ctx.args);
  auto admin = ctx.session.OpenAdmin();
  std::optional<int64_t> ts = Unwrap(BlockOn(admin->GetTimestampForSequence(seq, up)));
  if (!ts) {
    if (ctx.out.json()) {
      ctx.out.Json({{"found", false}, {"seq", seq}, {"round", up ? "up" : "down"}});
    }
    throw CliError::NotFound("no sample " + std::string(up ? "at or after" : "at or before") +
                             " sequence " + std::to_string(seq));
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true},
                  {"seq", seq},
                  {"round", up ? "up" : "down"},
                  {"timestamp_ms", *ts},
                  {"timestamp", FormatTimeMs(*ts)}});
  } else {
    ctx.out.Text(FormatTimeMs(*ts) + "\n");
  }
  return kExitOk;
}

int TsToSeq(CommandContext& ctx) {
  int64_t ms = ParseTimeMs(*ctx.args.Positional(0));
  bool up = RoundUp(ctx.args);
  auto admin = ctx.session.OpenAdmin();
  std::optional<uint64_t> seq = Unwrap(BlockOn(admin->GetSequenceForTimestamp(ms, up)));
  if (!seq) {
    if (ctx.out.json()) {
      ctx.out.Json({{"found", false}, {"timestamp_ms", ms}, {"round", up ? "up" : "down"}});
    }
    throw CliError::NotFound("no sample " + std::string(up ? "at or after " : "at or before ") +
                             FormatTimeMs(ms));
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true},
                  {"timestamp_ms", ms},
                  {"timestamp", FormatTimeMs(ms)},
                  {"round", up ? "up" : "down"},
                  {"seq", *seq}});
  } else {
    ctx.out.Text(std::to_string(*seq) + "\n");
  }
  return kExitOk;
}

const OptionSpec kRound{"round", "up|down",
                        "without a sample exactly there: 'down' takes the newest sample at or "
                        "before (default), 'up' the oldest at or after"};

}  // namespace

void AddTimeCommands(std::vector<CommandSpec>* commands) {
  commands->push_back({{"seq-to-ts"},
                       "the time a sequence number was written (from the writer's samples)",
                       "The writer samples (sequence, time) pairs about once a minute into the "
                       "manifest; this looks SEQ up among them. Exit code 3 without a sample "
                       "in the chosen direction.",
                       {{"SEQ", "a sequence number"}},
                       {kRound},
                       SeqToTs,
                       true});
  commands->push_back({{"ts-to-seq"},
                       "the sequence number written at a time (from the writer's samples)",
                       "",
                       {{"TIME", "Unix seconds, milliseconds as 1700000000123ms, or RFC 3339"}},
                       {kRound},
                       TsToSeq,
                       true});
}

}  // namespace slatedb::cli
