// SPDX-License-Identifier: Apache-2.0
//
// Setting, merging and printing settings by name (slatedb/settings.h) over the rows of
// settings_table.cc. Every way in (one key, a document, environment variables) ends in
// ApplyValue(), so a value is checked and refused the same way whichever binding sent it.
// Messages follow upstream's where it has them (Settings.set: "settings update produced
// invalid settings: invalid type: integer `250`, expected a string"; files: "invalid
// configuration format (...)").
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "settings/setting_entry.h"

namespace slatedb {

using settings_internal::Entries;
using settings_internal::FindEntry;
using settings_internal::Json;
using settings_internal::SettingEntry;

namespace {

// A refusal: the setting it concerns (empty if none could be named) and what is wrong.
struct Problem {
  std::string key;
  std::string detail;
  bool about_key = false;  // the name itself is wrong, not its value
};

// Parses JSON text without exceptions (the wasm build has none), keeping the parser's
// message: "parse error at line 1, column 4: syntax error while parsing value - ...".
class CapturingParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit CapturingParser(Json& root) : json_sax_dom_parser(root, /*allow_exceptions=*/false) {}
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    error_ = ex.what();
    size_t at = error_.find("] ");  // drop "[json.exception.parse_error.101] "
    if (at != std::string::npos) error_ = error_.substr(at + 2);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

bool ParseJson(std::string_view text, Json* out, std::string* error) {
  Json root;
  CapturingParser parser(root);
  if (!Json::sax_parse(text, &parser) || !parser.error().empty()) {
    *error = parser.error().empty() ? "syntax error" : parser.error();
    return false;
  }
  *out = std::move(root);
  return true;
}

// Upstream 0.11 spellings of settings 0.17 renamed.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"default_ttl", "default_ttl_millis"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "maxSstSize" -> "max_sst_size"; segments without lower-case letters are just lowered
// ("FLUSH_INTERVAL", from an environment variable).
std::string SnakeSegment(std::string_view seg) {
  bool has_lower = std::any_of(seg.begin(), seg.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!has_lower) return Lower(seg);
  std::string out;
  for (char c : seg) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty() && out.back() != '_') out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ApplyAlias(std::string name) {
  for (const auto& [from, to] : kAliases) {
    if (name == from) return std::string(to);
  }
  return name;
}

std::string JoinName(std::string_view parent, std::string_view segment) {
  std::string out(parent);
  if (!out.empty()) out.push_back('.');
  out += segment;
  return out;
}

std::string Parent(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(name.substr(0, dot));
}

// The canonical name of a dotted key, or a Problem about the key.
std::optional<Problem> Canonicalize(std::string_view key, std::string* out) {
  if (key.empty()) return Problem{"", "key cannot be empty", true};
  std::string name;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    std::string_view seg = key.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (seg.empty()) {
      return Problem{std::string(key), "empty segment in `" + std::string(key) + "`", true};
    }
    // A segment under a leaf: upstream's wording.
    if (!name.empty()) {
      const SettingEntry* parent = FindEntry(ApplyAlias(name));
      if (parent != nullptr && parent->info.type != SettingType::kGroup) {
        return Problem{std::string(key), "segment '" + name + "' is not an object", true};
      }
    }
    name = JoinName(name, SnakeSegment(seg));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  name = ApplyAlias(std::move(name));
  if (FindEntry(name) == nullptr) {
    return Problem{name, "unknown setting `" + std::string(key) + "`", true};
  }
  *out = std::move(name);
  return std::nullopt;
}

// serde's description of a JSON value in type errors.
std::string Describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return std::string("boolean `") + (v.get<bool>() ? "true" : "false") + "`";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer `" + v.dump() + "`";
    case Json::value_t::number_float:
      return "floating point `" + v.dump() + "`";
    case Json::value_t::string:
      return "string " + v.dump();
    case Json::value_t::array:
      return "sequence";
    default:
      return "map";
  }
}

Problem TypeProblem(const SettingEntry& e, const Json& v) {
  return Problem{std::string(e.info.name),
                 "invalid type: " + Describe(v) + ", expected " + std::string(e.expected)};
}

