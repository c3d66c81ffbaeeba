// SPDX-License-Identifier: Apache-2.0
#include "uniffi_module.h"

#include <pybind11/gil_safe_call_once.h>
#include <pybind11/stl.h>

#include <map>

#include "async_call.h"
#include "bindings.h"
#include "uniffi_errors.h"
#include "slatedb/platform/azure_object_store.h"
#include "slatedb/platform/gcs_object_store.h"
#include "slatedb/platform/s3_native.h"

namespace slatedb::python {

FuturePtr NewLoopFuture() {
  // GIL-safe once (see CompleteFuture in runtime.cc): the import may release the GIL.
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> get_running_loop;
  py::object loop = get_running_loop
                        .call_once_and_store_result(
                            [] { return py::module_::import("asyncio").attr("get_running_loop"); })
                        .get_stored()();
  py::object future = loop.attr("create_future")();
  auto* raw = new PendingFuture{std::move(loop), std::move(future)};
  return FuturePtr(raw, &DeleteWithGil<PendingFuture>);
}

void RegisterUniffiStores(py::module_& m) {
  // An S3 store for "s3://bucket[/prefix]" configured by `vars` (AWS_* names) alone; probes
  // the bucket, so it runs with the GIL released.
  m.def("s3_store", [](const std::string& url, const std::map<std::string, std::string>& vars) {
    Result<std::shared_ptr<S3ObjectStore>> store = Status::Internal("unset");
    {
      py::gil_scoped_release release;
      EnvLookup lookup = [vars](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
      };
      Result<S3Config> config = S3ConfigFromUrl(url, lookup);
      store = config.ok() ? OpenS3ObjectStore(std::move(*config))
                          : Result<std::shared_ptr<S3ObjectStore>>(config.status());
    }
    return StoreHandle{UnwrapUniffi(std::move(store))};
  });
  // An Azure Blob store for "az://container[/prefix]" configured by `options` (object_store's
  // key names) and, in emulator mode, `azurite_url` (AZURITE_BLOB_STORAGE_URL; "" for the
  // default); checks access to the container, so it runs with the GIL released.
  m.def("azure_store", [](const std::string& url, const std::map<std::string, std::string>& options,
                          const std::string& azurite_url) {
    Result<std::shared_ptr<AzureBlobObjectStore>> store = Status::Internal("unset");
    {
      py::gil_scoped_release release;
      Result<AzureConfig> config = AzureConfigFromUrl(
          url, options,
          azurite_url.empty() ? std::nullopt : std::optional<std::string>(azurite_url));
      store = config.ok() ? OpenAzureObjectStore(std::move(*config))
                          : Result<std::shared_ptr<AzureBlobObjectStore>>(config.status());
    }
    return StoreHandle{UnwrapUniffi(std::move(store))};
  });
  // A GCS store for `bucket` ("bucket[/prefix]") configured by object_store's GCS keys
  // (gcs_object_store.h). Makes no request: credential errors come with the first call.
  // A configuration error (unreadable key file, unknown key) raises ValueError with the
  // bare message; the Python layer words it as upstream does.
  m.def("gcs_store",
        [](const std::map<std::string, std::string>& options, const std::string& bucket) {
          Result<GcsConfig> config = GcsConfigFromOptions(options, bucket);
          Result<std::shared_ptr<GcsObjectStore>> store =
              config.ok() ? OpenGcsObjectStore(std::move(*config))
                          : Result<std::shared_ptr<GcsObjectStore>>(config.status());
          if (!store.ok()) throw py::value_error(store.status().message());
          return StoreHandle{std::move(*store)};
        });
}

void RegisterUniffi(py::module_& parent) {
  py::module_ m = parent.def_submodule("_uniffi", "native part of slatedb.uniffi");
  RegisterUniffiErrors(m);
  RegisterUniffiStores(m);
  RegisterUniffiCache(m);
  RegisterUniffiDb(m);
  RegisterUniffiReader(m);
  RegisterUniffiAdmin(m);
  RegisterUniffiWal(m);
}

}  // namespace slatedb::python
