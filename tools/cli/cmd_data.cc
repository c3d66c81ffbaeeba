// SPDX-License-Identifier: Apache-2.0
//
// get and scan (through a read-only DbReader, which never fences the writer) and put and
// delete (through a writer Db, refused without --i-am-the-writer because opening one
// fences the database's running writer).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli_error.h"
#include "commands.h"
#include "slatedb/key_range.h"
#include "slatedb/platform/blocking.h"

namespace slatedb::cli {

namespace {

ReaderChoice ReaderChoiceOf(const ParsedArgs& args) {
  ReaderChoice choice;
  choice.checkpoint = args.Get("checkpoint");
  choice.pin = args.Has("pin");
  if (choice.checkpoint && choice.pin) {
    throw CliError::Usage("--pin and --checkpoint exclude each other (a checkpoint already pins)");
  }
  return choice;
}

std::vector<OptionSpec> ReaderFlags() {
  return {{"checkpoint", "UUID", "read the version this checkpoint pins instead of the latest"},
          {"pin", "",
           "hold a checkpoint while reading, so garbage collection cannot delete what a long "
           "scan reads (writes it to the manifest; removed at the end)"}};
}

int Get(CommandContext& ctx) {
  ByteEncoding enc = EncodingOf(ctx.args);
  std::string key = DecodeBytes(*ctx.args.Positional(0), enc, "KEY");
  if (key.empty()) throw CliError::Usage("KEY must not be empty");
  ReaderChoice choice = ReaderChoiceOf(ctx.args);
  if (choice.pin) ctx.session.set_read_only(false);
  auto reader = ctx.session.OpenReader(choice);
  Result<std::optional<std::string>> value = BlockOn(reader->Get(key));
  (void)BlockOn(reader->Close());
  std::optional<std::string> found = Unwrap(std::move(value));
  if (!found) {
    if (ctx.out.json()) {
      ctx.out.Json(
          {{"found", false}, {"encoding", ByteEncodingName(enc)}, {"key", EncodeBytes(key, enc)}});
    }
    throw CliError::NotFound("key not found: " + EncodeBytes(key, enc));
  }
  if (ctx.out.json()) {
    ctx.out.Json({{"found", true},
                  {"encoding", ByteEncodingName(enc)},
                  {"key", EncodeBytes(key, enc)},
                  {"value", EncodeBytes(*found, enc)}});
  } else {
    ctx.out.Text(EncodeBytes(*found, enc) + "\n");
  }
  return kExitOk;
}

// The smallest key after every key that starts with `prefix` (the core's rule,
// slatedb/key_range.h), or "" if there is none (a prefix of 0xff bytes only: scan to the end).
std::string PrefixEnd(const std::string& prefix) {
  return PrefixSuccessor(prefix).value_or(std::string());
}

int Scan(CommandContext& ctx) {
  ByteEncoding enc = EncodingOf(ctx.args);
  std::optional<std::string> prefix, start, end;
  if (auto p = ctx.args.Get("prefix")) prefix = DecodeBytes(*p, enc, "--prefix");
  if (auto s = ctx.args.Get("start")) start = DecodeBytes(*s, enc, "--start");
  if (auto e = ctx.args.Get("end")) end = DecodeBytes(*e, enc, "--end");
  std::optional<uint64_t> limit = ctx.args.GetUint("limit");
  bool keys_only = ctx.args.Has("keys-only");
  ReaderChoice choice = ReaderChoiceOf(ctx.args);
  if (prefix && (start || end)) throw CliError::Usage("--prefix excludes --start and --end");
  if (start && start->empty()) throw CliError::Usage("--start must not be empty");
  ScanOptions scan_options;
  if (ctx.args.Has("reverse")) scan_options.order = IterationOrder::kDescending;
  // Keys are non-empty, so "\0" is at or below every key.
  std::string lo = prefix ? *prefix : start.value_or(std::string(1, '\0'));
  std::string hi = prefix ? PrefixEnd(*prefix) : end.value_or("");
  if (lo.empty()) lo = std::string(1, '\0');
  if (!hi.empty() && hi <= lo) {
    if (prefix || !end) {
      hi.clear();
    } else {
      throw CliError::Usage("--end must sort after --start");
    }
  }

  if (choice.pin) ctx.session.set_read_only(false);
  auto reader = ctx.session.OpenReader(choice);
  std::unique_ptr<DbIterator> it = Unwrap(BlockOn(reader->Scan(lo, hi, scan_options)));
  std::ostream& os = ctx.out.stream();
  const bool json = ctx.out.json();
  if (json) os << "{\"encoding\": \"" << ByteEncodingName(enc) << "\", \"entries\": [";
  uint64_t count = 0;
  Status failure;
  while (!limit || count < *limit) {
    Result<std::optional<KeyValue>> next = Status::Internal("unset");
    if (!it->TryNext(&next)) next = BlockOn(it->Next());
    if (!next.ok()) {
      failure = next.status();
      break;
    }
    if (!*next) break;
    const KeyValue& kv = **next;
    std::string key = EncodeBytes(kv.key, enc);
    if (json) {
      nlohmann::json entry{{"key", key}};
      if (!keys_only) entry["value"] = EncodeBytes(kv.value, enc);
      os << (count == 0 ? "\n  " : ",\n  ") << entry.dump();
    } else if (keys_only) {
      os << key << "\n";
    } else {
      os << key << "\t" << EncodeBytes(kv.value, enc) << "\n";
    }
    ++count;
  }
  it.reset();
  (void)BlockOn(reader->Close());
  if (json) {
    nlohmann::json tail{{"count", count}, {"complete", failure.ok()}};
    if (!failure.ok()) {
      tail["error"] = {{"kind", ErrorKindName(failure.kind())}, {"message", failure.message()}};
    }
    std::string rest = tail.dump();
    os << (count == 0 ? "]" : "\n]") << ", " << rest.substr(1) << "\n";
  }
  os.flush();
  if (!failure.ok()) {
    std::cerr << "slatedb scan: error (" << ErrorKindName(failure.kind()) << ") after " << count
              << " entries: " << failure.message() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

// Opening a writer fences the running one; refuse unless the caller says it is the writer,
// and refuse to create a database at a mistyped path unless asked to.
std::shared_ptr<Db> OpenWriterFor(CommandContext& ctx, const std::string& verb) {
  if (!ctx.args.Has("i-am-the-writer")) {
    throw CliError::Refused(
        verb +
        " opens a writer, and opening a writer fences the database's running writer "
        "(its next write fails and it must reopen). Pass --i-am-the-writer if no writer runs "
        "or you mean to take over.");
  }
  auto admin = ctx.session.OpenAdmin();
  std::optional<std::string> manifest = Unwrap(BlockOn(admin->ReadManifest(std::nullopt)));
  if (!manifest && !ctx.args.Has("create")) {
    throw CliError::Refused("no database at " + ctx.session.Describe() +
                            "; pass --create to create one");
  }
  return ctx.session.OpenWriter();
}

std::vector<OptionSpec> WriterFlags() {
  return {{"i-am-the-writer", "",
           "confirm that opening a writer may fence the running writer (required)"},
          {"create", "", "create the database if there is none at the path"},
          EncodingOption()};
}

std::string ReadValueFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream data;
    data << std::cin.rdbuf();
    return data.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError::Usage("cannot read --value-file " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int Put(CommandContext& ctx) {
  ByteEncoding enc = EncodingOf(ctx.args);
  std::string key = DecodeBytes(*ctx.args.Positional(0), enc, "KEY");
  std::optional<std::string> value_arg = ctx.args.Positional(1);
  std::optional<std::string> value_file = ctx.args.Get("value-file");
  if (value_arg.has_value() == value_file.has_value()) {
    throw CliError::Usage("give the value either as VALUE or with --value-file");
  }
  std::string value =
      value_arg ? DecodeBytes(*value_arg, enc, "VALUE") : ReadValueFile(*value_file);
  PutOptions put_options;
  put_options.ttl_ms = ctx.args.GetDurationMs("ttl");
  auto db = OpenWriterFor(ctx, "put");
  Result<WriteHandle> written = BlockOn(db->Put(key, value, put_options));
  Status closed = BlockOn(db->Close());
  WriteHandle handle = Unwrap(std::move(written));
  Check(closed);
  if (ctx.out.json()) {
    ctx.out.Json({{"key", EncodeBytes(key, enc)},
                  {"encoding", ByteEncodingName(enc)},
                  {"seq", handle.seq},
                  {"durable", true}});
  } else {
    ctx.out.Text("put " + EncodeBytes(key, enc) + " (seq " + std::to_string(handle.seq) + ")\n");
  }
  return kExitOk;
}

int Delete(CommandContext& ctx) {
  ByteEncoding enc = EncodingOf(ctx.args);
  std::string key = DecodeBytes(*ctx.args.Positional(0), enc, "KEY");
  auto db = OpenWriterFor(ctx, "delete");
  Result<WriteHandle> written = BlockOn(db->Delete(key));
  Status closed = BlockOn(db->Close());
  WriteHandle handle = Unwrap(std::move(written));
  Check(closed);
  if (ctx.out.json()) {
    ctx.out.Json({{"key", EncodeBytes(key, enc)},
                  {"encoding", ByteEncodingName(enc)},
                  {"seq", handle.seq},
                  {"durable", true}});
  } else {
    ctx.out.Text("deleted " + EncodeBytes(key, enc) + " (seq " + std::to_string(handle.seq) +
                 ")\n");
  }
  return kExitOk;
}

}  // namespace

void AddDataCommands(std::vector<CommandSpec>* commands) {
  std::vector<OptionSpec> get_options = ReaderFlags();
  get_options.push_back(EncodingOption());
  commands->push_back(
      {{"get"},
       "print the value of KEY",
       "Reads through a read-only reader: the latest durable state (SSTs and the WAL objects "
       "not yet in L0), or a checkpoint's. Never fences the writer. Exit code 3 if the key is "
       "absent, deleted or expired. A database with merge operands cannot be read here (the "
       "merge operator lives in the application).",
       {{"KEY", "the key, in --encoding"}},
       get_options,
       Get,
       true});
  std::vector<OptionSpec> scan_options = {
      {"start", "KEY", "the first key (inclusive); default: the smallest"},
      {"end", "KEY", "stop before this key (exclusive); default: the end"},
      {"prefix", "BYTES", "only keys starting with these bytes"},
      {"limit", "N", "print at most N entries"},
      {"keys-only", "", "print keys without values"},
      {"reverse", "", "descending key order (from the end of the range down)"}};
  for (const OptionSpec& o : ReaderFlags()) scan_options.push_back(o);
  scan_options.push_back(EncodingOption());
  commands->push_back(
      {{"scan"},
       "print keys and values in key order",
       "Prints one entry per line as KEY<TAB>VALUE in --encoding; with --json, one document "
       "{encoding, entries: [{key, value}], count, complete} (on a failure midway, complete "
       "is false and error says why). Reads as get does; for a long scan of a database "
       "whose writer compacts, use --pin or --checkpoint so GC cannot remove what is read.",
       {},
       scan_options,
       Scan,
       true});
  std::vector<OptionSpec> put_options = WriterFlags();
  put_options.push_back(
      {"value-file", "FILE", "read the value's raw bytes from FILE ('-': stdin)"});
  put_options.push_back({"ttl", "DURATION", "expire the value after this long"});
  commands->push_back(
      {{"put"},
       "write KEY = VALUE as the database's writer (needs --i-am-the-writer)",
       "Opens a writer (compaction and GC off), writes durably, flushes and closes. Opening a "
       "writer fences the running one, so this is refused without --i-am-the-writer.",
       {{"KEY", "the key, in --encoding"}, {"VALUE", "the value, in --encoding", false}},
       put_options,
       Put});
  commands->push_back({{"delete"},
                       "delete KEY as the database's writer (needs --i-am-the-writer)",
                       "As put, writing a tombstone.",
                       {{"KEY", "the key, in --encoding"}},
                       WriterFlags(),
                       Delete});
}

}  // namespace slatedb::cli
