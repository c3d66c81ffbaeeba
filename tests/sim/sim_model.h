// SPDX-License-Identifier: Apache-2.0
//
// SimModel: what the simulation knows about each key. Faults make some outcomes
// uncertain (a write answered Unavailable may or may not have been applied; a write that
// was not yet durable may or may not survive a crash), so every key holds the set of
// values a correct engine may show, rather than one value:
//   current  - what a read through the live process may return now;
//   durable  - what a read may return after a crash and reopen.
// An absent or deleted key is the value nullopt. Keys never written are {nullopt}.
//
// Versions (for readers, which see the durable state as of some past moment): Seal(),
// called after every operation, numbers the durable candidate sets the operation left. A
// read-only reader's view must fit, on every key it shows, the durable candidates of one
// single version (DurableVersions): the store's durable state at any moment is a choice
// from each key's durable candidates of the operation running then, before or after its
// change (batches are atomic, so whole operations are the unit).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace slatedb::testing {

using SimValue = std::optional<std::string>;
using SimCandidates = std::set<SimValue>;

class SimModel {
 public:
  struct Key {
    SimCandidates current{SimValue{}};
    SimCandidates durable{SimValue{}};
  };

  // A write of `value` was acknowledged; with `durable` it is in the store.
  void Acked(const std::string& key, const SimValue& value, bool durable) {
    Key& k = keys_[key];
    dirty_.insert(key);
    k.current = {value};
    if (durable) {
      k.durable = {value};
    } else {
      k.durable.insert(value);
    }
  }

  // A write of `value` failed: it may or may not have been applied, now or after a crash.
  void Uncertain(const std::string& key, const SimValue& value) {
    Key& k = keys_[key];
    dirty_.insert(key);
    k.current.insert(value);
    k.durable.insert(value);
  }

  // A WAL flush succeeded: everything acknowledged before it is durable.
  void AllDurable() {
    for (auto& [key, k] : keys_) {
      k.durable = k.current;
      dirty_.insert(key);
    }
  }

  // The process crashed (or was fenced): only what may be durable may be seen again.
  void Crashed() {
    for (auto& [key, k] : keys_) k.current = k.durable;
  }

  const SimCandidates& Current(const std::string& key) const {
    auto it = keys_.find(key);
    return it == keys_.end() ? kAbsent : it->second.current;
  }

  const std::map<std::string, Key>& keys() const { return keys_; }

  // The newest sealed version (0 before any write).
  uint64_t version() const { return version_; }

  // Ends an operation: if it changed any key's durable candidates, they become version
  // version() + 1.
  void Seal() {
    std::vector<const std::string*> changed;
    for (const std::string& key : dirty_) {
      const auto it = history_.find(key);
      const SimCandidates& now = keys_[key].durable;
      if (it == history_.end() ? now != kAbsent : it->second.back().second != now) {
        changed.push_back(&key);
      }
    }
    if (!changed.empty()) {
      ++version_;
      for (const std::string* key : changed) {
        auto& h = history_[*key];
        if (h.empty()) h.emplace_back(0, kAbsent);
        h.emplace_back(version_, keys_[*key].durable);
      }
    }
    dirty_.clear();
  }

  // The versions in [lo, hi] at which every key of `seen` may durably hold its value.
  std::vector<uint64_t> DurableVersions(const std::map<std::string, SimValue>& seen, uint64_t lo,
                                        uint64_t hi) const {
    if (lo > hi) return {};
    std::vector<char> fits(hi - lo + 1, 1);
    auto clear = [&](uint64_t from, uint64_t to) {
      from = std::max(from, lo);
      to = std::min(to, hi);
      for (uint64_t v = from; v <= to && from <= to; ++v) fits[v - lo] = 0;
    };
    for (const auto& [key, value] : seen) {
      auto it = history_.find(key);
      if (it == history_.end()) {
        if (value) return {};
        continue;
      }
      const auto& h = it->second;
      for (size_t i = 0; i < h.size(); ++i) {
        if (h[i].second.count(value)) continue;
        clear(h[i].first, i + 1 < h.size() ? h[i + 1].first - 1 : hi);
      }
    }
    std::vector<uint64_t> out;
    for (uint64_t v = lo; v <= hi; ++v) {
      if (fits[v - lo]) out.push_back(v);
    }
    return out;
  }

  // What `key` may durably hold at version `v` (for messages).
  SimCandidates DurableAt(const std::string& key, uint64_t v) const {
    auto it = history_.find(key);
    if (it == history_.end()) return kAbsent;
    SimCandidates out = kAbsent;
    for (const auto& [from, c] : it->second) {
      if (from <= v) out = c;
    }
    return out;
  }

 private:
  inline static const SimCandidates kAbsent{SimValue{}};
  std::map<std::string, Key> keys_;
  std::set<std::string> dirty_;  // keys touched since the last Seal
  uint64_t version_ = 0;
  // Per key: (first version, durable candidates from then on), ascending; keys absent
  // here were never written.
  std::map<std::string, std::vector<std::pair<uint64_t, SimCandidates>>> history_;
};

// A point-in-time copy of the current candidates (for snapshot reads).
using SimView = std::map<std::string, SimCandidates>;

inline SimView ViewOf(const SimModel& model) {
  SimView view;
  for (const auto& [key, k] : model.keys()) view[key] = k.current;
  return view;
}

inline const SimCandidates& Lookup(const SimView& view, const std::string& key) {
  static const SimCandidates absent{SimValue{}};
  auto it = view.find(key);
  return it == view.end() ? absent : it->second;
}

inline std::string Describe(const SimCandidates& c) {
  std::string out = "{";
  for (const SimValue& v : c) {
    if (out.size() > 1) out += ", ";
    out += v ? "\"" + v->substr(0, 16) + (v->size() > 16 ? "..." : "") + "\"" : "<absent>";
  }
  return out + "}";
}

}  // namespace slatedb::testing
