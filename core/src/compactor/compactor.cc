// SPDX-License-Identifier: Apache-2.0
//
// The public Compactor: argument validation, then CompactorProcess.
#include "slatedb/compactor.h"

#include "compactor/compactor_process.h"

namespace slatedb {

namespace {

Status ValidateOptions(const CompactorOptions& options) {
  if (!options.object_store) return Status::Invalid("CompactorOptions.object_store is required");
  if (!options.executor) return Status::Invalid("CompactorOptions.executor is required");
  if (!options.clock) return Status::Invalid("CompactorOptions.clock is required");
  const std::string& path = options.path;
  if (!path.empty()) {
    if (path.front() == '/' || path.back() == '/') {
      return Status::Invalid("CompactorOptions.path must not start or end with '/': " + path);
    }
    SLATEDB_RETURN_IF_ERROR(ValidateObjectKey(path).WithContext("CompactorOptions.path"));
  }
  return options.settings.Validate();
}

}  // namespace

Task<Result<std::shared_ptr<Compactor>>> Compactor::Open(CompactorOptions options) {
  Status valid = ValidateOptions(options);
  if (!valid.ok()) co_return valid;
  auto impl = std::make_shared<CompactorProcess>(std::move(options));
  Status opened = co_await impl->Open();
  if (!opened.ok()) {
    impl->Stop();
    co_return opened;
  }
  co_return std::shared_ptr<Compactor>(new Compactor(std::move(impl)));
}

Compactor::Compactor(std::shared_ptr<CompactorProcess> impl) : impl_(std::move(impl)) {}

Compactor::~Compactor() { impl_->Stop(); }

Task<Status> Compactor::Run() { return impl_->Run(); }

void Compactor::Stop() { impl_->Stop(); }

uint64_t Compactor::epoch() const { return impl_->epoch(); }

std::map<std::string, uint64_t> Compactor::Metrics() const { return impl_->Metrics(); }

}  // namespace slatedb
