// SPDX-License-Identifier: Apache-2.0
//
// SimModel: what the simulation knows about each key. Faults make some outcomes
// uncertain (a write answered Unavailable may or may not have been applied; a write that
// was not yet durable may or may not survive a crash), so every key holds the set of
// values a correct engine may show, rather than one value:
//   current  - what a read through the live process may return now;
//   durable  - what a read may return after a crash and reopen.
// An absent or deleted key is the value nullopt. Keys never written are {nullopt}.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

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
    k.current.insert(value);
    k.durable.insert(value);
  }

  // A WAL flush succeeded: everything acknowledged before it is durable.
  void AllDurable() {
    for (auto& [key, k] : keys_) k.durable = k.current;
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

 private:
  inline static const SimCandidates kAbsent{SimValue{}};
  std::map<std::string, Key> keys_;
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
