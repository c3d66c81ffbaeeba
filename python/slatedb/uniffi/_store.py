# SPDX-License-Identifier: Apache-2.0
"""ObjectStore and ObjectStoreBuilder (python-uniffi-api.md sections 3.1, 3.2).

An ObjectStore names a store *root*; the database path is given to each builder. This build
has in-memory stores (each resolve makes a new, independent one), local directories, S3 and
Azure Blob Storage (az://, azure://, abfs://, abfss://, adl://) and Google Cloud Storage (gs://).
A local store rooted at R serves the database at path P from the directory R/P: the native
store is opened on P's parent directory (the seed API's rule, slatedb/_open.py), so
databases in one directory share one key namespace, as clones need.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from .. import slatedb as _native
from .._open import _load_dotenv, _local_split
from . import _convert as cv
from ._errors import Error
from ._protocols import ObjectStoreBuilderProtocol, ObjectStoreProtocol
from ._values import ObjectStoreType

_u = _native._uniffi


def _no_constructor(self, *args, **kwargs):
    raise ValueError("This class has no default constructor")


def _unavailable(detail: str) -> Error:
    return Error.Unavailable(f"Unavailable error: object store error ({detail})")


class ObjectStore(ObjectStoreProtocol):
    """An object store root. Make one with resolve(url), from_env(env_file) or
    ObjectStoreBuilder; share one object between writer, readers and admins of a database."""

    __init__ = _no_constructor

    @classmethod
    def _make(cls, kind: str, root=None, s3_url=None, s3_vars=None):
        store = object.__new__(cls)
        store._kind = kind          # "memory" | "local" | "s3" | "azure" | "gcs"
        store._root = root          # local: the root directory
        store._s3 = (s3_url, s3_vars or {})  # azure: (az:// url, options)
        store._handles = {}         # native stores, opened on first use
        if kind == "memory":
            store._handles[None] = _native._memory_store()
        return store

    @classmethod
    def _gcs(cls, bucket: str, options: dict, creation_error) -> "ObjectStore":
        """A GCS store (no request yet); a configuration error becomes
        creation_error(message)."""
        try:
            handle = _u.gcs_store(options, bucket)
        except ValueError as e:
            raise creation_error(str(e)) from None
        store = cls._make("gcs")
        store._handles[None] = handle
        return store

    @classmethod
    def resolve(cls, url: str) -> "ObjectStore":
        """The store a URL names: memory:///, file:///, s3://bucket, az://container (also
        azure://, abfs[s]://, adl://) or gs://bucket. The URL must not carry
        a path (give it to the builder instead). S3 stores connect on first use."""
        cv.string(url)
        parts = urlsplit(url)
        if not parts.scheme:
            raise Error.Invalid(
                f"Invalid error: invalid object store URL. url=`{url}` (relative URL without "
                f"a base)")
        scheme = parts.scheme.lower()
        path = parts.path.strip("/")
        if scheme in _AZURE_SCHEMES:
            # As upstream: the store is configured (and may fail) before the path is checked.
            options = _azure_env_options()
            try:
                container = _azure_location(url, options)
            except _AzureConfigError as e:
                raise _unavailable(f"Generic MicrosoftAzure error: {e}") from None
        if scheme in ("memory", "file", "s3", "s3a", "gs", "az", "azure", "abfs", "abfss",
                      "adl") and path:
            if scheme in ("memory", "file") or parts.netloc:
                raise Error.Invalid(
                    f"Invalid error: invalid object store path. provide path to builder "
                    f"instead. path=`{path}`")
        if scheme == "memory":
            return cls._make("memory")
        if scheme == "file":
            if parts.netloc:
                raise _unavailable(f'Generic URL error: Unable to recognise URL "{url}"')
            return cls._make("local", root="/")
        if scheme in ("s3", "s3a"):
            if not parts.netloc:
                raise _unavailable(f'Generic URL error: Unable to recognise URL "{url}"')
            return cls._make("s3", s3_url=f"s3://{parts.netloc}", s3_vars=dict(os.environ))
        if scheme in _AZURE_SCHEMES:
            if container is None:
                raise _unavailable(f'Generic URL error: Unable to recognise URL "{url}"')
            return cls._make("azure", s3_url=f"az://{container}", s3_vars=options)
        if scheme == "gs":
            if not parts.netloc:
                raise _unavailable(f'Generic URL error: Unable to recognise URL "{url}"')
            return cls._gcs(parts.netloc, _gcs_env_options(),
                            lambda m: _unavailable(f"Generic GCS error: {m}"))
        if scheme in ("http", "https"):
            raise _unavailable(f"this build has no {scheme}:// object store (memory, file, "
                               f"s3, az and gs are available)")
        raise _unavailable(f'Generic URL error: Unable to recognise URL "{url}"')

    @classmethod
    def from_env(cls, env_file) -> "ObjectStore":
        """The store the environment names (CLOUD_PROVIDER = local with LOCAL_PATH, memory,
        aws with the AWS_* variables, or gcp with the GOOGLE_* variables), after loading
        `env_file` (a dotenv file; a missing one is ignored) if given."""
        if env_file is not None:
            _load_dotenv(cv.string(env_file))
        provider = os.environ.get("CLOUD_PROVIDER")
        if provider is None:
            raise Error.Invalid(
                "Invalid error: invalid environment variable CLOUD_PROVIDER value `null`")
        kind = provider.lower()
        if kind == "memory":
            return cls._make("memory")
        if kind == "local":
            root = os.environ.get("LOCAL_PATH")
            if root is None:
                raise Error.Invalid(
                    "Invalid error: invalid environment variable LOCAL_PATH value `null`")
            return cls._make("local", root=_existing_root(root))
        if kind == "aws":
            env = dict(os.environ)
            bucket = env.get("AWS_BUCKET") or env.get("AWS_BUCKET_NAME")
            if not bucket:
                raise _unavailable("Generic AmazonS3 error: Generic S3 error: Missing bucket name")
            return cls._make("s3", s3_url=f"s3://{bucket}", s3_vars=env)
        if kind == "azure":
            options = _azure_env_options()
            container = os.environ.get("AZURE_CONTAINER_NAME")
            try:
                if container:
                    options["container_name"] = container
                container = _azure_location(None, options)
            except _AzureConfigError as e:
                raise _unavailable(f"Generic MicrosoftAzure error: Generic MicrosoftAzure "
                                   f"error: {e}") from None
            return cls._make("azure", s3_url=f"az://{container}", s3_vars=options)
        if kind == "gcp":
            options = _gcs_env_options()
            if not any(k in options for k in _GCS_BUCKET_KEYS):
                raise _unavailable("Generic GoogleCloudStorage error: Generic GCS error: Missing "
                                   "bucket name")
            return cls._gcs("", options, lambda m: _unavailable(
                f"Generic GoogleCloudStorage error: Generic GCS error: {m}"))
        raise Error.Invalid(
            f"Invalid error: invalid environment variable CLOUD_PROVIDER value `{provider}`")

    def _bind(self, path: str):
        """(native store, path inside it) for the database at `path` of this root."""
        if self._kind == "memory":
            return self._handles[None], path.strip("/")
        if self._kind == "local":
            full = os.path.join(self._root, path.lstrip("/")) if path else self._root
            parent, name = _local_split(full)
            handle = self._handles.get(parent)
            if handle is None:
                try:
                    handle = self._handles[parent] = _native._local_store(parent)
                except Exception as e:
                    raise _unavailable(f"Generic local error: {e}") from None
            return handle, name
        handle = self._handles.get(None)
        if handle is None:
            url, env = self._s3
            if self._kind == "azure":
                handle = _u.azure_store(url, env, os.environ.get("AZURITE_BLOB_STORAGE_URL", ""))
            else:
                handle = _u.s3_store(url, env)
            self._handles[None] = handle
        return handle, path.strip("/")

    def _same_root(self, path: str, other: str) -> bool:
        """Whether databases `path` and `other` of this root share one native store."""
        if self._kind != "local":
            return True
        return self._bind(path)[0] is self._bind(other)[0]


def _existing_root(root: str) -> str:
    if not os.path.isdir(root):
        raise _unavailable(f"Generic local error: Generic LocalFileSystem error: Unable to "
                           f"canonicalize filesystem root: {root}")
    return os.path.realpath(root)


# S3 configuration keys (object_store names, with or without the aws_ prefix) and the AWS_*
# variables this build's S3 client reads for them.
_S3_KEYS = {
    "access_key_id": "AWS_ACCESS_KEY_ID",
    "secret_access_key": "AWS_SECRET_ACCESS_KEY",
    "region": "AWS_REGION",
    "default_region": "AWS_REGION",
    "endpoint": "AWS_ENDPOINT_URL",
    "endpoint_url": "AWS_ENDPOINT_URL",
    "session_token": "AWS_SESSION_TOKEN",
    "token": "AWS_SESSION_TOKEN",
    "allow_http": "AWS_ALLOW_HTTP",
    "virtual_hosted_style_request": "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
    "bucket": "bucket",
    "bucket_name": "bucket",
}
# Keys upstream knows that this build's S3 client has no equivalent for.
_S3_UNSUPPORTED = {
    "unsigned_payload", "skip_signature", "checksum_algorithm", "imdsv1_fallback",
    "conditional_put", "s3_express", "request_payer", "sse_kms_key_id",
    "server_side_encryption", "metadata_endpoint", "container_credentials_relative_uri",
    "disable_tagging", "sse_bucket_key_enabled", "copy_if_not_exists",
}
_AZURE_SCHEMES = ("az", "azure", "abfs", "abfss", "adl")
# Azure configuration keys (object_store's names and aliases) this build's Azure client reads,
# by the canonical name it is given under.
_AZURE_KEYS = {
    "azure_storage_account_name": "account_name", "account_name": "account_name",
    "azure_storage_account_key": "access_key", "azure_storage_access_key": "access_key",
    "azure_storage_master_key": "access_key", "master_key": "access_key",
    "account_key": "access_key", "access_key": "access_key",
    "azure_storage_sas_key": "sas_key", "azure_storage_sas_token": "sas_key",
    "sas_key": "sas_key", "sas_token": "sas_key",
    "azure_storage_use_emulator": "use_emulator", "object_store_use_emulator": "use_emulator",
    "use_emulator": "use_emulator",
    "azure_storage_endpoint": "endpoint", "azure_endpoint": "endpoint", "endpoint": "endpoint",
    "azure_container_name": "container_name", "container_name": "container_name",
    "azure_allow_http": "allow_http", "allow_http": "allow_http",
    "azure_skip_signature": "skip_signature", "skip_signature": "skip_signature",
}
# Keys upstream knows that this build's Azure client has no equivalent for (OAuth, managed
# identity, Azure CLI and Fabric credentials).
_AZURE_UNSUPPORTED = {
    "client_id", "client_secret", "tenant_id", "authority_id", "authority_host", "token",
    "bearer_token", "msi_endpoint", "identity_endpoint", "object_id", "msi_resource_id",
    "federated_token_file", "use_azure_cli", "use_fabric_endpoint", "disable_tagging",
    "fabric_token_service_url", "fabric_workload_host", "fabric_session_token",
    "fabric_cluster_identifier",
}
_AZURE_BOOLS = ("use_emulator", "allow_http", "skip_signature")


class _AzureConfigError(Exception):
    pass


def _azure_key(key: str):
    """The canonical name of an Azure option, False if unsupported here, None if unknown."""
    key = key.lower()
    if key in _AZURE_KEYS:
        return _AZURE_KEYS[key]
    bare = key
    for p in ("azure_storage_", "azure_"):
        if bare.startswith(p):
            bare = bare[len(p):]
            break
    return False if bare in _AZURE_UNSUPPORTED else None


def _azure_env_options() -> dict:
    """The options the AZURE_* variables set, as MicrosoftAzureBuilder::from_env reads them."""
    options = {}
    for name, value in os.environ.items():
        if name.startswith("AZURE_") and name != "AZURE_CONTAINER_NAME":
            target = _azure_key(name)
            if target:
                options[target] = value
    return options


def _parse_bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "1", "yes", "on"):
        return True
    if v in ("false", "0", "no", "off", ""):
        return False
    raise ValueError(value)


def _azure_location(url, options: dict):
    """The container (with any prefix) that `url` (or options' container_name) names, after
    the checks MicrosoftAzureBuilder::build makes; None if the URL names no container."""
    container = options.get("container_name")
    if url is not None:
        parts = urlsplit(url)
        host = parts.netloc
        if "@" in host:
            container, account_host = host.split("@", 1)
            account, _, domain = account_host.partition(".")
            if domain not in ("dfs.core.windows.net", "blob.core.windows.net"):
                return None
            options["account_name"] = account
        elif host:
            container = host
        if not container or "." in container:
            return None
    if not container:
        raise _AzureConfigError("Container name must be specified")
    try:
        emulator = _parse_bool(options.get("use_emulator", "false"))
    except ValueError:
        raise _AzureConfigError("use_emulator must be true or false") from None
    if not emulator and not options.get("account_name"):
        raise _AzureConfigError("Account must be specified")
    if "access_key" in options:
        problem = _base64_problem(options["access_key"])
        if problem:
            raise _AzureConfigError(f"Invalid Access Key: {problem}")
    return container


_BASE64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_problem(text: str):
    """None if `text` is padded standard base64, else what is wrong, in the words of the
    base64 crate that upstream decodes account keys with."""
    body = text.rstrip("=")
    for offset, char in enumerate(body):
        if char not in _BASE64:
            return f"Invalid symbol {ord(char)}, offset {offset}."
    if len(body) % 4 == 1:
        return "Invalid input length."
    if len(text) % 4 != 0 or len(text) - len(body) > 2:
        return "Invalid padding"
    return None


_TYPE_NAMES = {ObjectStoreType.S3: "S3", ObjectStoreType.AZURE: "Azure",
               ObjectStoreType.GCS: "GCS", ObjectStoreType.LOCAL: "Local",
               ObjectStoreType.IN_MEMORY: "InMemory"}


# GCS configuration keys (object_store's GoogleConfigKey names and aliases), passed to the
# native store as they are; GOOGLE_<KEY> environment variables name the same settings.
_GCS_BUCKET_KEYS = ("google_bucket", "google_bucket_name", "bucket", "bucket_name")
_GCS_KEYS = frozenset(_GCS_BUCKET_KEYS + (
    "google_service_account", "service_account", "google_service_account_path",
    "service_account_path", "google_service_account_key", "service_account_key",
    "google_application_credentials"))


def _gcs_env_options() -> dict:
    """GCS keys from the GOOGLE_* variables, plus the SDKs' STORAGE_EMULATOR_HOST (an
    emulator's address; this build's extension, sends no credentials)."""
    options = {name.lower(): value for name, value in os.environ.items()
               if name.startswith("GOOGLE_") and name.lower() in _GCS_KEYS}
    if os.environ.get("STORAGE_EMULATOR_HOST"):
        options["storage_emulator_host"] = os.environ["STORAGE_EMULATOR_HOST"]
    return options


def _s3_key(key: str):
    bare = key[4:] if key.startswith("aws_") else key
    if bare in _S3_KEYS:
        return _S3_KEYS[bare]
    if bare in _S3_UNSUPPORTED:
        return False
    return None


class ObjectStoreBuilder(ObjectStoreBuilderProtocol):
    """Configures a store key by key; single use (a failed call also consumes it)."""

    def __init__(self, store_type: ObjectStoreType):
        cv.enum_value(store_type, ObjectStoreType)
        self._type = store_type
        self._config = {}
        self._url = None
        self._consumed = False

    @classmethod
    def from_env(cls, store_type: ObjectStoreType) -> "ObjectStoreBuilder":
        """A builder seeded from the provider's standard environment variables."""
        builder = cls(store_type)
        if store_type is ObjectStoreType.S3:
            for name, value in os.environ.items():
                if name.startswith("AWS_"):
                    target = _s3_key(name.lower())
                    if target:
                        builder._config[target] = value
        elif store_type is ObjectStoreType.AZURE:
            builder._config.update(_azure_env_options())
        elif store_type is ObjectStoreType.GCS:
            builder._config.update(_gcs_env_options())
        elif store_type is ObjectStoreType.LOCAL and "LOCAL_PATH" in os.environ:
            builder._config["local_path"] = os.environ["LOCAL_PATH"]
        return builder

    @classmethod
    def from_url(cls, url: str) -> "ObjectStoreBuilder":
        """A builder for the provider of the URL's scheme, with with_url(url) applied."""
        cv.string(url)
        scheme = urlsplit(url).scheme.lower()
        kinds = {"s3": ObjectStoreType.S3, "s3a": ObjectStoreType.S3,
                 "gs": ObjectStoreType.GCS, "az": ObjectStoreType.AZURE,
                 "azure": ObjectStoreType.AZURE, "abfs": ObjectStoreType.AZURE,
                 "abfss": ObjectStoreType.AZURE, "file": ObjectStoreType.LOCAL,
                 "memory": ObjectStoreType.IN_MEMORY}
        if scheme not in kinds:
            raise Error.Invalid(f'object store creation failed: Unable to recognise URL "{url}"')
        builder = cls(kinds[scheme])
        builder.with_url(url)
        return builder

    def _use(self):
        if self._consumed:
            raise Error.Invalid("builder has already been consumed")

    def _fail(self, message: str) -> Error:
        self._consumed = True
        return Error.Invalid(message)

    def with_config(self, key: str, value: str) -> None:
        self._use()
        cv.string(key)
        cv.string(value)
        kind = self._type
        if kind is ObjectStoreType.IN_MEMORY:
            return
        if kind is ObjectStoreType.S3:
            target = _s3_key(key)
            if target is None:
                raise self._fail(f"invalid S3 object store config key: {key}")
            if target is False:
                raise self._fail(f"not supported by this build yet: S3 config key {key}")
            self._config[target] = value
            return
        if kind is ObjectStoreType.AZURE:
            target = _azure_key(key)
            if target is None:
                raise self._fail(f"invalid Azure object store config key: {key}")
            if target is False:
                raise self._fail(f"not supported by this build yet: Azure config key {key}")
            self._config[target] = value
            return
        if kind is ObjectStoreType.GCS:
            if key not in _GCS_KEYS:
                raise self._fail(f"invalid GCS object store config key: {key}")
            self._config[key] = value
            return
        if kind is ObjectStoreType.LOCAL:
            if key != "local_path":
                raise self._fail(f"invalid Local object store config key: {key}")
            self._config["local_path"] = value
            return
        raise self._fail(f"not supported by this build yet: {_TYPE_NAMES[kind]} object stores")

    def with_url(self, url: str) -> None:
        self._use()
        cv.string(url)
        self._url = url

    def build(self) -> ObjectStore:
        self._use()
        self._consumed = True
        kind = self._type
        if kind is ObjectStoreType.IN_MEMORY:
            return ObjectStore._make("memory")
        if kind is ObjectStoreType.LOCAL:
            root = self._config.get("local_path")
            if root is None and self._url is not None:
                root = self._url
            if root is None:
                raise Error.Invalid("missing required Local object store config key: local_path")
            if not os.path.isdir(root):
                raise Error.Invalid(f"object store creation failed: Generic LocalFileSystem "
                                    f"error: Unable to canonicalize filesystem root: {root}")
            return ObjectStore._make("local", root=os.path.realpath(root))
        if kind is ObjectStoreType.S3:
            bucket = self._config.get("bucket")
            if bucket is None and self._url is not None:
                bucket = urlsplit(self._url).netloc or None
            if not bucket:
                raise Error.Invalid("object store creation failed: Generic S3 error: Missing "
                                    "bucket name")
            env = {k: v for k, v in self._config.items() if k != "bucket"}
            return ObjectStore._make("s3", s3_url=f"s3://{bucket}", s3_vars=env)
        if kind is ObjectStoreType.AZURE:
            options = dict(self._config)
            for name in _AZURE_BOOLS:
                if name in options:
                    try:
                        _parse_bool(options[name])
                    except ValueError:
                        raise Error.Invalid(f'object store creation failed: Generic Config '
                                            f'error: failed to parse "{options[name]}" as '
                                            f'boolean') from None
            try:
                container = _azure_location(self._url, options)
            except _AzureConfigError as e:
                raise Error.Invalid(f"object store creation failed: Generic MicrosoftAzure "
                                    f"error: {e}") from None
            if container is None:
                raise Error.Invalid(f"object store creation failed: Generic MicrosoftAzure "
                                    f"error: URL did not match any known pattern for scheme: "
                                    f"{self._url}")
            options.pop("container_name", None)
            return ObjectStore._make("azure", s3_url=f"az://{container}", s3_vars=options)
        if kind is ObjectStoreType.GCS:
            bucket = "" if self._url is None else urlsplit(self._url).netloc
            if not bucket and not any(self._config.get(k) for k in _GCS_BUCKET_KEYS):
                raise Error.Invalid("object store creation failed: Generic GCS error: Missing "
                                    "bucket name")
            return ObjectStore._gcs(bucket, dict(self._config), lambda m: Error.Invalid(
                f"object store creation failed: Generic GCS error: {m}"))
        raise Error.Invalid(f"not supported by this build yet: {_TYPE_NAMES[kind]} object stores")