std::optional<Problem> CheckRange(const SettingEntry& e, uint64_t n, const std::string& shown) {
  if (e.max == UINT32_MAX && n > UINT32_MAX) {
    return Problem{std::string(e.info.name),
                   "invalid value: " + shown + ", expected " + std::string(e.expected)};
  }
  if (n < e.min || n > e.max) {
    std::string bound = e.max == UINT64_MAX || e.max == UINT32_MAX
                            ? "at least " + std::to_string(e.min)
                            : "between " + std::to_string(e.min) + " and " + std::to_string(e.max);
    return Problem{std::string(e.info.name), "invalid value: " + shown + ", expected " + bound};
  }
  return std::nullopt;
}

// Checks `v` against the entry's type and range; on success `*out` is the normalised value
// (durations in milliseconds, number-strings as numbers, choices spelled canonically).
std::optional<Problem> Normalize(const SettingEntry& e, const Json& v, Json* out) {
  if (v.is_null()) {
    if (!e.info.nullable) return TypeProblem(e, v);
    *out = nullptr;
    return std::nullopt;
  }
  switch (e.info.type) {
    case SettingType::kDuration: {
      if (!v.is_string()) return TypeProblem(e, v);
      Result<uint64_t> ms = ParseDurationMs(v.get<std::string>());
      if (!ms.ok()) return Problem{std::string(e.info.name), ms.status().message()};
      if (auto p = CheckRange(e, *ms, "duration " + v.dump())) return p;
      *out = *ms;
      return std::nullopt;
    }
    case SettingType::kInteger: {
      if (v.is_number_integer() && !v.is_number_unsigned()) {
        if (v.get<int64_t>() < 0) {
          return Problem{std::string(e.info.name), "invalid value: integer `" + v.dump() +
                                                       "`, expected " + std::string(e.expected)};
        }
      }
      if (!v.is_number_integer()) return TypeProblem(e, v);
      uint64_t n = v.get<uint64_t>();
      if (auto p = CheckRange(e, n, "integer `" + v.dump() + "`")) return p;
      *out = n;
      return std::nullopt;
    }
    case SettingType::kBool:
      if (!v.is_boolean()) return TypeProblem(e, v);
      *out = v;
      return std::nullopt;
    case SettingType::kNumber:
      if (!v.is_number()) return TypeProblem(e, v);
      *out = v;
      return std::nullopt;
    case SettingType::kNumberString: {
      if (!v.is_string()) {
        return Problem{std::string(e.info.name),
                       "invalid type: " + Describe(v) + ", expected a string"};
      }
      const std::string text = v.get<std::string>();
      Json parsed = Json::parse(text, nullptr, false);
      bool integral = e.expected == "an integer";
      bool ok =
          !parsed.is_discarded() && (integral ? parsed.is_number_integer() : parsed.is_number());
      if (ok && integral && !parsed.is_number_unsigned() && parsed.get<int64_t>() < 0) ok = false;
      if (!ok) {
        return Problem{std::string(e.info.name), "invalid value: string " + v.dump() +
                                                     ", expected " + std::string(e.expected) +
                                                     " in a string"};
      }
      if (integral) {
        if (auto p = CheckRange(e, parsed.get<uint64_t>(), "string " + v.dump())) return p;
      } else if (!(parsed.get<double>() > e.number_above)) {
        return Problem{std::string(e.info.name), "invalid value: string " + v.dump() +
                                                     ", expected a number above " +
                                                     Json(e.number_above).dump()};
      }
      *out = parsed;
      return std::nullopt;
    }
    case SettingType::kString: {
      if (!v.is_string()) return TypeProblem(e, v);
      const std::string text = v.get<std::string>();
      if (e.choices.empty()) {
        *out = text;
        return std::nullopt;
      }
      for (std::string_view c : e.choices) {
        if (text == c || (e.lenient_choices && Lower(text) == Lower(c))) {
          *out = std::string(c);
          return std::nullopt;
        }
      }
      if (e.lenient_choices && e.info.nullable && Lower(text) == "none") {
        *out = nullptr;
        return std::nullopt;
      }
      std::string list;
      for (std::string_view c : e.choices) {
        list += list.empty() ? "`" : ", `";
        list += std::string(c) + "`";
      }
      return Problem{std::string(e.info.name),
                     "unknown variant `" + text + "`, expected one of " + list};
    }
    case SettingType::kGroup:
      if (!v.is_object()) return TypeProblem(e, v);
      *out = Json::object();
      return std::nullopt;
  }
  return TypeProblem(e, v);
}

