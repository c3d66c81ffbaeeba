// SPDX-License-Identifier: Apache-2.0
//
// Object keys of one database under its path prefix (docs/format.md):
//   <path>/manifest/<20-digit id>.manifest
//   <path>/wal/<20-digit id>.sst
//   <path>/compacted/<ULID>.sst
//   <path>/compactions/<20-digit id>.compactions
//   <path>/gc/manifest.boundary, <path>/gc/compactions.boundary (gc/gc_boundary.h)
// Ids are zero-padded so that the store's byte-ordered List returns them in numeric order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slatedb {

class DbPaths {
 public:
  explicit DbPaths(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string ManifestDir() const { return Join("manifest/"); }
  std::string WalDir() const { return Join("wal/"); }
  std::string CompactedDir() const { return Join("compacted/"); }
  std::string CompactionsDir() const { return Join("compactions/"); }
  std::string GcDir() const { return Join("gc/"); }
  // The garbage collector's boundary object for versions of `kind` ("manifest",
  // "compactions").
  std::string GcBoundary(std::string_view kind) const {
    return Join("gc/" + std::string(kind) + ".boundary");
  }
  // Every object of the database lies under this prefix ("<root>/").
  std::string Prefix() const { return Join(""); }
  // Present while a forced Admin::DeleteDatabase runs (upstream's marker).
  std::string DeletingMarker() const { return Join(".deleting"); }
  std::string Compactions(uint64_t id) const {
    return Join("compactions/" + PadId(id) + ".compactions");
  }
  std::string Manifest(uint64_t id) const { return Join("manifest/" + PadId(id) + ".manifest"); }
  std::string Wal(uint64_t id) const { return Join("wal/" + PadId(id) + ".sst"); }
  std::string Compacted(std::string_view ulid) const {
    return Join("compacted/" + std::string(ulid) + ".sst");
  }

  // The id in a listed key "<dir><20 digits><suffix>", or nullopt if it is not one.
  static std::optional<uint64_t> ParseId(std::string_view key, std::string_view dir,
                                         std::string_view suffix);
  static std::string PadId(uint64_t id);

 private:
  std::string Join(const std::string& rest) const {
    return root_.empty() ? rest : root_ + "/" + rest;
  }
  std::string root_;
};

}  // namespace slatedb
