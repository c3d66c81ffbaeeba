# SPDX-License-Identifier: Apache-2.0
"""Azure Blob Storage through the uniffi API: configuration errors as upstream gives them, and,
with Azurite (scripts/azure-test-server.sh exports SLATEDB_AZURE_TEST_ENDPOINT), a database
written, flushed, reopened and read back, and read by upstream's 0.17 wheel."""

import base64
import hashlib
import hmac
import http.client
import os
import subprocess
import textwrap
import uuid
from email.utils import formatdate
from urllib.parse import urlsplit

import pytest

from conftest import open_db, ours_only
from slatedb.uniffi import (Error, FlushOptions, FlushType, ObjectStore, ObjectStoreBuilder,
                            ObjectStoreType)

ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))


@pytest.fixture
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("AZURE") or name == "CLOUD_PROVIDER":
            monkeypatch.delenv(name)
    return monkeypatch


def test_resolve_needs_an_account(clean_env):
    for url in ("az://cont", "azure://cont", "abfs://cont", "abfss://cont"):
        with pytest.raises(Error.Unavailable) as info:
            ObjectStore.resolve(url)
        assert info.value.message == ("Unavailable error: object store error (Generic "
                                      "MicrosoftAzure error: Account must be specified)")
    with pytest.raises(Error.Unavailable) as info:
        ObjectStore.resolve("az://")
    assert info.value.message == ('Unavailable error: object store error (Generic URL error: '
                                  'Unable to recognise URL "az://")')
    clean_env.setenv("AZURE_STORAGE_ACCOUNT_NAME", "acct")
    assert isinstance(ObjectStore.resolve("az://cont"), ObjectStore)  # connects on first use


def test_builder_errors_match_upstream(clean_env):
    def build(pairs, url=None):
        builder = ObjectStoreBuilder(ObjectStoreType.AZURE)
        for key, value in pairs:
            builder.with_config(key, value)
        if url is not None:
            builder.with_url(url)
        return builder.build()

    prefix = "object store creation failed: Generic MicrosoftAzure error: "
    with pytest.raises(Error.Invalid) as info:
        build([])
    assert info.value.message == prefix + "Container name must be specified"
    with pytest.raises(Error.Invalid) as info:
        build([("container_name", "c")])
    assert info.value.message == prefix + "Account must be specified"
    with pytest.raises(Error.Invalid) as info:
        build([("nope", "x")])
    assert info.value.message == "invalid Azure object store config key: nope"
    with pytest.raises(Error.Invalid) as info:
        build([("container_name", "c"), ("use_emulator", "maybe")])
    assert info.value.message == ('object store creation failed: Generic Config error: failed '
                                  'to parse "maybe" as boolean')
    for pairs, url in (([("azure_container_name", "c"), ("azure_storage_account_name", "a")],
                        None),
                       ([("container_name", "c"), ("use_emulator", "true")], None),
                       ([("account_name", "a"), ("account_key", KEY)], "az://cc")):
        assert isinstance(build(pairs, url), ObjectStore)


def test_from_env_errors_match_upstream(clean_env):
    clean_env.setenv("CLOUD_PROVIDER", "azure")
    prefix = ("Unavailable error: object store error (Generic MicrosoftAzure error: Generic "
              "MicrosoftAzure error: ")
    with pytest.raises(Error.Unavailable) as info:
        ObjectStore.from_env(None)
    assert info.value.message == prefix + "Container name must be specified)"
    clean_env.setenv("AZURE_CONTAINER_NAME", "c")
    with pytest.raises(Error.Unavailable) as info:
        ObjectStore.from_env(None)
    assert info.value.message == prefix + "Account must be specified)"
    clean_env.setenv("AZURE_STORAGE_ACCOUNT_NAME", "acct")
    assert isinstance(ObjectStore.from_env(None), ObjectStore)


# ------------------------------------------------------------------ against Azurite