// A normalised value as the document shows it.
Json Present(const SettingEntry& e, const Json& normalized) {
  if (normalized.is_null()) return nullptr;
  switch (e.info.type) {
    case SettingType::kDuration:
      return FormatDurationMs(normalized.get<uint64_t>());
    case SettingType::kNumberString:
      return normalized.dump();
    default:
      return normalized;
  }
}

bool IsNullGroup(const Settings& s, const SettingEntry& e) {
  switch (e.info.effect) {
    case SettingEffect::kApplied:
      return e.get(s).is_null();
    case SettingEffect::kNoEffect: {
      auto it = s.inert.find(std::string(e.info.name));
      return it != s.inert.end() ? it->second == "null" : e.default_json == "null";
    }
    case SettingEffect::kDefaultOnly:
      return e.default_json == "null";
  }
  return false;
}

// The group that makes `name` unreachable because it is null, if any.
std::optional<Problem> CheckAncestors(const Settings& s, const std::string& name) {
  for (std::string parent = Parent(name); !parent.empty(); parent = Parent(parent)) {
    const SettingEntry* group = FindEntry(parent);
    if (group != nullptr && IsNullGroup(s, *group)) {
      return Problem{name, "segment '" + parent + "' is not an object", true};
    }
  }
  return std::nullopt;
}

std::vector<const SettingEntry*> Members(std::string_view group) {
  std::vector<const SettingEntry*> out;
  for (const SettingEntry& e : Entries()) {
    if (Parent(e.info.name) == group) out.push_back(&e);
  }
  return out;
}

std::optional<Problem> ApplyValue(Settings* s, const SettingEntry& e, const Json& v,
                                  std::set<std::string>* seen);

// Merges the members of an object into group `e` (already set non-null).
std::optional<Problem> ApplyMembers(Settings* s, const SettingEntry& e, const Json& obj,
                                    std::set<std::string>* seen) {
  for (const auto& [key, value] : obj.items()) {
    std::string name = ApplyAlias(JoinName(e.info.name, SnakeSegment(key)));
    const SettingEntry* member = FindEntry(name);
    if (member == nullptr || key.empty() || key.find('.') != std::string::npos) {
      return Problem{name, "unknown setting `" + name + "`", true};
    }
    if (auto p = ApplyValue(s, *member, value, seen)) return p;
  }
  return std::nullopt;
}

std::optional<Problem> ApplyValue(Settings* s, const SettingEntry& e, const Json& v,
                                  std::set<std::string>* seen) {
  Json value;
  if (auto p = Normalize(e, v, &value)) return p;
  const std::string name(e.info.name);
  if (seen != nullptr) seen->insert(name);
  switch (e.info.effect) {
    case SettingEffect::kApplied: {
      Status st = e.set(*s, value);
      if (!st.ok()) return Problem{name, st.message()};
      break;
    }
    case SettingEffect::kNoEffect: {
      std::string text = Present(e, value).dump();
      if (e.info.type == SettingType::kGroup && !value.is_null()) text = "{}";
      if (text == e.default_json) {
        s->inert.erase(name);
      } else {
        s->inert[name] = text;
      }
      break;
    }
    case SettingEffect::kDefaultOnly: {
      std::string text =
          e.info.type == SettingType::kGroup && !value.is_null() ? "{}" : Present(e, value).dump();
      if (text != e.default_json) {
        return Problem{name, "`" + name + "` = " + Present(e, value).dump() +
                                 " is not supported: " + std::string(e.refusal)};
      }
      break;
    }
  }
  if (e.info.type == SettingType::kGroup && v.is_object()) return ApplyMembers(s, e, v, seen);
  return std::nullopt;
}

std::string SetMessage(const Problem& p) {
  if (p.about_key) return "key invalid: " + p.detail;
  return "settings update produced invalid settings: " + p.detail;
}

