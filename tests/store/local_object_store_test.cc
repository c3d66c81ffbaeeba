// SPDX-License-Identifier: Apache-2.0
//
// LocalObjectStore: the conformance suite on a fresh temp directory per store, plus what
// only a file-backed store can get wrong: races between processes, symlinks leading out
// of the root, leftover temp files, data surviving a re-open, and the on-disk layout.
#include "slatedb/platform/local_object_store.h"

#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/object_store_conformance.h"
#include "testutil/sync_object_store.h"
#include "testutil/temp_dir.h"

namespace slatedb::testing {
namespace {

// A store that owns its temp directory: the directory goes when the last reference does.
std::shared_ptr<ObjectStore> MakeStoreInTempDir() {
  struct Holder {
    TempDir dir;
    std::shared_ptr<LocalObjectStore> store;
  };
  auto holder = std::make_shared<Holder>();
  Result<std::shared_ptr<LocalObjectStore>> opened = LocalObjectStore::Open(holder->dir.path());
  REQUIRE(opened.ok());
  holder->store = *opened;
  return std::shared_ptr<ObjectStore>(holder, holder->store.get());
}

std::shared_ptr<LocalObjectStore> OpenOrDie(const std::string& root) {
  Result<std::shared_ptr<LocalObjectStore>> opened = LocalObjectStore::Open(root);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  return *opened;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

std::vector<std::string> DirEntries(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return names;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  return names;
}

bool NotOkAndNotFoundOrInvalid(const Status& st) {
  return st.code() == StatusCode::kNotFound || st.code() == StatusCode::kInvalid;
}

TEST_CASE("local store passes the conformance suite", "[store]") {
  CheckObjectStoreConformance(MakeStoreInTempDir);
}

TEST_CASE("local store maps keys to files under its root", "[store]") {
  TempDir dir;
  auto store = OpenOrDie(dir.Join("nested/new/root"));  // created with its parents
  SyncObjectStore sync(store);
  REQUIRE(sync.Put("a/b/c", std::string("x\0y", 3)).ok());
  CHECK(ReadFile(dir.Join("nested/new/root/a/b/c")) == std::string("x\0y", 3));
  CHECK(store->Describe() == "local:" + store->root());

  // A file put there by hand is an object too.
  WriteFile(dir.Join("nested/new/root/a/b/d"), "by hand");
  Result<std::string> got = sync.Get("a/b/d");
  REQUIRE(got.ok());
  CHECK(*got == "by hand");
}

TEST_CASE("local store open rejects unusable roots", "[store]") {
  TempDir dir;
  CHECK(LocalObjectStore::Open("").status().code() == StatusCode::kInvalid);
  WriteFile(dir.Join("file"), "not a dir");
  CHECK(LocalObjectStore::Open(dir.Join("file")).status().code() == StatusCode::kInvalid);
  CHECK(LocalObjectStore::Open(dir.Join("file/below")).status().code() == StatusCode::kInvalid);
}

TEST_CASE("local store data survives re-opening", "[store]") {
  TempDir dir;
  std::string version;
  {
    auto store = OpenOrDie(dir.path());
    SyncObjectStore sync(store);
    Result<ObjectMeta> put = sync.Put("manifest/00000000000000000001.manifest", "m1");
    REQUIRE(put.ok());
    version = put->version;
    REQUIRE(sync.Put("wal/00000000000000000001.sst", "w1").ok());
  }
  auto store = OpenOrDie(dir.path());
  SyncObjectStore sync(store);
  Result<std::string> got = sync.Get("manifest/00000000000000000001.manifest");
  REQUIRE(got.ok());
  CHECK(*got == "m1");
  Result<ObjectMeta> head = sync.Head("manifest/00000000000000000001.manifest");
  REQUIRE(head.ok());
  CHECK(head->version == version);
  Result<std::vector<ObjectMeta>> listed = sync.List("");
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);
  // The version taken before the re-open still works for a conditional replace.
  CHECK(sync.PutIfVersion("manifest/00000000000000000001.manifest", "m2", version).ok());
  CHECK(sync.PutIfAbsent("wal/00000000000000000001.sst", "again").status().code() ==
        StatusCode::kAlreadyExists);
}

TEST_CASE("local store leaves no temp files and hides its own files", "[store]") {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  SyncObjectStore sync(store);
  Result<ObjectMeta> v1 = sync.Put("k/obj", "1");
  REQUIRE(v1.ok());
  REQUIRE(sync.Put("k/obj", "2").ok());
  CHECK(sync.PutIfAbsent("k/obj", "3").status().code() == StatusCode::kAlreadyExists);
  REQUIRE(sync.PutIfAbsent("k/new", "4").ok());
  CHECK(sync.PutIfVersion("k/obj", "5", v1->version).status().code() ==
        StatusCode::kVersionMismatch);
  Result<ObjectMeta> head = sync.Head("k/obj");
  REQUIRE(head.ok());
  REQUIRE(sync.PutIfVersion("k/obj", "6", head->version).ok());
  CHECK(sync.Put("k/obj/under", "7").status().code() == StatusCode::kInvalid);  // obj is a file
  CHECK(sync.Put("k", "8").status().code() == StatusCode::kInvalid);            // k is a directory
  REQUIRE(sync.Delete("k/new").ok());

  CHECK(DirEntries(dir.Join(".tmp")).empty());
  Result<std::vector<ObjectMeta>> all = sync.List("");
  REQUIRE(all.ok());
  std::vector<std::string> keys;
  for (const ObjectMeta& m : *all) keys.push_back(m.key);
  CHECK(keys == std::vector<std::string>{"k/obj"});

  for (const char* reserved : {".tmp", ".tmp/x", ".lock", ".lock/x"}) {
    INFO(reserved);
    CHECK(sync.Get(reserved).status().code() == StatusCode::kInvalid);
    CHECK(sync.Put(reserved, "x").status().code() == StatusCode::kInvalid);
    CHECK(sync.Delete(reserved).code() == StatusCode::kInvalid);
  }
  // Names merely starting like them are ordinary keys.
  REQUIRE(sync.Put(".tmpfile", "ok").ok());
  REQUIRE(sync.Put(".locks/a", "ok").ok());
  Result<std::vector<ObjectMeta>> dotted = sync.List(".");
  REQUIRE(dotted.ok());
  REQUIRE(dotted->size() == 2);
  CHECK((*dotted)[0].key == ".locks/a");
  CHECK((*dotted)[1].key == ".tmpfile");
  Result<std::vector<ObjectMeta>> tmp_listing = sync.List(".tmp/");
  CHECK((tmp_listing.ok() ? tmp_listing->empty() : true));
  CHECK(DirEntries(dir.Join(".tmp")).empty());
}

TEST_CASE("local store never follows symlinks out of its root", "[store]") {
  TempDir outside;
  WriteFile(outside.Join("secret"), "secret");
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  SyncObjectStore sync(store);
  REQUIRE(::symlink(outside.path().c_str(), dir.Join("link").c_str()) == 0);
  REQUIRE(::mkdir(dir.Join("sub").c_str(), 0755) == 0);
  REQUIRE(::symlink(outside.path().c_str(), dir.Join("sub/link").c_str()) == 0);
  REQUIRE(::symlink(outside.Join("secret").c_str(), dir.Join("leaf").c_str()) == 0);

  for (const char* key : {"link/secret", "sub/link/secret"}) {
    INFO(key);
    CHECK(NotOkAndNotFoundOrInvalid(sync.Get(key).status()));
    CHECK(NotOkAndNotFoundOrInvalid(sync.GetRange(key, 0, 1).status()));
    CHECK(NotOkAndNotFoundOrInvalid(sync.Head(key).status()));
    CHECK_FALSE(sync.Put(key, "pwned").ok());
    CHECK_FALSE(sync.PutIfAbsent(key, "pwned").ok());
    CHECK_FALSE(sync.PutIfVersion(key, "pwned", "x").ok());
    CHECK_FALSE(sync.Put(std::string(key) + "2", "new file outside").ok());
    Status deleted = sync.Delete(key);
    CHECK((deleted.ok() || deleted.code() == StatusCode::kInvalid));
  }
  CHECK(NotOkAndNotFoundOrInvalid(sync.Get("leaf").status()));
  CHECK(NotOkAndNotFoundOrInvalid(sync.Head("leaf").status()));
  CHECK_FALSE(sync.PutIfVersion("leaf", "pwned", "x").ok());
  CHECK_FALSE(sync.PutIfAbsent("leaf", "pwned").ok());

  // Listing shows none of it.
  Result<std::vector<ObjectMeta>> all = sync.List("");
  REQUIRE(all.ok());
  CHECK(all->empty());
  Result<std::vector<ObjectMeta>> through = sync.List("link/");
  CHECK((through.ok() ? through->empty() : through.status().code() == StatusCode::kInvalid));

  // An overwrite replaces the link itself, never its target.
  REQUIRE(sync.Put("leaf", "mine").ok());
  CHECK(*sync.Get("leaf") == "mine");

  CHECK(ReadFile(outside.Join("secret")) == "secret");
  CHECK(DirEntries(outside.path()) == std::vector<std::string>{"secret"});
}

TEST_CASE("local store answers NotFound for a fifo instead of hanging", "[store]") {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  SyncObjectStore sync(store, std::chrono::seconds(10));
  REQUIRE(::mkfifo(dir.Join("pipe").c_str(), 0644) == 0);
  CHECK(sync.Get("pipe").status().code() == StatusCode::kNotFound);
  CHECK(sync.Head("pipe").status().code() == StatusCode::kNotFound);
  Result<std::vector<ObjectMeta>> all = sync.List("");
  REQUIRE(all.ok());
  CHECK(all->empty());
}

// Forks `n` children that each open the store at `root` and, released together, run
// `op`; a child exits 0 when its put succeeded, 1 on `loser_code`, 2 otherwise. Returns
// the exit codes.
template <typename Op>
std::vector<int> RaceInChildren(const std::string& root, int n, StatusCode loser_code, Op op) {
  int gate[2];
  REQUIRE(::pipe(gate) == 0);
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(gate[1]);
      Result<std::shared_ptr<LocalObjectStore>> store = LocalObjectStore::Open(root);
      if (!store.ok()) ::_exit(3);
      char c;
      while (::read(gate[0], &c, 1) < 0) {
      }  // EOF once the parent closes its end: all start together
      Status st = Status::Internal("callback not run");
      op(**store, i, &st);
      ::_exit(st.ok() ? 0 : st.code() == loser_code ? 1 : 2);
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  std::vector<int> codes;
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status));
  }
  return codes;
}

