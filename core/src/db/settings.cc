// SPDX-License-Identifier: Apache-2.0
#include "slatedb/options.h"

namespace slatedb {

Status Settings::Validate() const {
  if (l0_sst_size_bytes < 1024) {
    return Status::Invalid("settings.l0_sst_size_bytes must be at least 1024");
  }
  if (max_unflushed_bytes <= l0_sst_size_bytes) {
    return Status::Invalid("settings.max_unflushed_bytes must exceed l0_sst_size_bytes");
  }
  if (block_size_bytes < 1024 || block_size_bytes > 65536) {
    return Status::Invalid("settings.block_size_bytes must be between 1 KiB and 64 KiB");
  }
  if (bloom_bits_per_key > 64) {
    return Status::Invalid("settings.bloom_bits_per_key must be at most 64");
  }
  if (l0_max_ssts == 0) return Status::Invalid("settings.l0_max_ssts must be at least 1");
  if (compression != CompressionCodec::kNone && compression != CompressionCodec::kZstd) {
    return Status::Invalid("settings.compression is not a known codec");
  }
  if (object_store_max_retries > 100) {
    return Status::Invalid("settings.object_store_max_retries must be at most 100");
  }
  if (compaction_min_sources < 2 || compaction_max_sources < compaction_min_sources) {
    return Status::Invalid(
        "settings.compaction_min_sources must be at least 2 and at most compaction_max_sources");
  }
  if (compactor_enabled && l0_max_ssts < compaction_min_sources) {
    return Status::Invalid("settings.l0_max_ssts must be at least compaction_min_sources");
  }
  if (!(compaction_include_size_threshold > 1.0)) {
    return Status::Invalid("settings.compaction_include_size_threshold must exceed 1.0");
  }
  if (compaction_max_sst_bytes < 64 * 1024) {
    return Status::Invalid("settings.compaction_max_sst_bytes must be at least 64 KiB");
  }
  if (manifest_poll_interval_ms == 0) {
    return Status::Invalid("settings.manifest_poll_interval_ms must be at least 1");
  }
  if (compaction_max_concurrent == 0) {
    return Status::Invalid("settings.compaction_max_concurrent must be at least 1");
  }
  return Status::Ok();
}

}  // namespace slatedb