std::string LoadMessage(const Problem& p, std::string_view origin) {
  std::string where = origin.empty() ? "" : " in " + std::string(origin);
  if (p.about_key || p.key.empty())
    return "invalid configuration format (" + p.detail + where + ")";
  return "invalid configuration format (" + p.detail + " for key \"" + p.key + "\"" + where + ")";
}

Json Output(const Settings& s, const SettingEntry& e) {
  if (e.info.type == SettingType::kGroup) {
    if (IsNullGroup(s, e)) return nullptr;
    Json obj = Json::object();
    for (const SettingEntry* m : Members(e.info.name)) {
      obj[std::string(m->info.name.substr(e.info.name.size() + 1))] = Output(s, *m);
    }
    return obj;
  }
  switch (e.info.effect) {
    case SettingEffect::kApplied:
      return Present(e, e.get(s));
    case SettingEffect::kNoEffect: {
      auto it = s.inert.find(std::string(e.info.name));
      return Json::parse(it != s.inert.end() ? std::string_view(it->second) : e.default_json);
    }
    case SettingEffect::kDefaultOnly:
      return Json::parse(e.default_json);
  }
  return nullptr;
}

}  // namespace

std::span<const SettingInfo> SettingsTable() {
  static const std::vector<SettingInfo>* infos = [] {
    auto* out = new std::vector<SettingInfo>();
    for (const SettingEntry& e : Entries()) out->push_back(e.info);
    return out;
  }();
  return *infos;
}

namespace {

const char* TypeName(SettingType type) {
  switch (type) {
    case SettingType::kDuration:
      return "duration";
    case SettingType::kInteger:
      return "integer";
    case SettingType::kBool:
      return "bool";
    case SettingType::kNumber:
      return "number";
    case SettingType::kString:
      return "string";
    case SettingType::kNumberString:
      return "number-string";
    case SettingType::kGroup:
      return "group";
  }
  return "unknown";
}

const char* EffectName(SettingEffect effect) {
  switch (effect) {
    case SettingEffect::kApplied:
      return "applied";
    case SettingEffect::kNoEffect:
      return "no-effect";
    case SettingEffect::kDefaultOnly:
      return "default-only";
  }
  return "unknown";
}

// "compactor_options.max_sst_size" -> "compactorOptions.maxSstSize" (SnakeSegment's inverse).
std::string CamelName(std::string_view name) {
  std::string out;
  bool upper = false;
  for (char c : name) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      upper = false;
    }
  }
  return out;
}

}  // namespace

std::string SettingsTableJson() {
  Json out = Json::array();
  for (const SettingEntry& e : Entries()) {
    Json row = Json::object();
    row["name"] = std::string(e.info.name);
    row["camelName"] = CamelName(e.info.name);
    row["type"] = TypeName(e.info.type);
    row["nullable"] = e.info.nullable;
    row["effect"] = EffectName(e.info.effect);
    row["upstream"] = e.info.upstream;
    row["doc"] = std::string(e.info.doc);
    out.push_back(std::move(row));
  }
  return out.dump();
}

Result<std::string> CanonicalSettingName(std::string_view key) {
  std::string name;
  if (auto p = Canonicalize(key, &name)) return Status::Invalid(SetMessage(*p));
  return name;
}

Status SetSetting(Settings* settings, std::string_view key, std::string_view value_json) {
  std::string name;
  if (auto p = Canonicalize(key, &name)) return Status::Invalid(SetMessage(*p));
  Json value;
  std::string why;
  if (!ParseJson(value_json, &value, &why)) {
    return Status::Invalid("value_json is not valid JSON: " + why);
  }
  if (auto p = CheckAncestors(*settings, name)) return Status::Invalid(SetMessage(*p));
  Settings next = *settings;
  if (auto p = ApplyValue(&next, *FindEntry(name), value, nullptr)) {
    return Status::Invalid(SetMessage(*p));
  }
  *settings = std::move(next);
  return Status::Ok();
}