TEST_CASE("local store create-if-absent has one winner across processes", "[store]") {
  TempDir dir;
  constexpr int kChildren = 8;
  for (int round = 0; round < 3; ++round) {
    std::string key = "manifest/" + std::to_string(round);
    std::vector<int> codes =
        RaceInChildren(dir.path(), kChildren, StatusCode::kAlreadyExists,
                       [&](LocalObjectStore& store, int i, Status* out) {
                         ObjectPutOptions options;
                         options.mode = PutMode::kCreateIfAbsent;
                         store.Put(key, "child " + std::to_string(i), options,
                                   [out](Result<ObjectMeta> r) { *out = r.status(); });
                       });
    int winners = 0, winner = -1;
    for (int i = 0; i < kChildren; ++i) {
      INFO("child " << i << " exit code " << codes[i]);
      CHECK((codes[i] == 0 || codes[i] == 1));
      if (codes[i] == 0) {
        ++winners;
        winner = i;
      }
    }
    REQUIRE(winners == 1);
    CHECK(ReadFile(dir.Join(key)) == "child " + std::to_string(winner));
  }
  CHECK(DirEntries(dir.Join(".tmp")).empty());
}

TEST_CASE("local store replace-if-version-matches has one winner across processes", "[store]") {
  TempDir dir;
  std::string version;
  {
    auto store = OpenOrDie(dir.path());
    SyncObjectStore sync(store);
    Result<ObjectMeta> base = sync.Put("manifest/current", "base");
    REQUIRE(base.ok());
    version = base->version;
  }
  constexpr int kChildren = 8;
  std::vector<int> codes =
      RaceInChildren(dir.path(), kChildren, StatusCode::kVersionMismatch,
                     [&](LocalObjectStore& store, int i, Status* out) {
                       ObjectPutOptions options;
                       options.mode = PutMode::kReplaceIfVersionMatches;
                       options.expected_version = version;
                       store.Put("manifest/current", "child " + std::to_string(i), options,
                                 [out](Result<ObjectMeta> r) { *out = r.status(); });
                     });
  int winners = 0, winner = -1;
  for (int i = 0; i < kChildren; ++i) {
    INFO("child " << i << " exit code " << codes[i]);
    CHECK((codes[i] == 0 || codes[i] == 1));
    if (codes[i] == 0) {
      ++winners;
      winner = i;
    }
  }
  REQUIRE(winners == 1);
  CHECK(ReadFile(dir.Join("manifest/current")) == "child " + std::to_string(winner));
  CHECK(DirEntries(dir.Join(".tmp")).empty());
}

TEST_CASE("local store counts requests", "[store]") {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  SyncObjectStore sync(store);
  REQUIRE(sync.Put("a", "1").ok());
  REQUIRE(sync.Get("a").ok());
  REQUIRE(sync.GetRange("a", 0, 1).ok());
  REQUIRE(sync.Head("a").ok());
  REQUIRE(sync.List("").ok());
  REQUIRE(sync.Delete("a").ok());
  CHECK(sync.Get("a").status().IsNotFound());
  RequestCounts counts = store->counts();
  CHECK(counts.put == 1);
  CHECK(counts.get == 2);
  CHECK(counts.get_range == 1);
  CHECK(counts.head == 1);
  CHECK(counts.list == 1);
  CHECK(counts.del == 1);
}

}  // namespace
}  // namespace slatedb::testing
