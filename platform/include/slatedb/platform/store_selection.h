// SPDX-License-Identifier: Apache-2.0
//
// Choosing a database's object store from a URL or from the environment, the one rule the
// Python package (python/slatedb/_open.py) and the `slatedb` command line share:
//
//   memory:///               a new, private in-memory store
//   file:///abs/dir          a local directory; the database lives in <dir>/<path>
//   s3://bucket/prefix       S3 or a compatible store, configured by the AWS_* variables
//                            (s3_config.h); s3a:// is the same
//   az://container/prefix    Azure Blob Storage, configured by the AZURE_* variables
//                            (azure_config.h); azure://, abfs://, abfss://, adl:// too
//
// and, without a URL, CLOUD_PROVIDER: `local` (LOCAL_PATH is the directory), `memory`, or
// `aws` (AWS_BUCKET names "bucket[/prefix]") or `azure` (AZURE_CONTAINER_NAME names
// "container[/prefix]").
//
// A local database's store is rooted at the database directory's parent, so sibling
// databases share one key namespace (a clone names its parent's SSTs by the parent's path).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "slatedb/clock.h"
#include "slatedb/object_store.h"
#include "slatedb/platform/s3_config.h"
#include "slatedb/platform/s3_native.h"
#include "slatedb/result.h"

namespace slatedb {

struct StoreLocation {
  std::shared_ptr<ObjectStore> store;
  std::string path;  // the database's path inside `store` (no leading or trailing '/')
};

// Opens the store `url` names for the database at `path` (relative to the URL's location).
// `env` supplies the AWS_* variables of an s3:// URL; `clock` stamps a memory store's
// objects (nullptr: the system clock). Opening S3 probes the bucket (network); `s3`
// chooses whether the probe includes the conditional-write check (which writes and
// deletes a probe object; a read-only user may skip it).
// Invalid: no scheme, a file URL without an absolute path, a malformed s3 URL or variable.
// Unavailable: a scheme no store serves (an object-store error, as upstream reports it),
// or a store that cannot be reached.
Result<StoreLocation> OpenStoreForUrl(std::string_view url, std::string_view path,
                                      const EnvLookup& env, std::shared_ptr<Clock> clock = nullptr,
                                      const S3OpenOptions& s3 = {});

// Opens the store CLOUD_PROVIDER names (see above) for the database at `path`.
// Invalid: CLOUD_PROVIDER or a variable the provider needs is missing or unknown.
Result<StoreLocation> OpenStoreFromEnv(std::string_view path, const EnvLookup& env,
                                       std::shared_ptr<Clock> clock = nullptr,
                                       const S3OpenOptions& s3 = {});

// (store root, database path) for a database directory on the local file system: the
// parent directory and the last component, after lexical normalisation ("a/./b/" is
// "a/b"). A directory directly under "/" (or the root itself) is its own root, path "".
std::pair<std::string, std::string> SplitLocalDatabaseDir(std::string_view dir);

// The process environment over the variables of dotenv file `env_file` (dotenv.h's
// ParseDotEnv): a process variable wins over the file's. A missing file adds nothing.
// Invalid if the file cannot be parsed (the message names the file and line).
Result<EnvLookup> ProcessEnvWithDotEnv(const std::string& env_file);

}  // namespace slatedb
