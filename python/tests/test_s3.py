# SPDX-License-Identifier: Apache-2.0
"""SlateDB on S3 (a local moto_server started by scripts/s3-test-server.sh).

Skipped when SLATEDB_S3_TEST_ENDPOINT is not set, i.e. when no local S3 server runs.
"""
import os
import urllib.request
import uuid

import pytest

from slatedb import ClosedError, SlateDB

ENDPOINT = os.environ.get("SLATEDB_S3_TEST_ENDPOINT")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="no local S3 server (SLATEDB_S3_TEST_ENDPOINT)")


@pytest.fixture
def bucket(monkeypatch):
    name = "py-" + uuid.uuid4().hex[:12]
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/{name}", method="PUT")).read()
    for key, value in {"AWS_ENDPOINT_URL": ENDPOINT, "AWS_ALLOW_HTTP": "true",
                       "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    return name


def test_url_store_round_trip_and_fencing(bucket):
    url = f"s3://{bucket}/prefix"
    first = SlateDB("db", url=url)
    first.put(b"k", b"v")
    first.flush_with_options("memtable")
    first.put(b"k2", b"v2")
    second = SlateDB("db", url=url)
    assert second.get(b"k") == b"v" and second.get(b"k2") == b"v2"
    with pytest.raises(ClosedError):
        first.put(b"k3", b"v")
    assert [k for k, _ in second.scan_prefix(b"k")] == [b"k", b"k2"]
    second.close()


def test_env_file_with_cloud_provider_aws(bucket, tmp_path):
    env = tmp_path / ".env"
    env.write_text(f"CLOUD_PROVIDER=aws\nAWS_BUCKET={bucket}\n")
    with SlateDB("envdb", env_file=str(env)) as db:
        db.put(b"k", b"v")
    with SlateDB("envdb", env_file=str(env)) as db:
        assert db.get(b"k") == b"v"