Status MergeSettingsJson(Settings* settings, std::string_view json, std::string_view origin,
                         bool require_complete) {
  Json doc;
  std::string why;
  if (!ParseJson(json, &doc, &why)) return Status::Invalid(LoadMessage(Problem{"", why}, origin));
  if (!doc.is_object()) {
    return Status::Invalid(
        LoadMessage(Problem{"", "invalid type: " + Describe(doc) + ", expected a map"}, origin));
  }
  Settings next = *settings;
  std::set<std::string> seen;
  for (const auto& [key, value] : doc.items()) {
    std::string name = ApplyAlias(SnakeSegment(key));
    const SettingEntry* e = FindEntry(name);
    if (e == nullptr || key.empty() || key.find('.') != std::string::npos) {
      // A dotted key names a nested setting directly ({"compactor_options.poll_interval": ...}).
      Result<std::string> canonical = CanonicalSettingName(key);
      if (!canonical.ok()) {
        return Status::Invalid(
            LoadMessage(Problem{key, "unknown setting `" + key + "`", true}, origin));
      }
      name = *canonical;
      e = FindEntry(name);
      if (auto p = CheckAncestors(next, name)) return Status::Invalid(LoadMessage(*p, origin));
    }
    if (auto p = ApplyValue(&next, *e, value, &seen)) {
      return Status::Invalid(LoadMessage(*p, origin));
    }
  }
  if (require_complete) {
    for (const SettingEntry& e : Entries()) {
      if (!e.info.upstream || e.map_key || seen.count(std::string(e.info.name)) > 0) continue;
      bool under_null = CheckAncestors(next, std::string(e.info.name)).has_value();
      bool parent_seen = Parent(e.info.name).empty() || seen.count(Parent(e.info.name)) > 0;
      if (!under_null && parent_seen) {
        return Status::Invalid("missing field `" + std::string(e.info.name) + "`");
      }
    }
  }
  *settings = std::move(next);
  return Status::Ok();
}

Status MergeSettingsEnv(Settings* settings, std::string_view prefix,
                        const std::vector<std::pair<std::string, std::string>>& variables) {
  std::vector<std::pair<std::string, std::string>> sorted = variables;
  std::sort(sorted.begin(), sorted.end());
  const std::string lower_prefix = Lower(prefix);
  const std::string origin = "`" + std::string(prefix) + "` environment variable(s)";
  Settings next = *settings;
  for (const auto& [var, text] : sorted) {
    if (var.size() <= prefix.size() || Lower(var.substr(0, prefix.size())) != lower_prefix)
      continue;
    std::string key = Lower(var.substr(prefix.size()));
    std::string name;
    if (Canonicalize(key, &name)) continue;  // not a setting: another tool's variable
    // Variables are text: a setting that takes a string (a duration, a choice, a number
    // written as a string) gets the text as it is ("10" is ten seconds, not a type error);
    // others get it read as JSON (numbers, booleans, null), or as a string if it is not JSON.
    const SettingEntry& entry = *FindEntry(name);
    const bool textual = entry.info.type == SettingType::kDuration ||
                         entry.info.type == SettingType::kString ||
                         entry.info.type == SettingType::kNumberString;
    Json value;
    std::string ignored;
    if (textual && text != "null") {
      value = text;
    } else if (!ParseJson(text, &value, &ignored)) {
      value = text;
    }
    if (auto p = CheckAncestors(next, name)) return Status::Invalid(LoadMessage(*p, origin));
    if (auto p = ApplyValue(&next, entry, value, nullptr)) {
      p->key = var.substr(prefix.size());
      return Status::Invalid(LoadMessage(*p, origin));
    }
  }
  *settings = std::move(next);
  return Status::Ok();
}

std::string SettingsToJson(const Settings& settings) {
  Json doc = Json::object();
  for (const SettingEntry& e : Entries()) {
    if (e.info.name.find('.') != std::string_view::npos) continue;
    doc[std::string(e.info.name)] = Output(settings, e);
  }
  return doc.dump();
}

Result<std::string> GetSettingJson(const Settings& settings, std::string_view key) {
  std::string name;
  if (auto p = Canonicalize(key, &name)) return Status::Invalid(SetMessage(*p));
  if (auto p = CheckAncestors(settings, name)) return Status::Invalid(SetMessage(*p));
  return Output(settings, *FindEntry(name)).dump();
}

}  // namespace slatedb
