// SPDX-License-Identifier: Apache-2.0
#include "manifest/segment_set.h"

#include <algorithm>

namespace slatedb {

std::string DebugBytes(std::string_view bytes) {
  std::string out = "b\"";
  for (unsigned char c : bytes) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\\':
      case '"':
        out += '\\';
        out += static_cast<char>(c);
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        }
    }
  }
  out += '"';
  return out;
}

namespace {

std::string DebugName(const std::optional<std::string>& name) {
  if (!name) return "None";
  std::string out = "Some(\"";
  for (char c : *name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\")";
}

}  // namespace

Status CheckSegmentExtractor(const Manifest& manifest, const PrefixExtractor* extractor) {
  std::optional<std::string> configured;
  if (extractor != nullptr) configured = extractor->Name();
  if (configured != manifest.segment_extractor_name) {
    return Status::Invalid("segment extractor configuration mismatch (persisted: " +
                           DebugName(manifest.segment_extractor_name) +
                           ", configured: " + DebugName(configured) + ")");
  }
  if (extractor == nullptr) return Status::Ok();
  for (const Segment& s : manifest.segments) {
    SLATEDB_ASSIGN_OR_RETURN(std::optional<size_t> len, extractor->PrefixLen(s.prefix, false));
    if (!len || *len != s.prefix.size()) {
      return Status::Invalid("segment prefix " + DebugBytes(s.prefix) +
                             " is not recognized by the configured extractor `" + *configured +
                             "`");
    }
  }
  return Status::Ok();
}

const Segment* FindSegment(const Manifest& manifest, std::string_view key) {
  const std::vector<Segment>& segs = manifest.segments;
  // The last segment whose prefix is <= key.
  auto it = std::upper_bound(
      segs.begin(), segs.end(), key,
      [](std::string_view k, const Segment& s) { return k < std::string_view(s.prefix); });
  if (it == segs.begin()) return nullptr;
  --it;
  return key.starts_with(it->prefix) ? &*it : nullptr;
}

namespace {

Segment* FindPrefix(Manifest& m, std::string_view prefix) {
  for (Segment& s : m.segments) {
    if (s.prefix == prefix) return &s;
  }
  return nullptr;
}

void SwapTree(Manifest& m, Segment& s) {
  std::swap(m.l0, s.l0);
  std::swap(m.sorted_runs, s.sorted_runs);
  std::swap(m.last_compacted_l0_sst_id, s.last_compacted_l0_view_id);
}

}  // namespace

Manifest TreeView(const Manifest& manifest, std::string_view segment) {
  Manifest out = manifest;
  if (!segment.empty()) {
    if (Segment* s = FindPrefix(out, segment)) SwapTree(out, *s);
  }
  out.segments.clear();
  return out;
}

Status EditTree(Manifest& manifest, std::string_view segment,
                const std::function<Status(Manifest&)>& edit) {
  if (segment.empty()) return edit(manifest);
  Segment* s = FindPrefix(manifest, segment);
  if (s == nullptr) return Status::Internal("segment " + DebugBytes(segment) + " is gone");
  SwapTree(manifest, *s);
  Status result = edit(manifest);
  SwapTree(manifest, *FindPrefix(manifest, segment));
  return result;
}

Result<std::string> SegmentSet::PrefixOf(std::string_view key) const {
  SLATEDB_ASSIGN_OR_RETURN(std::optional<size_t> len, extractor_->PrefixLen(key, true));
  if (!len || *len == 0) {
    return Status::Invalid("segment extractor produced an empty prefix for key " + DebugBytes(key));
  }
  if (*len > key.size()) {
    return Status::Invalid("segment extractor produced a prefix of " + std::to_string(*len) +
                           " bytes for key " + DebugBytes(key) + " of " +
                           std::to_string(key.size()));
  }
  return std::string(key.substr(0, *len));
}

Status SegmentSet::CheckNew(const std::vector<std::string>& prefixes) const {
  auto conflict = [](const std::string& prefix, const std::string& other) {
    return Status::Invalid("segment prefix " + DebugBytes(prefix) +
                           " would nest with existing segment " + DebugBytes(other));
  };
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const std::string& p = prefixes[i];
    if (prefixes_.contains(p)) continue;
    // A live proper prefix of p: it would be the greatest prefix below p.
    auto below = prefixes_.lower_bound(p);
    if (below != prefixes_.begin()) {
      const std::string& q = *std::prev(below);
      if (p.starts_with(q)) return conflict(p, q);
    }
    // A live prefix that p starts: the least one above p.
    if (below != prefixes_.end() && std::string_view(*below).starts_with(p)) {
      return conflict(p, *below);
    }
    for (size_t j = 0; j < i; ++j) {
      const std::string& q = prefixes[j];
      if (q != p && (p.starts_with(q) || q.starts_with(p))) return conflict(p, q);
    }
  }
  return Status::Ok();
}

void SegmentSet::AddFrom(const Manifest& manifest) {
  for (const Segment& s : manifest.segments) prefixes_.insert(s.prefix);
}

std::optional<std::string> SegmentSet::Owner(std::string_view key) const {
  auto it = prefixes_.upper_bound(key);
  if (it == prefixes_.begin()) return std::nullopt;
  --it;
  if (!key.starts_with(*it)) return std::nullopt;
  return *it;
}

}  // namespace slatedb