@pytest.fixture
def azurite(clean_env):
    endpoint = os.environ.get("SLATEDB_AZURE_TEST_ENDPOINT")
    if not endpoint:
        if os.environ.get("SLATEDB_REQUIRE_AZURE") or os.environ.get("CI") == "true":
            pytest.fail("no Azurite: run under scripts/azure-test-server.sh")
        pytest.skip("no Azurite (scripts/azure-test-server.sh sets SLATEDB_AZURE_TEST_ENDPOINT)")
    clean_env.setenv("AZURITE_BLOB_STORAGE_URL", endpoint)
    container = f"py-{uuid.uuid4().hex[:12]}"
    create_container(endpoint, container)
    return endpoint, container


def create_container(endpoint, container):
    """Create Container, signed with Shared Key here so the test does not trust the client
    under test to make its own fixture."""
    date = formatdate(usegmt=True)
    headers = {"x-ms-date": date, "x-ms-version": "2021-08-06"}
    path = f"/{ACCOUNT}/{container}"
    to_sign = ("PUT\n" + "\n" * 11 + "".join(f"{k}:{v}\n" for k, v in sorted(headers.items()))
               + f"/{ACCOUNT}{path}\nrestype:container")
    mac = hmac.new(base64.b64decode(KEY), to_sign.encode(), hashlib.sha256).digest()
    headers["Authorization"] = f"SharedKey {ACCOUNT}:{base64.b64encode(mac).decode()}"
    # http.client sends exactly these headers and Content-Length: 0 (urllib would add a
    # Content-Type, which Shared Key signs).
    conn = http.client.HTTPConnection(urlsplit(endpoint).netloc, timeout=30)
    conn.request("PUT", f"{path}?restype=container", body=b"", headers=headers)
    response = conn.getresponse()
    assert response.status == 201, response.read()[:500]
    conn.close()


def emulator_store(container):
    builder = ObjectStoreBuilder(ObjectStoreType.AZURE)
    builder.with_config("azure_storage_use_emulator", "true")
    builder.with_config("azure_container_name", container)
    return builder.build()


@pytest.mark.asyncio
async def test_database_on_azurite(azurite):
    _, container = azurite
    store = emulator_store(container)
    db = await open_db(store, "db")
    for i in range(100):
        await db.put(f"key{i:03d}".encode(), f"value{i}".encode())
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    await db.shutdown()

    # A second store object (az:// and the AZURE_* variables) sees what the first wrote.
    os.environ["AZURE_STORAGE_USE_EMULATOR"] = "true"
    try:
        again = ObjectStore.resolve(f"az://{container}")
    finally:
        del os.environ["AZURE_STORAGE_USE_EMULATOR"]
    db = await open_db(again, "db")
    assert await db.get(b"key042") == b"value42"
    assert await db.get(b"missing") is None
    await db.shutdown()


@pytest.mark.asyncio
@ours_only  # runs upstream's wheel on what this build wrote
async def test_upstream_reads_what_we_wrote_on_azurite(azurite):
    oracle = os.environ.get("SLATEDB_ORACLE_017") or os.path.join(
        ROOT, "build", "oracle-0.17", "bin", "python")
    if not os.path.exists(oracle):
        pytest.skip("no upstream 0.17 interpreter (scripts/oracle-venv.sh 0.17)")
    endpoint, container = azurite
    db = await open_db(emulator_store(container), "shared")
    await db.put(b"written-by", b"slatedb-cpp")
    await db.flush_with_options(FlushOptions(flush_type=FlushType.MEM_TABLE))
    await db.shutdown()
    script = textwrap.dedent(f"""
        import asyncio
        from slatedb.uniffi import DbBuilder, ObjectStoreBuilder, ObjectStoreType
        async def main():
            b = ObjectStoreBuilder(ObjectStoreType.AZURE)
            b.with_config("azure_storage_use_emulator", "true")
            b.with_config("azure_container_name", {container!r})
            db = await DbBuilder("shared", b.build()).build()
            print((await db.get(b"written-by")).decode())
            await db.put(b"written-by-upstream", b"yes")
            await db.shutdown()
        asyncio.run(main())
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["AZURITE_BLOB_STORAGE_URL"] = endpoint
    result = subprocess.run([oracle, "-c", script], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "slatedb-cpp"
    # And back: upstream's write (in its WAL) is read by this build.
    db = await open_db(emulator_store(container), "shared")
    assert await db.get(b"written-by-upstream") == b"yes"
    await db.shutdown()
